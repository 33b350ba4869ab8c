package org.phare.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.phare.core.agent.Protocol;
import org.phare.core.continuity.Coverage;
import org.phare.core.continuity.Person;
import org.phare.core.continuity.Plan;
import org.phare.core.control.Command;
import org.phare.core.control.ControllerConfig;
import org.phare.core.control.Result;
import org.phare.core.drill.Absences;
import org.phare.core.drill.Drill;
import org.phare.core.drill.Durations;
import org.phare.core.drill.Fault;
import org.phare.core.drill.Objective;
import org.phare.core.drill.Step;
import org.phare.core.model.DesiredState;
import org.phare.core.model.HostId;
import org.phare.core.model.HostState;
import org.phare.core.model.Image;
import org.phare.core.model.Instance;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceType;
import org.phare.core.model.InstanceTypeId;
import org.phare.core.model.Region;
import org.phare.core.model.RegionId;
import org.phare.core.model.Resources;
import org.phare.core.model.Site;
import org.phare.core.model.SiteId;
import org.phare.core.model.TenantId;
import org.phare.core.model.Zone;
import org.phare.core.model.ZoneId;
import org.phare.core.state.CloudState;

/**
 * One run of a drill's timeline against the simulator, for one seed: what {@code phare drill predict} repeats over
 * many seeds ({@link DrillPrediction}).
 *
 * <pre>
 *   boot      the given cloud's hosts register; the plan and roster are applied      (2 s virtual)
 *   place     its instances are requested, then run                                   (at most 30 s)
 *   drill     t0: the instances in scope are watched; each step strikes at t0 + its offset
 *   observe   until every watched instance answers again after the last step          (at most 120 s more)
 * </pre>
 *
 * Faults act on the simulator as the live runner acts on real processes: a crash is a host's power loss (its copies
 * die with it); an isolation cuts the agent off from the control plane (its copies keep answering customers until
 * they fence themselves); a freeze is approximated by the same cut, since a stopped agent and a cut-off one look the
 * same to the controller and to the copies, which must fence themselves either way. The leader stops (another
 * member is elected after {@link #ELECTION_NANOS}), freezes (the control plane answers again after the shorter of
 * the freeze and an election) or steps down ({@link #STEP_DOWN_NANOS}); the simulated control plane is one node
 * rebuilt from its log, as a new leader is. People faults are the commands the live runner sends: the same people
 * drawn absent ({@link Absences}), quarantines, closure orders, transport losses, and the plan's triggers answer.
 *
 * <p>Every instance is probed every 100 ms: an outage lasts from the probe that finds its copy killed or fenced to
 * the probe that finds it running again. Safety invariants are checked after every event, as in every simulation.
 */
public final class DrillSimulation {
    private static final long PROBE = SimClock.ms(100);
    /** Until a new leader serves after the leader stops: an election on three members, as {@code phare demo --servers 3} shows. */
    static final long ELECTION_NANOS = SimClock.ms(1500);
    /** Until a new leader serves after the leader hands over. */
    static final long STEP_DOWN_NANOS = SimClock.ms(300);
    /** After the last step, how long the run waits at most for every watched instance to answer again. */
    static final long SETTLE_MAX = SimClock.seconds(120);
    /** A command refused because the control plane is between leaders is sent again, this often at most. */
    private static final int RETRIES = 30;
    private static final int MAX_OUTAGES_PER_INSTANCE = 100;

    /** A host of the cloud to simulate. */
    public record Host(String id, String zone, String site, int vcpus, long memMiB) {}

    /** An instance to place: whose, and of which type. */
    public record Workload(String tenant, String type, int vcpus, long memMiB) {}

