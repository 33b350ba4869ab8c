package org.phare.sim;

import org.phare.core.record.ComputeRecord;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.phare.core.agent.Protocol;
import org.phare.core.control.Command;
import org.phare.core.control.Controller;
import org.phare.core.control.ControllerConfig;
import org.phare.core.control.Journal;
import org.phare.core.control.Result;
import org.phare.core.model.Host;
import org.phare.core.model.HostId;
import org.phare.core.model.HostState;
import org.phare.core.model.Instance;
import org.phare.core.model.InstanceId;
import org.phare.core.model.Resources;
import org.phare.core.model.Schedulability;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;

/**
 * The simulated control-plane node: the unchanged {@link Controller} plus an in-memory log with a commit latency and a
 * throughput bound ({@link LogModel}), and the replica that replays every committed batch, as a Raft member does; the
 * controller reads it for agents' replies and decides on its own copy. It can crash (all in-memory state is lost, and
 * with it what was proposed but not committed) and restart (state rebuilt by replaying the log). The log can stall.
 *
 * <p>It also checks S3 and S4 on every batch: S4 against the controller's state when the batch is appended and the
 * agents' ground truth, S3 by comparing the entities the committed batches touched between the controller and the
 * replica after each event with nothing in flight, and in full on every restart and at the end of the run.
 */
final class ControllerNode {
    private final ControllerConfig config;
    private final SimClock clock;
    private final Invariants invariants;
    private final List<Record> log = new ArrayList<>();
    private final CloudState follower = new CloudState();
    private final Set<HostId> touchedHosts = new LinkedHashSet<>();
    private final Set<InstanceId> touchedInstances = new LinkedHashSet<>();
    private final Journal journal = this::append;
    private final LogModel logModel;
    /** What the controller appended during the current event: one log entry, sealed at the end of the event. */
    private final List<Record> open = new ArrayList<>();
    /** Entries proposed and not yet committed, oldest first. */
    private final java.util.ArrayDeque<Entry> pending = new java.util.ArrayDeque<>();
    private final EventLoop events;
    /** Grows at every crash: an entry proposed by a controller that died never commits. */
    private long epoch;
    private long lastCommitAt;
    private long stallUntil;
    private long entries;
    private Map<HostId, SimAgent> agents = Map.of();
    private Consumer<Record> observer = r -> {};
    private Controller controller;
    private long incarnation;
    private long restarts;
    private Controller.Counters previousLives = new Controller.Counters();

    /** A log entry: the records of one event, from one controller's life. */
    private record Entry(List<Record> records, long epoch) {}

    ControllerNode(ControllerConfig config, LogModel logModel, EventLoop events, Invariants invariants) {
        this.config = config;
        this.logModel = logModel;
        this.events = events;
        this.clock = events.clock();
        this.invariants = invariants;
        this.controller = new Controller(config, follower, journal, clock, ++incarnation);
    }

    void agents(Map<HostId, SimAgent> agents) {
        this.agents = agents;
    }

    void observer(Consumer<Record> observer) {
        this.observer = observer;
    }

    boolean up() {
        return controller != null;
    }

    /** The live state, or the follower's when the controller is down (reads keep working). */
    CloudState state() {
        return controller != null ? controller.state() : follower;
    }

    List<Record> log() {
        return log;
    }

    long restarts() {
        return restarts;
    }

    Controller.Counters totals() {
        return controller == null ? previousLives : previousLives.plus(controller.counters());
    }

    Result submit(Command command) {
        return controller == null ? new Result.Rejected("Unavailable", "controller down") : controller.submit(command);
    }

    Protocol.Reply register(Protocol.Registration registration) {
        return controller == null ? null : controller.register(registration);
    }

    Protocol.Reply heartbeat(Protocol.Heartbeat heartbeat) {
        return controller == null ? null : controller.heartbeat(heartbeat);
    }

    void tick() {
        if (controller != null) {
            controller.tick();
        }
    }

    /** The process dies: everything in memory is gone, what it proposed and the log had not committed too. */
    void crash() {
        if (controller == null) {
            return;
        }
        previousLives = previousLives.plus(controller.counters());
        controller = null;
        epoch++;
        open.clear();
        pending.clear();
    }

    /** The log commits nothing until {@code untilNanos} (a disk or a quorum that stalls); then it catches up. */
    void stallLog(long untilNanos) {
        stallUntil = Math.max(stallUntil, untilNanos);
    }

    /** Entries committed so far. */
    long entries() {
        return entries;
    }

    /** Nothing proposed is waiting for its commit. */
    boolean settledLog() {
        return open.isEmpty() && pending.isEmpty();
    }

    /** Starts again from the log alone, as after a kill -9: replay, then a grace period for every host. */
    void restart() {
        if (controller != null) {
            return;
        }
        CloudState rebuilt = new CloudState();
        rebuilt.replayAll(log);
        List<String> diffs = rebuilt.differences(follower);
        if (!diffs.isEmpty()) {
            invariants.violation("S3", "state rebuilt from the log differs from the replica: " + diffs.subList(0, Math.min(3, diffs.size())));
        }
        restarts++;
        controller = new Controller(config, follower, journal, clock, ++incarnation);
    }

    /** The controller's journal: checked at once (S4), committed with the rest of the event's records later. */
    private void append(List<Record> batch) {
        CloudState before = controller != null ? controller.state() : follower;
        for (Record r : batch) {
            checkS4(before, r);
        }
        if (open.isEmpty()) {
            events.after(0, this::seal); // after the event that appends: one entry per event, as per loop turn
        }
        open.addAll(batch);
    }

