package org.phare.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.phare.core.control.Command;
import org.phare.core.control.Controller;
import org.phare.core.control.ControllerConfig;
import org.phare.core.control.Result;
import org.phare.core.model.HostId;
import org.phare.core.model.Instance;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceTypeId;
import org.phare.core.model.Resources;
import org.phare.core.model.ZoneId;
import org.phare.core.state.CloudState;

/**
 * A {@link Controller} on a {@link FakeClock} and a {@link MemoryJournal}, with one {@link FakeAgent} per host,
 * driven in steps of {@link #STEP}: each step moves the clock, lets every agent whose lease ran out fence
 * itself, lets every due (and not silenced) agent heartbeat, runs one controller tick, and then checks the
 * safety invariant: no instance has live copies on two hosts (agents whose fencing a test broke excepted).
 * Single-threaded and fully deterministic.
 *
 * <p>The controller starts at time 0 on a state holding only the fixture's topology; hosts register
 * through the agent protocol, so the journal holds everything after the topology.
 */
public final class ControlledCloud {
    public static final Duration STEP = Duration.ofMillis(100);

    private final CloudFixture fixture;
    private final FakeClock clock = new FakeClock();
    private final MemoryJournal journal = new MemoryJournal();
    private Controller controller;
    private long incarnation = 1;
    private final Map<HostId, FakeAgent> agents = new LinkedHashMap<>();

    private ControlledCloud(ControllerConfig config) {
        this.fixture = CloudFixture.topology();
        CloudState state = new CloudState();
        state.replayAll(fixture.records());
        this.controller = new Controller(config, state, journal.feed(state), clock, incarnation);
    }

    /**
     * A leader change: a new controller, with the next incarnation, on a state rebuilt from the log alone
     * (nothing in memory survives: heartbeat deadlines, exclusions, retry bookkeeping). Agents keep running
     * and talk to the new controller from their next heartbeat.
     */
    public Controller restartController() {
        CloudState rebuilt = new CloudState();
        rebuilt.replayAll(log());
        controller = new Controller(controller.config(), rebuilt, journal.feed(rebuilt), clock, ++incarnation);
        return controller;
    }

    /** A controller with {@code hostsPerZone} hosts of {@link CloudFixture#HOST_CAPACITY} in each of the 3 zones. */
    public static ControlledCloud start(ControllerConfig config, int hostsPerZone) {
        ControlledCloud cloud = new ControlledCloud(config);
        for (ZoneId z : CloudFixture.ZONES) {
            for (int i = 0; i < hostsPerZone; i++) {
                cloud.addHost(z, CloudFixture.HOST_CAPACITY);
            }
        }
        return cloud;
    }

    public static ControllerConfig defaultConfig() {
        return ControllerConfig.defaults(CloudFixture.REGION);
    }

    /** Registers a new host through its agent and returns the agent. */
    public FakeAgent addHost(ZoneId zone, Resources capacity) {
        int n = (int) agents.values().stream().filter(a -> a.zone().equals(zone)).count() + 1;
        FakeAgent agent = new FakeAgent(CloudFixture.hostId(zone, n), zone, capacity);
        agents.put(agent.host(), agent);
        agent.register(controller, clock.monotonicNanos(), intervalNanos());
        return agent;
    }

    private long intervalNanos() {
        return controller.config().health().heartbeatInterval().toNanos();
    }

    // --- time ------------------------------------------------------------------------------------

    public void step() {
        clock.advance(STEP);
        long now = clock.monotonicNanos();
        for (FakeAgent agent : agents.values()) {
            agent.checkLease(now);
            if (agent.drillOrder() != null) {
                agent.healIfOver(now, Controller.drillOrder(controller.state(), agent.host(), clock.epochMillis()) != null);
            }
        }
        for (FakeAgent agent : agents.values()) {
            if (agent.due(now)) {
                agent.heartbeat(controller, now, intervalNanos());
            }
        }
        controller.tick();
        assertOneCopyEach();
    }

    /** Safety: an instance runs on at most one host at a time. */
    public void assertOneCopyEach() {
        Map<InstanceId, HostId> seen = new java.util.HashMap<>();
        for (FakeAgent agent : agents.values()) {
            if (agent.fencingBroken()) {
                continue;
            }
            for (InstanceId id : agent.running().keySet()) {
                HostId other = seen.put(id, agent.host());
                if (other != null) {
                    throw new AssertionError("at " + clock.elapsed() + ", " + id + " runs on both " + other + " and "
                            + agent.host() + ": " + state().instance(id));
                }
            }
        }
    }

    public void runFor(Duration d) {
        long steps = d.toNanos() / STEP.toNanos();
        for (long i = 0; i < steps; i++) {
            step();
        }
    }

    /** Steps until the clock reads {@code sinceStart} (a multiple of {@link #STEP}). */
    public void runUntil(Duration sinceStart) {
        while (clock.elapsed().compareTo(sinceStart) < 0) {
            step();
        }
    }

    /** Steps until the condition holds; fails the test if it does not within {@code max} of virtual time. */
    public Duration runUntil(Predicate<ControlledCloud> condition, Duration max, String what) {
        Duration start = clock.elapsed();
        while (!condition.test(this)) {
            if (clock.elapsed().minus(start).compareTo(max) > 0) {
                throw new AssertionError("not within " + max + " of virtual time: " + what);
            }
            step();
        }
        return clock.elapsed().minus(start);
    }

    // --- commands --------------------------------------------------------------------------------

    public Result submit(Command command) {
        return controller.submit(command);
    }

    /** Runs {@code count} instances and insists that they were all placed. */
    @SuppressWarnings("unchecked")
    public List<InstanceId> run(InstanceTypeId type, ZoneId zone, int count, int priority) {
        Result r = submit(new Command.RunInstances(CloudFixture.TENANT, type, CloudFixture.IMAGE, zone, count, priority,
                null, null));
        if (!(r instanceof Result.Ok ok)) {
            throw new AssertionError("RunInstances was refused: " + r);
        }
        return (List<InstanceId>) ok.value();
    }

    public InstanceId runOne(InstanceTypeId type, ZoneId zone, int priority) {
        return run(type, zone, 1, priority).get(0);
    }

    // --- reading ---------------------------------------------------------------------------------

    public Controller controller() {
        return controller;
    }

    public CloudState state() {
        return controller.state();
    }

    public Instance instance(InstanceId id) {
        return state().instance(id);
    }

    public FakeClock clock() {
        return clock;
    }

    public MemoryJournal journal() {
        return journal;
    }

    public CloudFixture fixture() {
        return fixture;
    }

    public FakeAgent agent(HostId host) {
        return agents.get(host);
    }

    public List<FakeAgent> agents() {
        return new ArrayList<>(agents.values());
    }

    public List<FakeAgent> agents(ZoneId zone) {
        return agents.values().stream().filter(a -> a.zone().equals(zone)).toList();
    }

    /** A state rebuilt from empty by replaying {@link #log()}: equal to the controller's when replay is faithful. */
    public CloudState replayed() {
        CloudState fresh = new CloudState();
        fresh.replayAll(log());
        return fresh;
    }

    /** Topology records plus everything the controller journaled: the whole log. */
    public List<org.phare.core.record.Record> log() {
        List<org.phare.core.record.Record> all = new ArrayList<>(fixture.records());
        all.addAll(journal.records());
        return all;
    }
}