    /**
     * The cloud a drill is predicted on: {@code phare demo}'s shape, a size given on the command line, or the live
     * cloud's hosts and instances.
     */
    /** @param admission how the cloud admits new instances (its failover reserve); null: the default */
    public record Shape(String region, List<Host> hosts, List<Workload> instances,
                        org.phare.core.placement.PlacementConfig.AdmissionPolicy admission) {
        public Shape(String region, List<Host> hosts, List<Workload> instances) {
            this(region, hosts, instances, null);
        }

        public Shape {
            hosts = List.copyOf(hosts);
            instances = List.copyOf(instances);
            if (hosts.isEmpty() || hosts.size() > SimConfig.MAX_HOSTS) {
                throw new IllegalArgumentException("a simulated cloud has 1 to " + SimConfig.MAX_HOSTS + " hosts, got " + hosts.size());
            }
            if (instances.size() > SimConfig.MAX_INSTANCES) {
                throw new IllegalArgumentException("a simulated cloud has at most " + SimConfig.MAX_INSTANCES + " instances");
            }
            if (zones(hosts).size() > 26) {
                throw new IllegalArgumentException("a simulated cloud has at most 26 zones");
            }
        }

        private static Set<String> zones(List<Host> hosts) {
            Set<String> zones = new TreeSet<>();
            hosts.forEach(h -> zones.add(h.zone()));
            return zones;
        }

        /** "6 hosts in 3 zones, 6 instances". */
        public String describe() {
            return hosts.size() + " hosts in " + zones(hosts).size() + " zones, " + instances.size() + " instances";
        }
    }

    /**
     * What to run.
     *
     * @param plan   the continuity plan, or null (people faults are then refused, as by a cloud without one)
     * @param roster the people, for absences and quarantines
     */
    public record Setup(Shape shape, Drill drill, Plan plan, List<Person> roster) {
        public Setup {
            roster = roster == null ? List.of() : List.copyOf(roster);
        }
    }

    /**
     * What one step did in one run.
     *
     * @param hosts            the hosts an agent fault struck (chosen when it ran)
     * @param detectionSeconds from the step until the last of its hosts was declared dead; null if one never was
     * @param recoverySeconds  from the step until the last of its hosts' instances that went down answered again;
     *                         0 when none went down, null when one never came back
     * @param instancesDown    instances of its hosts that went down
     * @param checkMet         for a level check: whether the level was reached in time; null otherwise
     */
    public record StepOutcome(int step, long atMs, String what, List<String> hosts, Double detectionSeconds,
                              Double recoverySeconds, int instancesDown, Boolean checkMet) {}

    /**
     * One seed's run.
     *
     * @param watched          instances in scope when the drill started
     * @param affected         of those, how many had an outage
     * @param unrecovered      of those, how many did not answer again before the run ended
     * @param outageSeconds    each watched instance's longest outage (0 if none), in the order of their ids
     * @param objectivesMet    per objective of the drill: met or not; null where the simulator cannot tell
     * @param stoppedAtSeconds when a stop condition ended the drill, from its start; null if none did
     * @param violations       safety invariants broken (a bug of the control plane, not of the drill)
     * @param notes            what the run could not do (a command the cloud refused)
     */
    public record Run(long seed, int watched, int affected, int unrecovered, List<Double> outageSeconds,
                      List<StepOutcome> steps, List<Boolean> objectivesMet, Double stoppedAtSeconds, List<String> violations,
                      List<String> notes) {}

    /** An instance's outages as the probe saw them. */
    private static final class Track {
        long downSince = -1;
        final List<long[]> outages = new ArrayList<>();
    }

    private final Setup setup;
    private final Drill drill;
    private final Simulation sim;
    private final SplittableRandom random;
    private final Map<HostId, Protocol.Registration> hosts = new LinkedHashMap<>();
    private final Map<InstanceId, Track> tracks = new TreeMap<>();
    private final List<InstanceId> watched = new ArrayList<>();
    private final Map<HostId, Integer> crashed = new HashMap<>();
    private final Map<HostId, Integer> cut = new HashMap<>();
    private final List<String> notes = new ArrayList<>();
    /** Level changes as the probe saw them: {time, level}. */
    private final List<long[]> levels = new ArrayList<>();
    private final StepOutcome[] outcomes;
    private final Map<Integer, List<HostId>> struck = new HashMap<>();
    private final Map<Integer, List<InstanceId>> exposed = new HashMap<>();
    private final Map<Integer, Long> detectedAt = new HashMap<>();
    private long t0;
    private Long stoppedAt;

    /** The controllers' configuration of the simulated cloud: the live cloud's admission when it is known. */
    private static ControllerConfig controller(Shape shape) {
        ControllerConfig c = ControllerConfig.defaults(new RegionId(shape.region()));
        return shape.admission() == null ? c : c.withPlacement(c.placement().withAdmission(shape.admission()));
    }

