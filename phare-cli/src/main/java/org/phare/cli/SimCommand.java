package org.phare.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.phare.core.placement.PlacementConfig;
import org.phare.sim.Scenario;
import org.phare.sim.LogModel;
import org.phare.sim.SimConfig;
import org.phare.sim.SimResult;
import org.phare.sim.Simulation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "sim", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs the unchanged control-plane core against simulated hosts, network and time, on one thread."
                + " Same seed, same run.",
            "Safety invariants, checked after every event:",
            "  S1 never two live copies of an instance",
            "  S2 no host above capacity",
            "  S3 replay of the log equals live state",
            "  S4 place only on ready hosts, move only off dead+fenced ones",
            "Liveness, checked at the end:",
            "  L1 every instance that should run and fits, runs",
            "A violation stops the run and prints the seed and the command that reproduces it (exit code 1)."
        },
        footer = {
            "",
            "Scenarios: none, host-loss, site-loss, zone-loss, partition, flapping, control-plane-isolation,"
                + " controller-restart, frozen-agent, one-way-partition, log-stall, random.",
            "",
            "The log commits like Apache Ratis on three members here (4 ms a commit, at most 400 entries and 40,000"
                + " records a second); everything the controller decides in one event is one entry, and agents hear only"
                + " of what committed. --log-latency-ms and --log-entries-per-second change that; 0 0 commits at once.",
            "",
            "Examples:",
            "  phare sim    # a zone loss in a 60-host cloud",
            "  phare sim --hosts 10000 --zones 3 --instances 100000 \\",
            "      --scenario zone-loss --json",
            "  phare sim --hosts 12 --instances 80 --scenario random --seeds 1..1000 --json"
        })