    private void seal() {
        if (open.isEmpty()) {
            return;
        }
        Entry e = new Entry(List.copyOf(open), epoch);
        open.clear();
        long at = Math.max(clock.now() + logModel.commitLatencyNanos(), lastCommitAt + logModel.occupancyNanos(e.records().size()));
        lastCommitAt = at;
        pending.add(e);
        events.at(at, () -> commit(e));
    }

    private void commit(Entry e) {
        if (e.epoch() != epoch) {
            return; // proposed by a controller that crashed first: the log never had it
        }
        if (clock.now() < stallUntil) {
            lastCommitAt = Math.max(lastCommitAt, stallUntil);
            events.at(stallUntil, () -> commit(e)); // entries keep their order: they were scheduled in order
            return;
        }
        pending.poll();
        entries++;
        log.addAll(e.records());
        for (Record r : e.records()) {
            follower.replay(r);
            touch(r);
            observer.accept(r);
        }
    }

    private void checkS4(CloudState before, Record r) {
        switch (r) {
            case ComputeRecord.InstancePlaced p -> {
                Host h = before.host(p.host());
                if (h == null || h.state() != HostState.READY || h.scheduling() != Schedulability.SCHEDULABLE) {
                    invariants.violation("S4", "instance " + p.instance() + " placed on host " + p.host() + " which is "
                            + (h == null ? "unknown" : h.state() + "/" + h.scheduling()));
                }
            }
            case ComputeRecord.InstanceEvicted e -> {
                Host h = before.host(e.host());
                boolean allowed = h != null && (h.state() == HostState.DEAD || h.scheduling() == Schedulability.DRAINING);
                SimAgent agent = agents.get(e.host());
                boolean copyGone = agent == null || !agent.alive() || !agent.copies().containsKey(e.instance());
                if (!allowed || !copyGone) {
                    invariants.violation("S4", "instance " + e.instance() + " moved off host " + e.host() + " which is "
                            + (h == null ? "unknown" : h.state() + "/" + h.scheduling())
                            + (copyGone ? "" : " while its copy is still alive there"));
                }
            }
            default -> { }
        }
    }

    private void touch(Record r) {
        switch (r) {
            case ComputeRecord.HostRegistered x -> touchedHosts.add(x.host());
            case ComputeRecord.HostStateChanged x -> touchedHosts.add(x.host());
            case ComputeRecord.HostSchedulingChanged x -> touchedHosts.add(x.host());
            case ComputeRecord.InstanceRequested x -> touchedInstances.add(x.instance());
            case ComputeRecord.InstancePlaced x -> {
                touchedInstances.add(x.instance());
                touchedHosts.add(x.host());
            }
            case ComputeRecord.InstanceEvicted x -> {
                touchedInstances.add(x.instance());
                touchedHosts.add(x.host());
            }
            case ComputeRecord.InstancePendingReason x -> touchedInstances.add(x.instance());
            case ComputeRecord.InstanceObserved x -> touchedInstances.add(x.instance());
            case ComputeRecord.InstanceDesiredChanged x -> touchedInstances.add(x.instance());
            default -> { }
        }
    }

    /**
     * After every event with nothing in flight (the controller is then exactly the replica): S3 on what changed, S2 on
     * the controller's view of the hosts that changed.
     */
    void checkAfterEvent() {
        if ((touchedHosts.isEmpty() && touchedInstances.isEmpty()) || !settledLog()) {
            return;
        }
        if (controller != null) {
            CloudState live = controller.state();
            for (Instance i : instancesOf(live, touchedInstances)) {
                if (i.host() != null) {
                    touchedHosts.add(i.host());
                }
            }
            List<String> diffs = live.differences(follower, touchedHosts, touchedInstances);
            if (!diffs.isEmpty()) {
                invariants.violation("S3", "leader and replica differ: " + diffs.subList(0, Math.min(3, diffs.size())));
            }
            for (HostId h : touchedHosts) {
                Host host = live.host(h);
                Resources used = live.used(h);
                Resources cap = host.capacity().overcommitted(config.placement().cpuOvercommit(), config.placement().memOvercommit());
                if (!used.fitsIn(cap)) {
                    invariants.violation("S2", "controller placed " + used + " on host " + h + " of capacity " + cap);
                }
            }
        }
        touchedHosts.clear();
        touchedInstances.clear();
    }

    private static List<Instance> instancesOf(CloudState s, Set<InstanceId> ids) {
        List<Instance> out = new ArrayList<>(ids.size());
        for (InstanceId id : ids) {
            Instance i = s.instance(id);
            if (i != null) {
                out.add(i);
            }
        }
        return out;
    }

    /** End of run: full S3, the live state against the replica and against a replay of the log from empty. */
    void checkFullReplay() {
        CloudState fromEmpty = new CloudState();
        fromEmpty.replayAll(log);
        List<String> diffs = fromEmpty.differences(follower);
        if (controller != null && settledLog()) {
            diffs = new ArrayList<>(diffs);
            diffs.addAll(controller.state().differences(fromEmpty));
        }
        if (!diffs.isEmpty()) {
            invariants.violation("S3", "replay of the log differs from the live state: " + diffs.subList(0, Math.min(3, diffs.size())));
        }
    }
}
