package org.phare.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code phare} command: every process of Phare is a sub-command of this one distribution. */
@Command(name = "phare", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {
            "Phare: a cloud control plane that keeps virtual servers running with nobody in the building.",
            "",
            "Start with: phare demo (a local cloud), phare sim --help (simulations), phare vm --help"
        })
public final class Main {

    /**
     * The sub-commands, in the order of the help. Listed here rather than in the annotation so that a process builds
     * only the one it runs: picocli reads every option of every command it is given, about a quarter of a second of
     * CPU for the whole tree, paid by each member, agent and CLI call at its start.
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(DemoCommand.class, SimCommand.class, ServerCommand.class,
            AgentCommand.class, ClientCommands.Vm.class, ClientCommands.Host.class, ClientCommands.Zone.class,
            ClientCommands.Region.class, ClientCommands.Type.class, ClientCommands.Image.class, ClusterCommands.Cluster.class,
            AccountCommands.Account.class, AccountCommands.Key.class, PlanCommands.PlanCommand.class, StaffCommands.Staff.class,
            StaffCommands.Coverage.class, LevelCommands.Level.class, LevelCommands.Site.class, CrisisCommands.Crisis.class,
            CrisisCommands.Transport.class, DrillCommands.DrillCommand.class, EventsCommand.class, LoadCommand.class,
            AotTrainingCommand.class, CommandLine.HelpCommand.class);

    public static void main(String[] args) {
        System.exit(commandLine(args).execute(args));
    }

    /** The configured command line with every sub-command; tests drive it in-process. */
    public static CommandLine commandLine() {
        return configure(tree(null));
    }

    /**
     * The command line that runs {@code args}: when the first argument names a sub-command (other than {@code help},
     * which reads the others), the tree holds that one only; otherwise all of them, so that the root's help lists
     * every command and a mistyped name is refused against the whole tree.
     */
    static CommandLine commandLine(String[] args) {
        String first = args.length == 0 ? null : args[0];
        boolean known = first != null && !first.equals("help") && SUBCOMMANDS.stream().anyMatch(c -> name(c).equals(first));
        return configure(tree(known ? first : null));
    }

    /** The root with the sub-command named {@code only}, or all of them when it is null. */
    private static CommandLine tree(String only) {
        CommandLine cl = new CommandLine(new Main());
        for (Class<?> c : SUBCOMMANDS) {
            if (only == null || name(c).equals(only)) {
                cl.addSubcommand(name(c), c);
            }
        }
        return cl;
    }

    private static String name(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }

    private static CommandLine configure(CommandLine cl) {
        // Help as wide as the terminal, for every sub-command (set after they are all added); picocli falls back
        // to 80 columns when it cannot tell, as when the output is piped.
        cl.setUsageHelpAutoWidth(true);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine bad = ex.getCommandLine();
            bad.getErr().println("phare: " + ex.getMessage() + " (see: " + bad.getCommandSpec().qualifiedName() + " --help)");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            if (ex instanceof IllegalArgumentException) {
                line.getErr().println("phare: " + ex.getMessage());
                return 2;
            }
            line.getErr().println("phare: internal error: " + ex);
            return 70;
        });
        return cl;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"phare " + (v == null ? "development build" : v)};
        }
    }
}
