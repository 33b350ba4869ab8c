package org.phare.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.phare.core.agent.HostReconciler;
import org.phare.core.agent.Lease;
import org.phare.core.agent.Protocol;
import org.phare.core.model.HostId;
import org.phare.core.model.InstanceId;
import org.phare.core.model.Resources;

/**
 * A simulated host agent. Same rules as the real one: heartbeat at the interval the controller hands out,
 * apply only fresh replies, reconcile with {@link HostReconciler}, and fence itself (kill every copy) when its
 * {@link Lease} runs out. A crash kills every copy at once, like a hypervisor losing power.
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
    private final Lease lease = new Lease();
    private Protocol.ReplyId lastApplied = Protocol.ReplyId.NONE;
    private static final int RETRIES = 2;
    private long heartbeatIntervalNanos = SimClock.seconds(1);
    private long lastReplyAt = -1;
    private boolean alive;
    private boolean registered;
    /** Bumped on crash and restart: timers of an earlier life do nothing. */
    private long life;
    private long fences;
    private boolean crashed;
    /** Test hook: an agent that never fences itself, to prove the safety checker catches it. */
    private final boolean fencingDisabled;

    SimAgent(Protocol.Registration registration, EventLoop loop, SimNetwork network, ControllerNode controller,
             Invariants invariants, SplittableRandom random, long bootNanos, boolean fencingDisabled) {
        this.registration = registration;
        this.loop = loop;
        this.network = network;
        this.controller = controller;
        this.invariants = invariants;
        this.random = random;
        this.bootNanos = bootNanos;
        this.fencingDisabled = fencingDisabled;
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

    Map<InstanceId, Copy> copies() {
        return copies;
    }

    /** Boots the agent: it registers, then heartbeats. */
    void start() {
        if (alive) {
            return; // already running: a second boot would orphan the timers of this life
        }
        alive = true;
        registered = false;
        life++;
        long myLife = life;
        loop.after((long) (random.nextDouble() * heartbeatIntervalNanos), () -> beat(myLife));
    }

    /** Power loss: every copy dies with the host. */
    void crash() {
        if (!alive) {
            return;
        }
        crashed = true;
        alive = false;
        life++;
        killAll();
        lease.revoke();
        lastApplied = Protocol.ReplyId.NONE;
    }

    private void beat(long myLife) {
        if (!alive || life != myLife) {
            return;
        }
        send(myLife, RETRIES);
        loop.after(heartbeatIntervalNanos, () -> beat(myLife));
    }

    /**
     * Sends one heartbeat (or registration). Like an HTTP client with a timeout, the agent retries when no
     * reply came back within a third of the interval, a bounded number of times: one lost message must not
     * cost a host its lease.
     */
    private void send(long myLife, int retriesLeft) {
        long sentAt = loop.clock().now();
        if (!registered) {
            network.send(id(), () -> {
                Protocol.Reply reply = controller.register(registration);
                if (reply != null) {
                    network.send(id(), () -> onReply(reply, sentAt, myLife));
                }
            });
        } else {
            List<Protocol.Observed> running = new ArrayList<>(copies.size());
            copies.forEach((id, c) -> running.add(new Protocol.Observed(id, c.generation, c.ready)));
            Protocol.Heartbeat hb = new Protocol.Heartbeat(id(), lastApplied, running);
            network.send(id(), () -> {
                Protocol.Reply reply = controller.heartbeat(hb);
                if (reply != null) {
                    network.send(id(), () -> onReply(reply, sentAt, myLife));
                }
            });
        }
        if (retriesLeft > 0) {
            loop.after(heartbeatIntervalNanos / 3, () -> {
                if (alive && life == myLife && lastReplyAt < sentAt) {
                    send(myLife, retriesLeft - 1);
                }
            });
        }
    }

    private void onReply(Protocol.Reply reply, long sentAt, long myLife) {
        if (!alive || life != myLife) {
            return;
        }
        long now = loop.clock().now();
        lastReplyAt = now;
        if (!reply.known()) {
            registered = false;
            return;
        }
        registered = true;
        heartbeatIntervalNanos = SimClock.ms(reply.heartbeatIntervalMillis());
        if (!lease.renew(sentAt, SimClock.ms(reply.leaseMillis()), now)) {
            return; // arrived after its lease ran out: it proves nothing about now
        }
        long expiry = lease.expiresAtNanos();
        loop.at(expiry, () -> checkLease(myLife));
        if (reply.replyId().compareTo(lastApplied) <= 0) {
            return; // overtaken by a newer reply
        }
        lastApplied = reply.replyId();
        Map<InstanceId, Long> generations = new TreeMap<>();
        copies.forEach((id, c) -> generations.put(id, c.generation));
        HostReconciler.Plan plan = HostReconciler.plan(reply.desired(), generations);
        for (InstanceId id : plan.kill()) {
            kill(id);
        }
        for (Protocol.Assignment a : plan.start()) {
            startCopy(a, myLife);
        }
    }

    private void checkLease(long myLife) {
        if (!alive || life != myLife || lease.valid(loop.clock().now()) || !lease.granted()) {
            return;
        }
        if (fencingDisabled) {
            return;
        }
        // Self-fencing: nobody renewed our lease for fenceAfter; our instances may be restarted elsewhere soon.
        fences++;
        killAll();
        lease.revoke();
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
