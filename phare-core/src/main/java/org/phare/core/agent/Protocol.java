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
     * @param appliedReply the {@link Reply#replyId} of the last reply the agent applied before sending, so the
     *                     controller knows the report already reflects that reply's instructions
     * @param running      the instance copies alive on the host (starting or running), with their generations
     */
    public record Heartbeat(HostId host, ReplyId appliedReply, List<Observed> running) {
        public Heartbeat {
            running = List.copyOf(running);
        }
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
     * @param leaseMillis       the lease granted, counted by the agent from when it sent the heartbeat
     * @param desired           every instance copy the host must run; anything else must be killed
     */
    public record Reply(ReplyId replyId, boolean known, long heartbeatIntervalMillis, long leaseMillis,
                        List<Assignment> desired) {
        public Reply {
            desired = List.copyOf(desired);
        }
    }

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
