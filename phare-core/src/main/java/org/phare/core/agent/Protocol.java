package org.phare.core.agent;

import java.util.List;
import java.util.Map;
import org.phare.core.model.HostId;
import org.phare.core.model.ImageId;
import org.phare.core.model.InstanceId;
import org.phare.core.model.Resources;
import org.phare.core.model.SiteId;
import org.phare.core.model.ZoneId;

/** Messages between an agent and the controller. The same types travel over HTTP and through the simulator. */
public final class Protocol {
    private Protocol() {}

    public record Registration(HostId host, ZoneId zone, SiteId site, Resources capacity, Map<String, String> labels) {
        public Registration {
            labels = Map.copyOf(labels);
        }
    }

    /**
     * A heartbeat.
     *
     * @param appliedReply   the {@link Reply#replyId} of the last reply the agent applied before sending, so the
     *                       controller knows the report already reflects that reply's instructions
     * @param running        the instance copies alive on the host (starting or running), with their generations; null
     *                       when they are the ones last sent in full (the controller then uses those, or asks for them)
     * @param observedDigest {@link #digestOfObserved} of the copies alive, sent or not (0: unknown, always sent in full)
     * @param desiredDigest  {@link #digestOfDesired} of the desired list the agent applied last (0: none): when the
     *                       controller's is the same, its reply leaves the list out
     * @param receivedReply  the newest reply the agent received, applied or not (one that came too late to renew the
     *                       lease, or that granted none, counts): whether replies still reach it. Null from an agent
     *                       that does not say
     * @param runningChanges when {@code running} is null: the copies as changes to the list last sent (null: the same
     *                       copies as that list)
     * @param takesChanges   true when the agent applies a reply's {@link Reply#desiredChanges}; null otherwise (an
     *                       agent of an earlier release, or one that talks to such a controller)
     */
    public record Heartbeat(HostId host, ReplyId appliedReply, List<Observed> running, Long observedDigest,
                            Long desiredDigest, ReplyId receivedReply, ObservedChanges runningChanges, Boolean takesChanges) {
        /**
         * The digests are boxed only so that a heartbeat of an agent that sends none reads as 0; {@code takesChanges}
         * is null rather than false, so that a heartbeat without changes has no field a controller of an earlier release
         * would refuse.
         */
        public Heartbeat {
            running = running == null ? null : List.copyOf(running);
            observedDigest = observedDigest == null ? 0L : observedDigest;
            desiredDigest = desiredDigest == null ? 0L : desiredDigest;
            takesChanges = Boolean.TRUE.equals(takesChanges) ? Boolean.TRUE : null;
            if (running != null && runningChanges != null) {
                throw new IllegalArgumentException("a heartbeat carries its copies in full or as changes, not both");
            }
        }

        public Heartbeat(HostId host, ReplyId appliedReply, List<Observed> running, Long observedDigest,
                         Long desiredDigest, ReplyId receivedReply) {
            this(host, appliedReply, running, observedDigest, desiredDigest, receivedReply, null, null);
        }

        /** A heartbeat that always carries its copies and never lets the reply leave the desired list out. */
        public Heartbeat(HostId host, ReplyId appliedReply, List<Observed> running) {
            this(host, appliedReply, running, 0L, 0L, null);
        }
    }

    /**
     * A host's copies as changes to a list the controller holds: {@code base} is that list's digest, {@code upserted}
     * the copies new or changed since, {@code removed} the instances gone. The heartbeat's {@code observedDigest} is
     * the digest of the list they make, so the controller checks what it rebuilt.
     */
    public record ObservedChanges(long base, List<Observed> upserted, List<InstanceId> removed) {
        public ObservedChanges {
            upserted = List.copyOf(upserted);
            removed = List.copyOf(removed);
        }

        /** The copies these changes make of {@code copies} (the base), or null unless their digest is {@code digest}. */
        public List<Observed> applyTo(List<Observed> copies, long digest) {
            List<Observed> list = apply(copies, upserted, removed, Observed::instance);
            return list != null && digestOfObserved(list) == digest ? list : null;
        }
    }

    /**
     * A desired list as changes to the one the agent applied ({@code base}, its digest): the assignments new or
     * changed, and the instances no longer assigned. {@code digest} is the digest of the list they make: an agent
     * whose list differs from the base, or whose result differs from the digest, applies nothing and asks for the
     * list in full.
     */
    public record DesiredChanges(long base, long digest, List<Assignment> upserted, List<InstanceId> removed) {
        public DesiredChanges {
            upserted = List.copyOf(upserted);
            removed = List.copyOf(removed);
        }