    private DrillSimulation(Setup setup, long seed) {
        this.setup = setup;
        this.drill = setup.drill();
        Shape shape = setup.shape();
        int zones = Shape.zones(shape.hosts()).size();
        SimConfig config = new SimConfig(shape.hosts().size(), zones, 1, shape.instances().size(), 1, Scenario.NONE, seed, 0.6,
                0.001, false, false, controller(shape), LogModel.ratisThreeMembers());
        this.sim = new Simulation(config, fleet(shape), s -> { });
        this.random = new SplittableRandom(seed).split();
        for (Protocol.Registration r : sim.fleet().hosts()) {
            hosts.put(r.host(), r);
        }
        this.outcomes = new StepOutcome[drill.timeline().size()];
    }

    /** Runs the drill once, with this seed. */
    public static Run run(Setup setup, long seed) {
        return new DrillSimulation(setup, seed).execute();
    }

    private static Fleet fleet(Shape shape) {
        RegionId region = new RegionId(shape.region());
        List<Command> topology = new ArrayList<>();
        topology.add(new Command.DefineRegion(new Region(region, shape.region())));
        Map<String, Set<String>> sites = new TreeMap<>();
        shape.hosts().forEach(h -> sites.computeIfAbsent(h.zone(), z -> new TreeSet<>()).add(h.site()));
        List<ZoneId> zones = new ArrayList<>();
        sites.forEach((zone, zoneSites) -> {
            zones.add(new ZoneId(zone));
            topology.add(new Command.DefineZone(new Zone(new ZoneId(zone), region)));
            zoneSites.forEach(s -> topology.add(new Command.DefineSite(new Site(new SiteId(s), new ZoneId(zone), s))));
        });
        Map<String, Resources> types = new TreeMap<>();
        shape.instances().forEach(w -> types.putIfAbsent(w.type(), new Resources(w.vcpus(), w.memMiB())));
        types.forEach((id, r) -> topology.add(new Command.DefineInstanceType(new InstanceType(new InstanceTypeId(id), r))));
        topology.add(new Command.DefineImage(new Image(Fleet.IMAGE, "Debian 12", "http-echo")));
        List<Protocol.Registration> registrations = shape.hosts().stream().map(h -> new Protocol.Registration(new HostId(h.id()),
                new ZoneId(h.zone()), new SiteId(h.site()), new Resources(h.vcpus(), h.memMiB()), Map.of())).toList();
        List<Command.RunInstances> workload = shape.instances().stream().map(w -> new Command.RunInstances(new TenantId(w.tenant()),
                new InstanceTypeId(w.type()), Fleet.IMAGE, null, 1, 100, null, null)).toList();
        return new Fleet(topology, zones, registrations, workload);
    }

    private Run execute() {
        sim.boot();
        sim.run(now() + SimClock.seconds(2), () -> false);
        if (setup.plan() != null) {
            submit(new Command.ApplyPlan(setup.plan(), "drill", "the drill's prediction"), "the plan", 0);
            if (!setup.roster().isEmpty()) {
                submit(new Command.ImportRoster(setup.roster(), "drill"), "the roster", 0);
            }
        }
        for (Command.RunInstances c : sim.fleet().workload()) {
            Result r = sim.node().submit(c);
            if (r instanceof Result.Rejected x) {
                note("an instance was refused when the cloud was filled: " + x.code() + " " + x.message());
            }
        }
        sim.run(now() + SimClock.seconds(30), sim::everyInstanceRuns);
        sim.run(now() + SimClock.seconds(1), () -> false);

        t0 = now();
        watch();
        probe();
        sim.every(PROBE, this::probe);
        long lastStepAt = 0;
        for (int k = 0; k < drill.timeline().size(); k++) {
            Step step = drill.timeline().get(k);
            int index = k;
            sim.loop().at(t0 + SimClock.ms(step.atMs()), () -> strike(index, step));
            lastStepAt = Math.max(lastStepAt, step.atMs());
        }
        sim.loop().at(t0 + SimClock.ms(drill.durationMs()), this::healAll);

        // Every step, then long enough for a silent host to be fenced and declared dead, then until every watched
        // instance answers again (or a bound).
        long minEnd = t0 + SimClock.ms(lastStepAt) + sim.config().controller().health().deadAfter().toNanos() + SimClock.seconds(2);
        sim.run(minEnd, () -> false);
        sim.run(minEnd + SETTLE_MAX, this::settled);
        return result();
    }

