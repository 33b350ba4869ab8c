package org.phare.core.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.phare.core.model.DesiredState;
import org.phare.core.model.GroupId;
import org.phare.core.model.Host;
import org.phare.core.model.HostId;
import org.phare.core.model.HostState;
import org.phare.core.model.Image;
import org.phare.core.model.ImageId;
import org.phare.core.model.Instance;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceState;
import org.phare.core.model.InstanceType;
import org.phare.core.model.InstanceTypeId;
import org.phare.core.model.KeyPair;
import org.phare.core.model.Tag;
import org.phare.core.model.PendingReason;
import org.phare.core.model.AccessKey;
import org.phare.core.model.Account;
import org.phare.core.model.PlacementGroup;
import org.phare.core.model.Region;
import org.phare.core.model.RegionId;
import org.phare.core.model.Resources;
import org.phare.core.model.Schedulability;
import org.phare.core.model.Site;
import org.phare.core.model.SiteId;
import org.phare.core.model.TenantId;
import org.phare.core.model.Zone;
import org.phare.core.model.ZoneId;
import org.phare.core.record.Record;

/**
 * The whole control-plane state, in memory. It changes only through {@link #replay(Record)}: the leader,
 * the followers and recovery all call that one method, so replaying a log from empty reproduces the live
 * state exactly.
 *
 * <p>Besides the primary maps (what a snapshot holds) it keeps derived indexes (usage per host, zone
 * aggregates, the recovery queue, anti-affinity counts) that make a placement O(log n). Every index is
 * updated the same way: {@code unindex(old)} then {@code index(new)} on each instance change, and
 * {@code detach(host)} then {@code attach(host)} on each host change.
 *
 * <p>Not thread-safe: one event-loop thread owns it.
 */
public final class CloudState {

    private final Map<RegionId, Region> regions = new TreeMap<>();
    private final Map<ZoneId, Zone> zones = new TreeMap<>();
    private final Map<SiteId, Site> sites = new TreeMap<>();
    private final Map<InstanceTypeId, InstanceType> types = new TreeMap<>();
    private final Map<ImageId, Image> images = new TreeMap<>();
    private final Map<GroupId, PlacementGroup> groups = new TreeMap<>();
    private final Map<HostId, Host> hosts = new LinkedHashMap<>();
    private final Map<InstanceId, Instance> instances = new LinkedHashMap<>();
    private final Map<String, Alarm> alarms = new TreeMap<>();
    private final Map<TenantId, Account> accounts = new TreeMap<>();
    private final Map<String, AccessKey> accessKeys = new TreeMap<>();
    private final Map<String, KeyPair> keyPairs = new TreeMap<>();
    /** Each tenant's key pairs by name. Derived from {@code keyPairs}. */
    private final Map<TenantId, Map<String, KeyPair>> keyPairsByName = new HashMap<>();
    /** Tags by resource id (instances and key pairs), each resource's tags sorted by key. */
    private final Map<String, TreeMap<String, String>> tags = new TreeMap<>();
    private long keyPairSeq;
    private org.phare.core.continuity.Plan plan;
    /** Every change of the alert level, oldest first; the level is the last one's (0 before any). */
    private final List<Record.LevelChanged> levelHistory = new ArrayList<>();
    /** Sites closed by an order, with the order. */
    private final Map<String, String> closedSites = new TreeMap<>();
    /** The plan's triggers' recommendations, oldest first. */
    private final List<Record.LevelRecommended> recommendations = new ArrayList<>();
    /** The roster, in file order. */
    private final Map<String, org.phare.core.continuity.Person> staff = new LinkedHashMap<>();
    private final List<org.phare.core.continuity.PlanVersion> planHistory = new ArrayList<>();
    /** Meetings, minutes, actions, areas without transport, parts of the cloud down. */
    private org.phare.core.continuity.CrisisCell crisis = new org.phare.core.continuity.CrisisCell();
    private Failovers failovers = new Failovers();
    /** The instances each (tenant, client token) created, in creation order. Derived from the instances. */
    private final Map<String, List<InstanceId>> byClientToken = new HashMap<>();
    private long instanceSeq;
    /** The salt ids are derived from (0 until the cloud's first leader draws one). */
    private long idSalt;
    private long appliedRecords;
    private Sizing sizing = Sizing.initial();
    private ReserveView hypothetical;
    private long hypotheticalAt = -1;

