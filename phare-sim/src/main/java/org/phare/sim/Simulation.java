package org.phare.sim;

import org.phare.core.record.ComputeRecord;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.phare.core.control.Command;
import org.phare.core.control.Result;
import org.phare.core.model.DesiredState;
import org.phare.core.model.GroupPolicy;
import org.phare.core.model.Host;
import org.phare.core.model.HostId;
import org.phare.core.model.HostState;
import org.phare.core.model.Instance;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceState;
import org.phare.core.model.PlacementGroup;
import org.phare.core.model.Resources;
import org.phare.core.model.Schedulability;
import org.phare.core.model.SiteId;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;

/**
 * One deterministic run: the unchanged core against simulated agents, network and time, on one thread.
 *
 * <pre>
 *   boot      agents register                                   (2 s virtual)
 *   place     every instance is requested; wall time measured   (the placementsPerSecond figure)
 *   warm-up   until every placed instance runs                  (at most 30 s)
 *   fault     the scenario strikes at a known instant
 *   observe   until every affected instance runs again          (at most 120 s)
 *   heal      transient faults heal; the cloud must converge    (liveness, at most 60 s)
 *   verify    full replay check (S3) and L1
 * </pre>
 *
 * Safety invariants are checked after every event; the run stops at the first violation.
 */
public final class Simulation {
    private static final long TICK = SimClock.ms(100);
    private static final long PROBE = SimClock.ms(100);

    private final SimConfig config;
    private final Consumer<String> progress;
    private final SimClock clock = new SimClock();
    private final EventLoop loop;
    private final Invariants invariants;
    private final ControllerNode node;
    private final SimNetwork network;
    private final Fleet fleet;
    private final SplittableRandom random;
    private final Map<HostId, SimAgent> agents = new LinkedHashMap<>();
    private final Set<String> alarmsRaised = new LinkedHashSet<>();
    private final Map<HostId, Long> declaredDeadAt = new HashMap<>();
    private long digest = 0xcbf29ce484222325L;
    private long alarmAt = -1;
    private boolean crashControllerAfterFirstDeath;

    // measurement of the fault
    private final Map<InstanceId, Long> watched = new LinkedHashMap<>(); // instance -> time it went down (or -1)
    private int affected;
    private long lastRecoveryAt = -1;

    private Simulation(SimConfig config, Consumer<String> progress) {
        this(config, null, progress);
    }

    /** @param fleet the cloud to run, or null for the one {@code config} describes (the drill's prediction gives its own) */
    Simulation(SimConfig config, Fleet fleet, Consumer<String> progress) {
        this.config = config;
        this.progress = progress;
        this.random = new SplittableRandom(config.seed());
        this.loop = new EventLoop(clock, Math.max(1_000_000, config.hosts() * 16));
        this.invariants = new Invariants(clock, 20);
        this.node = new ControllerNode(config.controller(), config.log(), loop, invariants);
        this.network = new SimNetwork(loop, random.split(), SimClock.ms(1) / 5, SimClock.ms(1) / 3, SimClock.ms(20), config.lossRate());
        this.fleet = fleet != null ? fleet : new Fleet(config.hosts(), config.zones(), config.sitesPerZone(), config.instances(),
                config.tenants(), config.utilisation(), random.split());
    }

    public static SimResult run(SimConfig config) {
        return run(config, s -> {});
    }

    /** @param progress receives a line at each phase and every few virtual seconds */
    public static SimResult run(SimConfig config, Consumer<String> progress) {
        return new Simulation(config, progress).execute();
    }

