package org.phare.core.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Set;
import org.phare.core.continuity.Person;
import org.phare.core.continuity.Plan;
import org.phare.core.continuity.PlanVersion;
import org.phare.core.model.AccessKey;
import org.phare.core.model.Account;
import org.phare.core.model.GroupId;
import org.phare.core.model.Host;
import org.phare.core.model.HostId;
import org.phare.core.model.Image;
import org.phare.core.model.ImageId;
import org.phare.core.model.Instance;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceType;
import org.phare.core.model.InstanceTypeId;
import org.phare.core.model.KeyPair;
import org.phare.core.model.PlacementGroup;
import org.phare.core.model.Region;
import org.phare.core.model.RegionId;
import org.phare.core.model.Resources;
import org.phare.core.model.Site;
import org.phare.core.model.SiteId;
import org.phare.core.model.TenantId;
import org.phare.core.model.Zone;
import org.phare.core.model.ZoneId;
import org.phare.core.record.ClusterRecord;
import org.phare.core.record.DrillRecord;
import org.phare.core.record.ComputeRecord;
import org.phare.core.record.ContinuityRecord;
import org.phare.core.record.IdentityRecord;
import org.phare.core.record.Record;
import org.phare.core.record.TagRecord;
import org.phare.core.record.TopologyRecord;

/**
 * The whole control-plane state, in memory: one manager per domain (topology, compute, identity, tags, continuity,
 * cluster), each owning its data, its replay, its snapshot section and its comparison, as the controller of KRaft
 * splits its state. It changes only through {@link #replay(Record)}: the leader, the followers and recovery all call
 * that one method, which hands each record to the manager of its family, so replaying a log from empty reproduces the
 * live state exactly.
 *
 * <p>Not thread-safe: one event-loop thread owns it.
 */
public final class CloudState {

    private final TopologyManager topology;
    private final ComputeManager compute;
    private final IdentityManager identity;
    private final TagsManager tags;
    private final ContinuityManager continuity;
    private final ClusterManager cluster;
    private final DrillManager drills;
    private long appliedRecords;

    public CloudState() {
        this(new TopologyManager(), new ComputeManager(), new IdentityManager(), new TagsManager(), new ContinuityManager(),
                new ClusterManager(), new DrillManager(), 0);
    }

    private CloudState(TopologyManager topology, ComputeManager compute, IdentityManager identity, TagsManager tags,
                       ContinuityManager continuity, ClusterManager cluster, DrillManager drills, long appliedRecords) {
        this.topology = topology;
        this.compute = compute;
        this.identity = identity;
        this.tags = tags;
        this.continuity = continuity;
        this.cluster = cluster;
        this.drills = drills;
        this.appliedRecords = appliedRecords;
    }

    /** Recovery order: highest priority first, then oldest first. */
    public record QueueKey(int priority, long seq, InstanceId instance) implements Comparable<QueueKey> {
        @Override
        public int compareTo(QueueKey o) {
            if (priority != o.priority) {
                return Integer.compare(o.priority, priority);
            }
            return Long.compare(seq, o.seq);
        }
    }

    /** Capacity consumed on a host and the instances consuming it. */
    public static final class HostUsage {
        Resources used = Resources.ZERO;
        long weight;
        /** Grows whenever the host or an instance on it changes: what was derived from them may be reused while equal. */
        long version;
        final Set<InstanceId> instances = new LinkedHashSet<>();

        HostUsage copy() {
            HostUsage c = new HostUsage();
            c.used = used;
            c.weight = weight;
            c.version = version;
            c.instances.addAll(instances);
            return c;
        }

        public Resources used() {
            return used;
        }

        public Set<InstanceId> instances() {
            return Collections.unmodifiableSet(instances);
        }
    }

    // ============================================================================================
    // replay: the only way state changes
    // ============================================================================================

