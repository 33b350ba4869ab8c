package org.phare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.phare.api.Credentials;
import org.phare.core.model.HostId;
import org.phare.core.model.InstanceId;
import org.phare.core.model.Resources;
import org.phare.core.model.ZoneId;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
        description = "A load driver for benchmarks. It registers stand-in hosts that heartbeat over the agent protocol and"
            + " report every assigned instance as running (no processes), creates instances with concurrent clients and"
            + " measures each creation; then, with --scenario zone-loss, silences one zone's hosts and measures the"
            + " recovery: from the hosts declared dead to every displaced instance reported running elsewhere, the"
            + " heartbeats' latency during the storm, and the surviving hosts wrongly fenced or declared dead (both must be"
            + " 0). With --start-servers it starts the control plane itself, as separate `phare server` processes in a"
            + " temporary directory, and stops them at the end; otherwise it drives a running cloud (--server).",
        footer = {"", "Scenarios: none stops after the creations; zone-loss stops one zone's hosts at once;"
                + " zone-loss-leader-kill does the same and kills the leader (kill -9) 1 s after the hosts are declared dead,"
                + " so that a new leader must finish the recovery, nothing placed twice; restart kills the leader"
                + " (kill -9) and starts it again at once (timed until a placement is accepted and until the member serves"
                + " a read as fresh as every write the load saw), then kills every member and starts them all (timed until"
                + " one is ready and until a placement is accepted). The last two need --start-servers.",
            "", "Examples:",
            "  phare load --start-servers 3 --hosts 60 --instances 2000 --concurrency 16",
            "  phare load --start-servers 3 --hosts 1000 --instances 30000 --concurrency 16 \\",
            "      --scenario zone-loss --json",
            "  phare load --server http://127.0.0.1:7400 --instances 2000 --concurrency 8"})
final class LoadCommand implements Callable<Integer> {

    @Option(names = "--server", paramLabel = "URL[,URL...]", description = "A running cloud: server URL, or every member's"
            + " separated by commas (default: $PHARE_SERVER, the profile's, or " + ApiClient.DEFAULT_SERVER + ").")
    String server;

    @Option(names = "--start-servers", defaultValue = "0", paramLabel = "N", description = "Start a control plane of N members"
            + " (1, 3 or 5) as separate processes in a temporary directory, and stop it at the end (default: 0, use --server).")
    int startServers;

    @Option(names = "--hosts", defaultValue = "30", description = "Stand-in hosts, spread over 3 zones (default: ${DEFAULT-VALUE}).")
    int hosts;

    @Option(names = "--host-vcpus", defaultValue = "64", description = "vCPUs of each stand-in host, with 4 GiB each"
            + " (default: ${DEFAULT-VALUE}).")
    int hostVcpus;

    @Option(names = "--instances", defaultValue = "1000", description = "Instances to create, 1 vCPU / 1 GiB each"
            + " (default: ${DEFAULT-VALUE}).")
    int instances;

    @Option(names = "--concurrency", defaultValue = "8", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--warmup", defaultValue = "0", description = "Creations made first and not measured, so that the"
            + " figures are those of warm JVMs (default: ${DEFAULT-VALUE}; they add to --instances). With --start-servers,"
            + " the result says how much of the members' CPU their JIT threads used while measured"
            + " (serverJitSecondsWhileCreating of serverCpuSecondsWhileCreating), and a line warns when over a tenth: on two"
            + " vCPUs, three members' JIT still took a tenth of their CPU after 60,000 creations.")
    int warmup;

    @Option(names = "--scenario", defaultValue = "none", description = "none, zone-loss, zone-loss-leader-kill or restart"
            + " (default: ${DEFAULT-VALUE}).")
    String scenario;

    @Option(names = "--server-heap", defaultValue = "1g", description = "Heap of each started server (default: ${DEFAULT-VALUE}).")
    String serverHeap;

