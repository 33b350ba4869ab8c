package org.phare.core.agent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.phare.core.model.InstanceId;

/**
 * The host agent's rules, once, as a pure state machine: the real agent ({@code phare agent}), the simulated agent
 * and the core tests' agent are thin shells around it, so the simulator proves the rules that run.
 *
 * <ul>
 *   <li><b>Messages.</b> A registration until the controller knows the host, then heartbeats reporting the live
 *       copies ({@link #message}). A heartbeat carries a digest of the copies and of the desired list last applied; the
 *       full list of copies travels only when it changed or the controller asks for it ({@link Protocol.Reply#resend}),
 *       and the controller leaves the desired list out of its reply when it equals the one applied.</li>
 *   <li><b>Lease and fencing.</b> A reply renews the lease, counted from when its heartbeat was sent ({@link Lease});
 *       when it runs out the agent fences itself: every copy is stopped at once and nothing starts until a fresh reply
 *       renews it ({@link #onTime}). A copy starts only while the lease holds ({@link #mayStart}): the shell asks right
 *       before starting, so a reply applied as the lease ran out never outlives the fence. The shell hands each
 *       renewal ({@link #leaseExpiresAtNanos}) to its copies, which hold the deadline themselves: a frozen shell
 *       cannot fence, and its copies still stop on time (the watchdog).</li>
 *   <li><b>Acknowledgements.</b> Heartbeats carry the newest reply received, applied or not: a controller that
 *       hears an agent that receives none of its replies (a one-way partition) stops granting it a lease.</li>
 *   <li><b>Replies in order.</b> A reply older than the last one applied changes nothing but the lease.</li>
 *   <li><b>Reconciling.</b> What runs is made to match the desired list ({@link HostReconciler}): stale generations and
 *       copies not desired are stopped, missing ones started; a reboot asked since the copy started restarts it.</li>
 *   <li><b>Restart recovery.</b> Copies a previous agent left running are kept, unreported, until the first reply
 *       says which generations to run: those are adopted, the others destroyed ({@link #recovered}).</li>
 * </ul>
 *
 * <p>Pure: no I/O, no threads, no clock — the shell passes its own monotonic time and the copies its driver sees, and
 * carries out the {@link Actions} it gets back. Not thread-safe: a shell with several threads holds one lock around
 * every call.
 */
public final class AgentCore {
    /** The first wait after a message that no member answered (see {@link #unanswered}). */
    public static final long UNANSWERED_RETRY_MS = 250;

    /** A live copy as the host's driver sees it. {@code address}: where it serves, or null. */
    public record Copy(InstanceId instance, long generation, boolean ready, String address) {}

    /** A copy a previous agent left running: its instance and generation. */
    public record Leftover(InstanceId instance, long generation) {}

    /**
     * What the shell must do now, in this order: fence (stop every copy at once), stop these, discard the leftovers
     * not assigned, adopt those assigned, start these (each after asking {@link #mayStart}), and restart in place the
     * copies asked to reboot (stop then start).
     */
    public record Actions(boolean fence, List<InstanceId> stop, List<Leftover> discard, List<Leftover> adopt,
                          List<Protocol.Assignment> start, List<Protocol.Assignment> reboot) {
        public static final Actions NONE = new Actions(false, List.of(), List.of(), List.of(), List.of(), List.of());

        public Actions {
            stop = List.copyOf(stop);
            discard = List.copyOf(discard);
            adopt = List.copyOf(adopt);
            start = List.copyOf(start);
            reboot = List.copyOf(reboot);
        }

        public boolean isEmpty() {
            return !fence && stop.isEmpty() && discard.isEmpty() && adopt.isEmpty() && start.isEmpty() && reboot.isEmpty();
        }
    }

    private final Protocol.Registration registration;
    private final Lease lease = new Lease();
    private boolean registered;
    /** No lease (yet, or any more): nothing may run. */
    private boolean fenced = true;
    private Protocol.ReplyId lastApplied = Protocol.ReplyId.NONE;
    /** The newest reply received, applied or not: heartbeats tell the controller that its replies still arrive. */
    private Protocol.ReplyId lastReceived = Protocol.ReplyId.NONE;
    private long intervalMillis = 1_000;
    /** Messages in a row that no member answered, while the agent held no lease. */
    private int unansweredWithoutLease;
    private List<Protocol.Assignment> applied = List.of();
    private long appliedDigest;
    /** Reboots already carried out per instance, so that a reboot is done once. */
    private final Map<InstanceId, Integer> rebootsSeen = new HashMap<>();
    private List<Leftover> leftovers = List.of();
    /**
     * The copies last sent (in full or as changes) and their digest, and whether the controller asked for them in full.
     */
    private List<Protocol.Observed> sent;
    private long sentDigest;
    private boolean resend = true;
    /** Whether heartbeats and replies may carry changes instead of whole lists (the controller takes them). */
    private boolean changes = true;
    private long fences;

