package org.phare.core.record;

import java.util.List;
import java.util.Map;
import org.phare.core.model.DesiredState;
import org.phare.core.model.GroupId;
import org.phare.core.model.HostId;
import org.phare.core.model.HostState;
import org.phare.core.model.Image;
import org.phare.core.model.ImageId;
import org.phare.core.model.InstanceId;
import org.phare.core.model.KeyPair;
import org.phare.core.model.Launch;
import org.phare.core.model.Tag;
import org.phare.core.model.InstanceState;
import org.phare.core.model.InstanceType;
import org.phare.core.model.InstanceTypeId;
import org.phare.core.model.PendingReason;
import org.phare.core.model.AccessKey;
import org.phare.core.model.Account;
import org.phare.core.model.PlacementGroup;
import org.phare.core.model.Region;
import org.phare.core.model.Resources;
import org.phare.core.model.Schedulability;
import org.phare.core.model.Site;
import org.phare.core.model.TenantId;
import org.phare.core.model.Zone;
import org.phare.core.model.ZoneId;

/**
 * An immutable fact in the replicated log. State changes only by replaying records, through
 * {@link org.phare.core.state.CloudState#replay(Record)}, on the leader, on followers and on recovery alike.
 *
 * <p>Records carry every value replay needs (including the time, {@code atMs}, read from the controller's
 * clock when the record was decided), so replay is deterministic and never consults a clock or a policy.
 */
public sealed interface Record {

    // --- topology -------------------------------------------------------------------------------

    /**
     * The salt from which the cloud derives its ids (instances, reservations, key pairs), drawn when the cloud was
     * created so that two clouds do not give the same ids. A log without it derives them with salt 0.
     */
    record IdSaltSet(long salt) implements Record {}

    record RegionDefined(Region region) implements Record {}

    record ZoneDefined(Zone zone) implements Record {}

    record SiteDefined(Site site) implements Record {}

    record InstanceTypeDefined(InstanceType type) implements Record {}

    record ImageDefined(Image image) implements Record {}

    record PlacementGroupCreated(PlacementGroup group) implements Record {}

    /** An account (tenant or operator) was created. */
    record AccountCreated(Account account) implements Record {}

    /** An access key was issued to an account; its secret travels sealed. */
    record AccessKeyCreated(AccessKey key) implements Record {}

    /** An access key was revoked: requests signed with it are refused from now on. */
    record AccessKeyRevoked(String keyId, long atMs) implements Record {}

    /** A tenant's key pair was created or imported (its public half only). */
    record KeyPairCreated(KeyPair keyPair) implements Record {}

    record KeyPairDeleted(String keyPairId) implements Record {}

    /** Tags set on resources (instances or key pairs), replacing the values of keys already there. */
    record TagsSet(List<String> resources, Map<String, String> tags) implements Record {}

    /** Tags removed from resources: a tag with a null value is removed whatever its value. */
    record TagsDeleted(List<String> resources, List<Tag> tags) implements Record {}

    /** A version of the continuity plan was applied, by whom and why; it replaces the previous one. */
    record PlanApplied(int version, org.phare.core.continuity.Plan plan, String by, String note, long atMs) implements Record {}

    /**
     * The roster was imported: it replaces the previous one, and people already known keep their status. Holds
     * health data (the at-risk flag, given with consent): only the {@code hr} role reads it back.
     */
    record RosterImported(List<org.phare.core.continuity.Person> people, String by, long atMs) implements Record {}

    /** A person's status changed: onsite, remote, absent or quarantined. */
    record StaffStatusSet(String person, String status, String by, long atMs) implements Record {}

    /**
     * The alert level changed, by whom, why and on what trigger ({@code manual}, or the trigger's kind), with the
     * actions it implied when decided.
     */
    record LevelChanged(int from, int to, String by, String reason, String trigger,
                        org.phare.core.continuity.LevelChange actions, long atMs) implements Record {}

    /** An order closed sites (named, or every site of an area): their people must work remotely. */
    record SitesClosed(List<String> sites, String order, String by, long atMs) implements Record {}

    /** Sites closed by an order open again (the order was lifted): their people may come back. */
    record SitesReopened(List<String> sites, String by, long atMs) implements Record {}

    /**
     * Public transport into an area was lost ({@code lost}) or came back: nobody reaches the offices of that area,
     * whose people must work remotely meanwhile.
     */
    record TransportChanged(String area, boolean lost, String detail, String by, long atMs) implements Record {}

    /**
     * The cloud declared a zone or a datacenter site down (every host of it dead) or back (a host of it ready
     * again). {@code kind} is {@code zone} or {@code site}.
     */
    record InfrastructureChanged(String kind, String id, boolean down, String detail, long atMs) implements Record {}

