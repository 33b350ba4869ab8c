package org.phare.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark (not a test), issue 14: randomized fault runs against real processes. Three members, agents behind proxies
 * of their own (two per zone by default), a dozen instances; a {@link CopyWatch} polls the operating system's processes
 * every 100 ms throughout. Each run draws, from the seed, one fault and its victim:
 *
 * <ul>
 *   <li>{@code agent-kill} — {@code kill -9} of an agent that runs instances, then restarted;</li>
 *   <li>{@code agent-stop} — SIGSTOP of such an agent, SIGCONT once its instances run elsewhere;</li>
 *   <li>{@code agent-blackhole} — its proxies drop everything, healed once its instances run elsewhere;</li>
 *   <li>{@code member-stop} — SIGSTOP of one member (leader or not) for 2 to 8 s, then SIGCONT;</li>
 *   <li>{@code leader-kill} — {@code kill -9} of the leader, then restarted;</li>
 *   <li>{@code leader-stop} — SIGSTOP of the leader for 2 to 8 s, then SIGCONT.</li>
 * </ul>
 *
 * For each run it prints when it began and the machine's 1-minute load average then (this machine is shared: other
 * builds' processes compete for its two cores), moments with two live copies of an instance (must be 0), unnecessary
 * fences (a FENCED line in the log of an agent the fault did not touch; for member faults, of any agent: must be 0)
 * with the copies they killed and the copies that halted by their own lease meanwhile (the two may overlap: a copy
 * halted by its lease may not be reaped yet when the agent fences), instances restarted by a member fault (generation changed: must be 0), and for a host
 * loss the time from the fault to its copies gone and to every moved instance running on another host at its next
 * generation (polled every 100 ms). Then a summary, with the runs begun under a load above two per core apart.
 * Run with {@code scripts/bench-java-main.sh FaultRunsBench [RUNS] [SEED] [AGENTS_PER_ZONE] [INSTANCES]}.
 */
public final class FaultRunsBench {
    enum Fault { AGENT_KILL, AGENT_STOP, AGENT_BLACKHOLE, MEMBER_STOP, LEADER_KILL, LEADER_STOP;

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        boolean hostLoss() {
            return this == AGENT_KILL || this == AGENT_STOP || this == AGENT_BLACKHOLE;
        }
    }

    private FaultRunsBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        int perZone = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int instances = args.length > 3 ? Integer.parseInt(args[3]) : 12;
        SplittableRandom random = new SplittableRandom(seed);
        Path dir = Files.createTempDirectory("phare-bench-faults");
        System.out.printf(Locale.ROOT, "fault runs: %d runs, seed %d, 3 members, %d agents, %d instances, in %s%n", runs, seed,
                3 * perZone, instances, dir);