        /** The list these changes make of {@code applied} (the base), or null unless it is the list meant ({@link #digest}). */
        public List<Assignment> applyTo(List<Assignment> applied) {
            List<Assignment> list = apply(applied, upserted, removed, Assignment::instance);
            return list != null && digestOfDesired(list) == digest ? list : null;
        }
    }

    /** What changed from {@code base} to {@code now}, by instance; null when an instance appears twice in either. */
    public static <T> Changed<T> changes(List<T> base, List<T> now, java.util.function.Function<T, InstanceId> id) {
        Map<InstanceId, T> before = byInstance(base, id);
        Map<InstanceId, T> after = byInstance(now, id);
        if (before == null || after == null) {
            return null;
        }
        List<T> upserted = new java.util.ArrayList<>();
        for (Map.Entry<InstanceId, T> e : after.entrySet()) {
            if (!e.getValue().equals(before.remove(e.getKey()))) {
                upserted.add(e.getValue());
            }
        }
        return new Changed<>(upserted, List.copyOf(before.keySet()));
    }

    /** Changes to a list, by instance. */
    public record Changed<T>(List<T> upserted, List<InstanceId> removed) {
        public int size() {
            return upserted.size() + removed.size();
        }
    }

    /**
     * {@code base} with {@code upserted} put in (replacing the entry of the same instance, in its place; new ones at the
     * end) and {@code removed} taken out; null when an instance appears twice in {@code upserted} or {@code removed}, or
     * a removed one is not in {@code base}. One walk of {@code base}, with sets the size of the changes only: a host's
     * list holds thousands of copies and a heartbeat changes a few. {@code base} is taken as it is: its senders send a
     * list in full while an instance appears twice in it.
     */
    public static <T> List<T> apply(List<T> base, List<T> upserted, List<InstanceId> removed,
                             java.util.function.Function<T, InstanceId> id) {
        Map<InstanceId, T> put = java.util.HashMap.newHashMap(upserted.size());
        for (T t : upserted) {
            if (put.put(id.apply(t), t) != null) {
                return null;
            }
        }
        java.util.Set<InstanceId> gone = java.util.HashSet.newHashSet(removed.size());
        for (InstanceId r : removed) {
            if (!gone.add(r)) {
                return null;
            }
        }
        List<T> list = new java.util.ArrayList<>(base.size() + upserted.size());
        int goneFound = 0;
        for (T t : base) {
            InstanceId i = id.apply(t);
            if (gone.contains(i)) {
                goneFound++;
                continue;
            }
            T replacement = put.remove(i);
            list.add(replacement != null ? replacement : t);
        }
        if (goneFound != gone.size()) {
            return null;
        }
        for (T t : upserted) {
            if (put.containsKey(id.apply(t))) {
                list.add(t); // not in base (or removed from it): a new one
            }
        }
        return java.util.Collections.unmodifiableList(list);
    }

    private static <T> Map<InstanceId, T> byInstance(List<T> list, java.util.function.Function<T, InstanceId> id) {
        Map<InstanceId, T> m = new java.util.LinkedHashMap<>(list.size() * 2);
        for (T t : list) {
            if (m.put(id.apply(t), t) != null) {
                return null;
            }
        }
        return m;
    }

    /** A digest of copies, whatever their order; never 0. Changes when a copy comes, goes, gets ready or moves. */
    public static long digestOfObserved(List<Observed> copies) {
        long sum = 0x9E3779B97F4A7C15L;
        for (Observed o : copies) {
            long h = o.instance().value().hashCode() * 0x9E3779B97F4A7C15L ^ o.generation() * 0xC2B2AE3D27D4EB4FL
                    ^ (o.ready() ? 0x165667B19E3779F9L : 0) ^ (o.address() == null ? 0 : o.address().hashCode() * 0x27D4EB2F165667C5L);
            sum += mix(h);
        }
        return sum == 0 ? 1 : sum;
    }

    /** A digest of a desired list, whatever its order; never 0. */
    public static long digestOfDesired(List<Assignment> desired) {
        long sum = 0x632BE59BD9B4E019L;
        for (Assignment a : desired) {
            long h = a.instance().value().hashCode() * 0x9E3779B97F4A7C15L ^ a.generation() * 0xC2B2AE3D27D4EB4FL
                    ^ a.reboots() * 0x165667B19E3779F9L ^ a.image().value().hashCode() * 0x27D4EB2F165667C5L
                    ^ (long) a.demand().vcpus() << 40 ^ a.demand().memMiB();
            sum += mix(h);
        }
        return sum == 0 ? 1 : sum;
    }

