package org.phare.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.phare.api.DrillYaml;
import org.phare.api.Json;
import org.phare.core.drill.Drill;
import org.phare.core.drill.DrillCheck;
import org.phare.core.drill.Durations;
import org.phare.sim.DrillPrediction;
import org.phare.sim.DrillSimulation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code phare drill}: full-scale exercises. Each sub-command is a nested class of its own, listed in
 * {@link DrillCommand}'s {@code subcommands}.
 */
final class DrillCommands {
    /** The drill was read and is valid, or the prediction ran. */
    static final int OK = 0;
    /** The file is missing or not a valid drill (every problem printed), or the live cloud could not be read. */
    static final int INVALID = 1;
    /** The simulation broke a safety invariant: a bug of Phare, printed with the seed that shows it. */
    static final int UNSAFE = 3;

    private DrillCommands() {
    }

    @Command(name = "drill", mixinStandardHelpOptions = true, description = "Full-scale exercises: a drill file names its"
            + " objectives, its scope, how the crisis cell hears of it (a day ahead, or by surprise), when it stops early,"
            + " and a timeline of faults of the infrastructure (agents crashed, frozen or cut off, a site or a zone lost,"
            + " the control plane's leader stopped) and of the people (absent, quarantined, an area closed by order,"
            + " no transport) with checks of the alert level.",
            subcommands = {Init.class, Validate.class, Predict.class, DrillLiveCommands.Schedule.class, DrillLiveCommands.Run.class,
                DrillLiveCommands.Status.class, DrillLiveCommands.Ls.class, DrillLiveCommands.Abort.class,
                DrillLiveCommands.Report.class, DrillLiveCommands.Findings.class},
            footer = {"", "Start with:", "  phare drill init drills", "  phare drill validate drills/zone-loss.yaml",
                "  phare drill predict drills/zone-loss.yaml", "  phare drill run drills/zone-loss.yaml --now --wait",
                "  phare drill report drill-1 --format pdf --out report.pdf", "",
                "Exit codes: 0 done; 1 the drill is not valid (every problem printed, with its line and field), or the"
                    + " live cloud could not be read; 2 a wrong option; 3 the simulation broke a safety invariant (a bug"
                    + " of Phare: report it with the seed printed)."})
    static final class DrillCommand {}