    public AgentCore(Protocol.Registration registration) {
        this.registration = Objects.requireNonNull(registration);
    }

    public Protocol.Registration registration() {
        return registration;
    }

    /** Copies found after a restart: kept, unreported, until the first reply says which to adopt. */
    public void recovered(List<Leftover> copies) {
        leftovers = List.copyOf(copies);
    }

    /**
     * Whether to use changes instead of whole lists, both ways (true by default). A shell turns them off when the
     * controller is of a release that does not take them.
     */
    public void changes(boolean use) {
        changes = use;
        resend = resend || !use;
    }

    /**
     * What to send now: the registration while the controller does not know the host, otherwise a heartbeat of the
     * live copies: nothing of them when they are the ones last sent, the changes since then when they are fewer than
     * the copies, in full otherwise or when the controller asked.
     */
    public Object message(List<Copy> live) {
        if (!registered) {
            return registration;
        }
        List<Protocol.Observed> observed = new ArrayList<>(live.size());
        for (Copy c : live) {
            observed.add(new Protocol.Observed(c.instance(), c.generation(), c.ready(), c.address()));
        }
        long digest = Protocol.digestOfObserved(observed);
        List<Protocol.Observed> full = null;
        Protocol.ObservedChanges changed = null;
        if (resend || sent == null) {
            full = observed;
        } else if (digest != sentDigest) {
            Protocol.Changed<Protocol.Observed> c = changes ? Protocol.changes(sent, observed, Protocol.Observed::instance) : null;
            if (c == null || c.size() >= observed.size()) {
                full = observed;
            } else {
                changed = new Protocol.ObservedChanges(sentDigest, c.upserted(), c.removed());
            }
        }
        if (full != null || changed != null) {
            sent = observed;
            sentDigest = digest;
            resend = false;
        }
        return new Protocol.Heartbeat(registration.host(), lastApplied, full, digest, appliedDigest, lastReceived, changed,
                changes);
    }

    /**
     * A reply to the message sent at {@code sentAtNanos} arrived at {@code nowNanos}. Renews the lease (unless it came
     * too late to prove anything), then, if it is newer than the last one applied, says how to make the live copies
     * match it.
     */
    public Actions onReply(Protocol.Reply reply, long sentAtNanos, long nowNanos, List<Copy> live) {
        unansweredWithoutLease = 0;
        if (!reply.known()) {
            registered = false;
            resend = true;
            return Actions.NONE;
        }
        registered = true;
        if (reply.replyId().compareTo(lastReceived) > 0) {
            lastReceived = reply.replyId();
        }
        intervalMillis = reply.heartbeatIntervalMillis();
        if (Boolean.TRUE.equals(reply.resend())) {
            resend = true;
        }
        if (!lease.renew(sentAtNanos, reply.leaseMillis() * 1_000_000L, nowNanos)) {
            return Actions.NONE; // it came too late (it proves nothing about now), or granted no lease
        }
        fenced = false;
        if (reply.replyId().compareTo(lastApplied) <= 0) {
            return Actions.NONE; // overtaken by a newer reply
        }
        List<Protocol.Assignment> desired = desired(reply);
        if (desired == null) {
            appliedDigest = 0; // changes to a list this agent does not hold: the next reply brings it in full
            return Actions.NONE;
        }
        lastApplied = reply.replyId();
        if (desired != applied) {
            applied = desired;
            appliedDigest = Protocol.digestOfDesired(desired);
        }

        Map<InstanceId, Long> wanted = new HashMap<>();
        desired.forEach(a -> wanted.put(a.instance(), a.generation()));
        List<Leftover> adopt = new ArrayList<>();
        List<Leftover> discard = new ArrayList<>();
        for (Leftover l : leftovers) {
            Long gen = wanted.get(l.instance());
            (gen != null && gen == l.generation() ? adopt : discard).add(l);
        }
        leftovers = List.of();

        Map<InstanceId, Long> generations = new HashMap<>();
        live.forEach(c -> generations.put(c.instance(), c.generation()));
        adopt.forEach(l -> generations.put(l.instance(), l.generation()));
        HostReconciler.Plan plan = HostReconciler.plan(desired, generations);
        List<Protocol.Assignment> reboot = new ArrayList<>();
        for (Protocol.Assignment a : desired) {
            int seen = rebootsSeen.getOrDefault(a.instance(), a.reboots());
            Long generation = generations.get(a.instance());
            boolean running = generation != null && generation == a.generation(); // so the plan does not start it
            if (a.reboots() > seen && running) {
                reboot.add(a);
            }
            rebootsSeen.put(a.instance(), a.reboots());
        }
        rebootsSeen.keySet().retainAll(wanted.keySet());
        return new Actions(false, plan.kill(), discard, adopt, plan.start(), reboot);
    }