    @Option(names = "--admission", defaultValue = "zone", description = "The started servers' failover reserve: zone, host or"
            + " none (default: ${DEFAULT-VALUE}, so that a zone's loss can always be absorbed).")
    String admission;

    @Option(names = "--keep", description = "Keep the started servers' directory (data and logs) instead of removing it.")
    boolean keep;

    @Option(names = "--json", description = "Print only JSON on standard output (progress goes to standard error).")
    boolean json;

    @Spec
    CommandLine.Model.CommandSpec spec;

    private PrintWriter err;

    @Override
    public Integer call() throws Exception {
        if (instances < 1 || instances > 1_000_000 || concurrency < 1 || concurrency > 256 || hosts < 3 || hosts > 10_000
                || hostVcpus < 1 || hostVcpus > 65_536 || warmup < 0 || warmup > 1_000_000) {
            throw new IllegalArgumentException("--instances 1..1000000, --concurrency 1..256, --hosts 3..10000,"
                    + " --host-vcpus 1..65536, --warmup 0..1000000");
        }
        if (startServers != 0 && startServers != 1 && startServers != 3 && startServers != 5) {
            throw new IllegalArgumentException("--start-servers must be 0, 1, 3 or 5, got " + startServers);
        }
        if (!List.of("none", "zone-loss", "zone-loss-leader-kill", "restart").contains(scenario)) {
            throw new IllegalArgumentException("--scenario must be none, zone-loss, zone-loss-leader-kill or restart, got '"
                    + scenario + "'");
        }
        if ((scenario.equals("zone-loss-leader-kill") || scenario.equals("restart")) && startServers == 0) {
            throw new IllegalArgumentException("--scenario " + scenario + " kills servers: it needs --start-servers");
        }
        err = spec.commandLine().getErr();
        Map<String, Object> result = new LinkedHashMap<>();
        try (LocalControlPlane plane = startServers > 0 ? LocalControlPlane.start(startServers, serverHeap, admission, keep,
                this::progress) : null) {
            ApiClient api = plane != null ? plane.client() : ApiClient.fromEnvironment(server, null);
            Tracker tracker = new Tracker();
            progress("registering " + hosts + " stand-in hosts");
            try (StandInHosts standIns = new StandInHosts(api, "load", hosts, new Resources(hostVcpus, 4096L * hostVcpus), tracker)) {
                tracker.loaded = true;
                create(api, plane, result);
                tracker.loaded = false;
                long[] underLoad = tracker.beatsUnderLoad();
                if (underLoad.length > 0) {
                    result.put("heartbeatP99MsWhileCreating", round(underLoad[Math.min(underLoad.length - 1,
                            (int) (underLoad.length * 0.99))] / 1e6));
                }
                // What the creations did, read before a scenario adds its own faults (and restarts the counters).
                result.put("heartbeatFailuresWhileCreating", standIns.failures());
                if (standIns.failures() > 0) {
                    result.put("heartbeatFailureReasons", topReasons(standIns.failureReasons(), 5));
                }
                result.put("slowestHeartbeatMsWhileCreating", tracker.slowestBeatMs());
                result.put("hostsFencedWhileCreating", tracker.fencedBeforeStorm());
                if (plane != null) {
                    double[] group = plane.groupCommit();
                    result.put("logEntries", (long) group[0]);
                    result.put("decisionsPerEntry", round(group[1] / Math.max(1, group[0])));
                }
                if (!scenario.equals("none")) {
                    progress("waiting until every instance is reported running");
                    long expected = instances + warmup - (long) result.get("refused");
                    waitFor(() -> tracker.running() >= expected, 120, "every instance to run");
                }
                switch (scenario) {
                    case "zone-loss", "zone-loss-leader-kill" -> zoneLoss(api, plane, standIns, tracker, result);
                    case "restart" -> restart(plane, api, result);
                    default -> { }
                }
                if (!scenario.equals("none")) {
                    result.put("heartbeatFailures", standIns.failures());
                    result.put("slowestHeartbeatMs", tracker.slowestBeatMs());
                }
            }
            if (plane != null) {
                result.put("serverHeapMiB", plane.heapMiB());
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
        } else {
            result.forEach((k, v) -> out.printf(Locale.ROOT, "  %-22s %s%n", k, v));
        }
        return 0;
    }

    private void progress(String line) {
        err.println("load: " + line);
        err.flush();
    }

    // ---- creations ----

    private void create(ApiClient api, LocalControlPlane plane, Map<String, Object> result) throws Exception {
        if (warmup > 0) {
            progress("warming up: " + warmup + " creations, not measured");
            create(api, warmup, "warmup-", new LinkedHashMap<>());
        }
        double[] before = plane == null ? null : plane.cpuAndJit();
        create(api, instances, "load-", result);
        double[] after = before == null ? null : plane.cpuAndJit();
        if (after != null) {
            // A rate measured while the members still compile is not the sustained one: say how much of their CPU
            // went to the JIT meanwhile.
            double cpu = after[0] - before[0];
            double jit = after[1] - before[1];
            result.put("serverCpuSecondsWhileCreating", round(cpu));
            result.put("serverJitSecondsWhileCreating", round(jit));
            if (cpu > 0 && jit > 0.1 * cpu) {
                progress(String.format(Locale.ROOT, "the members were still compiling: their JIT threads used %.1f of their"
                        + " %.1f CPU seconds; the rate is not yet the sustained one (raise --warmup)", jit, cpu));
            }
        }
        if (warmup > 0) {
            result.put("warmup", warmup);
        }
    }

    private void create(ApiClient api, int instances, String tokenPrefix, Map<String, Object> result) throws Exception {
        progress("creating " + instances + " instances with " + concurrency + " clients");
        long[] latencies = new long[instances];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        Map<String, Integer> reasons = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        int step = Math.max(1, instances / 10);
        for (int c = 0; c < concurrency; c++) {
            futures.add(clients.submit(() -> {
                for (int i = next.getAndIncrement(); i < instances; i = next.getAndIncrement()) {
                    long t0 = System.nanoTime();
                    try {
                        createOne(api, tokenPrefix + i);
                    } catch (ApiClient.Failure e) {
                        refused.incrementAndGet();
                        String m = e.getMessage();
                        reasons.merge(m.contains("(") ? m.substring(m.lastIndexOf('(') + 1).replace(")", "") : m, 1, Integer::sum);
                    }
                    latencies[i] = System.nanoTime() - t0;
                    if ((i + 1) % step == 0) {
                        progress((i + 1) + "/" + instances + " created");
                    }
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        clients.shutdown();
        Arrays.sort(latencies);
        result.put("instances", instances);
        result.put("refused", (long) refused.get());
        if (!reasons.isEmpty()) {
            result.put("refusals", new java.util.TreeMap<>(reasons));
        }
        result.put("concurrency", concurrency);
        result.put("creationsPerSecond", round(instances / seconds));
        result.put("createP50Ms", round(latencies[instances / 2] / 1e6));
        result.put("createP99Ms", round(latencies[Math.min(instances - 1, (int) (instances * 0.99))] / 1e6));
        result.put("createMaxMs", round(latencies[instances - 1] / 1e6));
        if (refused.get() > instances / 10) {
            progress(refused.get() + " of " + instances + " creations were refused " + new java.util.TreeMap<>(reasons)
                    + ": the figures are not those of placements; give the stand-ins more room (--hosts, --host-vcpus)");
        }
    }

    // ---- zone loss ----

    private void zoneLoss(ApiClient api, LocalControlPlane plane, StandInHosts standIns, Tracker tracker,
                          Map<String, Object> result) throws Exception {
        ZoneId lost = new ZoneId("eu-west-2a");
        Set<HostId> lostHosts = new HashSet<>();
        Set<InstanceId> displaced = new HashSet<>();
        for (HostId h : standIns.ids()) {
            if (standIns.zone(h).equals(lost)) {
                lostHosts.add(h);
                standIns.assigned(h).forEach(a -> displaced.add(a.instance()));
            }
        }
        progress("zone " + lost + " lost: " + lostHosts.size() + " hosts silenced, " + displaced.size() + " instances displaced");
        tracker.startStorm(lostHosts, displaced);
        long silencedAtMs = System.currentTimeMillis();
        standIns.silence(lostHosts::contains);

        // Watch the hosts: when the lost zone's are all declared dead, and whether any other is judged meanwhile.
        Set<String> wronglyDead = new HashSet<>();
        long declaredAtMs = -1;
        boolean leaderKilled = false;
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            List<JsonNode> all;
            try {
                all = api.list("/v1/hosts");
            } catch (ApiClient.Failure e) {
                Thread.sleep(250);
                continue; // no leader for a moment
            }
            long maxDead = -1;
            int dead = 0;
            for (JsonNode h : all) {
                boolean ofLost = lostHosts.contains(new HostId(h.get("id").asText()));
                String state = h.get("state").asText();
                if (ofLost && "dead".equals(state)) {
                    dead++;
                    maxDead = Math.max(maxDead, h.path("stateSince").asLong());
                } else if (!ofLost && !"ready".equals(state)) {
                    wronglyDead.add(h.get("id").asText() + ":" + state);
                }
            }
            if (declaredAtMs < 0 && dead == lostHosts.size()) {
                declaredAtMs = maxDead;
                progress("every host of " + lost + " declared dead, " + (declaredAtMs - silencedAtMs) + " ms after they stopped");
            }
            if (declaredAtMs > 0 && scenario.equals("zone-loss-leader-kill") && !leaderKilled
                    && System.currentTimeMillis() > declaredAtMs + 1_000) {
                leaderKilled = true;
                String killed = plane.id(plane.killLeader());
                result.put("leaderKilled", killed);
                progress("leader " + killed + " killed (kill -9) during the recovery");
            }
            if (declaredAtMs > 0 && tracker.recovered() && (leaderKilled || !scenario.equals("zone-loss-leader-kill"))) {
                break;
            }
            Thread.sleep(200);
        }
        tracker.endStorm();
        result.put("scenario", scenario);
        result.put("hosts", hosts);
        result.put("displacedInstances", displaced.size());
        result.put("detectionSeconds", declaredAtMs < 0 ? null : round((declaredAtMs - silencedAtMs) / 1e3));
        long lastRunning = tracker.lastRecoveredAtMs();
        result.put("recoverySeconds", declaredAtMs < 0 || !tracker.recovered() ? null : round((lastRunning - declaredAtMs) / 1e3));
        result.put("recoveredInstances", tracker.recoveredCount());
        long[] beats = tracker.stormHeartbeats();
        result.put("heartbeatsDuringStorm", beats.length);
        result.put("heartbeatP50Ms", beats.length == 0 ? null : round(beats[beats.length / 2] / 1e6));
        result.put("heartbeatP99Ms", beats.length == 0 ? null : round(beats[Math.min(beats.length - 1, (int) (beats.length * 0.99))] / 1e6));
        result.put("heartbeatMaxMs", beats.length == 0 ? null : round(beats[beats.length - 1] / 1e6));
        result.put("wronglyFenced", tracker.wronglyFenced());
        result.put("wronglyDeclaredDead", wronglyDead.size());
        result.put("doublePlacements", tracker.doubles());
        if (!tracker.recovered()) {
            progress("not every displaced instance ran again within the time allowed");
        }
    }

    // ---- restart ----

    private void restart(LocalControlPlane plane, ApiClient api, Map<String, Object> result) throws Exception {
        result.put("scenario", scenario);
        if (plane.members() > 1) {
            // One member: the leader, kill -9 and started again at once. The others carry on; the member is back
            // once it serves a read as fresh as every write the load saw.
            progress("killing the leader (kill -9) and starting it again");
            int leader = plane.killLeader();
            long t0 = System.nanoTime();
            plane.relaunch(leader);
            ApiClient member = api.at(plane.url(leader)).withPatience(1_000, Duration.ofSeconds(2));
            long placed;
            long memberBack;
            try (ExecutorService poller = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<Long> back = poller.submit(() -> timeUntil(t0, answers(() -> member.get("/v1/instances?limit=1"))));
                placed = timeUntil(t0, answers(() -> createOne(api, "restart-probe-1")));
                memberBack = back.get();
            }
            result.put("leaderKilledFirstPlacementSeconds", placed < 0 ? null : round(placed / 1e9));
            result.put("memberRestartReadySeconds", memberBack < 0 ? null : round(memberBack / 1e9));
        }
        progress("killing every member (kill -9) and starting them again");
        plane.killAll();
        long t0 = System.nanoTime();
        plane.restartAll();
        long ready = timeUntil(t0, plane::anyReady);
        long placed = timeUntil(t0, answers(() -> createOne(api, "restart-probe-2")));
        result.put("restartReadySeconds", ready < 0 ? null : round(ready / 1e9));
        result.put("restartFirstPlacementSeconds", placed < 0 ? null : round(placed / 1e9));
    }

    /** Whether {@code call} is answered (it throws {@link ApiClient.Failure} when it is not). */
    private static java.util.function.BooleanSupplier answers(Runnable call) {
        return () -> {
            call.run();
            return true;
        };
    }

    /** One small instance, created with a client token (a retry creates nothing more). */
    static JsonNode createOne(ApiClient api, String clientToken) {
        return api.post("/v1/instances", Map.of("image", "http-echo", "type", "tinav5.c1r1", "clientToken", clientToken));
    }

    /** The {@code n} most frequent reasons, most frequent first. */
    private static Map<String, Long> topReasons(Map<String, Long> reasons, int n) {
        Map<String, Long> top = new LinkedHashMap<>();
        reasons.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
                .forEach(e -> top.put(e.getKey(), e.getValue()));
        return top;
    }

    /** Nanoseconds from {@code t0} until {@code done} is true (a call that fails counts as false), -1 after two minutes. */
    private static long timeUntil(long t0, java.util.function.BooleanSupplier done) {
        while (System.nanoTime() - t0 < 120_000_000_000L) {
            try {
                if (done.getAsBoolean()) {
                    return System.nanoTime() - t0;
                }
            } catch (ApiClient.Failure e) {
                // not serving yet
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
        return -1;
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, int seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new ApiClient.Failure("gave up waiting " + seconds + " s for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /**
     * What the stand-ins saw: which instance runs where (never on two live hosts at once), when each displaced instance
     * ran again, heartbeat latencies during the storm, leases that ran out on hosts that were not lost.
     */
    static final class Tracker implements StandInHosts.Watcher {
        private final Map<InstanceId, Set<HostId>> where = new ConcurrentHashMap<>();
        private final AtomicLong doubles = new AtomicLong();
        private final AtomicLong wronglyFenced = new AtomicLong();
        private final AtomicLong fencedBeforeStorm = new AtomicLong();
        private final AtomicLong slowestBeat = new AtomicLong();
        private volatile Set<HostId> lostHosts = Set.of();
        private volatile Set<InstanceId> displaced = Set.of();
        private final Map<InstanceId, Long> recoveredAt = new ConcurrentHashMap<>();
        private final java.util.Queue<Long> stormBeats = new java.util.concurrent.ConcurrentLinkedQueue<>();
        private volatile boolean storm;
        /** While the creations run. */
        volatile boolean loaded;
        private final java.util.Queue<Long> loadBeats = new java.util.concurrent.ConcurrentLinkedQueue<>();

        long[] beatsUnderLoad() {
            long[] a = loadBeats.stream().mapToLong(Long::longValue).toArray();
            Arrays.sort(a);
            return a;
        }

        void startStorm(Set<HostId> lost, Set<InstanceId> moved) {
            lostHosts = Set.copyOf(lost);
            displaced = Set.copyOf(moved);
            // The lost hosts' copies die with them.
            where.values().forEach(hs -> hs.removeAll(lostHosts));
            storm = true;
        }

        void endStorm() {
            storm = false;
        }

        int running() {
            return (int) where.values().stream().filter(s -> !s.isEmpty()).count();
        }

        boolean recovered() {
            return recoveredAt.size() >= displaced.size();
        }

        int recoveredCount() {
            return recoveredAt.size();
        }

        long lastRecoveredAtMs() {
            return recoveredAt.values().stream().mapToLong(Long::longValue).max().orElse(-1);
        }

        long[] stormHeartbeats() {
            long[] a = stormBeats.stream().mapToLong(Long::longValue).toArray();
            Arrays.sort(a);
            return a;
        }

        long wronglyFenced() {
            return wronglyFenced.get();
        }

        long doubles() {
            return doubles.get();
        }

        @Override
        public void answered(HostId host, long nanos) {
            if (storm) {
                stormBeats.add(nanos);
            } else if (loaded) {
                loadBeats.add(nanos);
            }
            slowestBeat.accumulateAndGet(nanos, Math::max);
        }

        @Override
        public void reportedRunning(HostId host, InstanceId instance, long generation, long atMs) {
            Set<HostId> on = where.computeIfAbsent(instance, i -> ConcurrentHashMap.newKeySet());
            on.add(host);
            if (on.size() > 1) {
                doubles.incrementAndGet();
            }
            if (displaced.contains(instance) && !lostHosts.contains(host)) {
                recoveredAt.putIfAbsent(instance, atMs);
            }
        }

        @Override
        public void stopped(HostId host, InstanceId instance) {
            Set<HostId> on = where.get(instance);
            if (on != null) {
                on.remove(host);
            }
        }

        @Override
        public void fenced(HostId host) {
            if (!storm && lostHosts.isEmpty()) {
                fencedBeforeStorm.incrementAndGet();
            } else if (!lostHosts.contains(host)) {
                wronglyFenced.incrementAndGet();
            }
        }

        long fencedBeforeStorm() {
            return fencedBeforeStorm.get();
        }

        long slowestBeatMs() {
            return slowestBeat.get() / 1_000_000;
        }
    }

    /**
     * A control plane of separate {@code phare server} processes in a temporary directory, on free loopback ports, with
     * this command's own Java and classpath; stopped (and its directory removed) on close.
     */
    static final class LocalControlPlane implements AutoCloseable {
        private final Path dir;
        private final int members;
        private final String heap;
        private final String admission;
        private final List<Process> processes = new ArrayList<>();
        private final List<Integer> httpPorts = new ArrayList<>();
        private final List<Integer> raftPorts = new ArrayList<>();
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofMillis(500)).build();
        private Credentials operator;
        private boolean keep;

        private LocalControlPlane(Path dir, int members, String heap, String admission) {
            this.dir = dir;
            this.members = members;
            this.heap = heap;
            this.admission = admission;
        }

        static LocalControlPlane start(int members, String heap, String admission, boolean keep,
                                       java.util.function.Consumer<String> progress) throws IOException, InterruptedException {
            LocalControlPlane p = new LocalControlPlane(Files.createTempDirectory("phare-load"), members, heap, admission);
            p.keep = keep;
            try {
                for (int i = 0; i < members; i++) {
                    p.httpPorts.add(org.phare.server.store.RatisLog.freeLoopbackPort());
                    p.raftPorts.add(org.phare.server.store.RatisLog.freeLoopbackPort());
                    p.processes.add(null);
                }
                progress.accept("starting " + members + " phare server process(es) under " + p.dir);
                for (int i = 0; i < members; i++) {
                    p.launch(i, true);
                }
                p.awaitReady(120);
                p.operator = p.operatorKey();
                return p;
            } catch (IOException | InterruptedException | RuntimeException e) {
                p.close();
                throw e;
            }
        }

        String id(int i) {
            return "m" + (char) ('a' + i);
        }

        private void launch(int i, boolean bootstrap) throws IOException {
            List<String> jvm = new ArrayList<>(List.of("-Xmx" + heap));
            String extra = System.getenv("PHARE_SERVER_JAVA_OPTS"); // an experiment's knob, passed on to the servers
            if (extra != null && !extra.isBlank()) {
                jvm.addAll(List.of(extra.trim().split("\\s+")));
            }
            List<String> cmd = ChildJvm.command(jvm);
            cmd.addAll(List.of("server", "--data-dir", dir.resolve(id(i)).toString(), "--listen", "127.0.0.1:" + httpPorts.get(i),
                    "--admission", admission));
            if (members > 1) {
                List<String> peers = new ArrayList<>();
                for (int j = 0; j < members; j++) {
                    peers.add(id(j) + "=127.0.0.1:" + raftPorts.get(j));
                }
                cmd.addAll(List.of("--node-id", id(i), "--zone", "eu-west-2" + (char) ('a' + i), "--peers", String.join(",", peers),
                        "--secrets-key", dir.resolve("secrets.key").toString()));
                if (bootstrap) {
                    cmd.add("--bootstrap");
                }
            } else {
                cmd.addAll(List.of("--raft-port", Integer.toString(raftPorts.get(i))));
            }
            ProcessBuilder pb = ChildJvm.builder(cmd);
            File log = dir.resolve(id(i) + ".log").toFile();
            pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
            processes.set(i, pb.start());
        }

        String urls() {
            List<String> u = new ArrayList<>();
            httpPorts.forEach(p -> u.add("http://127.0.0.1:" + p));
            return String.join(",", u);
        }

        ApiClient client() {
            return new ApiClient(urls(), operator);
        }

        private boolean ready(int i) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPorts.get(i) + "/readyz"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
                return r.statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        boolean anyReady() {
            for (int i = 0; i < members; i++) {
                if (processes.get(i).isAlive() && ready(i)) {
                    return true;
                }
            }
            return false;
        }

        private void awaitReady(int seconds) throws InterruptedException, IOException {
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            for (int i = 0; i < members; i++) {
                while (!ready(i)) {
                    if (!processes.get(i).isAlive()) {
                        throw new IOException("server " + id(i) + " exited; see " + dir.resolve(id(i) + ".log"));
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IOException("server " + id(i) + " not ready within " + seconds + " s; see " + dir);
                    }
                    Thread.sleep(100);
                }
            }
        }

        private Credentials operatorKey() throws InterruptedException {
            List<Path> dirs = new ArrayList<>();
            for (int i = 0; i < members; i++) {
                dirs.add(dir.resolve(id(i)));
            }
            return DemoCommand.operatorKey(dirs);
        }

        int members() {
            return members;
        }

        String url(int i) {
            return "http://127.0.0.1:" + httpPorts.get(i);
        }

        /** Starts member {@code i} again on its data. */
        void relaunch(int i) throws IOException {
            launch(i, false);
        }

        /** Kills the member whose active services run; returns its number. */
        int killLeader() throws InterruptedException {
            for (int i = 0; i < members; i++) {
                try {
                    JsonNode s = new ApiClient(url(i), operator).get("/v1/cluster?local=true");
                    if (s.path("activeServices").asBoolean()) {
                        processes.get(i).destroyForcibly().waitFor();
                        return i;
                    }
                } catch (ApiClient.Failure e) {
                    // not answering: not the leader
                }
            }
            throw new ApiClient.Failure("no member runs the active services");
        }

        void killAll() throws InterruptedException {
            for (Process p : processes) {
                p.destroyForcibly().waitFor();
            }
        }

        void restartAll() throws IOException {
            for (int i = 0; i < members; i++) {
                launch(i, false);
            }
        }

        /** The heap the members use now, in MiB (the sum of jvm_memory_used_bytes{area="heap"}), the largest. */
        double heapMiB() {
            double max = 0;
            for (int i = 0; i < members; i++) {
                max = Math.max(max, metric(i, "jvm_memory_used_bytes{", "area=\"heap\"") / (1024 * 1024));
            }
            return Math.round(max * 10) / 10.0;
        }

        /** Log entries the members' controllers proposed, and the decisions they carried, summed over the members. */
        double[] groupCommit() {
            double entries = 0;
            double decisions = 0;
            for (int i = 0; i < members; i++) {
                entries += metric(i, "phare_log_entries_proposed_total", "");
                decisions += metric(i, "phare_log_decisions_proposed_total", "");
            }
            return new double[] {entries, decisions};
        }

        /**
         * The CPU seconds the members alive used since they started (their processes' totals, threads that ended
         * included), and those of their JIT compiler threads alive, from {@code /proc}; null where there is none (not
         * Linux). A compiler thread the JVM stopped meanwhile is not counted: the JIT's share can only be understated.
         * Clock ticks are 1/100 s, as {@code /proc} reports them on Linux.
         */
        double[] cpuAndJit() {
            if (!Files.isDirectory(Path.of("/proc/self/task"))) {
                return null;
            }
            double cpu = 0;
            double jit = 0;
            for (Process p : processes) {
                if (p == null || !p.isAlive()) {
                    continue;
                }
                Path proc = Path.of("/proc", Long.toString(p.pid()));
                cpu += cpuSeconds(proc.resolve("stat"), name -> true);
                java.io.File[] tasks = proc.resolve("task").toFile().listFiles();
                for (java.io.File task : tasks == null ? new java.io.File[0] : tasks) {
                    jit += cpuSeconds(task.toPath().resolve("stat"),
                            name -> name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler"));
                }
            }
            return new double[] {cpu, jit};
        }

        /** User and system CPU seconds of a {@code stat} file whose process or thread name is one of {@code named}; else 0. */
        private static double cpuSeconds(Path stat, java.util.function.Predicate<String> named) {
            try {
                String text = Files.readString(stat);
                if (!named.test(text.substring(text.indexOf('(') + 1, text.lastIndexOf(')')))) {
                    return 0;
                }
                String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
                return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime
            } catch (IOException | RuntimeException e) {
                return 0; // a process or thread that ended meanwhile
            }
        }

        /** The sum of a member's metric lines that start with {@code name} and contain {@code with}; 0 if it is down. */
        private double metric(int i, String name, String with) {
            if (!processes.get(i).isAlive()) {
                return 0;
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPorts.get(i)
                        + "/metrics")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                double sum = 0;
                for (String line : r.body().split("\n")) {
                    if (line.startsWith(name) && line.contains(with)) {
                        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    }
                }
                return sum;
            } catch (IOException | RuntimeException e) {
                return 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }

        @Override
        public void close() {
            for (Process p : processes) {
                if (p != null) {
                    p.destroy();
                }
            }
            for (Process p : processes) {
                if (p == null) {
                    continue;
                }
                try {
                    if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                        p.destroyForcibly().waitFor();
                    }
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
            if (keep) {
                System.err.println("load: the servers' data and logs are kept in " + dir);
                return;
            }
            try {
                DemoCommand.wipe(dir);
            } catch (IOException e) {
                // a leftover temporary directory
            }
        }
    }
}