    private SimResult execute() {
        long wallStart = System.nanoTime();
        boot();

        progress.accept("boot: " + config.hosts() + " hosts in " + config.zones() + " zones register");
        runFor(SimClock.seconds(2));

        progress.accept("place: " + config.instances() + " instances");
        int rejected = 0;
        long placeStart = System.nanoTime();
        for (Command.RunInstances c : fleet.workload()) {
            if (!node.submit(c).isOk()) {
                rejected++;
            }
        }
        double placeWall = (System.nanoTime() - placeStart) / 1e9;
        double placementsPerSecond = config.instances() == 0 ? 0 : (config.instances() - rejected) / Math.max(placeWall, 1e-9);

        progress.accept("warm-up: until every instance runs");
        runUntil(SimClock.seconds(30), this::allRunning);

        long faultAt = clock.now() + SimClock.seconds(1);
        runFor(SimClock.seconds(1));
        progress.accept("fault: " + config.scenario().cliName() + " — " + config.scenario().description());
        Long healAt = inject(config.scenario(), faultAt);
        schedulePeriodic(PROBE, this::probe);

        long observeUntil = faultAt + SimClock.seconds(120);
        long minObserve = faultAt + config.controller().health().deadAfter().toNanos() + SimClock.seconds(2);
        if (healAt != null) {
            runUntil(healAt, () -> false);
            heal();
            minObserve = Math.max(minObserve, clock.now() + SimClock.seconds(10));
            observeUntil = clock.now() + SimClock.seconds(60);
        }
        long settle = minObserve;
        runUntil(observeUntil, () -> clock.now() >= settle && settled());
        Double detection = detectionSeconds(faultAt);
        // In the random scenario faults keep coming for a minute: what matters is convergence once they heal.
        Double recovery = recoverySeconds(config.scenario() == Scenario.RANDOM && healAt != null ? healAt : faultAt);
        // Liveness is "eventually": a late message loss may have just fenced a host, so give the cloud a bounded
        // time to converge before L1 judges it.
        runFor(SimClock.seconds(3));
        runUntil(clock.now() + SimClock.seconds(30), this::allRunning);
        progress.accept("verify: replaying " + node.log().size() + " records");
        if (!invariants.violated()) {
            node.checkFullReplay();
        }
        int unplaced = checkLiveness();

        double wall = (System.nanoTime() - wallStart) / 1e9;
        var totals = node.totals();
        long fences = agents.values().stream().mapToLong(SimAgent::fences).sum();
        long wronglyFenced = agents.entrySet().stream()
                .filter(e -> !e.getValue().everCrashed() && !e.getValue().everFrozen() && !network.everCut(e.getKey()))
                .mapToLong(e -> e.getValue().fences() + e.getValue().watchdogStops()).sum();
        return new SimResult(config.seed(), config.scenario().cliName(), config.hosts(), config.zones(), config.instances(),
                rejected, round(placementsPerSecond), affected, detection, recovery, unplaced, invariants.count(),
                invariants.violations(), totals.failoverPlacements, totals.evictions, totals.hostsDeclaredDead, fences,
                node.restarts(), List.copyOf(alarmsRaised), loop.executed(), round(clock.now() / 1e9), node.log().size(),
                Long.toHexString(digest), heapUsedMiB(), round(wall), config.command(), wronglyFenced, node.entries());
    }

    // ------------------------------------------------------------------------------------------
    // running
    // ------------------------------------------------------------------------------------------

    /** The topology is defined and every agent starts; the controller ticks from now on. */
    void boot() {
        node.observer(this::observe);
        for (Command c : fleet.topology()) {
            Result r = node.submit(c);
            if (!r.isOk()) {
                throw new IllegalStateException("topology refused: " + r);
            }
        }
        for (var reg : fleet.hosts()) {
            SimAgent agent = new SimAgent(reg, loop, network, node, invariants, random.split(), SimClock.ms(500), config.fencingDisabled(),
                    config.watchdogDisabled());
            agents.put(reg.host(), agent);
            invariants.capacity(reg.host(), reg.capacity().overcommitted(config.controller().placement().cpuOvercommit(),
                    config.controller().placement().memOvercommit()));
        }
        node.agents(agents);
        loop.afterEach(node::checkAfterEvent);
        schedulePeriodic(TICK, node::tick);
        agents.values().forEach(SimAgent::start);
    }

    private void schedulePeriodic(long period, Runnable action) {
        loop.after(period, new Runnable() {
            @Override
            public void run() {
                action.run();
                loop.after(period, this);
            }
        });
    }

    private void runFor(long nanos) {
        runUntil(clock.now() + nanos, () -> false);
    }

    private void runUntil(long until, java.util.function.BooleanSupplier done) {
        long nextReport = clock.now() + SimClock.seconds(10);
        while (clock.now() < until && !invariants.violated()) {
            long step = Math.min(until, clock.now() + SimClock.seconds(1));
            loop.runUntil(step, invariants::violated);
            if (done.getAsBoolean()) {
                return;
            }
            if (clock.now() >= nextReport) {
                progress.accept(String.format(java.util.Locale.ROOT, "  t=%.0fs events=%d records=%d pending=%d",
                        clock.now() / 1e9, loop.executed(), node.log().size(), node.state().recoveryQueue().size()));
                nextReport += SimClock.seconds(10);
            }
        }
    }

