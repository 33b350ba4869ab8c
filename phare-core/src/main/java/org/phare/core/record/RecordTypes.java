package org.phare.core.record;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How each record type is named in the log, for ever: a stable, versioned type id ({@code compute.instance-placed/1})
 * that does not follow the class (renaming a class changes nothing on disk), the log format that introduced it (a
 * member writes a type only once the format in force holds it; a member that meets a type it cannot read stops rather
 * than guesses), and the name logs written before type ids existed used for it (read, never written).
 *
 * <p>The one table of every type, as KRaft's {@code MetadataRecordType}: a new record type gets a line here, with the
 * next format when older members could not read it; a record whose meaning changes gets a new version of its id (and a
 * new class), never a new meaning under an old id.
 */
public final class RecordTypes {

    /**
     * The log format this code writes and reads at most. Format 2 brought type ids and {@code compute.instance-renamed};
     * 3, drills; 4, no record type but snapshot files in Smile (binary JSON), which a member of format 3 cannot read.
     */
    public static final int CURRENT_FORMAT = 4;

    /** The log format from which snapshot files are written in Smile rather than JSON. */
    public static final int SMILE_SNAPSHOTS = 4;

    /** One type: its class, its id in the log, the format that introduced it, its name before ids (null if none). */
    public record Type(Class<? extends Record> kind, String id, int since, String legacyName) {}

    private static final Map<Class<? extends Record>, Type> BY_CLASS = new LinkedHashMap<>();
    private static final Map<String, Type> BY_ID = new LinkedHashMap<>();

    static {
        // Topology
        add(TopologyRecord.RegionDefined.class, "topology.region-defined/1", 1, "RegionDefined");
        add(TopologyRecord.ZoneDefined.class, "topology.zone-defined/1", 1, "ZoneDefined");
        add(TopologyRecord.SiteDefined.class, "topology.site-defined/1", 1, "SiteDefined");
        add(TopologyRecord.InstanceTypeDefined.class, "topology.instance-type-defined/1", 1, "InstanceTypeDefined");
        add(TopologyRecord.ImageDefined.class, "topology.image-defined/1", 1, "ImageDefined");
        add(TopologyRecord.PlacementGroupCreated.class, "topology.placement-group-created/1", 1, "PlacementGroupCreated");
        // Compute: hosts and instances
        add(ComputeRecord.SchedulingPolicySet.class, "compute.scheduling-policy-set/1", 1, "SchedulingPolicySet");
        add(ComputeRecord.HostRegistered.class, "compute.host-registered/1", 1, "HostRegistered");
        add(ComputeRecord.HostStateChanged.class, "compute.host-state-changed/1", 1, "HostStateChanged");
        add(ComputeRecord.HostSchedulingChanged.class, "compute.host-scheduling-changed/1", 1, "HostSchedulingChanged");
        add(ComputeRecord.InstanceRequested.class, "compute.instance-requested/1", 1, "InstanceRequested");
        add(ComputeRecord.InstancePlaced.class, "compute.instance-placed/1", 1, "InstancePlaced");
        add(ComputeRecord.InstanceEvicted.class, "compute.instance-evicted/1", 1, "InstanceEvicted");
        add(ComputeRecord.InstancePendingReason.class, "compute.instance-pending-reason/1", 1, "InstancePendingReason");
        add(ComputeRecord.InstanceObserved.class, "compute.instance-observed/1", 1, "InstanceObserved");
        add(ComputeRecord.InstanceRebootRequested.class, "compute.instance-reboot-requested/1", 1, "InstanceRebootRequested");
        add(ComputeRecord.InstanceDesiredChanged.class, "compute.instance-desired-changed/1", 1, "InstanceDesiredChanged");
        add(ComputeRecord.InstanceRenamed.class, "compute.instance-renamed/1", 2, null);
        add(ComputeRecord.AlarmRaised.class, "compute.alarm-raised/1", 1, "AlarmRaised");
        add(ComputeRecord.AlarmCleared.class, "compute.alarm-cleared/1", 1, "AlarmCleared");
        // Identity
        add(IdentityRecord.AccountCreated.class, "identity.account-created/1", 1, "AccountCreated");
        add(IdentityRecord.AccessKeyCreated.class, "identity.access-key-created/1", 1, "AccessKeyCreated");
        add(IdentityRecord.AccessKeyRevoked.class, "identity.access-key-revoked/1", 1, "AccessKeyRevoked");
        add(IdentityRecord.KeyPairCreated.class, "identity.key-pair-created/1", 1, "KeyPairCreated");
        add(IdentityRecord.KeyPairDeleted.class, "identity.key-pair-deleted/1", 1, "KeyPairDeleted");
        // Tags
        add(TagRecord.TagsSet.class, "tags.set/1", 1, "TagsSet");
        add(TagRecord.TagsDeleted.class, "tags.deleted/1", 1, "TagsDeleted");
        // Continuity and the crisis cell
        add(ContinuityRecord.PlanApplied.class, "continuity.plan-applied/1", 1, "PlanApplied");
        add(ContinuityRecord.RosterImported.class, "continuity.roster-imported/1", 1, "RosterImported");
        add(ContinuityRecord.StaffStatusSet.class, "continuity.staff-status-set/1", 1, "StaffStatusSet");
        add(ContinuityRecord.LevelChanged.class, "continuity.level-changed/1", 1, "LevelChanged");
        add(ContinuityRecord.LevelRecommended.class, "continuity.level-recommended/1", 1, "LevelRecommended");
        add(ContinuityRecord.SitesClosed.class, "continuity.sites-closed/1", 1, "SitesClosed");
        add(ContinuityRecord.SitesReopened.class, "continuity.sites-reopened/1", 1, "SitesReopened");
        add(ContinuityRecord.TransportChanged.class, "continuity.transport-changed/1", 1, "TransportChanged");
        add(ContinuityRecord.InfrastructureChanged.class, "continuity.infrastructure-changed/1", 1, "InfrastructureChanged");
        add(ContinuityRecord.MeetingOpened.class, "continuity.meeting-opened/1", 1, "MeetingOpened");
        add(ContinuityRecord.MeetingClosed.class, "continuity.meeting-closed/1", 1, "MeetingClosed");
        add(ContinuityRecord.MinutesRecorded.class, "continuity.minutes-recorded/1", 1, "MinutesRecorded");
        add(ContinuityRecord.ActionOpened.class, "continuity.action-opened/1", 1, "ActionOpened");
        add(ContinuityRecord.ActionClosed.class, "continuity.action-closed/1", 1, "ActionClosed");
        // The cluster
        add(ClusterRecord.IdSaltSet.class, "cluster.id-salt-set/1", 1, "IdSaltSet");
        add(ClusterRecord.LogFormatRaised.class, "cluster.log-format-raised/1", 2, null);
        // Drills
        add(DrillRecord.DrillScheduled.class, "drill.scheduled/1", 3, null);
        add(DrillRecord.DrillStarted.class, "drill.started/1", 3, null);
        add(DrillRecord.DrillStepDone.class, "drill.step-done/1", 3, null);
        add(DrillRecord.DrillCheckJudged.class, "drill.check-judged/1", 3, null);
        add(DrillRecord.DrillIntervention.class, "drill.intervention/1", 3, null);
        add(DrillRecord.DrillProbed.class, "drill.probed/1", 3, null);
        add(DrillRecord.DrillEnded.class, "drill.ended/1", 3, null);
    }