    /**
     * Applies one record. Must be deterministic: the same records in the same order always give the same
     * state. A record that does not apply to the current state (for example an observation of an old
     * generation) is ignored rather than rejected, so that replay never fails half-way.
     */
    public void replay(Record record) {
        appliedRecords++;
        switch (record) {
            case TopologyRecord r -> topology.replay(r);
            case ComputeRecord r -> compute.replay(r);
            case IdentityRecord r -> {
                identity.replay(r);
                if (r instanceof IdentityRecord.KeyPairDeleted d) {
                    tags.forget(d.keyPairId());
                }
            }
            case TagRecord r -> tags.replay(r);
            case ContinuityRecord r -> continuity.replay(r);
            case ClusterRecord r -> {
                // The salt stands only before the first id was derived from it.
                if (!(r instanceof ClusterRecord.IdSaltSet) || (compute.instanceSeq() == 0 && identity.keyPairSeq() == 0)) {
                    cluster.replay(r);
                }
            }
            case DrillRecord r -> drills.replay(r);
        }
    }

    public void replayAll(Collection<? extends Record> records) {
        for (Record r : records) {
            replay(r);
        }
    }

    /**
     * Starts a trial of new instances: their records are replayed into this state so that each placement sees the
     * previous ones, then {@link Trial#rollback()} takes them out again, exactly — every derived index, order and
     * counter as before. RunInstances uses it to decide all or nothing without copying the state; the records it
     * keeps are then appended and replayed like any other. Only the records of new instances are allowed in it.
     */
    public Trial trial() {
        return new Trial();
    }

    /** See {@link #trial()}. */
    public final class Trial {
        private final ComputeManager.Mark mark = compute.mark();
        private final long appliedBefore = appliedRecords;
        private final List<InstanceId> created = new ArrayList<>();
        private boolean over;

        public void replay(List<Record> records) {
            if (over) {
                throw new IllegalStateException("the trial was rolled back");
            }
            for (Record r : records) {
                boolean ofNew = switch (r) {
                    case ComputeRecord.InstanceRequested q -> compute.instance(q.instance()) == null && created.add(q.instance());
                    case ComputeRecord.InstancePlaced p -> created.contains(p.instance());
                    case TagRecord.TagsSet t -> t.resources().stream().allMatch(res -> created.contains(new InstanceId(res)));
                    default -> false;
                };
                if (!ofNew) {
                    throw new IllegalArgumentException("a trial holds the records of new instances only, not " + r);
                }
                CloudState.this.replay(r);
            }
        }

        public void rollback() {
            over = true;
            compute.rollback(mark, created);
            created.forEach(id -> tags.forget(id.value()));
            appliedRecords = appliedBefore;
        }
    }

    // ============================================================================================
    // snapshot, restore, copy, comparison
    // ============================================================================================

    /**
     * The primary data of this state, one section per manager (see {@link StateSnapshot}). O(hosts + instances); the
     * result shares only immutable records with this state, so it may be serialised on another thread.
     */
    public StateSnapshot snapshot() {
        return new StateSnapshot(appliedRecords, topology.section(), compute.section(), identity.section(), tags.section(),
                continuity.section(), cluster.section(), drills.section());
    }

    /**
     * A state equal to the one {@code snapshot} was taken from, derived indexes included
     * ({@code restore(s.snapshot()).differences(s)} is empty, and the iteration orders of hosts, instances and
     * each host's instances are the same), so that replaying the same further records keeps them equal.
     *
     * @throws IllegalArgumentException if the snapshot is inconsistent (an instance on an unknown host, a host's
     *         instance list that does not match the instances placed on it, an access key of an unknown account,
     *         duplicate ids)
     */
    public static CloudState restore(StateSnapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        return new CloudState(TopologyManager.restore(snapshot.topology()), ComputeManager.restore(snapshot.compute()),
                IdentityManager.restore(snapshot.identity()), TagsManager.restore(snapshot.tags()),
                ContinuityManager.restore(snapshot.continuity()), ClusterManager.restore(snapshot.cluster()),
                DrillManager.restore(snapshot.drills()), snapshot.appliedRecords());
    }