    private long now() {
        return sim.loop().clock().now();
    }

    private void note(String text) {
        if (notes.size() < 20 && !notes.contains(text)) {
            notes.add(text);
        }
    }

    /** Sends a command to the control plane; while it is between leaders, again a little later, as the live runner does. */
    private void submit(Command c, String what, int attempt) {
        Result r = sim.node().submit(c);
        if (r instanceof Result.Rejected x) {
            if ("Unavailable".equals(x.code()) && attempt < RETRIES) {
                sim.loop().after(SimClock.ms(500), () -> submit(c, what, attempt + 1));
            } else {
                note(what + " was refused: " + x.code() + " " + x.message());
            }
        }
    }

    /** The instances in scope at the start, and a track for every instance (a step's hosts may hold others). */
    private void watch() {
        CloudState s = sim.node().state();
        for (Instance i : s.instances().values()) {
            if (i.desired() != DesiredState.RUNNING) {
                continue;
            }
            tracks.put(i.id(), new Track());
            Protocol.Registration h = i.host() == null ? null : hosts.get(i.host());
            if (h != null && drill.scope().coversHost(h.zone().value(), h.site().value()) && drill.scope().coversTenant(i.tenant().value())) {
                watched.add(i.id());
            }
        }
        watched.sort(Comparator.naturalOrder());
    }

    private void probe() {
        long now = now();
        CloudState s = sim.node().state();
        for (Map.Entry<InstanceId, Track> e : tracks.entrySet()) {
            Instance i = s.instance(e.getKey());
            Track t = e.getValue();
            boolean up = i == null || i.desired() != DesiredState.RUNNING || sim.answers(i);
            if (!up && t.downSince < 0) {
                t.downSince = now;
            } else if (up && t.downSince >= 0) {
                if (t.outages.size() < MAX_OUTAGES_PER_INSTANCE) {
                    t.outages.add(new long[] {t.downSince, now});
                }
                t.downSince = -1;
            }
        }
        if (levels.isEmpty() || levels.getLast()[1] != s.level()) {
            levels.add(new long[] {now, s.level()});
        }
        struck.forEach((step, hs) -> {
            if (!detectedAt.containsKey(step) && hs.stream().allMatch(h -> s.host(h) != null && s.host(h).state() == HostState.DEAD)) {
                detectedAt.put(step, now);
            }
        });
        int max = drill.stop().maxInstancesDown();
        if (max > 0 && stoppedAt == null && watched.stream().filter(id -> tracks.get(id).downSince >= 0).count() > max) {
            stoppedAt = now;
            healAll();
        }
    }

    private boolean settled() {
        for (InstanceId id : watched) {
            if (tracks.get(id).downSince >= 0) {
                return false;
            }
        }
        return sim.node().up() && sim.node().state().recoveryQueue().isEmpty();
    }

    // ------------------------------------------------------------------------------------------
    // faults
    // ------------------------------------------------------------------------------------------

    private void strike(int index, Step step) {
        if (stoppedAt != null) {
            return; // the drill was stopped: no further step runs
        }
        String what = describe(step.fault());
        switch (step.fault()) {
            case Fault.AgentFault a -> {
                List<HostId> chosen = choose(a.target());
                struck.put(index, chosen);
                List<InstanceId> on = new ArrayList<>();
                chosen.forEach(h -> on.addAll(sim.node().state().instancesOn(h)));
                exposed.put(index, on);
                for (HostId h : chosen) {
                    if (a.action() == Fault.AgentAction.CRASH) {
                        crash(h, a.forMs());
                    } else {
                        cut(h, a.forMs());
                    }
                }
                if (chosen.isEmpty()) {
                    note("step " + index + " (" + what + ") found no host to act on");
                }
            }
            case Fault.LeaderFault l -> {
                long back = switch (l.action()) {
                    case STOP -> ELECTION_NANOS;
                    case FREEZE -> Math.min(SimClock.ms(l.forMs()), ELECTION_NANOS);
                    case STEP_DOWN -> STEP_DOWN_NANOS;
                };
                sim.node().crash();
                sim.loop().after(back, sim.node()::restart);
            }
            case Fault.Absence a -> {
                if (setup.roster().isEmpty()) {
                    note("no roster: nobody to draw absent");
                }
                for (Person p : Absences.draw(setup.roster(), a.percent(), a.seed())) {
                    submit(new Command.SetStaffStatus(p.id(), "absent", "drill"), "absence of " + p.id(), 0);
                }
            }
            case Fault.Quarantine q -> {
                for (Person p : setup.roster()) {
                    if (p.roles().stream().anyMatch(q.roles()::contains)) {
                        submit(new Command.SetStaffStatus(p.id(), "quarantined", "drill"), "quarantine of " + p.id(), 0);
                    }
                }
            }
            case Fault.ClosureOrder c -> submit(new Command.CloseSites(c.siteOrArea(), c.order(), "drill"), what, 0);
            case Fault.TransportLost t -> submit(new Command.SetTransport(t.area(), true, t.reason(), "drill"), what, 0);
            case Fault.LevelCheck c -> { }
        }
    }

