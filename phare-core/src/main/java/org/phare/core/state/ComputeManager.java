package org.phare.core.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
import org.phare.core.model.Instance;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceState;
import org.phare.core.model.PendingReason;
import org.phare.core.model.Resources;
import org.phare.core.model.Schedulability;
import org.phare.core.model.TenantId;
import org.phare.core.model.ZoneId;
import org.phare.core.record.ComputeRecord;
import org.phare.core.state.CloudState.HostUsage;
import org.phare.core.state.CloudState.QueueKey;
import org.phare.core.state.CloudState.ReserveView;

/**
 * Hosts and instances, and what placement needs of them: the failover reserve's sizing and zone aggregates, the usage
 * of each host, the recovery queue, anti-affinity and spread counts, client tokens, failovers and alarms. Replays
 * {@link ComputeRecord}s alone; its snapshot section is {@link Section}.
 *
 * <p>Besides the primary maps (what a snapshot holds) it keeps derived indexes that make a placement O(log n). Every
 * index is updated the same way: {@code unindex(old)} then {@code index(new)} on each instance change, and
 * {@code detach(host)} then {@code attach(host)} on each host change.
 */
public final class ComputeManager {
    private final Map<HostId, Host> hosts = new LinkedHashMap<>();
    private final Map<InstanceId, Instance> instances = new LinkedHashMap<>();
    private final Map<String, Alarm> alarms = new TreeMap<>();
    private Failovers failovers = new Failovers();
    /** The instances each (tenant, client token) created, in creation order. Derived from the instances. */
    private final Map<String, List<InstanceId>> byClientToken = new HashMap<>();
    private long instanceSeq;
    /** Records replayed here: what the hypothetical reserve is counted at. */
    private long replayed;
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

    /** Aggregates of a zone without any host: nothing schedulable, nothing to re-place. */
    static final ZoneStats NO_HOSTS = new ZoneStats();

    /**
     * The compute snapshot section ({@code compute/1}). Orders are part of the data, since the controller iterates them
     * and its decisions must not depend on whether the state was replayed or restored: {@code hosts} in registration
     * order, {@code instances} in creation order, and {@code hostInstances} gives, for each host with instances, the
     * order in which they last changed on it (a replay removes and re-adds an instance on each change), which the
     * controller evicts and fences in.
     */
    public record Section(List<Host> hosts, List<Instance> instances, List<HostInstances> hostInstances, List<Alarm> alarms,
                          long instanceSeq, double cpuOvercommit, double memOvercommit, Failovers.Data failovers) {
        public static final Section EMPTY = new Section(null, null, null, null, 0, 1.0, 1.0, null);

        public Section {
            hosts = hosts == null ? List.of() : List.copyOf(hosts);
            instances = instances == null ? List.of() : List.copyOf(instances);
            hostInstances = hostInstances == null ? List.of() : List.copyOf(hostInstances);
            alarms = alarms == null ? List.of() : List.copyOf(alarms);
            failovers = failovers == null ? Failovers.Data.EMPTY : failovers;
        }
    }

    /** The instances on one host, in the host's own order. */
    public record HostInstances(HostId host, List<InstanceId> instances) {
        public HostInstances {
            Objects.requireNonNull(host, "host");
            instances = List.copyOf(instances);
        }
    }

    // ============================================================================================
    // replay
    // ============================================================================================