    private RecordTypes() {}

    private static void add(Class<? extends Record> kind, String id, int since, String legacyName) {
        Type t = new Type(kind, id, since, legacyName);
        if (BY_CLASS.put(kind, t) != null || BY_ID.put(id, t) != null) {
            throw new IllegalStateException("record type listed twice: " + kind + " / " + id);
        }
    }

    /** Every type, in the table's order. */
    public static List<Type> all() {
        return List.copyOf(BY_CLASS.values());
    }

    /** The type of a record class. @throws IllegalArgumentException for a class missing from the table */
    public static Type of(Class<? extends Record> kind) {
        Type t = BY_CLASS.get(kind);
        if (t == null) {
            throw new IllegalArgumentException("record type " + kind.getName() + " has no type id (add it to RecordTypes)");
        }
        return t;
    }

    /** The type with this id, or null if this code does not know it. */
    public static Type byId(String id) {
        return BY_ID.get(id);
    }

    /** The log format that introduced the record's type: it may be written only once that format is in force. */
    public static int since(Record r) {
        return of(r.getClass()).since();
    }

    /**
     * The format a batch is written in: the format in force, or the one the batch raises it to (the record that raises
     * the format is written in the new one, which every member announced it reads).
     */
    public static int formatOf(List<? extends Record> batch, int inForce) {
        int format = inForce;
        for (Record r : batch) {
            if (r instanceof ClusterRecord.LogFormatRaised raised) {
                format = Math.max(format, raised.format());
            }
        }
        return format;
    }

    /** The ids by class, read-only: for serialisers. */
    public static Map<Class<? extends Record>, Type> byClass() {
        return Collections.unmodifiableMap(BY_CLASS);
    }
}