        Map<Fault, List<Long>> recoveryMs = new EnumMap<>(Fault.class);
        Map<Fault, List<Long>> goneMs = new EnumMap<>(Fault.class);
        Map<Fault, Integer> count = new EnumMap<>(Fault.class);
        int doubles = 0;
        int unnecessaryFences = 0;
        int copiesKilledByUnnecessaryFences = 0;
        int copiesHaltedByTheirLease = 0;
        int loadedRuns = 0;
        int unnecessaryFencesInLoadedRuns = 0;
        int doublesInLoadedRuns = 0;
        int necessaryFences = 0;
        int restartsByMemberFaults = 0;
        int unrecovered = 0;
        long started = System.nanoTime();
        try (LocalCloud cloud = new LocalCloud(dir, "zone").proxied()) {
            cloud.startCluster(3);
            Map<String, LocalCloud.Agent> agents = cloud.startAgents(perZone);
            cloud.client().post("/v1/instances", Map.of("image", LocalCloud.IMAGE, "type", LocalCloud.SMALL_TYPE, "count", instances));
            awaitSteady(cloud, agents, instances);
            try (CopyWatch watch = CopyWatch.start(cloud)) {
                for (int run = 1; run <= runs; run++) {
                    Fault fault = Fault.values()[random.nextInt(Fault.values().length)];
                    count.merge(fault, 1, Integer::sum);
                    int violationsBefore = watch.violations().size();
                    Map<String, Fences> fencedBefore = fenced(agents);
                    String at = LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss"));
                    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
                    Map<String, JsonNode> before = instancesById(cloud);
                    String outcome;
                    LocalCloud.Agent victim = null;
                    if (fault.hostLoss()) {
                        victim = victimAgent(cloud, agents, before, random);
                        HostLoss loss = hostLoss(cloud, victim, fault, before);
                        goneMs.computeIfAbsent(fault, f -> new ArrayList<>()).add(loss.goneMs);
                        if (loss.recoveredMs >= 0) {
                            recoveryMs.computeIfAbsent(fault, f -> new ArrayList<>()).add(loss.recoveredMs);
                        } else {
                            unrecovered++;
                        }
                        outcome = String.format(Locale.ROOT, "%s (%d instances): copies gone after %d ms, every one running"
                                + " elsewhere after %s", victim.hostId, loss.moved, loss.goneMs,
                                loss.recoveredMs < 0 ? "NEVER (60 s)" : loss.recoveredMs + " ms");
                    } else {
                        long pauseMs = 2_000 + random.nextInt(6_001);
                        outcome = memberFault(cloud, fault, pauseMs, random);
                        int restarted = 0;
                        Map<String, JsonNode> after = instancesById(cloud);
                        for (Map.Entry<String, JsonNode> e : before.entrySet()) {
                            JsonNode now = after.get(e.getKey());
                            if (now == null || now.get("generation").asLong() != e.getValue().get("generation").asLong()) {
                                restarted++;
                            }
                        }
                        restartsByMemberFaults += restarted;
                        outcome += ", instances restarted " + restarted;
                    }
                    awaitSteady(cloud, agents, instances);
                    int runDoubles = watch.violations().size() - violationsBefore;
                    int runUnnecessary = 0;
                    int runKilled = 0;
                    int runHalted = 0;
                    List<String> fencedHosts = new ArrayList<>();
                    for (Map.Entry<String, Fences> e : fenced(agents).entrySet()) {
                        Fences was = fencedBefore.get(e.getKey());
                        int more = e.getValue().count() - was.count();
                        if (victim != null && e.getKey().equals(victim.hostId)) {
                            necessaryFences += more;
                        } else {
                            int halted = e.getValue().copiesHalted() - was.copiesHalted();
                            runUnnecessary += more;
                            runKilled += e.getValue().copiesKilled() - was.copiesKilled();
                            runHalted += halted;
                            if (more > 0 || halted > 0) {
                                fencedHosts.add(e.getKey() + (more > 1 ? " x" + more : ""));
                            }
                        }
                    }
                    doubles += runDoubles;
                    unnecessaryFences += runUnnecessary;
                    copiesKilledByUnnecessaryFences += runKilled;
                    copiesHaltedByTheirLease += runHalted;
                    boolean loaded = load > 2.0 * Runtime.getRuntime().availableProcessors();
                    if (loaded) {
                        loadedRuns++;
                        unnecessaryFencesInLoadedRuns += runUnnecessary;
                        doublesInLoadedRuns += runDoubles;
                    }
                    System.out.printf(Locale.ROOT, "run %2d/%d %s load %4.1f %-15s %s; double copies %d, unnecessary fences %d%s%n",
                            run, runs, at, load, fault.label(), outcome, runDoubles, runUnnecessary,
                            fencedHosts.isEmpty() ? "" : " (" + String.join(", ", fencedHosts) + "; " + runKilled + " copies killed, "
                                    + runHalted + " halted by their lease)");
                    if (runDoubles > 0) {
                        watch.violations().subList(violationsBefore, watch.violations().size()).forEach(v -> System.out.println("  " + v));
                    }
                }
                System.out.println(watch);
            }
        }
        System.out.printf(Locale.ROOT, "%n%d runs (seed %d) in %d s: %s%n", runs, seed,
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), count);
        System.out.printf(Locale.ROOT, "double copies: %d; unnecessary fences: %d, killing %d copies, %d more halted by their lease"
                + " (necessary, of the faulty hosts: %d); instances restarted by member faults: %d; host losses not recovered"
                + " within 60 s: %d%n", doubles, unnecessaryFences, copiesKilledByUnnecessaryFences, copiesHaltedByTheirLease,
                necessaryFences, restartsByMemberFaults, unrecovered);
        System.out.printf(Locale.ROOT, "runs begun under a load above two per core: %d, with %d unnecessary fences and %d double"
                + " copies; the other %d runs: %d unnecessary fences, %d double copies%n", loadedRuns, unnecessaryFencesInLoadedRuns,
                doublesInLoadedRuns, runs - loadedRuns, unnecessaryFences - unnecessaryFencesInLoadedRuns, doubles - doublesInLoadedRuns);
        List<Long> all = new ArrayList<>();
        for (Fault f : Fault.values()) {
            if (recoveryMs.containsKey(f)) {
                all.addAll(recoveryMs.get(f));
                System.out.printf(Locale.ROOT, "%-15s copies gone after %s; recovered after %s%n", f.label(),
                        summary(goneMs.get(f)), summary(recoveryMs.get(f)));
            }
        }
        if (!all.isEmpty()) {
            System.out.printf(Locale.ROOT, "every host loss: recovered after %s; over 10 s: %d%n", summary(all),
                    all.stream().filter(ms -> ms > 10_000).count());
        }
    }

    private record HostLoss(int moved, long goneMs, long recoveredMs) {}

    /** The fault on the victim's host; back to normal afterwards (restarted, thawed or healed). */
    private static HostLoss hostLoss(LocalCloud cloud, LocalCloud.Agent victim, Fault fault, Map<String, JsonNode> before)
            throws Exception {
        Map<String, Long> moved = new TreeMap<>();
        before.forEach((id, i) -> {
            if (victim.hostId.equals(i.get("host").asText())) {
                moved.put(id, i.get("generation").asLong());
            }
        });
        List<Long> pids = LocalCloud.eventually().until(() -> cloud.echoProcesses().stream()
                .filter(e -> e.host().equals(victim.hostId)).map(LocalCloud.EchoProcess::pid).toList(), l -> l.size() == moved.size());
        long t0 = System.nanoTime();
        switch (fault) {
            case AGENT_KILL -> cloud.killAgent(victim);
            case AGENT_STOP -> LocalCloud.signal(victim.process, "STOP");
            case AGENT_BLACKHOLE -> victim.blackhole();
            default -> throw new IllegalArgumentException(fault.toString());
        }
        long gone = -1;
        long recovered = -1;
        try {
            long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && (gone < 0 || recovered < 0)) {
                long now = System.nanoTime();
                if (gone < 0 && pids.stream().noneMatch(LocalCloud::running)) {
                    gone = now - t0;
                }
                if (recovered < 0 && movedAndRunning(cloud, victim.hostId, moved)) {
                    recovered = now - t0;
                }
                Thread.sleep(gone < 0 ? 10 : 100);
            }
        } finally {
            switch (fault) {
                case AGENT_KILL -> cloud.restartAgent(victim);
                case AGENT_STOP -> LocalCloud.signal(victim.process, "CONT");
                default -> victim.heal();
            }
        }
        return new HostLoss(moved.size(), gone < 0 ? -1 : gone / 1_000_000, recovered < 0 ? -1 : recovered / 1_000_000);
    }

    /** Every moved instance running on another host at a later generation, as any live member answers. */
    private static boolean movedAndRunning(LocalCloud cloud, String host, Map<String, Long> moved) {
        try {
            Map<String, JsonNode> now = instancesById(cloud);
            for (Map.Entry<String, Long> e : moved.entrySet()) {
                JsonNode i = now.get(e.getKey());
                if (i == null || !"running".equals(i.get("state").asText()) || host.equals(i.get("host").asText())
                        || i.get("generation").asLong() <= e.getValue()) {
                    return false;
                }
            }
            return true;
        } catch (RuntimeException e) {
            return false; // no member answers right now
        }
    }

    private static String memberFault(LocalCloud cloud, Fault fault, long pauseMs, SplittableRandom random) throws Exception {
        LocalCloud.Member leader = cloud.leader();
        LocalCloud.Member victim = fault == Fault.MEMBER_STOP ? cloud.members().get(random.nextInt(cloud.members().size())) : leader;
        String role = victim == leader ? "the leader" : "a follower";
        String what;
        if (fault == Fault.LEADER_KILL) {
            cloud.killMember(victim);
            cloud.awaitLeader();
            cloud.restartMember(victim);
            what = "killed " + victim.id + " (" + role + ") and restarted it";
        } else {
            LocalCloud.signal(victim.process, "STOP");
            try {
                Thread.sleep(pauseMs);
            } finally {
                LocalCloud.signal(victim.process, "CONT");
            }
            what = String.format(Locale.ROOT, "froze %s (%s) for %.1f s", victim.id, role, pauseMs / 1000.0);
        }
        LocalCloud.eventually().until(() -> {
            JsonNode s = cloud.memberStatus(victim);
            return !s.path("leader").isNull() && s.path("appliedIndex").asLong()
                    >= cloud.memberStatus(cloud.leader()).path("commitIndex").asLong() - 2;
        });
        LocalCloud.sleep(6_000); // past a new leader's grace and a lease: a judged host or a fence would show by now
        return what + ", new leader " + cloud.leader().id;
    }

    /** An agent whose host runs instances, drawn from the seed. */
    private static LocalCloud.Agent victimAgent(LocalCloud cloud, Map<String, LocalCloud.Agent> agents,
                                                Map<String, JsonNode> instances, SplittableRandom random) {
        List<String> busy = new ArrayList<>(new java.util.TreeSet<>(instances.values().stream().map(i -> i.get("host").asText()).toList()));
        return agents.get(busy.get(random.nextInt(busy.size())));
    }

    /** Every member up and caught up, every host ready, every instance running and answering as itself. */
    private static void awaitSteady(LocalCloud cloud, Map<String, LocalCloud.Agent> agents, int instances) {
        LocalCloud.eventually().atMost(Duration.ofSeconds(120)).until(() -> {
            for (JsonNode h : cloud.list("/v1/hosts")) {
                if (!"ready".equals(h.get("state").asText())) {
                    return false;
                }
            }
            List<JsonNode> all = cloud.instances();
            if (all.size() != instances) {
                return false;
            }
            for (JsonNode i : all) {
                if (!"running".equals(i.get("state").asText())
                        || cloud.echo(i.get("address").asText()).get("generation").asLong() != i.get("generation").asLong()) {
                    return false;
                }
            }
            return cloud.echoProcesses().size() == instances && agents.size() == cloud.list("/v1/hosts").size();
        });
    }

    private static Map<String, JsonNode> instancesById(LocalCloud cloud) {
        for (LocalCloud.Member m : cloud.members()) {
            if (!m.alive()) {
                continue;
            }
            try {
                Map<String, JsonNode> byId = new TreeMap<>();
                cloud.getFrom(m, "/v1/instances?limit=1000").path("items").forEach(i -> byId.put(i.get("id").asText(), i));
                return byId;
            } catch (RuntimeException e) {
                // frozen or electing: ask another
            }
        }
        throw new IllegalStateException("no member answers");
    }

    /**
     * An agent's fences so far (FENCED lines in its logs), the copies they killed, and the copies that halted by their
     * own lease (the driver's report of exit code 4).
     */
    private record Fences(int count, int copiesKilled, int copiesHalted) {}

    private static final Pattern KILLED = Pattern.compile("killed (\\d+) instance");

    private static Map<String, Fences> fenced(Map<String, LocalCloud.Agent> agents) {
        Map<String, Fences> n = new TreeMap<>();
        agents.forEach((h, a) -> {
            List<String> lines = LocalCloud.logLines(a, "FENCED");
            int killed = 0;
            for (String line : lines) {
                Matcher m = KILLED.matcher(line);
                killed += m.find() ? Integer.parseInt(m.group(1)) : 0;
            }
            int halted = LocalCloud.logLines(a, "its lease ran out before the agent renewed it").size();
            n.put(h, new Fences(lines.size(), killed, halted));
        });
        return n;
    }

    private static String summary(List<Long> ms) {
        List<Long> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        return String.format(Locale.ROOT, "median %.2f s, worst %.2f s, best %.2f s (%d)", sorted.get(sorted.size() / 2) / 1000.0,
                sorted.get(sorted.size() - 1) / 1000.0, sorted.get(0) / 1000.0, sorted.size());
    }
}