    @Command(name = "init", mixinStandardHelpOptions = true, description = "Writes the shipped drills to DIR, with comments"
            + " that teach the format: seed-exercise.yaml, the continuity plan's exercise (announced the day before, a"
            + " prefect's order closes a datacenter's area, no transport, 30%% of the staff absent, level 3 then 4), and"
            + " zone-loss.yaml (a whole zone lost by surprise; every instance of it must answer again within 30 s, with"
            + " nobody acting). Both fit phare demo's cloud and the default plan. Nothing is overwritten.")
    static final class Init implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", arity = "0..1", defaultValue = ".", description = "Where to write them, created if needed (default: the"
                + " current directory).")
        Path dir;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            List<Path> files = DrillYaml.SHIPPED.stream().map(dir::resolve).toList();
            List<String> existing = files.stream().filter(Files::exists).map(Path::toString).toList();
            if (!existing.isEmpty()) {
                spec.commandLine().getErr().println("phare: " + String.join(" and ", existing) + " already exist(s); nothing written"
                        + " (move it away, or init another directory)");
                return INVALID;
            }
            Files.createDirectories(dir);
            for (int i = 0; i < files.size(); i++) {
                Files.writeString(files.get(i), DrillYaml.shippedText(DrillYaml.SHIPPED.get(i)), StandardCharsets.UTF_8);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("wrote " + String.join(" and ", files.stream().map(Path::toString).toList()));
            out.println("next: phare drill validate " + files.getLast() + "; phare drill predict " + files.getLast());
            return OK;
        }
    }

    /** Where a drill is checked and predicted: phare demo's cloud, one of its shape of another size, or the live cloud. */
    static final class Where {
        @Option(names = "--server", paramLabel = "URL[,URL...]", description = "Check the drill against the live cloud at this"
                + " address, and simulate it: its zones, sites and hosts, its running instances, its plan and roster.")
        String server;

        @Option(names = "--live", description = "The live cloud at the configured address ($PHARE_SERVER, or the profile's"
                + " server), as --server would.")
        boolean live;

        @Option(names = "--profile", paramLabel = "NAME", description = "Profile of ~/.phare/config (or $PHARE_CONFIG) to read the"
                + " live cloud with.")
        String profile;

        @Option(names = "--hosts", paramLabel = "N", description = "Without a live cloud: agents of phare demo's size, spread"
                + " as it spreads them over eu-west-2a/b/c and their two datacenters (default: " + DrillCloud.DEMO_HOSTS
                + ", phare demo's).")
        Integer hosts;

        @Option(names = "--instances", paramLabel = "M", description = "Without a live cloud: sample instances of phare demo's"
                + " type (default: " + DrillCloud.DEMO_INSTANCES + ").")
        Integer instances;

        boolean isLive() {
            return live || server != null;
        }

        /** @throws ApiClient.Failure when the live cloud cannot be read */
        DrillCloud cloud() {
            if (!isLive()) {
                return DrillCloud.demo(hosts == null ? DrillCloud.DEMO_HOSTS : hosts,
                        instances == null ? DrillCloud.DEMO_INSTANCES : instances);
            }
            if (hosts != null || instances != null) {
                throw new IllegalArgumentException("--hosts and --instances size a cloud of phare demo's shape; with --server"
                        + " or --live the live cloud's own are used");
            }
            ApiClient api = ApiClient.fromEnvironment(server, profile);
            return DrillCloud.live(api, server != null ? server : "the configured address");
        }
    }

    /** What a drill command needs first: the cloud, then the file read and checked against it. */
    abstract static class FileCommand implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "A drill file (see: phare drill init).")
        Path file;

        @Mixin
        Where where;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter err = spec.commandLine().getErr();
            if (!Files.isRegularFile(file)) {
                err.println("phare: no such file: " + file);
                return INVALID;
            }
            DrillCloud cloud;
            try {
                cloud = where.cloud();
            } catch (ApiClient.Failure e) {
                err.println("phare: cannot read the live cloud: " + e.getMessage());
                return INVALID;
            }
            Drill drill;
            try {
                drill = DrillYaml.parse(Files.readString(file, StandardCharsets.UTF_8), checkedAgainst(cloud));
            } catch (DrillYaml.Invalid e) {
                Output.problems(err, file, e.problems());
                err.println("phare: " + e.problems().size() + " problem(s) in " + file + " on " + cloud.source());
                return INVALID;
            }
            return run(drill, cloud);
        }

        abstract DrillCheck.Cloud checkedAgainst(DrillCloud cloud);

        abstract int run(Drill drill, DrillCloud cloud);
    }

    @Command(name = "validate", mixinStandardHelpOptions = true, description = "Checks a drill file: its fields, its rules"
            + " (a freeze lasts at most 10 min, a target names one host, site or zone, the drill lasts at most 7 days) and"
            + " its fit to the cloud (zones, sites and hosts exist and lie in the scope; people faults name the plan's roles,"
            + " sites and areas). Prints a summary, or every problem with its line, column and field.",
            footer = {"", "Against phare demo's cloud by default, whose host ids are drawn when its agents first start: a"
                + " drill naming hosts is checked against the live cloud (--server URL or --live)."})
    static final class Validate extends FileCommand {
        @Override
        DrillCheck.Cloud checkedAgainst(DrillCloud cloud) {
            return cloud.check();
        }

        @Override
        int run(Drill drill, DrillCloud cloud) {
            spec.commandLine().getOut().println("ok: " + summary(drill) + "; fits " + cloud.source());
            return OK;
        }
    }

    /** "zone-loss, 1 step, lasts 1m, a surprise". */
    static String summary(Drill drill) {
        int steps = drill.timeline().size();
        return drill.name() + ", " + steps + (steps == 1 ? " step" : " steps") + ", lasts " + Durations.format(drill.durationMs())
                + ", " + (drill.announcement().surprise() ? "a surprise" : "announced " + Durations.format(drill.announcement().aheadMs())
                + " ahead");
    }

    @Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false, description = "Runs the drill's timeline"
            + " against the simulator (the unchanged control plane, simulated hosts, network and time) once per seed, and"
            + " prints what to expect: the outages of the instances in scope (each instance's longest, p50, p95 and max over"
            + " every seed), how many seeds meet each objective, and each step's detection and recovery times. The live"
            + " drill's report puts the same figures beside what its prober measures.",
            footer = {"", "The simulated cloud is phare demo's (--hosts, --instances to size it) or the live cloud's (--server,"
                + " --live): its hosts, its running instances, its plan and roster. Faults act as on real processes: a crash"
                + " is a host's power loss, an isolation cuts an agent off (its copies answer until they fence themselves), a"
                + " freeze is simulated as such a cut; people faults are the commands the live drill sends, and the plan's"
                + " triggers answer. A seed gives the same run every time.", "", "Examples:",
                "  phare drill predict zone-loss.yaml",
                "  phare drill predict zone-loss.yaml --hosts 30 --instances 200 --seeds 50",
                "  phare drill predict seed-exercise.yaml --live --json"})
    static final class Predict extends FileCommand {
        @Option(names = "--seeds", paramLabel = "N", defaultValue = "20", description = "Runs, one per seed (default: ${DEFAULT-VALUE}).")
        int seeds;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "The first seed; the runs take S, S+1..."
                + " (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--json", description = "Print the prediction as JSON only (progress goes nowhere).")
        boolean json;

        @Override
        DrillCheck.Cloud checkedAgainst(DrillCloud cloud) {
            // The simulation must find every host the drill names: on phare demo's shape, its own agent-N.
            return where.isLive() ? cloud.check() : cloud.checkWithHosts();
        }

        @Override
        int run(Drill drill, DrillCloud cloud) {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (seeds < 1 || seeds > DrillPrediction.MAX_SEEDS) {
                throw new IllegalArgumentException("--seeds must be between 1 and " + DrillPrediction.MAX_SEEDS + ", got " + seeds);
            }
            DrillSimulation.Setup setup = new DrillSimulation.Setup(cloud.shape(), drill, cloud.plan(), cloud.roster());
            DrillPrediction p = DrillPrediction.predict(setup, seed, seeds, json ? line -> { } : line -> {
                err.println("predict: " + line);
                err.flush();
            });
            if (json) {
                Output.json(out, Json.mapper().valueToTree(p));
            } else {
                print(out, p, cloud);
            }
            if (!p.violations().isEmpty()) {
                err.println("phare: the simulation broke a safety invariant, a bug of Phare; replay it with --seed and --seeds 1:");
                p.violations().forEach(v -> err.println("  " + v));
                return UNSAFE;
            }
            return OK;
        }

        private static void print(PrintWriter out, DrillPrediction p, DrillCloud cloud) {
            out.println("drill " + p.drill() + " on " + cloud.source() + " (" + p.cloud() + "), " + p.seeds() + " seeds from "
                    + p.firstSeed());
            DrillPrediction.Outage o = p.outage();
            out.println();
            out.println("outage of the " + o.instances() + " watched instance(s), each one's longest, every seed pooled:");
            out.println(String.format(Locale.ROOT, "  p50 %.1f s   p95 %.1f s   max %.1f s (seed %d)   down in a run: %d of %d%s",
                    o.p50Seconds(), o.p95Seconds(), o.maxSeconds(), o.worstSeed(), o.affected(), o.instances(),
                    o.unrecovered() == 0 ? "" : "   never back: " + o.unrecovered()));
            if (p.seedsStopped() > 0) {
                out.println("  the stop condition ended the drill early, every fault healed, in " + p.seedsStopped() + "/" + p.seeds()
                        + " seeds: the outages are those of a stopped drill");
            }
            if (!p.objectives().isEmpty()) {
                out.println();
                out.println("objectives:");
                for (DrillPrediction.ObjectiveOutcome ob : p.objectives()) {
                    out.println(ob.metInSeeds() == null ? "  -       " + ob.text() + " (" + ob.note() + ")"
                            : String.format(Locale.ROOT, "  %-7s %s", ob.metInSeeds() + "/" + p.seeds(), ob.text()));
                }
            }
            out.println();
            out.println("steps:");
            for (DrillPrediction.StepSummary s : p.steps()) {
                List<String> figures = new ArrayList<>();
                if (s.checkMetInSeeds() != null) {
                    figures.add("met in " + s.checkMetInSeeds() + "/" + p.seeds());
                }
                if (s.detectionP50Seconds() != null) {
                    figures.add(String.format(Locale.ROOT, "detected p50 %.1f s (max %.1f s)", s.detectionP50Seconds(), s.detectionMaxSeconds()));
                }
                if (s.instancesDownMax() > 0 && s.recoveryP50Seconds() != null) {
                    figures.add(String.format(Locale.ROOT, "recovered p50 %.1f s (max %.1f s), up to %d instance(s) down",
                            s.recoveryP50Seconds(), s.recoveryMaxSeconds(), s.instancesDownMax()));
                }
                out.println(String.format(Locale.ROOT, "  %-6s %s%s", s.at(), s.what(), figures.isEmpty() ? "" : ": " + String.join("; ", figures)));
            }
            List<String> notes = new ArrayList<>(cloud.notes());
            notes.addAll(p.notes());
            if (!notes.isEmpty()) {
                out.println();
                out.println("notes:");
                notes.forEach(n -> out.println("  " + n));
            }
        }
    }
}
