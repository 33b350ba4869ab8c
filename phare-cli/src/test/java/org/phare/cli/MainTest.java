package org.phare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command tree a process builds for its arguments: the sub-command it runs only, or all of them when needed. */
class MainTest {

    @Test
    void aSubCommandIsBuiltAlone() {
        CommandLine cl = Main.commandLine(new String[] {"server", "--help"});
        assertThat(cl.getSubcommands()).containsOnlyKeys("server");
        assertThat(cl.getSubcommands().get("server").getCommandSpec().qualifiedName()).isEqualTo("phare server");
    }

    @Test
    void theRootHelpAndAMistypedNameSeeEveryCommand() {
        int all = Main.SUBCOMMANDS.size();
        assertThat(Main.commandLine(new String[0]).getSubcommands()).hasSize(all);
        assertThat(Main.commandLine(new String[] {"--help"}).getSubcommands()).hasSize(all);
        assertThat(Main.commandLine(new String[] {"help", "vm"}).getSubcommands()).hasSize(all);
        assertThat(Main.commandLine(new String[] {"srever"}).getSubcommands()).hasSize(all);
        assertThat(Main.commandLine().getSubcommands()).hasSize(all).containsKeys("server", "vm", "drill", "help");
    }

    @Test
    void aBadOptionOfALoneSubCommandIsReportedWithItsQualifiedName() {
        String[] args = {"server", "--data-dir", "unused", "--no-such-option"};
        CommandLine cl = Main.commandLine(args);
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute(args)).isEqualTo(2);
        assertThat(err.toString()).contains("--no-such-option").contains("(see: phare server --help)");
    }

    @Test
    void aMistypedNameIsRefusedWithTheRootsHelp() {
        String[] args = {"srever"};
        CommandLine cl = Main.commandLine(args);
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute(args)).isEqualTo(2);
        assertThat(err.toString()).contains("srever").contains("(see: phare --help)");
    }
}
