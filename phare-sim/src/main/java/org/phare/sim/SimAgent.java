package org.phare.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.phare.core.agent.AgentCore;
import org.phare.core.agent.Protocol;
import org.phare.core.model.HostId;
import org.phare.core.model.InstanceId;
import org.phare.core.model.Resources;

/**
 * A simulated host agent: the agent's own rules ({@link AgentCore}: lease and self-fencing, replies in order,
 * reconciling, reboots), the same ones {@code phare agent} runs, around simulated copies that boot in a while and a
 * simulated network. A crash kills every copy at once, like a hypervisor losing power.
 *
 * <p>A freeze (SIGSTOP, a stalled JVM) stops the agent, not its copies: everything the agent would do meanwhile —
 * beats, replies, its lease timer — waits until it thaws. Its copies hold the lease themselves (the watchdog, as
 * {@code phare agent}'s copies do): every renewal moves their deadline to the lease's, and at that deadline they stop
 * on their own, frozen agent or not.
 */
final class SimAgent {
    /** A live instance copy (a VM or process) on this host. */
    static final class Copy {
        final long generation;
        final Resources demand;
        boolean ready;

        Copy(long generation, Resources demand) {
            this.generation = generation;
            this.demand = demand;
        }
    }

    private final Protocol.Registration registration;
    private final EventLoop loop;
    private final SimNetwork network;
    private final ControllerNode controller;
    private final Invariants invariants;
    private final SplittableRandom random;
    private final long bootNanos;
    private final Map<InstanceId, Copy> copies = new TreeMap<>();
    private final AgentCore core;
    private static final int RETRIES = 2;
    private long lastReplyAt = -1;
    private boolean alive;
    /** Bumped on crash and restart: timers of an earlier life do nothing. */
    private long life;
    private long fences;
    private boolean crashed;
    /** Test hook: an agent that never fences itself, nor its copies, to prove the safety checker catches it. */
    private final boolean fencingDisabled;
    /** Test hook: copies without a deadline of their own (the leash alone): a frozen agent's copies live on. */
    private final boolean watchdogDisabled;
    /** Until when the agent is frozen (virtual time); its own events wait until then. */
    private long frozenUntil = Long.MIN_VALUE;
    private boolean everFrozen;
    /** The deadline every copy holds: the lease at its last renewal (Long.MAX_VALUE: none yet). */
    private long copiesDeadline = Long.MAX_VALUE;
    /** When the pending watchdog event fires, or Long.MAX_VALUE if none is pending. */
    private long watchdogAt = Long.MAX_VALUE;
    private long watchdogStops;

    SimAgent(Protocol.Registration registration, EventLoop loop, SimNetwork network, ControllerNode controller,
             Invariants invariants, SplittableRandom random, long bootNanos, boolean fencingDisabled, boolean watchdogDisabled) {
        this.registration = registration;
        this.loop = loop;
        this.network = network;
        this.controller = controller;
        this.invariants = invariants;
        this.random = random;
        this.bootNanos = bootNanos;
        this.fencingDisabled = fencingDisabled;
        this.watchdogDisabled = watchdogDisabled || fencingDisabled;
        this.core = new AgentCore(registration);
    }

    HostId id() {
        return registration.host();
    }

    Protocol.Registration registration() {
        return registration;
    }

    boolean alive() {
        return alive;
    }

    /** Whether a fault ever took the host down (a fence of such a host is expected). */
    boolean everCrashed() {
        return crashed;
    }

    long fences() {
        return fences;
    }

    /** Times this host's copies stopped by their own deadline (the watchdog) rather than by the agent. */
    long watchdogStops() {
        return watchdogStops;
    }

    /** Whether a fault ever froze the agent (a fence of such a host is expected). */
    boolean everFrozen() {
        return everFrozen;
    }

    /**
     * The agent process stops for {@code nanos} (SIGSTOP, then SIGCONT): it neither beats nor reads replies nor checks
     * its lease meanwhile; its copies run on, until their own deadline.
     */
    void freeze(long nanos) {
        everFrozen = true;
        frozenUntil = Math.max(frozenUntil, loop.clock().now() + nanos);
    }

    /** Runs an event of the agent itself now, or when it thaws if it is frozen. */
    private void asAgent(Runnable event) {
        if (loop.clock().now() < frozenUntil) {
            loop.at(frozenUntil, () -> asAgent(event));
            return;
        }
        event.run();
    }

    Map<InstanceId, Copy> copies() {
        return copies;
    }

    private long intervalNanos() {
        return SimClock.ms(core.intervalMillis());
    }

    /** Boots the agent: it registers, then heartbeats. */
    void start() {
        if (alive) {
            return; // already running: a second boot would orphan the timers of this life
        }
        alive = true;
        core.reset();
        life++;
        copiesDeadline = Long.MAX_VALUE;
        watchdogAt = Long.MAX_VALUE;
        long myLife = life;
        loop.after((long) (random.nextDouble() * intervalNanos()), () -> asAgent(() -> beat(myLife)));
    }