    /** The target's hosts; of a site or zone, {@code count} of them (every one for 0), preferring those still untouched. */
    private List<HostId> choose(Fault.Target t) {
        List<HostId> candidates = new ArrayList<>();
        for (Protocol.Registration r : hosts.values()) {
            boolean match = t.host() != null ? r.host().value().equals(t.host())
                    : t.site() != null ? r.site().value().equals(t.site())
                    : t.zone() != null && r.zone().value().equals(t.zone()) && drill.scope().coversHost(t.zone(), r.site().value());
            if (match) {
                candidates.add(r.host());
            }
        }
        if (t.host() != null || t.count() == 0 || t.count() >= candidates.size()) {
            return candidates;
        }
        // Shuffled by the run's seed, then the untouched first: a stable sort keeps the shuffle among equals.
        for (int i = candidates.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            HostId x = candidates.get(i);
            candidates.set(i, candidates.get(j));
            candidates.set(j, x);
        }
        candidates.sort(Comparator.comparing(h -> crashed.containsKey(h) || cut.containsKey(h)));
        return List.copyOf(candidates.subList(0, t.count()));
    }

    private void crash(HostId h, long forMs) {
        crashed.merge(h, 1, Integer::sum);
        sim.agents().get(h).crash();
        if (forMs > 0) {
            sim.loop().after(SimClock.ms(forMs), () -> {
                if (crashed.merge(h, -1, Integer::sum) <= 0) {
                    crashed.remove(h);
                    sim.agents().get(h).start();
                }
            });
        }
    }

    private void cut(HostId h, long forMs) {
        cut.merge(h, 1, Integer::sum);
        sim.network().cut(h);
        if (forMs > 0) {
            sim.loop().after(SimClock.ms(forMs), () -> {
                if (cut.merge(h, -1, Integer::sum) <= 0) {
                    cut.remove(h);
                    sim.network().heal(h);
                }
            });
        }
    }

    /**
     * The drill's end (or a stop condition): every fault of the infrastructure still on heals at once. People faults
     * are left as they are: the objectives judge the people side as it stood during the drill.
     */
    private void healAll() {
        crashed.keySet().forEach(h -> sim.agents().get(h).start());
        cut.keySet().forEach(h -> sim.network().heal(h));
        crashed.clear();
        cut.clear();
        sim.node().restart();
    }

    // ------------------------------------------------------------------------------------------
    // measures
    // ------------------------------------------------------------------------------------------

    private Run result() {
        long end = now();
        List<Double> outages = new ArrayList<>();
        int affected = 0;
        int unrecovered = 0;
        for (InstanceId id : watched) {
            Track t = tracks.get(id);
            long longest = 0;
            for (long[] o : t.outages) {
                longest = Math.max(longest, o[1] - o[0]);
            }
            if (t.downSince >= 0) {
                longest = Math.max(longest, end - t.downSince);
                unrecovered++;
            }
            affected += longest > 0 ? 1 : 0;
            outages.add(seconds(longest));
        }
        for (int k = 0; k < outcomes.length; k++) {
            outcomes[k] = outcome(k, drill.timeline().get(k), end);
        }
        List<Boolean> met = new ArrayList<>();
        for (Objective o : drill.objectives()) {
            met.add(met(o, outages, unrecovered));
        }
        return new Run(sim.config().seed(), watched.size(), affected, unrecovered, outages, List.of(outcomes), met,
                stoppedAt == null ? null : seconds(stoppedAt - t0), sim.invariants().violations(), List.copyOf(notes));
    }