    /** SplitMix64's finaliser: every input bit reaches every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * One instance copy seen on a host. {@code ready}: it finished starting and serves; {@code address}: where it
     * serves ({@code host:port}), or null when the driver has no network address to give.
     */
    public record Observed(InstanceId instance, long generation, boolean ready, String address) {
        public Observed(InstanceId instance, long generation, boolean ready) {
            this(instance, generation, ready, null);
        }
    }

    /**
     * Identifies a reply: the controller's incarnation (grows on every controller start or leader change)
     * and a sequence within it. Agents apply replies in this order and ignore older ones.
     */
    public record ReplyId(long incarnation, long seq) implements Comparable<ReplyId> {
        public static final ReplyId NONE = new ReplyId(0, 0);

        @Override
        public int compareTo(ReplyId o) {
            return incarnation != o.incarnation ? Long.compare(incarnation, o.incarnation) : Long.compare(seq, o.seq);
        }
    }

    /**
     * The controller's answer to a heartbeat or a registration.
     *
     * @param known             false when the controller does not know the host: the agent must register
     * @param heartbeatInterval when to send the next heartbeat
     * @param leaseMillis       the lease granted, counted by the agent from when it sent the heartbeat; 0 grants none
     *                          (the controller withholds it from an agent that does not acknowledge its replies)
     * @param desired           every instance copy the host must run; anything else must be killed. Null: the same
     *                          list as the one the heartbeat said it applied (its desired digest)
     * @param resend            the heartbeat left its copies out and the controller does not have them: send them in
     *                          full next time
     * @param desiredChanges    when {@code desired} is null: the desired list as changes to the one the agent applied
     *                          (only to an agent that {@link Heartbeat#takesChanges takes them}); null: that same list
     */
    public record Reply(ReplyId replyId, boolean known, long heartbeatIntervalMillis, long leaseMillis,
                        List<Assignment> desired, Boolean resend, DrillOrder drill, DesiredChanges desiredChanges) {
        /** {@code resend} is boxed only so that a reply of a controller that never asks reads as false. */
        public Reply {
            desired = desired == null ? null : List.copyOf(desired);
            resend = resend != null && resend;
            if (desired != null && desiredChanges != null) {
                throw new IllegalArgumentException("a reply carries the desired list in full or as changes, not both");
            }
        }

        public Reply(ReplyId replyId, boolean known, long heartbeatIntervalMillis, long leaseMillis, List<Assignment> desired,
                     Boolean resend, DrillOrder drill) {
            this(replyId, known, heartbeatIntervalMillis, leaseMillis, desired, resend, drill, null);
        }

        public Reply(ReplyId replyId, boolean known, long heartbeatIntervalMillis, long leaseMillis, List<Assignment> desired,
                     Boolean resend) {
            this(replyId, known, heartbeatIntervalMillis, leaseMillis, desired, resend, null);
        }

        public Reply(ReplyId replyId, boolean known, long heartbeatIntervalMillis, long leaseMillis, List<Assignment> desired) {
            this(replyId, known, heartbeatIntervalMillis, leaseMillis, desired, false, null);
        }
    }

    /**
     * A drill's fault for this host, told in every reply while it lasts (an agent carries out each order once):
     * {@code CRASH} (kill every copy at once and fall silent, as a machine that died, then come back as a rebooted
     * host), {@code FREEZE} (the agent process stops for {@code forMs}) or {@code ISOLATE} (fall silent, copies left
     * running to fence themselves). A silent agent asks {@code GET /agent/v1/drill} whether the fault still holds, and
     * comes back once it does not (the drill ended or was aborted) or after {@code forMs} when given.
     */
    public record DrillOrder(String drill, int step, String action, long forMs) {}

    /**
     * An instance the host must run, at this generation. {@code reboots} counts the reboots asked so far: when it
     * grows past what the running copy started with, the agent restarts the copy in place.
     */
    public record Assignment(InstanceId instance, long generation, ImageId image, Resources demand, int reboots) {
        public Assignment(InstanceId instance, long generation, ImageId image, Resources demand) {
            this(instance, generation, image, demand, 0);
        }
    }
}
