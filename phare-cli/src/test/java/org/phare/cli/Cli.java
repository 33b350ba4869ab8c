package org.phare.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** {@code phare} run in-process, as a test drives it: the exit code, what it printed and what it complained of. */
record Cli(int exit, String out, String err) {
    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Cli(exit, out.toString(), err.toString());
    }
}