    // --- the crisis cell --------------------------------------------------------------------------

    /** A meeting of the crisis cell opened; {@code slot} is the cadence slot it holds, null when extraordinary. */
    record MeetingOpened(int meeting, String slot, String by, long atMs) implements Record {}

    record MeetingClosed(int meeting, String by, long atMs) implements Record {}

    /**
     * A line of minutes, or a decision ({@code decision}), in a meeting ({@code meeting} 0: between meetings).
     */
    record MinutesRecorded(int meeting, boolean decision, String text, String by, long atMs) implements Record {}

    /** An action the crisis cell gave to an owner (a person of the roster or a role of the plan), due at a time. */
    record ActionOpened(int action, String text, String owner, long dueMs, int meeting, String by, long atMs)
            implements Record {}

    record ActionClosed(int action, String outcome, String by, long atMs) implements Record {}

    /** A trigger of the plan recommends a level to the crisis cell (a trigger that raises records a LevelChanged). */
    record LevelRecommended(int level, String trigger, String detail, long atMs) implements Record {}

    /** Overcommit ratios in force; the failover reserve is counted with them. */
    record SchedulingPolicySet(double cpuOvercommit, double memOvercommit) implements Record {}

    // --- hosts ----------------------------------------------------------------------------------

    /** A host joined (or re-registered with a new capacity). It starts {@code READY}. */
    record HostRegistered(HostId host, ZoneId zone, org.phare.core.model.SiteId site, Resources capacity,
                          Map<String, String> labels, long atMs) implements Record {
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
    record HostStateChanged(HostId host, HostState state, String reason, long atMs, Long lastHeardMs) implements Record {
        /** A change that is not a silence verdict (or one whose last heartbeat is unknown). */
        public HostStateChanged(HostId host, HostState state, String reason, long atMs) {
            this(host, state, reason, atMs, null);
        }
    }

    record HostSchedulingChanged(HostId host, Schedulability scheduling, String reason) implements Record {}

    // --- instances ------------------------------------------------------------------------------

    /** A tenant asked for an instance. Always followed, in the same batch, by its first {@link InstancePlaced}. */
    record InstanceRequested(InstanceId instance, TenantId tenant, String name, InstanceTypeId type,
                             Resources demand, ImageId image, ZoneId zone, boolean zonePinned, int priority,
                             GroupId group, long atMs, String clientToken, Launch launch) implements Record {
        public InstanceRequested(InstanceId instance, TenantId tenant, String name, InstanceTypeId type,
                                 Resources demand, ImageId image, ZoneId zone, boolean zonePinned, int priority,
                                 GroupId group, long atMs) {
            this(instance, tenant, name, type, demand, image, zone, zonePinned, priority, group, atMs, null, null);
        }
    }

    /** The instance was given a host; {@code generation} is one more than any earlier placement's. */
    record InstancePlaced(InstanceId instance, HostId host, long generation, Placement kind, long atMs)
            implements Record {}

    /** Why an instance placement happened. */
    enum Placement { INITIAL, FAILOVER, RESTART }

    /**
     * The instance lost its host: the host is dead and fenced, or the agent confirmed the copy stopped
     * (drain). It waits in the recovery queue.
     */
    record InstanceEvicted(InstanceId instance, HostId host, long generation, String reason, long atMs)
            implements Record {}

    /** The recovery loop could not place the instance; it waits visibly with this reason. */
    record InstancePendingReason(InstanceId instance, PendingReason reason, String detail) implements Record {}

    /**
     * The agent confirmed a state of the current generation (running, or stopped and gone). A running copy comes
     * with the address it serves at ({@code host:port}, null when the driver gives none), and is observed again
     * when that address changes (a reboot in place): so every member, and any later leader, knows where each
     * instance serves without having heard its agent.
     */
    record InstanceObserved(InstanceId instance, long generation, InstanceState state, long atMs, String address)
            implements Record {
        public InstanceObserved(InstanceId instance, long generation, InstanceState state, long atMs) {
            this(instance, generation, state, atMs, null);
        }
    }

    /** The tenant asked for a reboot: the agent restarts the copy in place (same host, same generation). */
    record InstanceRebootRequested(InstanceId instance, long atMs) implements Record {}

    /** The tenant changed what it wants: stop, start or terminate. */
    record InstanceDesiredChanged(InstanceId instance, DesiredState desired, long atMs) implements Record {}

    // --- alarms ---------------------------------------------------------------------------------

    record AlarmRaised(String code, String detail, long atMs) implements Record {}

    record AlarmCleared(String code, long atMs) implements Record {}
}