final class SimCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--hosts", description = "Hosts in the fleet (default: ${DEFAULT-VALUE}).", defaultValue = "60")
    int hosts;

    @Option(names = "--zones", description = "Availability zones (default: ${DEFAULT-VALUE}).", defaultValue = "3")
    int zones;

    @Option(names = "--instances", description = "Instances to place (default: ${DEFAULT-VALUE}).", defaultValue = "600")
    int instances;

    @Option(names = "--scenario", description = "Fault to inject (default: ${DEFAULT-VALUE}).", defaultValue = "zone-loss")
    String scenario;

    @Option(names = "--seed", description = "Seed of the run (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    long seed;

    @Option(names = "--seeds", paramLabel = "A..B", description = "Run every seed from A to B (inclusive) and print one summary.")
    String seeds;

    @Option(names = "--admission", description = "Failover reserve: zone, host or none (default: zone, or host for a one-zone cloud).")
    String admission;

    @Option(names = "--utilisation", description = "Share of vCPUs the workload is sized to fill, 0..1 exclusive (default: ${DEFAULT-VALUE}).",
            defaultValue = "0.6")
    double utilisation;

    @Option(names = "--log-latency-ms", description = "How long an entry takes to commit (default: ${DEFAULT-VALUE}, Ratis on three"
            + " members here).", defaultValue = "4")
    long logLatencyMs;

    @Option(names = "--log-entries-per-second", description = "Entries the log commits a second at most, 0 for no bound"
            + " (default: ${DEFAULT-VALUE}; records a second: 100 times as many).", defaultValue = "400")
    int logEntriesPerSecond;

    @Option(names = "--json", description = "Print only JSON on standard output (progress and logs go to standard error).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Scenario sc = Scenario.parse(scenario);
        if (logLatencyMs < 0 || logLatencyMs > 60_000 || logEntriesPerSecond < 0) {
            throw new IllegalArgumentException("--log-latency-ms must be 0..60000 and --log-entries-per-second at least 0");
        }
        SimConfig base = SimConfig.of(hosts, zones, instances, sc, seed).withUtilisation(utilisation)
                .withLog(new LogModel(logLatencyMs * 1_000_000L, logEntriesPerSecond, logEntriesPerSecond * 100));
        if (admission != null) {
            base = base.withController(base.controller().withPlacement(base.controller().placement().withAdmission(parseAdmission(admission))));
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        if (seeds == null) {
            SimResult r = Simulation.run(base, json ? line -> { } : line -> err.println("sim: " + line));
            if (json) {
                out.println(mapper.writeValueAsString(r));
            } else {
                printReadable(out, r);
            }
            if (!r.ok()) {
                err.println("sim: invariant violated with seed " + r.seed() + "; reproduce with: " + r.reproduce());
                return 1;
            }
            return 0;
        }
        long[] range = parseRange(seeds);
        Map<String, Object> summary = sweep(base, range[0], range[1], err);
        if (json) {
            out.println(mapper.writeValueAsString(summary));
        } else {
            out.println(String.format(Locale.ROOT, "%d runs, %d invariant violations, %d failed seeds, worst recovery %s s, %.1f s wall",
                    summary.get("runs"), summary.get("invariantViolations"), ((List<?>) summary.get("failedSeeds")).size(),
                    summary.get("worstRecoverySeconds"), (Double) summary.get("wallSeconds")));
            for (Object f : (List<?>) summary.get("failedSeeds")) {
                out.println("  failed: " + f);
            }
        }
        return ((List<?>) summary.get("failedSeeds")).isEmpty() ? 0 : 1;
    }

    private Map<String, Object> sweep(SimConfig base, long from, long to, PrintWriter err) {
        long start = System.nanoTime();
        int runs = 0;
        long violations = 0;
        long unplaced = 0;
        double worstRecovery = 0;
        double worstDetection = 0;
        List<Map<String, Object>> failed = new ArrayList<>();
        long total = to - from + 1;
        for (long s = from; s <= to; s++) {
            SimResult r = Simulation.run(base.withSeed(s));
            runs++;
            violations += r.invariantViolations();
            unplaced += r.unplacedInstances();
            if (r.recoverySeconds() != null) {
                worstRecovery = Math.max(worstRecovery, r.recoverySeconds());
            }
            if (r.detectionSeconds() != null) {
                worstDetection = Math.max(worstDetection, r.detectionSeconds());
            }
            if (!r.ok()) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("seed", r.seed());
                f.put("reproduce", r.reproduce());
                f.put("violations", r.violations());
                failed.add(f);
                err.println("sim: seed " + s + " violated an invariant; reproduce with: " + r.reproduce());
            }
            if (runs % 50 == 0 || s == to) {
                err.printf(Locale.ROOT, "sim: %d/%d seeds, %d violations, %.1f s%n", runs, total, violations, (System.nanoTime() - start) / 1e9);
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("runs", runs);
        summary.put("scenario", base.scenario().cliName());
        summary.put("hosts", base.hosts());
        summary.put("zones", base.zones());
        summary.put("instances", base.instances());
        summary.put("seeds", from + ".." + to);
        summary.put("invariantViolations", violations);
        summary.put("failedSeeds", failed);
        summary.put("unplacedInstances", unplaced);
        summary.put("worstDetectionSeconds", worstDetection);
        summary.put("worstRecoverySeconds", worstRecovery);
        summary.put("wallSeconds", Math.round((System.nanoTime() - start) / 1e6) / 1000.0);
        return summary;
    }

    static PlacementConfig.AdmissionPolicy parseAdmission(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "zone" -> PlacementConfig.AdmissionPolicy.ZONE;
            case "host" -> PlacementConfig.AdmissionPolicy.HOST_PER_ZONE;
            case "none" -> PlacementConfig.AdmissionPolicy.NONE;
            default -> throw new IllegalArgumentException("--admission must be zone, host or none, got '" + value + "'");
        };
    }

    static long[] parseRange(String text) {
        String[] parts = text.split("\\.\\.", -1);
        try {
            if (parts.length == 2) {
                long a = Long.parseLong(parts[0].trim());
                long b = Long.parseLong(parts[1].trim());
                if (a <= b && b - a < 10_000_000) {
                    return new long[] {a, b};
                }
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("--seeds must look like A..B with A <= B (at most 10,000,000 seeds), got '" + text + "'");
    }

    private static void printReadable(PrintWriter out, SimResult r) {
        out.printf(Locale.ROOT, "scenario %s, seed %d: %d hosts in %d zones, %d instances (%d refused by the failover reserve)%n",
                r.scenario(), r.seed(), r.hosts(), r.zones(), r.instances(), r.rejectedInstances());
        out.printf(Locale.ROOT, "  placement        %,.0f placements/s (wall clock, whole path)%n", r.placementsPerSecond());
        out.printf(Locale.ROOT, "  affected         %d instances%n", r.affectedInstances());
        out.printf(Locale.ROOT, "  detection        %s%n", r.detectionSeconds() == null ? "-" : r.detectionSeconds() + " s (virtual)");
        out.printf(Locale.ROOT, "  recovery         %s%n", r.recoverySeconds() == null ? "not complete" : r.recoverySeconds() + " s (virtual)");
        out.printf(Locale.ROOT, "  unplaced         %d%n", r.unplacedInstances());
        out.printf(Locale.ROOT, "  failovers        %d placements, %d evictions, %d hosts declared dead, %d agent self-fences%n",
                r.failoverPlacements(), r.evictions(), r.hostsDeclaredDead(), r.agentFences());
        out.printf(Locale.ROOT, "  wrongly fenced   %d (hosts no fault touched that fenced themselves)%n", r.wronglyFenced());
        out.printf(Locale.ROOT, "  log              %d records in %d entries%n", r.logRecords(), r.logEntries());
        out.printf(Locale.ROOT, "  alarms           %s%n", r.alarmsRaised().isEmpty() ? "none" : String.join(", ", r.alarmsRaised()));
        out.printf(Locale.ROOT, "  invariants       %s%n", r.ok() ? "all held (S1-S4 after every event, L1 at the end)"
                : r.invariantViolations() + " violated");
        for (String v : r.violations()) {
            out.println("    " + v);
        }
        out.printf(Locale.ROOT, "  run              %d events, %.1f s virtual, %d records (digest %s), %.1f MiB heap, %.2f s wall%n",
                r.events(), r.virtualSeconds(), r.logRecords(), r.logDigest(), r.heapUsedMiB(), r.wallSeconds());
    }
}
