package org.phare.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.phare.core.agent.AgentCore;
import org.phare.core.agent.Protocol;
import org.phare.core.control.Controller;
import org.phare.core.model.HostId;
import org.phare.core.model.InstanceId;
import org.phare.core.model.Resources;
import org.phare.core.model.ZoneId;

/**
 * The core tests' host agent: the agent's own rules ({@link AgentCore}: lease and self-fencing, replies in order,
 * reconciling, reboots) around copies kept in memory that start and become ready at once. A test can silence it (no
 * heartbeats, as if cut off: its copies keep running until the lease ends), lose its replies (its heartbeats arrive,
 * the replies never do: a one-way partition), hold its replies (received but not yet applied), or break its fencing
 * (it ignores the order to fence).
 */
public final class FakeAgent {
    private final HostId host;
    private final ZoneId zone;
    private final AgentCore core;
    private final Map<InstanceId, Long> running = new TreeMap<>();
    private final Map<InstanceId, Integer> ports = new java.util.HashMap<>();
    private Protocol.Reply lastReply;
    private int heartbeatsWithChanges;
    private int repliesWithChanges;
    /** Replies received while held, with when their heartbeat was sent. */
    private final List<Object[]> held = new ArrayList<>();
    private boolean silent;
    private boolean holdReplies;
    private boolean repliesLost;
    private boolean fencingBroken;
    private int fences;
    private long lastBeatNanos;
    private long nextBeatNanos;

    public FakeAgent(HostId host, ZoneId zone, Resources capacity) {
        this.host = host;
        this.zone = zone;
        this.core = new AgentCore(new Protocol.Registration(host, zone, CloudFixture.site(zone), capacity, Map.of()));
    }

    /** Heartbeats that sent the copies as changes, and replies that brought the desired list as changes. */
    public int heartbeatsWithChanges() {
        return heartbeatsWithChanges;
    }

    public int repliesWithChanges() {
        return repliesWithChanges;
    }

    /** Whether this agent sends and takes changes instead of whole lists (it does by default). */
    public void changes(boolean use) {
        core.changes(use);
    }

    public Protocol.Reply register(Controller controller, long nowNanos, long intervalNanos) {
        return heartbeat(controller, nowNanos, intervalNanos);
    }

    /** Sends what the agent's rules say to send now (its registration, or a heartbeat) and takes the reply at once. */
    public Protocol.Reply heartbeat(Controller controller, long nowNanos, long intervalNanos) {
        Object message = core.message(copies());
        List<Protocol.Assignment> appliedBefore = core.appliedDesired();
        if (message instanceof Protocol.Heartbeat hb && hb.runningChanges() != null) {
            heartbeatsWithChanges++;
        }
        Protocol.Reply reply = message instanceof Protocol.Heartbeat hb ? controller.heartbeat(hb)
                : controller.register((Protocol.Registration) message);
        lastBeatNanos = nowNanos;
        nextBeatNanos = nowNanos + intervalNanos;
        if (repliesLost) {
            return reply; // the controller answered; the answer never arrives
        }
        // What the reply means: a list left out is the one the agent had applied when it sent the heartbeat, changes
        // are to that one.
        List<Protocol.Assignment> meant = appliedBefore;
        Protocol.DesiredChanges changes = reply.desiredChanges();
        if (changes != null) {
            repliesWithChanges++;
            List<Protocol.Assignment> rebuilt = changes.applyTo(appliedBefore);
            meant = rebuilt != null ? rebuilt : appliedBefore;
        }
        lastReply = reply.desired() != null || !reply.known() ? reply : new Protocol.Reply(reply.replyId(), true,
                reply.heartbeatIntervalMillis(), reply.leaseMillis(), meant, reply.resend());
        if (holdReplies) {
            held.add(new Object[] {reply, nowNanos});
        } else {
            apply(reply, nowNanos, nowNanos);
        }
        Protocol.DrillOrder order = core.newDrillOrder(reply);
        if (order != null) {
            drill(order, nowNanos);
        }
        return lastReply;
    }

    /** A drill's order, as the real agent carries it out: a crash kills every copy and silences; isolate and freeze silence. */
    private void drill(Protocol.DrillOrder order, long nowNanos) {
        if ("CRASH".equals(order.action())) {
            running.clear();
        }
        drillOrder = order;
        drillSilencedAtNanos = nowNanos;
        silent = true;
    }

    private Protocol.DrillOrder drillOrder;
    private long drillSilencedAtNanos;

    /**
     * A silenced agent comes back once the drill no longer holds its fault ({@code stillHeld} false) or its duration
     * passed; a crashed one as a rebooted host.
     */
    public void healIfOver(long nowNanos, boolean stillHeld) {
        if (drillOrder == null) {
            return;
        }
        boolean over = !stillHeld || (drillOrder.forMs() > 0 && nowNanos - drillSilencedAtNanos >= drillOrder.forMs() * 1_000_000L);
        if (over) {
            if ("CRASH".equals(drillOrder.action())) {
                core.reset();
            }
            drillOrder = null;
            silent = false;
        }
    }

    /** The drill order that silenced this agent, or null. */
    public Protocol.DrillOrder drillOrder() {
        return drillOrder;
    }

    private List<AgentCore.Copy> copies() {
        List<AgentCore.Copy> live = new ArrayList<>();
        running.forEach((id, gen) -> live.add(new AgentCore.Copy(id, gen, true, address(id))));
        return live;
    }

    /** Carries out what the agent's rules make of the reply: copies stop and start at once. */
    private void apply(Protocol.Reply reply, long sentAtNanos, long nowNanos) {
        AgentCore.Actions actions = core.onReply(reply, sentAtNanos, nowNanos, copies());
        actions.stop().forEach(running::remove);
        actions.adopt().forEach(l -> running.put(l.instance(), l.generation()));
        for (Protocol.Assignment a : actions.start()) {
            if (core.mayStart(nowNanos)) {
                running.put(a.instance(), a.generation());
            }
        }
    }

    /** Self-fencing: when nothing renewed the lease in time, kill every copy and wait for a fresh reply. */
    public void checkLease(long nowNanos) {
        AgentCore.Actions actions = core.onTime(nowNanos);
        if (actions.fence() && !fencingBroken) {
            fences++;
            running.clear();
        }
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

    /** Stop applying replies; they pile up until {@link #releaseReplies()}. */
    public void holdReplies() {
        holdReplies = true;
    }

    /** Applies the held replies now, in the order they came. */
    public void releaseReplies() {
        holdReplies = false;
        for (Object[] h : held) {
            long sentAt = (Long) h[1];
            apply((Protocol.Reply) h[0], sentAt, sentAt);
        }
        held.clear();
    }

    /** One way: heartbeats still reach the controller, its replies are lost until {@link #receiveReplies()}. */
    public void loseReplies() {
        repliesLost = true;
    }

    public void receiveReplies() {
        repliesLost = false;
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

    /** The last reply, with a desired list left out (unchanged) filled in with the one it stands for. */
    public Protocol.Reply lastReply() {
        return lastReply;
    }

    public Protocol.ReplyId applied() {
        return core.lastApplied();
    }

    public long lastBeatNanos() {
        return lastBeatNanos;
    }

    public AgentCore core() {
        return core;
    }
}