    // --- derived indexes ---
    private final Map<HostId, HostUsage> usage = new HashMap<>();
    private final Map<ZoneId, List<HostId>> hostsByZone = new TreeMap<>();
    private final Map<ZoneId, ZoneStats> zoneStats = new TreeMap<>();
    private final NavigableSet<QueueKey> recoveryQueue = new TreeSet<>();
    private final Map<GroupId, Map<HostId, Integer>> groupHosts = new HashMap<>();
    private final Map<GroupId, Map<ZoneId, Integer>> groupZones = new HashMap<>();
    private final Map<TenantId, Map<ZoneId, Integer>> tenantZones = new HashMap<>();
    /** Sizes of the instances that should run: the largest is the failover reserve's slot. */
    private final TreeMap<Integer, Integer> liveDemandVcpus = new TreeMap<>();
    private final TreeMap<Long, Integer> liveDemandMemMiB = new TreeMap<>();

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
        private Resources used = Resources.ZERO;
        private long weight;
        /** Grows whenever the host or an instance on it changes: what was derived from them may be reused while equal. */
        private long version;
        private final Set<InstanceId> instances = new LinkedHashSet<>();

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
            case Record.IdSaltSet r -> {
                if (idSalt == 0 && instanceSeq == 0 && keyPairSeq == 0) {
                    idSalt = r.salt();
                }
            }
            case Record.RegionDefined r -> regions.put(r.region().id(), r.region());
            case Record.ZoneDefined r -> {
                zones.put(r.zone().id(), r.zone());
                hostsByZone.computeIfAbsent(r.zone().id(), z -> new ArrayList<>());
                zoneStats.computeIfAbsent(r.zone().id(), z -> new ZoneStats());
            }
            case Record.SiteDefined r -> sites.put(r.site().id(), r.site());
            case Record.InstanceTypeDefined r -> types.put(r.type().id(), r.type());
            case Record.SchedulingPolicySet r -> resize(new Sizing(r.cpuOvercommit(), r.memOvercommit(), sizing.slot()));
            case Record.ImageDefined r -> images.put(r.image().id(), r.image());
            case Record.PlacementGroupCreated r -> groups.put(r.group().id(), r.group());
            case Record.AccountCreated r -> accounts.putIfAbsent(r.account().name(), r.account());
            case Record.AccessKeyCreated r -> accessKeys.putIfAbsent(r.key().id(), r.key());
            case Record.AccessKeyRevoked r -> accessKeys.computeIfPresent(r.keyId(),
                    (id, k) -> k.active() ? k.revoked(r.atMs()) : k);
            case Record.KeyPairCreated r -> {
                keyPairSeq++;
                if (keyPairs.putIfAbsent(r.keyPair().id(), r.keyPair()) == null) {
                    keyPairsByName.computeIfAbsent(r.keyPair().tenant(), t -> new HashMap<>()).put(r.keyPair().name(), r.keyPair());
                }
            }
            case Record.KeyPairDeleted r -> {
                KeyPair gone = keyPairs.remove(r.keyPairId());
                if (gone != null) {
                    keyPairsByName.get(gone.tenant()).remove(gone.name());
                }
                tags.remove(r.keyPairId());
            }
            case Record.TagsSet r -> {
                for (String resource : r.resources()) {
                    tags.computeIfAbsent(resource, k -> new TreeMap<>()).putAll(r.tags());
                }
            }
            case Record.TagsDeleted r -> deleteTags(r);
            case Record.RosterImported r -> {
                Map<String, org.phare.core.continuity.Person> before = new HashMap<>(staff);
                staff.clear();
                for (org.phare.core.continuity.Person p : r.people()) {
                    org.phare.core.continuity.Person old = before.get(p.id());
                    staff.put(p.id(), old == null ? p : p.withStatus(old.status()));
                }
            }
            case Record.StaffStatusSet r -> staff.computeIfPresent(r.person(), (id, p) -> p.withStatus(r.status()));
            case Record.SitesClosed r -> r.sites().forEach(site -> closedSites.put(site, r.order()));
            case Record.SitesReopened r -> r.sites().forEach(closedSites::remove);
            case Record.TransportChanged r -> crisis.replay(r);
            case Record.InfrastructureChanged r -> crisis.replay(r);
            case Record.MeetingOpened r -> crisis.replay(r);
            case Record.MeetingClosed r -> crisis.replay(r);
            case Record.MinutesRecorded r -> crisis.replay(r);
            case Record.ActionOpened r -> crisis.replay(r);
            case Record.ActionClosed r -> crisis.replay(r);
            case Record.LevelRecommended r -> recommendations.add(r);
            case Record.LevelChanged r -> {
                if (r.from() == level()) {
                    levelHistory.add(r);
                }
            }
            case Record.PlanApplied r -> {
                if (r.version() == planVersion() + 1) {
                    plan = r.plan();
                    planHistory.add(org.phare.core.continuity.PlanVersion.of(r.version(), r.plan(), r.by(), r.note(), r.atMs()));
                }
            }
            case Record.HostRegistered r -> registerHost(r);
            case Record.HostStateChanged r -> {
                Host host = hosts.get(r.host());
                if (host != null) {
                    replaceHost(host, host.withState(r.state(), r.atMs(), r.lastHeardMs()));
                }
            }
            case Record.HostSchedulingChanged r -> {
                Host host = hosts.get(r.host());
                if (host != null) {
                    replaceHost(host, host.withScheduling(r.scheduling()));
                }
            }
            case Record.InstanceRequested r -> {
                instanceSeq++;
                Instance created = new Instance(r.instance(), r.tenant(), r.name(), r.type(), r.demand(), r.image(),
                        r.zone(), r.zonePinned(), r.priority(), r.group(), DesiredState.RUNNING, InstanceState.PENDING,
                        null, 0, null, null, instanceSeq, r.atMs(), 0, 0, r.clientToken(), r.launch(), null, 0L);
                putInstance(null, created);
                indexToken(created);
            }
            case Record.InstancePlaced r -> {
                Instance old = instances.get(r.instance());
                Host host = hosts.get(r.host());
                // Only an instance without a host can be placed: a move is always an eviction, then a placement.
                if (old != null && host != null && old.host() == null && r.generation() > old.generation()) {
                    putInstance(old, old.placedOn(host.id(), host.zone(), r.generation(), r.atMs()));
                    if (r.kind() == Record.Placement.FAILOVER) {
                        failovers.placed(old.id(), host.id(), host.zone(), r.atMs());
                    }
                }
            }
            case Record.InstanceEvicted r -> {
                Instance old = instances.get(r.instance());
                if (old != null && r.host().equals(old.host()) && old.generation() == r.generation()) {
                    Host from = hosts.get(r.host());
                    if (old.desired() == DesiredState.RUNNING && from.state() == HostState.DEAD) {
                        failovers.evicted(old.id(), from.id(), from.zone(), from.lastHeardMs(), from.stateSinceMs(), r.atMs());
                    }
                    putInstance(old, switch (old.desired()) {
                        case RUNNING -> old.unplaced(InstanceState.PENDING, PendingReason.HOST_FAILED, r.reason());
                        case STOPPED -> old.unplaced(InstanceState.STOPPED, null, null);
                        case TERMINATED -> old.unplaced(InstanceState.TERMINATED, null, null);
                    });
                }
            }
            case Record.InstancePendingReason r -> {
                Instance old = instances.get(r.instance());
                if (old != null && old.awaitingPlacement()) {
                    putInstance(old, old.unplaced(old.state(), r.reason(), r.detail()));
                }
            }
            case Record.InstanceObserved r -> {
                observe(r);
                Instance seen = instances.get(r.instance());
                if (r.state() == InstanceState.RUNNING && seen != null && seen.host() != null && seen.generation() == r.generation()) {
                    failovers.running(r.instance(), r.atMs());
                }
            }
            case Record.InstanceDesiredChanged r -> {
                changeDesired(r);
                if (r.desired() != DesiredState.RUNNING) {
                    failovers.abandoned(r.instance());
                }
            }
            case Record.InstanceRebootRequested r -> {
                Instance old = instances.get(r.instance());
                if (old != null && old.host() != null && old.desired() == DesiredState.RUNNING) {
                    putInstance(old, old.rebooted());
                }
            }
            case Record.AlarmRaised r -> alarms.put(r.code(), new Alarm(r.code(), r.detail(), r.atMs()));
            case Record.AlarmCleared r -> alarms.remove(r.code());
        }
        Resources slot = largestLiveDemand();
        if (!slot.equals(sizing.slot())) {
            resize(new Sizing(sizing.cpuOvercommit(), sizing.memOvercommit(), slot));
        }
    }

    private void deleteTags(Record.TagsDeleted r) {
        for (String resource : r.resources()) {
            TreeMap<String, String> on = tags.get(resource);
            if (on == null) {
                continue;
            }
            for (Tag t : r.tags()) {
                if (t.value() == null || t.value().equals(on.get(t.key()))) {
                    on.remove(t.key());
                }
            }
            if (on.isEmpty()) {
                tags.remove(resource);
            }
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
        private final long seqBefore = instanceSeq;
        private final long appliedBefore = appliedRecords;
        private final List<InstanceId> created = new ArrayList<>();
        private boolean over;

        public void replay(List<Record> records) {
            if (over) {
                throw new IllegalStateException("the trial was rolled back");
            }
            for (Record r : records) {
                boolean ofNew = switch (r) {
                    case Record.InstanceRequested q -> !instances.containsKey(q.instance()) && created.add(q.instance());
                    case Record.InstancePlaced p -> created.contains(p.instance());
                    case Record.TagsSet t -> t.resources().stream().allMatch(res -> created.contains(new InstanceId(res)));
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
            for (int k = created.size() - 1; k >= 0; k--) {
                InstanceId id = created.get(k);
                Instance i = instances.remove(id);
                unindex(i);
                if (i.clientToken() != null) {
                    String key = tokenKey(i.tenant(), i.clientToken());
                    List<InstanceId> ids = byClientToken.get(key);
                    ids.remove(id);
                    if (ids.isEmpty()) {
                        byClientToken.remove(key);
                    }
                }
                tags.remove(id.value());
            }
            instanceSeq = seqBefore;
            appliedRecords = appliedBefore;
            hypothetical = null;
            hypotheticalAt = -1;
            Resources slot = largestLiveDemand();
            if (!slot.equals(sizing.slot())) {
                resize(new Sizing(sizing.cpuOvercommit(), sizing.memOvercommit(), slot));
            }
        }
    }

    public void replayAll(Collection<? extends Record> records) {
        for (Record r : records) {
            replay(r);
        }
    }

    private void registerHost(Record.HostRegistered r) {
        Host old = hosts.get(r.host());
        if (old == null) {
            Host host = new Host(r.host(), r.zone(), r.site(), r.capacity(), r.labels(), HostState.READY,
                    Schedulability.SCHEDULABLE, r.atMs(), null);
            hosts.put(host.id(), host);
            usage.put(host.id(), new HostUsage());
            hostsByZone.computeIfAbsent(host.zone(), z -> new ArrayList<>()).add(host.id());
            zoneStats.computeIfAbsent(host.zone(), z -> new ZoneStats()).attach(host, Resources.ZERO, 0, sizing, +1);
        } else {
            // Re-registration: same identity and zone, possibly a new capacity; the host is alive again.
            replaceHost(old, new Host(old.id(), old.zone(), r.site(), r.capacity(), r.labels(), HostState.READY,
                    old.scheduling(), r.atMs(), null));
        }
    }

    private void replaceHost(Host old, Host updated) {
        ZoneStats stats = zoneStats.get(old.zone());
        HostUsage u = usage.get(old.id());
        u.version++;
        stats.attach(old, u.used, u.weight, sizing, -1);
        hosts.put(updated.id(), updated);
        stats.attach(updated, u.used, u.weight, sizing, +1);
    }

    private void observe(Record.InstanceObserved r) {
        Instance old = instances.get(r.instance());
        if (old == null || old.host() == null || old.generation() != r.generation()) {
            return;
        }
        switch (r.state()) {
            case RUNNING -> {
                boolean sameCopy = old.state() == InstanceState.RUNNING && java.util.Objects.equals(old.address(), r.address());
                if (!sameCopy) {
                    putInstance(old, old.running(r.address(), r.atMs()));
                }
            }
            case STOPPED, TERMINATED -> putInstance(old, old.unplaced(r.state(), null, null));
            default -> { /* other states are never observed from an agent */ }
        }
    }

    private void changeDesired(Record.InstanceDesiredChanged r) {
        Instance old = instances.get(r.instance());
        if (old == null || old.desired() == DesiredState.TERMINATED) {
            return; // termination is final
        }
        InstanceState next = switch (r.desired()) {
            case RUNNING -> InstanceState.PENDING; // until the agent confirms it runs (again)
            case STOPPED -> old.host() == null ? InstanceState.STOPPED : InstanceState.STOPPING;
            case TERMINATED -> old.host() == null ? InstanceState.TERMINATED : InstanceState.SHUTTING_DOWN;
        };
        Instance updated = old.withDesired(r.desired(), next);
        if (r.desired() == DesiredState.RUNNING && old.host() == null) {
            updated = updated.unplaced(InstanceState.PENDING, PendingReason.STARTING, null);
        }
        putInstance(old, updated);
    }

    /** Replaces an instance and moves its contributions in every derived index. */
    private void putInstance(Instance old, Instance updated) {
        if (old != null) {
            unindex(old);
        }
        instances.put(updated.id(), updated);
        index(updated);
    }

    private void index(Instance i) {
        adjust(i, +1);
    }

    private void unindex(Instance i) {
        adjust(i, -1);
    }

    private void adjust(Instance i, int sign) {
        if (i.desired() == DesiredState.RUNNING && i.state() != InstanceState.TERMINATED) {
            count(liveDemandVcpus, i.demand().vcpus(), sign);
            count(liveDemandMemMiB, i.demand().memMiB(), sign);
        }
        if (i.awaitingPlacement() && i.state() != InstanceState.TERMINATED) {
            QueueKey key = new QueueKey(i.priority(), i.seq(), i.id());
            if (sign > 0) {
                recoveryQueue.add(key);
            } else {
                recoveryQueue.remove(key);
            }
        }
        if (i.host() == null) {
            return;
        }
        Host host = hosts.get(i.host());
        HostUsage u = usage.get(i.host());
        u.version++;
        ZoneStats stats = zoneStats.get(host.zone());
        stats.attach(host, u.used, u.weight, sizing, -1);
        if (sign > 0) {
            u.used = u.used.plus(i.demand());
            u.instances.add(i.id());
        } else {
            u.used = u.used.minus(i.demand());
            u.instances.remove(i.id());
        }
        u.weight += sign * sizing.weight(i.demand());
        stats.attach(host, u.used, u.weight, sizing, +1);
        count(tenantZones, i.tenant(), host.zone(), sign);
        if (i.group() != null) {
            count(groupHosts, i.group(), host.id(), sign);
            count(groupZones, i.group(), host.zone(), sign);
        }
    }

    private Resources largestLiveDemand() {
        return new Resources(liveDemandVcpus.isEmpty() ? 0 : liveDemandVcpus.lastKey(),
                liveDemandMemMiB.isEmpty() ? 0 : liveDemandMemMiB.lastKey());
    }

    /**
     * Overcommit or slot size changed: recount every host's contribution. O(hosts + instances), and rare:
     * the slot changes only when the largest instance that should run changes size.
     */
    private void resize(Sizing next) {
        sizing = next;
        zoneStats.putAll(statsFor(next, true));
    }

    /** Zone aggregates recomputed from scratch for a sizing; with {@code store}, host weights are updated too. */
    private Map<ZoneId, ZoneStats> statsFor(Sizing with, boolean store) {
        Map<ZoneId, ZoneStats> stats = new TreeMap<>();
        for (ZoneId z : zoneStats.keySet()) {
            stats.put(z, new ZoneStats());
        }
        for (Host host : hosts.values()) {
            HostUsage u = usage.get(host.id());
            long weight = 0;
            for (InstanceId id : u.instances) {
                weight += with.weight(instances.get(id).demand());
            }
            if (store) {
                u.weight = weight;
            }
            stats.computeIfAbsent(host.zone(), z -> new ZoneStats()).attach(host, u.used, weight, with, +1);
        }
        return stats;
    }

    private static <K> void count(Map<K, Integer> counts, K key, int sign) {
        counts.merge(key, sign, (a, b) -> a + b == 0 ? null : a + b);
    }

    /** A count in a map of maps; an inner map that empties is removed, as restore never creates one. */
    private static <O, K> void count(Map<O, Map<K, Integer>> counts, O outer, K key, int sign) {
        Map<K, Integer> inner = counts.computeIfAbsent(outer, o -> new HashMap<>());
        count(inner, key, sign);
        if (inner.isEmpty()) {
            counts.remove(outer);
        }
    }

    // ============================================================================================
    // snapshot and restore
    // ============================================================================================

    /**
     * A number that grows whenever the host or one of its instances changes (not part of the state's data: a restored
     * state counts from 0): what a controller derived from them may be reused while it is unchanged. -1 for no host.
     */
    public long hostVersion(HostId host) {
        HostUsage u = usage.get(host);
        return u == null ? -1 : u.version;
    }

    /** An independent copy, equal in every respect ({@code copy().differences(this)} is empty). O(hosts + instances). */
    public CloudState copy() {
        return restore(snapshot());
    }

    /**
     * The primary data of this state, orders included (see {@link StateSnapshot}). O(hosts + instances); the
     * result shares only immutable records with this state, so it may be serialised on another thread.
     */
    public StateSnapshot snapshot() {
        List<StateSnapshot.HostInstances> onHosts = new ArrayList<>();
        for (Host host : hosts.values()) {
            HostUsage u = usage.get(host.id());
            if (!u.instances.isEmpty()) {
                onHosts.add(new StateSnapshot.HostInstances(host.id(), List.copyOf(u.instances)));
            }
        }
        return new StateSnapshot(List.copyOf(regions.values()), List.copyOf(zones.values()),
                List.copyOf(sites.values()), List.copyOf(types.values()), List.copyOf(images.values()),
                List.copyOf(groups.values()), List.copyOf(hosts.values()), List.copyOf(instances.values()), onHosts,
                List.copyOf(alarms.values()), instanceSeq, appliedRecords, sizing.cpuOvercommit(),
                sizing.memOvercommit(), List.copyOf(accounts.values()), List.copyOf(accessKeys.values()),
                List.copyOf(keyPairs.values()), keyPairSeq, tags.entrySet().stream()
                        .map(e -> new StateSnapshot.ResourceTags(e.getKey(), e.getValue())).toList(), plan, List.copyOf(planHistory),
                List.copyOf(staff.values()), List.copyOf(levelHistory), new TreeMap<>(closedSites), List.copyOf(recommendations),
                crisis.data(), failovers.data(), idSalt);
    }

    /**
     * A state equal to the one {@code snapshot} was taken from, derived indexes included
     * ({@code restore(s.snapshot()).differences(s)} is empty, and the iteration orders of hosts, instances and
     * each host's instances are the same), so that replaying the same further records keeps them equal.
     *
     * <p>The derived indexes are rebuilt through replay's own paths: zones and hosts are added as their
     * definition and registration records add them, each instance is indexed as replay indexes it (the instances
     * of each host in that host's order), then the zone aggregates and host weights are recounted for the slot of
     * the restored instances, as replay does when the slot changes.
     *
     * @throws IllegalArgumentException if the snapshot is inconsistent (an instance on an unknown host, a host's
     *         instance list that does not match the instances placed on it, duplicate ids)
     */
    public static CloudState restore(StateSnapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        CloudState s = new CloudState();
        for (Region r : snapshot.regions()) {
            putNew(s.regions, r.id(), r, "region");
        }
        for (Zone z : snapshot.zones()) {
            putNew(s.zones, z.id(), z, "zone");
            s.hostsByZone.computeIfAbsent(z.id(), k -> new ArrayList<>());
            s.zoneStats.computeIfAbsent(z.id(), k -> new ZoneStats());
        }
        for (Site site : snapshot.sites()) {
            putNew(s.sites, site.id(), site, "site");
        }
        for (InstanceType t : snapshot.instanceTypes()) {
            putNew(s.types, t.id(), t, "instance type");
        }
        for (Image i : snapshot.images()) {
            putNew(s.images, i.id(), i, "image");
        }
        for (PlacementGroup g : snapshot.groups()) {
            putNew(s.groups, g.id(), g, "placement group");
        }
        for (Alarm a : snapshot.alarms()) {
            putNew(s.alarms, a.code(), a, "alarm");
        }
        for (Account a : snapshot.accounts()) {
            putNew(s.accounts, a.name(), a, "account");
        }
        for (AccessKey k : snapshot.accessKeys()) {
            if (!s.accounts.containsKey(k.account())) {
                throw new IllegalArgumentException("access key " + k.id() + " belongs to unknown account " + k.account());
            }
            putNew(s.accessKeys, k.id(), k, "access key");
        }
        for (KeyPair k : snapshot.keyPairs()) {
            putNew(s.keyPairs, k.id(), k, "key pair");
            s.keyPairsByName.computeIfAbsent(k.tenant(), t -> new HashMap<>()).put(k.name(), k);
        }
        s.keyPairSeq = snapshot.keyPairSeq();
        s.plan = snapshot.plan();
        s.planHistory.addAll(snapshot.planHistory());
        for (org.phare.core.continuity.Person p : snapshot.staff()) {
            putNew(s.staff, p.id(), p, "person");
        }
        s.levelHistory.addAll(snapshot.levelHistory());
        s.closedSites.putAll(snapshot.closedSites());
        s.recommendations.addAll(snapshot.recommendations());
        s.crisis = org.phare.core.continuity.CrisisCell.restore(snapshot.crisis());
        s.failovers = Failovers.restore(snapshot.failovers());
        for (StateSnapshot.ResourceTags t : snapshot.tags()) {
            if (s.tags.putIfAbsent(t.resource(), new TreeMap<>(t.tags())) != null) {
                throw new IllegalArgumentException("the snapshot holds the tags of " + t.resource() + " twice");
            }
        }
        // Overcommit first, slot last: the slot follows from the instances, as after any replayed record.
        s.sizing = new Sizing(snapshot.cpuOvercommit(), snapshot.memOvercommit(), Resources.ZERO);
        for (Host host : snapshot.hosts()) {
            putNew(s.hosts, host.id(), host, "host");
            s.usage.put(host.id(), new HostUsage());
            s.hostsByZone.computeIfAbsent(host.zone(), z -> new ArrayList<>()).add(host.id());
            s.zoneStats.computeIfAbsent(host.zone(), z -> new ZoneStats()).attach(host, Resources.ZERO, 0, s.sizing, +1);
        }
        // Every instance in creation order (the map's order); index the placed ones in their host's order.
        for (Instance i : snapshot.instances()) {
            putNew(s.instances, i.id(), i, "instance");
            s.indexToken(i);
            if (i.host() != null && !s.hosts.containsKey(i.host())) {
                throw new IllegalArgumentException("instance " + i.id() + " is on unknown host " + i.host());
            }
        }
        int placed = 0;
        for (StateSnapshot.HostInstances on : snapshot.hostInstances()) {
            for (InstanceId id : on.instances()) {
                Instance i = s.instances.get(id);
                if (i == null || !on.host().equals(i.host()) || s.usage.get(on.host()).instances.contains(id)) {
                    throw new IllegalArgumentException("host " + on.host() + " lists instance " + id
                            + " which is not placed on it (or twice)");
                }
                s.index(i);
                placed++;
            }
        }
        for (Instance i : s.instances.values()) {
            if (i.host() == null) {
                s.index(i);
            } else {
                placed--;
            }
        }
        if (placed != 0) {
            throw new IllegalArgumentException("the hosts' instance lists do not cover every placed instance");
        }
        s.resize(new Sizing(snapshot.cpuOvercommit(), snapshot.memOvercommit(), s.largestLiveDemand()));
        s.instanceSeq = snapshot.instanceSeq();
        s.idSalt = snapshot.idSalt();
        s.appliedRecords = snapshot.appliedRecords();
        return s;
    }

    private static <K, V> void putNew(Map<K, V> map, K key, V value, String what) {
        if (map.putIfAbsent(key, value) != null) {
            throw new IllegalArgumentException("the snapshot holds " + what + " " + key + " twice");
        }
    }

    // ============================================================================================
    // reads
    // ============================================================================================

    public Map<RegionId, Region> regions() {
        return Collections.unmodifiableMap(regions);
    }

    public Map<ZoneId, Zone> zones() {
        return Collections.unmodifiableMap(zones);
    }

    public Map<SiteId, Site> sites() {
        return Collections.unmodifiableMap(sites);
    }

    public Map<InstanceTypeId, InstanceType> instanceTypes() {
        return Collections.unmodifiableMap(types);
    }

    public Map<ImageId, Image> images() {
        return Collections.unmodifiableMap(images);
    }

    public Map<TenantId, Account> accounts() {
        return Collections.unmodifiableMap(accounts);
    }

    /** Every access key ever issued, revoked ones included, by id. */
    public Map<String, AccessKey> accessKeys() {
        return Collections.unmodifiableMap(accessKeys);
    }

    public Map<GroupId, PlacementGroup> groups() {
        return Collections.unmodifiableMap(groups);
    }

    public Map<HostId, Host> hosts() {
        return Collections.unmodifiableMap(hosts);
    }

    public Map<InstanceId, Instance> instances() {
        return Collections.unmodifiableMap(instances);
    }

    public Map<String, Alarm> alarms() {
        return Collections.unmodifiableMap(alarms);
    }

    public Map<String, KeyPair> keyPairs() {
        return Collections.unmodifiableMap(keyPairs);
    }

    /** The tenant's key pair of that name, or null. */
    public KeyPair keyPair(TenantId tenant, String name) {
        Map<String, KeyPair> mine = keyPairsByName.get(tenant);
        return mine == null ? null : mine.get(name);
    }

    public int keyPairCount(TenantId tenant) {
        Map<String, KeyPair> mine = keyPairsByName.get(tenant);
        return mine == null ? 0 : mine.size();
    }

    /** The continuity plan in force, or null before the first is applied. */
    public org.phare.core.continuity.Plan plan() {
        return plan;
    }

    /** The roster by person id, in file order. Holds the at-risk flag: only HR may see it. */
    public Map<String, org.phare.core.continuity.Person> staff() {
        return Collections.unmodifiableMap(staff);
    }

    /** The alert level in force (0 before any change). */
    public int level() {
        return levelHistory.isEmpty() ? 0 : levelHistory.get(levelHistory.size() - 1).to();
    }

    /** Sites closed by an order: site id to the order's text. */
    public Map<String, String> closedSites() {
        return Collections.unmodifiableMap(closedSites);
    }

    /** The crisis cell's meetings, minutes and actions; areas without transport; parts of the cloud down. */
    public org.phare.core.continuity.CrisisCell crisis() {
        return crisis;
    }

    /** Failovers of instances whose host died: those waiting, and the last completed ones. */
    public Failovers failovers() {
        return failovers;
    }

    /** The recommendations of the plan's triggers, oldest first. */
    public List<Record.LevelRecommended> recommendations() {
        return Collections.unmodifiableList(recommendations);
    }

    /** Every level change, oldest first. */
    public List<Record.LevelChanged> levelHistory() {
        return Collections.unmodifiableList(levelHistory);
    }

    /** The version of the plan in force, 0 before the first. */
    public int planVersion() {
        return planHistory.size();
    }

    public List<org.phare.core.continuity.PlanVersion> planHistory() {
        return Collections.unmodifiableList(planHistory);
    }

    public long keyPairSeq() {
        return keyPairSeq;
    }

    /** The tags of a resource (sorted by key), empty when it has none. */
    public Map<String, String> tags(String resource) {
        TreeMap<String, String> on = tags.get(resource);
        return on == null ? Map.of() : Collections.unmodifiableMap(on);
    }

    /** Every tagged resource and its tags, by resource id. */
    public Map<String, ? extends Map<String, String>> allTags() {
        return Collections.unmodifiableMap(tags);
    }

    public Host host(HostId id) {
        return hosts.get(id);
    }

    /** The instances created by the tenant's request with this client token, in creation order (empty if none). */
    public List<InstanceId> instancesWithToken(TenantId tenant, String clientToken) {
        List<InstanceId> ids = byClientToken.get(tokenKey(tenant, clientToken));
        return ids == null ? List.of() : Collections.unmodifiableList(ids);
    }

    private void indexToken(Instance i) {
        if (i.clientToken() != null) {
            byClientToken.computeIfAbsent(tokenKey(i.tenant(), i.clientToken()), k -> new ArrayList<>()).add(i.id());
        }
    }

    private static String tokenKey(TenantId tenant, String clientToken) {
        return tenant.value() + '\n' + clientToken;
    }

    public Instance instance(InstanceId id) {
        return instances.get(id);
    }

    /** The salt the cloud derives its ids from. */
    public long idSalt() {
        return idSalt;
    }

    public long instanceSeq() {
        return instanceSeq;
    }

    public long appliedRecords() {
        return appliedRecords;
    }

    public Resources used(HostId host) {
        HostUsage u = usage.get(host);
        return u == null ? Resources.ZERO : u.used;
    }

    public Set<InstanceId> instancesOn(HostId host) {
        HostUsage u = usage.get(host);
        return u == null ? Set.of() : u.instances();
    }

    public List<HostId> hostsIn(ZoneId zone) {
        return Collections.unmodifiableList(hostsByZone.getOrDefault(zone, List.of()));
    }

    /** The failover reserve's unit: the largest instance that should run (vCPU and memory maxima). */
    public Resources slot() {
        return sizing.slot();
    }

    /**
     * The failover reserve as it would be counted once an instance of {@code demand} exists: the live
     * aggregates when it is no larger than the slot (the common case, O(1)), otherwise aggregates recomputed
     * with the larger slot (O(hosts + instances), once per new largest size).
     */
    public ReserveView reserveFor(Resources demand) {
        Resources slot = new Resources(Math.max(sizing.slot().vcpus(), demand.vcpus()),
                Math.max(sizing.slot().memMiB(), demand.memMiB()));
        if (slot.equals(sizing.slot())) {
            return new ReserveView(slot, sizing, zoneStats);
        }
        // Repeated questions about the same larger size, with no record applied in between, reuse the count.
        if (hypothetical != null && hypotheticalAt == appliedRecords && hypothetical.slot.equals(slot)) {
            return hypothetical;
        }
        Sizing bigger = new Sizing(sizing.cpuOvercommit(), sizing.memOvercommit(), slot);
        hypothetical = new ReserveView(slot, bigger, statsFor(bigger, false));
        hypotheticalAt = appliedRecords;
        return hypothetical;
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

        public ZoneStats zone(ZoneId zone) {
            return stats.get(zone);
        }
    }

    public double cpuOvercommit() {
        return sizing.cpuOvercommit();
    }

    public double memOvercommit() {
        return sizing.memOvercommit();
    }

    public ZoneStats zoneStats(ZoneId zone) {
        return zoneStats.get(zone);
    }

    public List<ZoneId> zonesOf(RegionId region) {
        List<ZoneId> result = new ArrayList<>();
        for (Zone z : zones.values()) {
            if (z.region().equals(region)) {
                result.add(z.id());
            }
        }
        return result;
    }

    /** Instances that should run and have no host, in recovery order (highest priority, then oldest). */
    public NavigableSet<QueueKey> recoveryQueue() {
        return Collections.unmodifiableNavigableSet(recoveryQueue);
    }

    public int groupMembersOn(GroupId group, HostId host) {
        return groupHosts.getOrDefault(group, Map.of()).getOrDefault(host, 0);
    }

    public int groupMembersIn(GroupId group, ZoneId zone) {
        return groupZones.getOrDefault(group, Map.of()).getOrDefault(zone, 0);
    }

    public int tenantInstancesIn(TenantId tenant, ZoneId zone) {
        return tenantZones.getOrDefault(tenant, Map.of()).getOrDefault(zone, 0);
    }

    // ============================================================================================
    // comparison, for the "replay equals live state" invariant
    // ============================================================================================

    /** Differences with another state, primary data and derived indexes alike; empty when they are equal. */
    public List<String> differences(CloudState other) {
        List<String> diffs = new ArrayList<>();
        compare(diffs, "regions", regions, other.regions);
        compare(diffs, "zones", zones, other.zones);
        compare(diffs, "sites", sites, other.sites);
        compare(diffs, "types", types, other.types);
        compare(diffs, "images", images, other.images);
        compare(diffs, "groups", groups, other.groups);
        compare(diffs, "hosts", hosts, other.hosts);
        compare(diffs, "instances", instances, other.instances);
        compare(diffs, "alarms", alarms, other.alarms);
        compare(diffs, "accounts", accounts, other.accounts);
        compare(diffs, "accessKeys", accessKeys, other.accessKeys);
        compare(diffs, "keyPairs", keyPairs, other.keyPairs);
        compare(diffs, "tags", tags, other.tags);
        compare(diffs, "staff", staff, other.staff);
        compare(diffs, "closed sites", closedSites, other.closedSites);
        if (!crisis.data().equals(other.crisis.data())) {
            diffs.add("crisis cell: " + crisis.data() + " != " + other.crisis.data());
        }
        if (!failovers.data().equals(other.failovers.data())) {
            diffs.add("failovers: " + failovers.data().waiting().size() + " waiting, " + failovers.data().done().size()
                    + " done != " + other.failovers.data().waiting().size() + ", " + other.failovers.data().done().size());
        }
        if (!recommendations.equals(other.recommendations)) {
            diffs.add("recommendations: " + recommendations.size() + " != " + other.recommendations.size());
        }
        if (!levelHistory.equals(other.levelHistory)) {
            diffs.add("level history: " + levelHistory.size() + " changes != " + other.levelHistory.size());
        }
        if (!Objects.equals(plan, other.plan) || !planHistory.equals(other.planHistory)) {
            diffs.add("plan version " + planVersion() + " != " + other.planVersion());
        }
        if (keyPairSeq != other.keyPairSeq) {
            diffs.add("keyPairSeq " + keyPairSeq + " != " + other.keyPairSeq);
        }
        if (!sizing.equals(other.sizing)) {
            diffs.add("sizing " + sizing + " != " + other.sizing);
        }
        if (idSalt != other.idSalt) {
            diffs.add("idSalt " + idSalt + " != " + other.idSalt);
        }
        if (instanceSeq != other.instanceSeq) {
            diffs.add("instanceSeq " + instanceSeq + " != " + other.instanceSeq);
        }
        for (HostId h : hosts.keySet()) {
            diffs.addAll(hostDifferences(other, h));
        }
        compare(diffs, "hosts by zone", hostsByZone, other.hostsByZone);
        compare(diffs, "group members by host", groupHosts, other.groupHosts);
        compare(diffs, "group members by zone", groupZones, other.groupZones);
        compare(diffs, "tenant instances by zone", tenantZones, other.tenantZones);
        compare(diffs, "live demand (vCPU)", liveDemandVcpus, other.liveDemandVcpus);
        compare(diffs, "live demand (MiB)", liveDemandMemMiB, other.liveDemandMemMiB);
        if (!recoveryQueue.equals(other.recoveryQueue)) {
            diffs.add("recovery queue differs: " + recoveryQueue.size() + " vs " + other.recoveryQueue.size());
        }
        for (ZoneId z : zoneStats.keySet()) {
            String a = zoneStats.get(z).describe();
            String b = other.zoneStats.containsKey(z) ? other.zoneStats.get(z).describe() : "absent";
            if (!a.equals(b)) {
                diffs.add("zone stats of " + z + ": " + a + " != " + b);
            }
        }
        return diffs;
    }

    /** Differences limited to some hosts and instances: cheap enough to run after every event. */
    public List<String> differences(CloudState other, Collection<HostId> someHosts, Collection<InstanceId> someInstances) {
        List<String> diffs = new ArrayList<>();
        for (HostId h : someHosts) {
            if (!Objects.equals(hosts.get(h), other.hosts.get(h))) {
                diffs.add("host " + h + ": " + hosts.get(h) + " != " + other.hosts.get(h));
            }
            diffs.addAll(hostDifferences(other, h));
        }
        for (InstanceId i : someInstances) {
            if (!Objects.equals(instances.get(i), other.instances.get(i))) {
                diffs.add("instance " + i + ": " + instances.get(i) + " != " + other.instances.get(i));
            }
        }
        return diffs;
    }

    private List<String> hostDifferences(CloudState other, HostId h) {
        HostUsage a = usage.get(h);
        HostUsage b = other.usage.get(h);
        if (a == null && b == null) {
            return List.of();
        }
        if (a == null || b == null || !a.used.equals(b.used) || !a.instances.equals(b.instances)) {
            return List.of("usage of host " + h + " differs");
        }
        return List.of();
    }

    private static <K, V> void compare(List<String> diffs, String what, Map<K, V> a, Map<K, V> b) {
        if (a.equals(b)) {
            return;
        }
        for (Map.Entry<K, V> e : a.entrySet()) {
            V theirs = b.get(e.getKey());
            if (!e.getValue().equals(theirs)) {
                diffs.add(what + " " + e.getKey() + ": " + e.getValue() + " != " + theirs);
                if (diffs.size() > 20) {
                    return;
                }
            }
        }
        for (K k : b.keySet()) {
            if (!a.containsKey(k)) {
                diffs.add(what + " " + k + ": absent != " + b.get(k));
            }
        }
    }
}