    /** Power loss: every copy dies with the host. */
    void crash() {
        if (!alive) {
            return;
        }
        crashed = true;
        alive = false;
        frozenUntil = Long.MIN_VALUE; // the frozen process died with the host
        life++;
        killAll();
        core.reset();
        copiesDeadline = Long.MAX_VALUE;
        watchdogAt = Long.MAX_VALUE;
    }

    private void beat(long myLife) {
        if (!alive || life != myLife) {
            return;
        }
        send(myLife, RETRIES);
        loop.after(intervalNanos(), () -> asAgent(() -> beat(myLife)));
    }

    private List<AgentCore.Copy> live() {
        List<AgentCore.Copy> live = new ArrayList<>(copies.size());
        copies.forEach((id, c) -> live.add(new AgentCore.Copy(id, c.generation, c.ready, null)));
        return live;
    }

    /**
     * Sends one message (a registration or a heartbeat, as the agent's rules say). Like an HTTP client with a timeout,
     * the agent retries when no reply came back within a third of the interval, a bounded number of times: one lost
     * message must not cost a host its lease.
     */
    private void send(long myLife, int retriesLeft) {
        long sentAt = loop.clock().now();
        Object message = core.message(live());
        network.toController(id(), () -> {
            Protocol.Reply reply = message instanceof Protocol.Heartbeat hb ? controller.heartbeat(hb)
                    : controller.register((Protocol.Registration) message);
            if (reply != null) {
                network.toAgent(id(), () -> asAgent(() -> onReply(reply, sentAt, myLife)));
            }
        });
        if (retriesLeft > 0) {
            loop.after(intervalNanos() / 3, () -> asAgent(() -> {
                if (alive && life == myLife && lastReplyAt < sentAt) {
                    send(myLife, retriesLeft - 1);
                }
            }));
        }
    }

    private void onReply(Protocol.Reply reply, long sentAt, long myLife) {
        if (!alive || life != myLife) {
            return;
        }
        long now = loop.clock().now();
        lastReplyAt = now;
        AgentCore.Actions actions = core.onReply(reply, sentAt, now, live());
        if (core.leaseGranted()) {
            loop.at(core.leaseExpiresAtNanos(), () -> asAgent(() -> checkLease(myLife)));
        }
        if (core.mayStart(now)) {
            renewCopies(core.leaseExpiresAtNanos(), myLife);
        }
        for (InstanceId id : actions.stop()) {
            kill(id);
        }
        for (Protocol.Assignment a : actions.start()) {
            if (core.mayStart(now)) {
                startCopy(a, myLife);
            }
        }
        for (Protocol.Assignment a : actions.reboot()) {
            kill(a.instance());
            if (core.mayStart(now)) {
                startCopy(a, myLife);
            }
        }
    }

    private void checkLease(long myLife) {
        if (!alive || life != myLife) {
            return;
        }
        AgentCore.Actions actions = core.onTime(loop.clock().now());
        if (!actions.fence() || fencingDisabled) {
            return;
        }
        // Self-fencing: nobody renewed our lease for fenceAfter; our instances may be restarted elsewhere soon.
        fences++;
        killAll();
    }

    /**
     * The renewal reaches every copy (as {@code phare agent} writes it into each copy's pipe): their deadline is the
     * lease's. One watchdog event per host stands for all of them, since they share it.
     */
    private void renewCopies(long deadline, long myLife) {
        if (watchdogDisabled) {
            return;
        }
        copiesDeadline = deadline;
        if (watchdogAt == Long.MAX_VALUE) {
            watchdogAt = deadline;
            loop.at(deadline, () -> watchdog(myLife));
        }
    }

    /** The copies' own watchdog: not an event of the agent, so it runs while the agent is frozen. */
    private void watchdog(long myLife) {
        if (!alive || life != myLife) {
            return; // an event of an earlier life: crash() and start() forgot it
        }
        watchdogAt = Long.MAX_VALUE;
        long now = loop.clock().now();
        if (now < copiesDeadline) {
            watchdogAt = copiesDeadline; // renewed meanwhile: look again at the new deadline
            loop.at(copiesDeadline, () -> watchdog(myLife));
            return;
        }
        if (!copies.isEmpty()) {
            watchdogStops++;
            killAll(); // each copy halts at its deadline, frozen agent or not
        }
    }

    private void startCopy(Protocol.Assignment a, long myLife) {
        Copy copy = new Copy(a.generation(), a.demand());
        copies.put(a.instance(), copy);
        invariants.copyStarted(a.instance(), id(), a.generation(), copies.values());
        long boot = bootNanos / 2 + (long) (random.nextDouble() * bootNanos);
        loop.after(boot, () -> {
            if (alive && life == myLife && copies.get(a.instance()) == copy) {
                copy.ready = true;
            }
        });
    }

    private void kill(InstanceId id) {
        Copy c = copies.remove(id);
        if (c != null) {
            invariants.copyStopped(id);
        }
    }

    private void killAll() {
        for (InstanceId id : new ArrayList<>(copies.keySet())) {
            kill(id);
        }
    }

    /** A live, ready copy of this generation exists here. */
    boolean serves(InstanceId id, long generation) {
        Copy c = copies.get(id);
        return alive && c != null && c.ready && c.generation == generation;
    }
}