    /**
     * The desired list a reply stands for: the one it carries, or the list applied with its changes, or the list applied
     * (the same object) when it carries neither. Null when its changes are not to the list applied, or do not make the
     * list the controller meant (its digest): nothing is applied from a list the agent cannot rebuild exactly.
     */
    private List<Protocol.Assignment> desired(Protocol.Reply reply) {
        if (reply.desired() != null) {
            return reply.desired();
        }
        Protocol.DesiredChanges c = reply.desiredChanges();
        if (c == null) {
            return applied;
        }
        return c.base() == appliedDigest ? c.applyTo(applied) : null;
    }

    /** Time passes: when the lease has run out, the agent fences itself — the shell stops every copy at once. */
    public Actions onTime(long nowNanos) {
        if (fenced || !lease.granted() || lease.valid(nowNanos)) {
            return Actions.NONE;
        }
        lease.revoke();
        fenced = true;
        fences++;
        return new Actions(true, List.of(), List.of(), List.of(), List.of(), List.of());
    }

    /** Whether a copy may start (or be adopted) now: the lease holds. Ask right before starting. */
    public boolean mayStart(long nowNanos) {
        return !fenced && lease.valid(nowNanos);
    }

    /** When the lease runs out (meaningful while {@link #leaseGranted()}): the shell's timer looks then. */
    public long leaseExpiresAtNanos() {
        return lease.expiresAtNanos();
    }

    public boolean leaseGranted() {
        return lease.granted();
    }

    public boolean fenced() {
        return fenced;
    }

    public boolean registered() {
        return registered;
    }

    /** The heartbeat interval the controller hands out. */
    public long intervalMillis() {
        return intervalMillis;
    }

    /**
     * No member answered the last message (an election, a member down, a control plane starting or overloaded): how
     * long to wait before the next one, at {@code nowNanos}. While the lease holds, soon ({@link #UNANSWERED_RETRY_MS}),
     * so that a new leader renews it in time. Once it is gone (the copies are dead already) or was never granted, each
     * further wait doubles, up to the heartbeat interval: agents cut off together never send a control plane that is
     * coming back more than their usual rate. {@code jitter} (0 to 1, from the caller's random source) spreads each
     * wait over its upper half, so that they do not come back in step.
     */
    public long unanswered(double jitter, long nowNanos) {
        long wait;
        if (!fenced && lease.valid(nowNanos)) {
            wait = UNANSWERED_RETRY_MS;
        } else {
            wait = Math.min(intervalMillis, UNANSWERED_RETRY_MS << Math.min(unansweredWithoutLease, 6));
            unansweredWithoutLease++;
        }
        return wait / 2 + (long) (wait / 2 * Math.max(0, Math.min(1, jitter)));
    }

    public Protocol.ReplyId lastApplied() {
        return lastApplied;
    }

    /** The newest reply received, applied or not. */
    public Protocol.ReplyId lastReceived() {
        return lastReceived;
    }

    /** The desired list of the last reply applied (what a reply that leaves it out stands for). */
    public List<Protocol.Assignment> appliedDesired() {
        return applied;
    }

    /** Times the agent fenced itself. */
    public long fences() {
        return fences;
    }

    /** Drill orders carried out (drill#step), kept across {@link #reset()}: an order is carried out once. */
    private final java.util.Set<String> drillOrdersDone = new java.util.LinkedHashSet<>();

    /**
     * The drill order a reply carries, when this agent has not carried it out yet (it is repeated in every reply while
     * the fault lasts); null otherwise. The caller carries it out.
     */
    public Protocol.DrillOrder newDrillOrder(Protocol.Reply reply) {
        Protocol.DrillOrder o = reply.drill();
        if (o == null || !drillOrdersDone.add(o.drill() + "#" + o.step())) {
            return null;
        }
        if (drillOrdersDone.size() > 1_000) {
            drillOrdersDone.remove(drillOrdersDone.iterator().next());
        }
        return o;
    }

    /** A restart of the agent's own state (the host lost power, or the process died): registers again. */
    public void reset() {
        registered = false;
        fenced = true;
        lease.revoke();
        lastApplied = Protocol.ReplyId.NONE;
        lastReceived = Protocol.ReplyId.NONE;
        applied = List.of();
        appliedDigest = 0;
        rebootsSeen.clear();
        leftovers = List.of();
        sent = null;
        resend = true;
    }
}
