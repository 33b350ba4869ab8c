package org.phare.core.record;

import java.util.Map;
import org.phare.core.model.DesiredState;
import org.phare.core.model.GroupId;
import org.phare.core.model.HostId;
import org.phare.core.model.HostState;
import org.phare.core.model.ImageId;
import org.phare.core.model.InstanceId;
import org.phare.core.model.Launch;
import org.phare.core.model.InstanceState;
import org.phare.core.model.InstanceTypeId;
import org.phare.core.model.PendingReason;
import org.phare.core.model.Resources;
import org.phare.core.model.Schedulability;
import org.phare.core.model.TenantId;
import org.phare.core.model.ZoneId;

/**
 * Hosts and instances: registrations, health, placements, what agents observe, the failover reserve's policy, alarms and the ids' salt.
 * One family of {@link Record}s: a manager of the state replays it alone (see {@code org.phare.core.state}).
 */
public sealed interface ComputeRecord extends Record {


    /** Overcommit ratios in force; the failover reserve is counted with them. */
    record SchedulingPolicySet(double cpuOvercommit, double memOvercommit) implements ComputeRecord {}

    /** A host joined (or re-registered with a new capacity). It starts {@code READY}. */
    record HostRegistered(HostId host, ZoneId zone, org.phare.core.model.SiteId site, Resources capacity,
                          Map<String, String> labels, long atMs) implements ComputeRecord {
        public HostRegistered {
            labels = Map.copyOf(labels);
        }
    }

    /**
     * A host changed state.
     *
     * @param lastHeardMs for a silence verdict (suspect or dead): when the controller last heard the host, on the
     *                    calendar clock — {@code atMs} minus the silence measured on the controller's monotonic clock.
     *                    A host that died stopped heartbeating at most one heartbeat interval after it, so the outage
     *                    of its instances is counted from here. Never earlier than the deciding controller's start
     *                    (or the end of a storm): a new controller does not know when its predecessor last heard a
     *                    host, so after a leader change it is a lower bound of the silence. Null for other changes,
     *                    and in logs written before it was recorded.
     */
    record HostStateChanged(HostId host, HostState state, String reason, long atMs, Long lastHeardMs) implements ComputeRecord {
        /** A change that is not a silence verdict (or one whose last heartbeat is unknown). */
        public HostStateChanged(HostId host, HostState state, String reason, long atMs) {
            this(host, state, reason, atMs, null);
        }
    }

    record HostSchedulingChanged(HostId host, Schedulability scheduling, String reason) implements ComputeRecord {}

    /** A tenant asked for an instance. Always followed, in the same batch, by its first {@link InstancePlaced}. */
    record InstanceRequested(InstanceId instance, TenantId tenant, String name, InstanceTypeId type,
                             Resources demand, ImageId image, ZoneId zone, boolean zonePinned, int priority,
                             GroupId group, long atMs, String clientToken, Launch launch) implements ComputeRecord {
        public InstanceRequested(InstanceId instance, TenantId tenant, String name, InstanceTypeId type,
                                 Resources demand, ImageId image, ZoneId zone, boolean zonePinned, int priority,
                                 GroupId group, long atMs) {
            this(instance, tenant, name, type, demand, image, zone, zonePinned, priority, group, atMs, null, null);
        }
    }

    /** The instance was given a host; {@code generation} is one more than any earlier placement's. */
    record InstancePlaced(InstanceId instance, HostId host, long generation, Placement kind, long atMs)
            implements ComputeRecord {}

    /** Why an instance placement happened. */
    enum Placement { INITIAL, FAILOVER, RESTART }

    /**
     * The instance lost its host: the host is dead and fenced, or the agent confirmed the copy stopped
     * (drain). It waits in the recovery queue.
     */
    record InstanceEvicted(InstanceId instance, HostId host, long generation, String reason, long atMs)
            implements ComputeRecord {}

    /** The recovery loop could not place the instance; it waits visibly with this reason. */
    record InstancePendingReason(InstanceId instance, PendingReason reason, String detail) implements ComputeRecord {}

    /**
     * The agent confirmed a state of the current generation (running, or stopped and gone). A running copy comes
     * with the address it serves at ({@code host:port}, null when the driver gives none), and is observed again
     * when that address changes (a reboot in place): so every member, and any later leader, knows where each
     * instance serves without having heard its agent.
     */
    record InstanceObserved(InstanceId instance, long generation, InstanceState state, long atMs, String address)
            implements ComputeRecord {
        public InstanceObserved(InstanceId instance, long generation, InstanceState state, long atMs) {
            this(instance, generation, state, atMs, null);
        }
    }

    /** The tenant asked for a reboot: the agent restarts the copy in place (same host, same generation). */
    record InstanceRebootRequested(InstanceId instance, long atMs) implements ComputeRecord {}

    /**
     * The tenant renamed the instance. Introduced by log format 2: an older member could not read it, so it is written
     * only once the format in force is 2 or more.
     */
    record InstanceRenamed(InstanceId instance, String name, long atMs) implements ComputeRecord {}

    /** The tenant changed what it wants: stop, start or terminate. */
    record InstanceDesiredChanged(InstanceId instance, DesiredState desired, long atMs) implements ComputeRecord {}

    record AlarmRaised(String code, String detail, long atMs) implements ComputeRecord {}

    record AlarmCleared(String code, long atMs) implements ComputeRecord {}
}
