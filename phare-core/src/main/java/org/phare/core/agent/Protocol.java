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
     */
    public record Heartbeat(HostId host, ReplyId appliedReply, List<Observed> running, Long observedDigest,
                            Long desiredDigest, ReplyId receivedReply) {
        /** The digests are boxed only so that a heartbeat of an agent that sends none reads as 0. */
        public Heartbeat {
            running = running == null ? null : List.copyOf(running);
            observedDigest = observedDigest == null ? 0L : observedDigest;
            desiredDigest = desiredDigest == null ? 0L : desiredDigest;
        }

        /** A heartbeat that always carries its copies and never lets the reply leave the desired list out. */
        public Heartbeat(HostId host, ReplyId appliedReply, List<Observed> running) {
            this(host, appliedReply, running, 0L, 0L, null);
        }
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
     */
    public record Reply(ReplyId replyId, boolean known, long heartbeatIntervalMillis, long leaseMillis,
                        List<Assignment> desired, Boolean resend, DrillOrder drill) {
        /** {@code resend} is boxed only so that a reply of a controller that never asks reads as false. */
        public Reply {
            desired = desired == null ? null : List.copyOf(desired);
            resend = resend != null && resend;
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