    private void observe(Record r) {
        byte[] bytes = r.toString().getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            digest = (digest ^ b) * 0x100000001b3L;
        }
        switch (r) {
            case ComputeRecord.AlarmRaised a -> {
                alarmsRaised.add(a.code());
                if (alarmAt < 0) {
                    alarmAt = clock.now();
                }
            }
            case ComputeRecord.HostStateChanged h when h.state() == HostState.DEAD -> {
                declaredDeadAt.put(h.host(), clock.now());
                if (crashControllerAfterFirstDeath) {
                    crashControllerAfterFirstDeath = false;
                    loop.after(SimClock.ms(300), node::crash);
                    loop.after(SimClock.ms(1300), node::restart);
                }
            }
            default -> { }
        }
    }

    // ------------------------------------------------------------------------------------------
    // faults
    // ------------------------------------------------------------------------------------------

    /** Injects the scenario's fault; returns when transient faults heal, or null if they never do. */
    private Long inject(Scenario scenario, long faultAt) {
        switch (scenario) {
            case NONE -> { }
            case HOST_LOSS -> crash(List.of(mostLoadedHost()));
            case SITE_LOSS -> crash(hostsWhere(h -> h.site().equals(busiestSite())));
            case ZONE_LOSS -> crash(hostsWhere(h -> h.zone().equals(fleet.zones().getFirst())));
            case LOG_STALL -> {
                crash(hostsWhere(h -> h.zone().equals(fleet.zones().getFirst())));
                long deadAfter = config.controller().health().deadAfter().toNanos();
                loop.at(faultAt + deadAfter, () -> node.stallLog(clock.now() + SimClock.seconds(5)));
            }
            case CONTROLLER_RESTART -> {
                // The controller dies 300 ms after the first host is declared dead: evictions and placements are
                // under way, copies are booting; the new controller must finish the job from the log alone.
                crashControllerAfterFirstDeath = true;
                crash(hostsWhere(h -> h.zone().equals(fleet.zones().getFirst())));
            }
            case PARTITION -> {
                HostId host = mostLoadedHost();
                watch(List.of(host));
                network.cut(host);
                return faultAt + SimClock.seconds(20);
            }
            case FROZEN_AGENT -> {
                HostId host = mostLoadedHost();
                watch(List.of(host));
                agents.get(host).freeze(SimClock.seconds(10));
                return faultAt + SimClock.seconds(10); // it thaws by itself then
            }
            case ONE_WAY_PARTITION -> {
                HostId deaf = mostLoadedHost();
                HostId mute = mostLoadedHostBut(deaf);
                watch(List.of(deaf, mute));
                network.loseReplies(deaf); // its heartbeats arrive; it never hears back, so its lease runs out
                network.loseRequests(mute); // nothing it says arrives: a partition, seen from the controller
                return faultAt + SimClock.seconds(20);
            }
            case FLAPPING -> {
                HostId host = mostLoadedHost();
                watch(List.of(host));
                long t = faultAt;
                long[] pattern = {2500, 2500, 4000, 1500, 6000, 2000, 3500, 3000};
                for (int i = 0; i < pattern.length; i++) {
                    boolean cut = i % 2 == 0;
                    loop.at(t, () -> {
                        if (cut) {
                            network.cut(host);
                        } else {
                            network.heal(host);
                        }
                    });
                    t += SimClock.ms(pattern[i]);
                }
                return t;
            }
            case CONTROL_PLANE_ISOLATION -> {
                watch(agents.keySet());
                network.cutController(true);
                return faultAt + SimClock.seconds(15);
            }
            case RANDOM -> {
                watch(agents.keySet());
                return randomFaults(faultAt, faultAt + SimClock.seconds(60));
            }
        }
        return null;
    }

    private void crash(List<HostId> hosts) {
        watch(hosts);
        for (HostId h : hosts) {
            agents.get(h).crash();
        }
    }

    private void watch(java.util.Collection<HostId> hosts) {
        CloudState s = node.state();
        for (HostId h : hosts) {
            for (InstanceId id : s.instancesOn(h)) {
                watched.putIfAbsent(id, -1L);
            }
        }
    }

    private HostId mostLoadedHost() {
        return mostLoadedHostBut(null);
    }

    private HostId mostLoadedHostBut(HostId excluded) {
        CloudState s = node.state();
        return agents.keySet().stream().filter(h -> !h.equals(excluded))
                .max(Comparator.comparingInt((HostId h) -> s.instancesOn(h).size()).thenComparing(Comparator.reverseOrder()))
                .orElseThrow();
    }

    private SiteId busiestSite() {
        CloudState s = node.state();
        Map<SiteId, Integer> load = new java.util.TreeMap<>();
        for (Host h : s.hosts().values()) {
            load.merge(h.site(), s.instancesOn(h.id()).size(), Integer::sum);
        }
        return load.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    private List<HostId> hostsWhere(java.util.function.Predicate<Host> p) {
        List<HostId> out = new ArrayList<>();
        for (Host h : node.state().hosts().values()) {
            if (p.test(h)) {
                out.add(h.id());
            }
        }
        return out;
    }

    /** The random scenario's safety phase: faults and tenant actions at random instants. */
    private long randomFaults(long from, long until) {
        SplittableRandom r = random.split();
        List<HostId> hostIds = new ArrayList<>(agents.keySet());
        for (long t = from; t < until; t += SimClock.ms(300 + r.nextInt(3000))) {
            int action = r.nextInt(100);
            HostId host = hostIds.get(r.nextInt(hostIds.size()));
            long duration = SimClock.ms(500 + r.nextInt(9000));
            long seed = r.nextLong();
            loop.at(t, () -> randomAction(action, host, duration, seed));
        }
        return until;
    }

    private void randomAction(int action, HostId host, long duration, long seed) {
        SimAgent agent = agents.get(host);
        SplittableRandom r = new SplittableRandom(seed);
        if (action < 18) {
            agent.crash();
            loop.after(duration * 2, agent::start);
        } else if (action < 28) {
            network.cut(host);
            loop.after(duration, () -> network.heal(host));
        } else if (action < 32) {
            if (r.nextBoolean()) {
                network.loseReplies(host);
            } else {
                network.loseRequests(host);
            }
            loop.after(duration, () -> network.heal(host));
        } else if (action < 36) {
            agent.freeze(duration);
        } else if (action < 42) {
            SiteId site = node.state().host(host) == null ? null : node.state().host(host).site();
            for (SimAgent a : agents.values()) {
                if (site != null && node.state().host(a.id()) != null && node.state().host(a.id()).site().equals(site)) {
                    a.crash();
                    loop.after(duration * 2, a::start);
                }
            }
        } else if (action < 48) {
            node.crash();
            loop.after(Math.min(duration, SimClock.seconds(4)), node::restart);
        } else if (action < 52) {
            network.cutController(true);
            loop.after(Math.min(duration, SimClock.seconds(6)), () -> network.cutController(false));
        } else if (action < 60) {
            Schedulability s = Schedulability.values()[r.nextInt(3)];
            node.submit(new Command.SetHostScheduling(host, s, "simulated operator"));
        } else {
            tenantAction(r);
        }
    }

    private void tenantAction(SplittableRandom r) {
        CloudState s = node.state();
        if (s.instances().isEmpty()) {
            return;
        }
        List<InstanceId> ids = new ArrayList<>(s.instances().keySet());
        InstanceId id = ids.get(r.nextInt(ids.size()));
        switch (r.nextInt(4)) {
            case 0 -> node.submit(new Command.StopInstances(List.of(id)));
            case 1 -> node.submit(new Command.StartInstances(List.of(id)));
            case 2 -> node.submit(new Command.TerminateInstances(List.of(id)));
            default -> node.submit(fleet.workload().get(r.nextInt(fleet.workload().size())));
        }
    }

    private void heal() {
        progress.accept("heal: network, hosts and controller come back");
        network.healAll();
        node.restart();
        for (SimAgent a : agents.values()) {
            if (!a.alive()) {
                a.start();
            }
        }
        for (Host h : node.state().hosts().values()) {
            if (h.scheduling() != Schedulability.SCHEDULABLE) {
                node.submit(new Command.SetHostScheduling(h.id(), Schedulability.SCHEDULABLE, "heal"));
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // measurement
    // ------------------------------------------------------------------------------------------

    private boolean served(Instance i) {
        if (i.host() == null || i.state() != InstanceState.RUNNING) {
            return false;
        }
        SimAgent a = agents.get(i.host());
        return a != null && a.serves(i.id(), i.generation());
    }

    private boolean allRunning() {
        for (Instance i : node.state().instances().values()) {
            if (i.desired() == DesiredState.RUNNING && !served(i)) {
                return false;
            }
        }
        return true;
    }

    /** Every 100 ms: which watched instances went down, and which came back. */
    private void probe() {
        CloudState s = node.state();
        var it = watched.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            Instance i = s.instance(e.getKey());
            boolean up = i != null && served(i);
            boolean wanted = i != null && i.desired() == DesiredState.RUNNING;
            if (e.getValue() < 0) {
                if (!up && wanted) {
                    e.setValue(clock.now());
                    affected++;
                }
            } else if (up) {
                lastRecoveryAt = clock.now();
                it.remove();
            } else if (!wanted) {
                it.remove(); // its tenant stopped or terminated it meanwhile: nothing to recover
            }
        }
    }

    private boolean settled() {
        for (long downAt : watched.values()) {
            if (downAt >= 0) {
                return false;
            }
        }
        return node.up() && node.state().recoveryQueue().isEmpty() && allRunning();
    }

    private Double detectionSeconds(long faultAt) {
        if (config.scenario() == Scenario.CONTROL_PLANE_ISOLATION || config.scenario() == Scenario.RANDOM) {
            return alarmAt < 0 ? null : seconds(alarmAt - faultAt);
        }
        long last = -1;
        for (long at : declaredDeadAt.values()) {
            last = Math.max(last, at);
        }
        return last < 0 ? null : seconds(last - faultAt);
    }

    private Double recoverySeconds(long since) {
        for (long downAt : watched.values()) {
            if (downAt >= 0) {
                return null; // someone never came back
            }
        }
        if (affected == 0) {
            return 0.0;
        }
        return seconds(Math.max(0, lastRecoveryAt - since));
    }

    /** L1: every instance that should run and fits in the remaining capacity runs. Returns the unplaced count. */
    private int checkLiveness() {
        if (invariants.violated()) {
            return countUnplaced();
        }
        CloudState s = node.state();
        for (Instance i : s.instances().values()) {
            if (i.desired() != DesiredState.RUNNING || served(i)) {
                continue;
            }
            if (i.host() != null) {
                invariants.violation("L1", "instance " + i.id() + " is assigned to " + i.host() + " (" + i.state()
                        + ", host " + s.host(i.host()).state() + ") but does not run after the liveness phase");
                continue;
            }
            HostId fits = hostThatFits(s, i);
            if (fits != null) {
                invariants.violation("L1", "instance " + i.id() + " waits (" + i.pendingReason() + ") although host "
                        + fits + " can take it");
            }
        }
        return countUnplaced();
    }

    private int countUnplaced() {
        int n = 0;
        for (Instance i : node.state().instances().values()) {
            if (i.desired() == DesiredState.RUNNING && i.host() == null) {
                n++;
            }
        }
        return n;
    }

    private HostId hostThatFits(CloudState s, Instance i) {
        PlacementGroup group = i.group() == null ? null : s.groups().get(i.group());
        for (Host h : s.hosts().values()) {
            if (!h.acceptsPlacements() || (i.zonePinned() && !h.zone().equals(i.zone()))) {
                continue;
            }
            if (group != null && group.policy() == GroupPolicy.HOST_ANTI_AFFINITY && s.groupMembersOn(group.id(), h.id()) > 0) {
                continue;
            }
            Resources cap = h.capacity().overcommitted(config.controller().placement().cpuOvercommit(),
                    config.controller().placement().memOvercommit());
            if (s.used(h.id()).plus(i.demand()).fitsIn(cap)) {
                return h.id();
            }
        }
        return null;
    }

    private static double seconds(long nanos) {
        return round(nanos / 1e9);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static double heapUsedMiB() {
        System.gc();
        return round(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0));
    }

    // ------------------------------------------------------------------------------------------
    // what a drill's prediction ({@link DrillSimulation}) drives: the same cloud, its own faults and measures
    // ------------------------------------------------------------------------------------------

    SimConfig config() {
        return config;
    }

    ControllerNode node() {
        return node;
    }

    SimNetwork network() {
        return network;
    }

    Map<HostId, SimAgent> agents() {
        return agents;
    }

    EventLoop loop() {
        return loop;
    }

    Invariants invariants() {
        return invariants;
    }

    Fleet fleet() {
        return fleet;
    }

    void every(long periodNanos, Runnable action) {
        schedulePeriodic(periodNanos, action);
    }

    void run(long untilNanos, java.util.function.BooleanSupplier done) {
        runUntil(untilNanos, done);
    }

    /** The instance answers: it runs, on a live agent, in its current generation. */
    boolean answers(Instance i) {
        return served(i);
    }

    boolean everyInstanceRuns() {
        return allRunning();
    }
}
