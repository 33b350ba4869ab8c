package org.phare.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of another Phare process (a member, an agent) started by this one: the same {@code java}, the
 * same class path, and the flags of this JVM that its children need too, given by the {@code phare} script: the
 * ahead-of-time cache ({@code -XX:AOTCache}, which must name the class path this JVM runs) and the permissions that
 * silence the shaded libraries' warnings on new JDKs.
 */
final class ChildJvm {

    /** Prefixes of this JVM's own arguments that its children get as well. */
    private static final List<String> INHERITED = List.of("-XX:AOTCache=", "-Xlog:aot", "--enable-native-access=",
            "--sun-misc-unsafe-memory-access=");

    private ChildJvm() {
    }

    /** {@code java}, the inherited flags, {@code jvmOptions}, then Phare's main class: append the sub-command. */
    static List<String> command(List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(inherited(ManagementFactory.getRuntimeMXBean().getInputArguments()));
        command.addAll(jvmOptions);
        command.add(Main.class.getName());
        return command;
    }

    /** A builder for {@code command} with this JVM's class path. */
    static ProcessBuilder builder(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        return pb;
    }

    /** The arguments among {@code jvmArguments} that a child inherits. */
    static List<String> inherited(List<String> jvmArguments) {
        return jvmArguments.stream().filter(a -> INHERITED.stream().anyMatch(a::startsWith)).toList();
    }
}