    /** An independent copy, equal in every respect ({@code copy().differences(this)} is empty). O(hosts + instances). */
    public CloudState copy() {
        // The compute domain, by far the largest, copies its maps; the others are small and go through their sections.
        return new CloudState(TopologyManager.restore(topology.section()), compute.copy(), IdentityManager.restore(identity.section()),
                TagsManager.restore(tags.section()), ContinuityManager.restore(continuity.section()),
                ClusterManager.restore(cluster.section()), DrillManager.restore(drills.section()), appliedRecords);
    }

    /** Differences with another state, primary data and derived indexes alike; empty when they are equal. */
    public List<String> differences(CloudState other) {
        List<String> diffs = new ArrayList<>();
        topology.differences(other.topology, diffs);
        compute.differences(other.compute, diffs);
        identity.differences(other.identity, diffs);
        tags.differences(other.tags, diffs);
        continuity.differences(other.continuity, diffs);
        cluster.differences(other.cluster, diffs);
        drills.differences(other.drills, diffs);
        return diffs;
    }

    /** Differences limited to some hosts and instances: cheap enough to run after every event. */
    public List<String> differences(CloudState other, Collection<HostId> someHosts, Collection<InstanceId> someInstances) {
        List<String> diffs = new ArrayList<>();
        compute.differences(other.compute, someHosts, someInstances, diffs);
        return diffs;
    }

    // ============================================================================================
    // reads
    // ============================================================================================

    public long appliedRecords() {
        return appliedRecords;
    }

    // --- topology ---

    public Map<RegionId, Region> regions() {
        return topology.regions();
    }

    public Map<ZoneId, Zone> zones() {
        return topology.zones();
    }

    public Map<SiteId, Site> sites() {
        return topology.sites();
    }

    public Map<InstanceTypeId, InstanceType> instanceTypes() {
        return topology.instanceTypes();
    }

    public Map<ImageId, Image> images() {
        return topology.images();
    }

    public Map<GroupId, PlacementGroup> groups() {
        return topology.groups();
    }

    public List<ZoneId> zonesOf(RegionId region) {
        return topology.zonesOf(region);
    }

    // --- compute ---

    public Map<HostId, Host> hosts() {
        return compute.hosts();
    }

    public Host host(HostId id) {
        return compute.host(id);
    }

    public Map<InstanceId, Instance> instances() {
        return compute.instances();
    }

    public Instance instance(InstanceId id) {
        return compute.instance(id);
    }

    public Map<String, Alarm> alarms() {
        return compute.alarms();
    }

    /** Failovers of instances whose host died: those waiting, and the last completed ones. */
    public Failovers failovers() {
        return compute.failovers();
    }

    /** The instances created by the tenant's request with this client token, in creation order (empty if none). */
    public List<InstanceId> instancesWithToken(TenantId tenant, String clientToken) {
        return compute.instancesWithToken(tenant, clientToken);
    }

    public long instanceSeq() {
        return compute.instanceSeq();
    }

    /**
     * A number that grows whenever the host or one of its instances changes (not part of the state's data: a restored
     * state counts from 0): what a controller derived from them may be reused while it is unchanged. -1 for no host.
     */
    public long hostVersion(HostId host) {
        return compute.hostVersion(host);
    }

    public Resources used(HostId host) {
        return compute.used(host);
    }

    public Set<InstanceId> instancesOn(HostId host) {
        return compute.instancesOn(host);
    }

    public List<HostId> hostsIn(ZoneId zone) {
        return compute.hostsIn(zone);
    }

    /** The failover reserve's unit: the largest instance that should run (vCPU and memory maxima). */
    public Resources slot() {
        return compute.slot();
    }

    /**
     * The failover reserve as it would be counted once an instance of {@code demand} exists: the live
     * aggregates when it is no larger than the slot (the common case, O(1)), otherwise aggregates recomputed
     * with the larger slot (O(hosts + instances), once per new largest size).
     */
    public ReserveView reserveFor(Resources demand) {
        return compute.reserveFor(demand);
    }

    /** Failover-reserve aggregates under one slot size. */
    public static final class ReserveView {
        private final Resources slot;
        private final Sizing sizing;
        private final Map<ZoneId, ZoneStats> stats;

