package org.phare.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code phare} command: every process of Phare is a sub-command of this one distribution. */
@Command(name = "phare", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {
            "Phare: a cloud control plane that keeps virtual servers running with nobody in the building.",
            "",
            "Start with: phare demo (a local cloud), phare sim --help (simulations), phare vm --help"
        },
        subcommands = {DemoCommand.class, SimCommand.class, ServerCommand.class, AgentCommand.class,
            ClientCommands.Vm.class, ClientCommands.Host.class, ClientCommands.Zone.class, ClientCommands.Region.class,
            ClientCommands.Type.class, ClientCommands.Image.class, ClusterCommands.Cluster.class, AccountCommands.Account.class,
            AccountCommands.Key.class, PlanCommands.PlanCommand.class, StaffCommands.Staff.class,
            StaffCommands.Coverage.class, LevelCommands.Level.class, LevelCommands.Site.class,
            CrisisCommands.Crisis.class, CrisisCommands.Transport.class, DrillCommands.DrillCommand.class, EventsCommand.class,
            LoadCommand.class, AotTrainingCommand.class,
            CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests drive it in-process. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
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