    void replay(ComputeRecord record) {
        replayed++;
        switch (record) {
            case ComputeRecord.SchedulingPolicySet r -> resize(new Sizing(r.cpuOvercommit(), r.memOvercommit(), sizing.slot()));
            case ComputeRecord.HostRegistered r -> registerHost(r);
            case ComputeRecord.HostStateChanged r -> {
                Host host = hosts.get(r.host());
                if (host != null) {
                    replaceHost(host, host.withState(r.state(), r.atMs(), r.lastHeardMs()));
                }
            }
            case ComputeRecord.HostSchedulingChanged r -> {
                Host host = hosts.get(r.host());
                if (host != null) {
                    replaceHost(host, host.withScheduling(r.scheduling()));
                }
            }
            case ComputeRecord.InstanceRequested r -> {
                instanceSeq++;
                Instance created = new Instance(r.instance(), r.tenant(), r.name(), r.type(), r.demand(), r.image(),
                        r.zone(), r.zonePinned(), r.priority(), r.group(), DesiredState.RUNNING, InstanceState.PENDING,
                        null, 0, null, null, instanceSeq, r.atMs(), 0, 0, r.clientToken(), r.launch(), null, 0L);
                putInstance(null, created);
                indexToken(created);
            }
            case ComputeRecord.InstancePlaced r -> {
                Instance old = instances.get(r.instance());
                Host host = hosts.get(r.host());
                // Only an instance without a host can be placed: a move is always an eviction, then a placement.
                if (old != null && host != null && old.host() == null && r.generation() > old.generation()) {
                    putInstance(old, old.placedOn(host.id(), host.zone(), r.generation(), r.atMs()));
                    if (r.kind() == ComputeRecord.Placement.FAILOVER) {
                        failovers.placed(old.id(), host.id(), host.zone(), r.atMs());
                    }
                }
            }
            case ComputeRecord.InstanceEvicted r -> {
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
            case ComputeRecord.InstancePendingReason r -> {
                Instance old = instances.get(r.instance());
                if (old != null && old.awaitingPlacement()) {
                    putInstance(old, old.unplaced(old.state(), r.reason(), r.detail()));
                }
            }
            case ComputeRecord.InstanceObserved r -> {
                observe(r);
                Instance seen = instances.get(r.instance());
                if (r.state() == InstanceState.RUNNING && seen != null && seen.host() != null && seen.generation() == r.generation()) {
                    failovers.running(r.instance(), r.atMs());
                }
            }
            case ComputeRecord.InstanceDesiredChanged r -> {
                changeDesired(r);
                if (r.desired() != DesiredState.RUNNING) {
                    failovers.abandoned(r.instance());
                }
            }
            case ComputeRecord.InstanceRebootRequested r -> {
                Instance old = instances.get(r.instance());
                if (old != null && old.host() != null && old.desired() == DesiredState.RUNNING) {
                    putInstance(old, old.rebooted());
                }
            }
            case ComputeRecord.InstanceRenamed r -> {
                Instance old = instances.get(r.instance());
                if (old != null && old.state() != InstanceState.TERMINATED) {
                    instances.put(old.id(), old.named(r.name())); // a label: no index depends on it
                }
            }
            case ComputeRecord.AlarmRaised r -> alarms.put(r.code(), new Alarm(r.code(), r.detail(), r.atMs()));
            case ComputeRecord.AlarmCleared r -> alarms.remove(r.code());
        }
        Resources slot = largestLiveDemand();
        if (!slot.equals(sizing.slot())) {
            resize(new Sizing(sizing.cpuOvercommit(), sizing.memOvercommit(), slot));
        }
    }

    private void registerHost(ComputeRecord.HostRegistered r) {
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

    private void observe(ComputeRecord.InstanceObserved r) {
        Instance old = instances.get(r.instance());
        if (old == null || old.host() == null || old.generation() != r.generation()) {
            return;
        }
        switch (r.state()) {
            case RUNNING -> {
                boolean sameCopy = old.state() == InstanceState.RUNNING && Objects.equals(old.address(), r.address());
                if (!sameCopy) {
                    putInstance(old, old.running(r.address(), r.atMs()));
                }
            }
            case STOPPED, TERMINATED -> putInstance(old, old.unplaced(r.state(), null, null));
            default -> { /* other states are never observed from an agent */ }
        }
    }

    private void changeDesired(ComputeRecord.InstanceDesiredChanged r) {
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

    private void indexToken(Instance i) {
        if (i.clientToken() != null) {
            byClientToken.computeIfAbsent(tokenKey(i.tenant(), i.clientToken()), k -> new ArrayList<>()).add(i.id());
        }
    }

    private static String tokenKey(TenantId tenant, String clientToken) {
        return tenant.value() + '\n' + clientToken;
    }

    // ============================================================================================
    // trials: new instances tried, then taken out again exactly
    // ============================================================================================

    /** Where a trial started: what {@link #rollback} puts back. */
    record Mark(long instanceSeq, long replayed) {}

    Mark mark() {
        return new Mark(instanceSeq, replayed);
    }

    /** Takes the instances a trial created out again, in reverse order, and every count and index with them. */
    void rollback(Mark mark, List<InstanceId> created) {
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
        }
        instanceSeq = mark.instanceSeq();
        replayed = mark.replayed();
        hypothetical = null;
        hypotheticalAt = -1;
        Resources slot = largestLiveDemand();
        if (!slot.equals(sizing.slot())) {
            resize(new Sizing(sizing.cpuOvercommit(), sizing.memOvercommit(), slot));
        }
    }

    // ============================================================================================
    // snapshot and restore
    // ============================================================================================

    Section section() {
        List<HostInstances> onHosts = new ArrayList<>();
        for (Host host : hosts.values()) {
            HostUsage u = usage.get(host.id());
            if (!u.instances.isEmpty()) {
                onHosts.add(new HostInstances(host.id(), List.copyOf(u.instances)));
            }
        }
        return new Section(List.copyOf(hosts.values()), List.copyOf(instances.values()), onHosts, List.copyOf(alarms.values()),
                instanceSeq, sizing.cpuOvercommit(), sizing.memOvercommit(), failovers.data());
    }

    /**
     * An independent copy, derived indexes included, made by copying the maps rather than rebuilding them (what
     * {@link #restore} does): O(hosts + instances) with small constants, for a controller's own state at its start.
     * Equal in every respect to {@code restore(section())}; the hypothetical reserve, a cache, is recomputed.
     */
    ComputeManager copy() {
        ComputeManager c = new ComputeManager();
        c.hosts.putAll(hosts);
        c.instances.putAll(instances);
        c.alarms.putAll(alarms);
        c.failovers = Failovers.restore(failovers.data());
        byClientToken.forEach((k, ids) -> c.byClientToken.put(k, new ArrayList<>(ids)));
        c.instanceSeq = instanceSeq;
        c.replayed = replayed;
        c.sizing = sizing;
        usage.forEach((h, u) -> c.usage.put(h, u.copy()));
        hostsByZone.forEach((z, ids) -> c.hostsByZone.put(z, new ArrayList<>(ids)));
        zoneStats.forEach((z, st) -> c.zoneStats.put(z, st.copy()));
        c.recoveryQueue.addAll(recoveryQueue);
        copyCounts(groupHosts, c.groupHosts);
        copyCounts(groupZones, c.groupZones);
        copyCounts(tenantZones, c.tenantZones);
        c.liveDemandVcpus.putAll(liveDemandVcpus);
        c.liveDemandMemMiB.putAll(liveDemandMemMiB);
        return c;
    }

    private static <O, K> void copyCounts(Map<O, Map<K, Integer>> from, Map<O, Map<K, Integer>> to) {
        from.forEach((o, inner) -> to.put(o, new HashMap<>(inner)));
    }

    /**
     * The derived indexes are rebuilt through replay's own paths: hosts are added as their registration adds them, each
     * instance is indexed as replay indexes it (the instances of each host in that host's order), then the zone
     * aggregates and host weights are recounted for the slot of the restored instances, as replay does when the slot
     * changes.
     *
     * @throws IllegalArgumentException if the section is inconsistent (an instance on an unknown host, a host's instance
     *         list that does not match the instances placed on it, duplicate ids)
     */
    static ComputeManager restore(Section snapshot) {
        ComputeManager s = new ComputeManager();
        snapshot.alarms().forEach(a -> Snapshots.putNew(s.alarms, a.code(), a, "alarm"));
        s.failovers = Failovers.restore(snapshot.failovers());
        // Overcommit first, slot last: the slot follows from the instances, as after any replayed record.
        s.sizing = new Sizing(snapshot.cpuOvercommit(), snapshot.memOvercommit(), Resources.ZERO);
        for (Host host : snapshot.hosts()) {
            Snapshots.putNew(s.hosts, host.id(), host, "host");
            s.usage.put(host.id(), new HostUsage());
            s.hostsByZone.computeIfAbsent(host.zone(), z -> new ArrayList<>()).add(host.id());
            s.zoneStats.computeIfAbsent(host.zone(), z -> new ZoneStats()).attach(host, Resources.ZERO, 0, s.sizing, +1);
        }
        // Every instance in creation order (the map's order); index the placed ones in their host's order.
        for (Instance i : snapshot.instances()) {
            Snapshots.putNew(s.instances, i.id(), i, "instance");
            s.indexToken(i);
            if (i.host() != null && !s.hosts.containsKey(i.host())) {
                throw new IllegalArgumentException("instance " + i.id() + " is on unknown host " + i.host());
            }
        }
        int placed = 0;
        for (HostInstances on : snapshot.hostInstances()) {
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
        return s;
    }

    void differences(ComputeManager other, List<String> diffs) {
        Snapshots.compare(diffs, "hosts", hosts, other.hosts);
        Snapshots.compare(diffs, "instances", instances, other.instances);
        Snapshots.compare(diffs, "alarms", alarms, other.alarms);
        if (!failovers.data().equals(other.failovers.data())) {
            diffs.add("failovers: " + failovers.data().waiting().size() + " waiting, " + failovers.data().done().size()
                    + " done != " + other.failovers.data().waiting().size() + ", " + other.failovers.data().done().size());
        }
        if (!sizing.equals(other.sizing)) {
            diffs.add("sizing " + sizing + " != " + other.sizing);
        }
        if (instanceSeq != other.instanceSeq) {
            diffs.add("instanceSeq " + instanceSeq + " != " + other.instanceSeq);
        }
        for (HostId h : hosts.keySet()) {
            diffs.addAll(hostDifferences(other, h));
        }
        Snapshots.compare(diffs, "hosts by zone", hostsByZone, other.hostsByZone);
        Snapshots.compare(diffs, "group members by host", groupHosts, other.groupHosts);
        Snapshots.compare(diffs, "group members by zone", groupZones, other.groupZones);
        Snapshots.compare(diffs, "tenant instances by zone", tenantZones, other.tenantZones);
        Snapshots.compare(diffs, "live demand (vCPU)", liveDemandVcpus, other.liveDemandVcpus);
        Snapshots.compare(diffs, "live demand (MiB)", liveDemandMemMiB, other.liveDemandMemMiB);
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
    }

    /** Differences limited to some hosts and instances: cheap enough to run after every event. */
    void differences(ComputeManager other, Collection<HostId> someHosts, Collection<InstanceId> someInstances, List<String> diffs) {
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
    }

    private List<String> hostDifferences(ComputeManager other, HostId h) {
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

    // ============================================================================================
    // reads
    // ============================================================================================

    Map<HostId, Host> hosts() {
        return Collections.unmodifiableMap(hosts);
    }

    Map<InstanceId, Instance> instances() {
        return Collections.unmodifiableMap(instances);
    }

    Map<String, Alarm> alarms() {
        return Collections.unmodifiableMap(alarms);
    }

    Failovers failovers() {
        return failovers;
    }

    Host host(HostId id) {
        return hosts.get(id);
    }

    Instance instance(InstanceId id) {
        return instances.get(id);
    }

    List<InstanceId> instancesWithToken(TenantId tenant, String clientToken) {
        List<InstanceId> ids = byClientToken.get(tokenKey(tenant, clientToken));
        return ids == null ? List.of() : Collections.unmodifiableList(ids);
    }

    long instanceSeq() {
        return instanceSeq;
    }

    long hostVersion(HostId host) {
        HostUsage u = usage.get(host);
        return u == null ? -1 : u.version;
    }

    Resources used(HostId host) {
        HostUsage u = usage.get(host);
        return u == null ? Resources.ZERO : u.used;
    }

    Set<InstanceId> instancesOn(HostId host) {
        HostUsage u = usage.get(host);
        return u == null ? Set.of() : u.instances();
    }

    List<HostId> hostsIn(ZoneId zone) {
        return Collections.unmodifiableList(hostsByZone.getOrDefault(zone, List.of()));
    }

    Resources slot() {
        return sizing.slot();
    }

    ReserveView reserveFor(Resources demand) {
        Resources slot = new Resources(Math.max(sizing.slot().vcpus(), demand.vcpus()),
                Math.max(sizing.slot().memMiB(), demand.memMiB()));
        if (slot.equals(sizing.slot())) {
            return new ReserveView(slot, sizing, zoneStats);
        }
        // Repeated questions about the same larger size, with no record applied in between, reuse the count.
        if (hypothetical != null && hypotheticalAt == replayed && hypothetical.slot().equals(slot)) {
            return hypothetical;
        }
        Sizing bigger = new Sizing(sizing.cpuOvercommit(), sizing.memOvercommit(), slot);
        hypothetical = new ReserveView(slot, bigger, statsFor(bigger, false));
        hypotheticalAt = replayed;
        return hypothetical;
    }

    double cpuOvercommit() {
        return sizing.cpuOvercommit();
    }

    double memOvercommit() {
        return sizing.memOvercommit();
    }

    ZoneStats zoneStats(ZoneId zone) {
        return zoneStats.getOrDefault(zone, NO_HOSTS);
    }

    NavigableSet<QueueKey> recoveryQueue() {
        return Collections.unmodifiableNavigableSet(recoveryQueue);
    }

    int groupMembersOn(GroupId group, HostId host) {
        return groupHosts.getOrDefault(group, Map.of()).getOrDefault(host, 0);
    }

    int groupMembersIn(GroupId group, ZoneId zone) {
        return groupZones.getOrDefault(group, Map.of()).getOrDefault(zone, 0);
    }

    int tenantInstancesIn(TenantId tenant, ZoneId zone) {
        return tenantZones.getOrDefault(tenant, Map.of()).getOrDefault(zone, 0);
    }
}