        ReserveView(Resources slot, Sizing sizing, Map<ZoneId, ZoneStats> stats) {
            this.slot = slot;
            this.sizing = sizing;
            this.stats = stats;
        }

        public Resources slot() {
            return slot;
        }

        /** Weight of an instance of this size, in millionths of a slot. */
        public long weight(Resources demand) {
            return sizing.weight(demand);
        }

        /** The zone's aggregates (those of a zone without hosts when it has none). */
        public ZoneStats zone(ZoneId zone) {
            return stats.getOrDefault(zone, ComputeManager.NO_HOSTS);
        }
    }

    public double cpuOvercommit() {
        return compute.cpuOvercommit();
    }

    public double memOvercommit() {
        return compute.memOvercommit();
    }

    /** The zone's failover-reserve aggregates (those of a zone without hosts when it has none). */
    public ZoneStats zoneStats(ZoneId zone) {
        return compute.zoneStats(zone);
    }

    /** Instances that should run and have no host, in recovery order (highest priority, then oldest). */
    public NavigableSet<QueueKey> recoveryQueue() {
        return compute.recoveryQueue();
    }

    public int groupMembersOn(GroupId group, HostId host) {
        return compute.groupMembersOn(group, host);
    }

    public int groupMembersIn(GroupId group, ZoneId zone) {
        return compute.groupMembersIn(group, zone);
    }

    public int tenantInstancesIn(TenantId tenant, ZoneId zone) {
        return compute.tenantInstancesIn(tenant, zone);
    }

    // --- identity ---

    public Map<TenantId, Account> accounts() {
        return identity.accounts();
    }

    /** Every access key ever issued, revoked ones included, by id. */
    public Map<String, AccessKey> accessKeys() {
        return identity.accessKeys();
    }

    public Map<String, KeyPair> keyPairs() {
        return identity.keyPairs();
    }

    /** The tenant's key pair of that name, or null. */
    public KeyPair keyPair(TenantId tenant, String name) {
        return identity.keyPair(tenant, name);
    }

    public int keyPairCount(TenantId tenant) {
        return identity.keyPairCount(tenant);
    }

    public long keyPairSeq() {
        return identity.keyPairSeq();
    }

    // --- tags ---

    /** The tags of a resource (sorted by key), empty when it has none. */
    public Map<String, String> tags(String resource) {
        return tags.tags(resource);
    }

    /** Every tagged resource and its tags, by resource id. */
    public Map<String, ? extends Map<String, String>> allTags() {
        return tags.all();
    }

    // --- continuity ---

    /** The continuity plan in force, or null before the first is applied. */
    public Plan plan() {
        return continuity.plan();
    }

    /** The version of the plan in force, 0 before the first. */
    public int planVersion() {
        return continuity.planVersion();
    }

    public List<PlanVersion> planHistory() {
        return continuity.planHistory();
    }

    /** The roster by person id, in file order. Holds the at-risk flag: only HR may see it. */
    public Map<String, Person> staff() {
        return continuity.staff();
    }

    /** The alert level in force (0 before any change). */
    public int level() {
        return continuity.level();
    }

    /** Every level change, oldest first. */
    public List<ContinuityRecord.LevelChanged> levelHistory() {
        return continuity.levelHistory();
    }

    /** The recommendations of the plan's triggers, oldest first. */
    public List<ContinuityRecord.LevelRecommended> recommendations() {
        return continuity.recommendations();
    }

    /** Sites closed by an order: site id to the order's text. */
    public Map<String, String> closedSites() {
        return continuity.closedSites();
    }

    /** The crisis cell's meetings, minutes and actions; areas without transport; parts of the cloud down. */
    public CrisisCell crisis() {
        return continuity.crisis();
    }

    // --- cluster ---

    /** The salt the cloud derives its ids from (0 until the cloud's first leader draws one). */
    public long idSalt() {
        return cluster.idSalt();
    }

    /** The log format in force: no member writes a record of a later format (1 in logs that never raised it). */
    public int logFormat() {
        return cluster.logFormat();
    }

    // --- drills ---

    /** Full-scale exercises, scheduled, running and ended. */
    public DrillManager drills() {
        return drills;
    }
}