    private StepOutcome outcome(int k, Step step, long end) {
        long at = t0 + SimClock.ms(step.atMs());
        String what = describe(step.fault());
        if (step.fault() instanceof Fault.LevelCheck c) {
            return new StepOutcome(k, step.atMs(), what, List.of(), null, null, 0, setup.plan() == null ? null
                    : levelReached(c.level(), at, at + SimClock.ms(c.withinMs())));
        }
        if (!struck.containsKey(k)) {
            return new StepOutcome(k, step.atMs(), what, List.of(), null, null, 0, null);
        }
        Long detected = detectedAt.get(k);
        long lastBack = at;
        int down = 0;
        boolean allBack = true;
        for (InstanceId id : exposed.get(k)) {
            Track t = tracks.get(id);
            if (t == null) {
                continue;
            }
            long[] first = t.outages.stream().filter(o -> o[0] >= at).findFirst().orElse(null);
            if (first != null) {
                down++;
                lastBack = Math.max(lastBack, first[1]);
            } else if (t.downSince >= at) {
                down++;
                allBack = false;
            }
        }
        return new StepOutcome(k, step.atMs(), what, struck.get(k).stream().map(HostId::value).toList(),
                detected == null ? null : seconds(detected - at), allBack ? seconds(lastBack - at) : null, down, null);
    }

    /** Whether the alert level was at least {@code level} at some probe between the two instants. */
    private boolean levelReached(int level, long from, long until) {
        long before = 0;
        for (long[] change : levels) {
            if (change[0] <= from) {
                before = change[1];
            } else if (change[0] <= until && change[1] >= level) {
                return true;
            }
        }
        return before >= level;
    }

    private Boolean met(Objective o, List<Double> outages, int unrecovered) {
        return switch (o) {
            case Objective.OutageWithin w -> unrecovered == 0 && outages.stream().allMatch(s -> s * 1000 <= w.maxMs());
            case Objective.NoManualIntervention n -> null; // nobody in the simulator could act: only the live drill can tell
            case Objective.LevelReached l -> setup.plan() == null ? null : levelReached(l.level(), t0, t0 + SimClock.ms(l.withinMs()));
            case Objective.FunctionsCovered f -> {
                CloudState s = sim.node().state();
                if (setup.plan() == null || f.level() >= setup.plan().levels().size()) {
                    yield null;
                }
                Coverage.Scenario live = new Coverage.Scenario(0, 0, s.closedSites().keySet(), false, s.crisis().transportLost().keySet());
                Coverage.Report report = Coverage.compute(setup.plan(), List.copyOf(s.staff().values()), f.level(), live);
                report.functions().stream().filter(c -> c.gap() > 0).forEach(c -> note("at level " + f.level() + ", function "
                        + c.id() + " lacks " + c.gap() + " available person(s)"));
                yield report.gaps() == 0;
            }
        };
    }

    /** A step as the timeline reads. */
    static String describe(Fault f) {
        return switch (f) {
            case Fault.AgentFault a -> switch (a.action()) {
                case CRASH -> "crash";
                case FREEZE -> "freeze";
                case ISOLATE -> "isolate";
            } + " " + a.target().describe() + (a.forMs() > 0 ? " for " + Durations.format(a.forMs()) : "");
            case Fault.LeaderFault l -> "leader " + l.action().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                    + (l.forMs() > 0 ? " for " + Durations.format(l.forMs()) : "");
            case Fault.Absence a -> a.percent() + " % of the staff absent (seed " + a.seed() + ")";
            case Fault.Quarantine q -> "quarantine of " + String.join(", ", q.roles());
            case Fault.ClosureOrder c -> "closure of " + c.siteOrArea();
            case Fault.TransportLost t -> "no transport in " + t.area();
            case Fault.LevelCheck c -> "level " + c.level() + " or more within " + Durations.format(c.withinMs());
        };
    }

    private static double seconds(long nanos) {
        return Math.round(nanos / 1e6) / 1000.0;
    }
}
