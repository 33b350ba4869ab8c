package org.phare.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.phare.core.agent.HostReconciler;
import org.phare.core.agent.Lease;
import org.phare.core.agent.Protocol;
import org.phare.core.control.Controller;
import org.phare.core.model.HostId;
import org.phare.core.model.InstanceId;
import org.phare.core.model.Resources;
import org.phare.core.model.ZoneId;

/**
 * A host agent reduced to its protocol: it registers, heartbeats with the copies it runs, and applies each
 * fresh reply with {@link HostReconciler} (copies start and become ready at once). Like a real agent it holds
 * a {@link Lease}, renewed by each reply and counted from when the heartbeat was sent, and kills every copy
 * when the lease runs out (self-fencing). A test can silence it (no heartbeats, as if cut off: its copies
 * keep running until the lease ends), hold its replies (received but not yet applied), or break its fencing.
 */
public final class FakeAgent {
    private final HostId host;
    private final ZoneId zone;
    private final Resources capacity;
    private final Map<InstanceId, Long> running = new TreeMap<>();
    private final Map<InstanceId, Integer> ports = new java.util.HashMap<>();
    private Protocol.ReplyId applied = Protocol.ReplyId.NONE;
    private Protocol.Reply lastReply;
    private final List<Protocol.Reply> held = new ArrayList<>();
    private final Lease lease = new Lease();
    private boolean silent;
    private boolean holdReplies;
    private boolean fencingBroken;
    private int fences;
    private long lastBeatNanos;
    private long nextBeatNanos;

    public FakeAgent(HostId host, ZoneId zone, Resources capacity) {
        this.host = host;
        this.zone = zone;
        this.capacity = capacity;
    }

    public Protocol.Reply register(Controller controller, long nowNanos, long intervalNanos) {
        Protocol.Reply reply = controller.register(
                new Protocol.Registration(host, zone, CloudFixture.site(zone), capacity, Map.of()));
        lastBeatNanos = nowNanos;
        nextBeatNanos = nowNanos + intervalNanos;
        receive(reply, nowNanos);
        return reply;
    }

    public Protocol.Reply heartbeat(Controller controller, long nowNanos, long intervalNanos) {
        List<Protocol.Observed> observed = new ArrayList<>();
        running.forEach((id, gen) -> observed.add(new Protocol.Observed(id, gen, true, address(id))));
        Protocol.Reply reply = controller.heartbeat(new Protocol.Heartbeat(host, applied, observed));
        lastBeatNanos = nowNanos;
        nextBeatNanos = nowNanos + intervalNanos;
        receive(reply, nowNanos);
        return reply;
    }

    /** The reply arrives at once: the lease runs from {@code sentAtNanos}, which is also now. */
    private void receive(Protocol.Reply reply, long sentAtNanos) {
        lastReply = reply;
        if (reply.known()) {
            lease.renew(sentAtNanos, reply.leaseMillis() * 1_000_000L, sentAtNanos);
        }
        if (holdReplies) {
            held.add(reply);
        } else {
            apply(reply);
        }
    }

    /** Applies a reply like a real agent: only if it is newer than the last one applied. */
    public void apply(Protocol.Reply reply) {
        if (reply.replyId().compareTo(applied) <= 0) {
            return;
        }
        HostReconciler.Plan plan = HostReconciler.plan(reply.desired(), running);
        plan.kill().forEach(running::remove);
        plan.start().forEach(a -> running.put(a.instance(), a.generation()));
        applied = reply.replyId();
    }

    /** Self-fencing: when nothing renewed the lease in time, kill every copy and wait for a fresh reply. */
    public void checkLease(long nowNanos) {
        if (fencingBroken || !lease.granted() || lease.valid(nowNanos)) {
            return;
        }
        running.clear();
        lease.revoke();
        fences++;
    }

    /** A faulty agent that never fences itself: its copies outlive its lease. */
    public void breakFencing() {
        fencingBroken = true;
    }

    public boolean fencingBroken() {
        return fencingBroken;
    }

    public int fences() {
        return fences;
    }

    public Lease lease() {
        return lease;
    }

    /** Stop applying replies; they pile up until {@link #releaseReplies()}. */
    public void holdReplies() {
        holdReplies = true;
    }

    public void releaseReplies() {
        holdReplies = false;
        held.forEach(this::apply);
        held.clear();
    }

    public void silence() {
        silent = true;
    }

    public void resume() {
        silent = false;
    }

    public boolean silent() {
        return silent;
    }

    public boolean due(long nowNanos) {
        return !silent && nowNanos >= nextBeatNanos;
    }

    /** Where a copy serves: the host and a port of its own, which moves when the copy restarts ({@link #movePort}). */
    public String address(InstanceId id) {
        return host.value() + ":" + (8000 + ports.getOrDefault(id, 0));
    }

    /** The copy of {@code id} restarted in place and serves on another port. */
    public void movePort(InstanceId id) {
        ports.merge(id, 1, Integer::sum);
    }

    public HostId host() {
        return host;
    }

    public ZoneId zone() {
        return zone;
    }

    public Map<InstanceId, Long> running() {
        return Collections.unmodifiableMap(running);
    }

    public Protocol.Reply lastReply() {
        return lastReply;
    }

    public Protocol.ReplyId applied() {
        return applied;
    }

    public long lastBeatNanos() {
        return lastBeatNanos;
    }
}
