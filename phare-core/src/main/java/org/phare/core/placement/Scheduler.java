package org.phare.core.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.phare.core.model.GroupPolicy;
import org.phare.core.model.Host;
import org.phare.core.model.HostId;
import org.phare.core.model.PlacementGroup;
import org.phare.core.model.RegionId;
import org.phare.core.model.Resources;
import org.phare.core.model.ZoneId;
import org.phare.core.state.CloudState;

/**
 * Chooses a host for one instance. A pipeline of small stages, in this order and for these reasons:
 *
 * <pre>
 *   zones in order of preference        explicit zone, or spread: a tenant's (and a group's) instances
 *        |                              go to the zone where it has fewest, so a zone loss hurts it least
 *   admission control (new only)        cheap, zone-level: refuse before scanning hosts
 *        |
 *   candidates, shuffled from a seed    derived from the instance id: any decision can be replayed
 *        |
 *   feasibility filters                 schedulable -> capacity -> hard anti-affinity (cheapest first)
 *        |
 *   limit                               score only max(floor, log2 N) feasible hosts, as Nomad and
 *        |                              Sparrow do: near-best choices at O(log N) cost
 *   rankers                             bin-pack or spread, zone-spread group penalty
 *        |
 *   best                                highest score; ties go to the earlier candidate
 * </pre>
 *
 * <p>Pure: reads the state, never changes it. The caller turns a {@link PlacementDecision.Placed} into an
 * {@code InstancePlaced} record.
 */
public final class Scheduler {
    private final PlacementConfig config;
    private final AdmissionControl admission;
    private final Feasibility capacity;
    private final Ranker fit;

    public Scheduler(PlacementConfig config) {
        this.config = config;
        this.admission = new AdmissionControl(config);
        this.capacity = Feasibility.capacity(config);
        this.fit = Ranker.fit(config);
    }

    public PlacementConfig config() {
        return config;
    }

    public PlacementDecision place(CloudState state, RegionId region, PlacementRequest request) {
        List<ZoneId> regionZones = state.zonesOf(region);
        List<ZoneId> zones = zoneOrder(state, regionZones, request);
        if (zones.isEmpty()) {
            return new PlacementDecision.Unplaceable("NoHosts", "region " + region + " has no zone"
                    + (request.zone() == null ? "" : " named " + request.zone()));
        }
        List<Feasibility> filters = List.of(Feasibility.schedulable(), capacity, Feasibility.hostAntiAffinity(state));
        List<Ranker> rankers = List.of(fit, Ranker.groupSpread(state));
        List<String> reasons = new ArrayList<>();
        boolean allReserve = true;
        boolean allAntiAffinity = true;
        boolean allEmpty = true;
        for (ZoneId zone : zones) {
            if (state.zoneStats(zone).schedulableHosts() == 0) {
                reasons.add(zone + " has no ready, schedulable host");
                continue; // nothing to scan, and no reserve to speak of
            }
            allEmpty = false;
            if (!request.mayUseReserve()) {
                String refusal = admission.check(state, zone, request.demand(), regionZones);
                if (refusal != null) {
                    reasons.add(refusal);
                    continue;
                }
            }
            allReserve = false;
            ZoneScan scan = scanZone(state, zone, request, filters, rankers);
            if (scan.best != null) {
                return new PlacementDecision.Placed(scan.best, zone);
            }
            allAntiAffinity &= scan.onlyAntiAffinity();
            reasons.add(scan.explain(zone, request.demand()));
        }
        String code = allEmpty ? "NoHosts" : allReserve ? "FailoverReserve" : allAntiAffinity ? "AntiAffinity" : "InsufficientCapacity";
        return new PlacementDecision.Unplaceable(code, "cannot place " + request.demand() + ": " + String.join("; ", reasons));
    }

    /**
     * Zones to try, best first. An explicit zone comes first (alone when pinned). Otherwise the zone where
     * the tenant (and the zone-spread group) has fewest instances, then the one with most free vCPUs.
     */
    List<ZoneId> zoneOrder(CloudState state, List<ZoneId> regionZones, PlacementRequest request) {
        if (request.zone() != null && request.zonePinned()) {
            return regionZones.contains(request.zone()) ? List.of(request.zone()) : List.of();
        }
        PlacementGroup group = request.group() == null ? null : state.groups().get(request.group());
        boolean spreadGroup = group != null && group.policy() == GroupPolicy.ZONE_SPREAD;
        Comparator<ZoneId> order = Comparator
                .comparingInt((ZoneId z) -> z.equals(request.zone()) ? 0 : 1)
                .thenComparingInt(z -> spreadGroup ? state.groupMembersIn(request.group(), z) : 0)
                .thenComparingInt(z -> state.tenantInstancesIn(request.tenant(), z))
                .thenComparingLong(z -> -admission.freeVcpus(state.zoneStats(z)))
                .thenComparing(Comparator.naturalOrder());
        List<ZoneId> zones = new ArrayList<>(regionZones);
        zones.sort(order);
        return zones;
    }

    private ZoneScan scanZone(CloudState state, ZoneId zone, PlacementRequest request,
                              List<Feasibility> filters, List<Ranker> rankers) {
        List<HostId> hosts = state.hostsIn(zone);
        int limit = Math.max(config.limitFloor(), 64 - Long.numberOfLeadingZeros(Math.max(1, hosts.size() - 1)));
        ShuffledCandidates candidates = new ShuffledCandidates(hosts, request.seed());
        ZoneScan scan = new ZoneScan();
        double bestScore = Double.NEGATIVE_INFINITY;
        int feasible = 0;
        for (HostId id = candidates.next(); id != null && feasible < limit; id = candidates.next()) {
            Host host = state.host(id);
            Resources used = state.used(id);
            scan.considered++;
            Feasibility.Reject reject = null;
            for (Feasibility filter : filters) {
                reject = filter.check(host, used, request);
                if (reject != null) {
                    break;
                }
            }
            if (reject != null) {
                scan.reject(reject, host, used, config);
                continue;
            }
            feasible++;
            double score = 0;
            for (Ranker ranker : rankers) {
                score += ranker.score(host, used, request);
            }
            if (score > bestScore) {
                bestScore = score;
                scan.best = id;
            }
        }
        return scan;
    }

    /** What one zone's scan saw: enough to say precisely why nothing fits. */
    private static final class ZoneScan {
        HostId best;
        int considered;
        final Map<Feasibility.Reject, Integer> rejects = new EnumMap<>(Feasibility.Reject.class);
        long mostFreeVcpus = -1;
        long mostFreeMemMiB = -1;

        void reject(Feasibility.Reject reason, Host host, Resources used, PlacementConfig config) {
            rejects.merge(reason, 1, Integer::sum);
            if (reason == Feasibility.Reject.NO_VCPU) {
                mostFreeVcpus = Math.max(mostFreeVcpus, config.effectiveVcpus(host.capacity().vcpus()) - used.vcpus());
            } else if (reason == Feasibility.Reject.NO_MEMORY) {
                mostFreeMemMiB = Math.max(mostFreeMemMiB, config.effectiveMemMiB(host.capacity().memMiB()) - used.memMiB());
            }
        }

        boolean onlyAntiAffinity() {
            return rejects.size() == 1 && rejects.containsKey(Feasibility.Reject.ANTI_AFFINITY);
        }

        String explain(ZoneId zone, Resources demand) {
            if (considered == 0) {
                return zone + " has no hosts";
            }
            StringBuilder sb = new StringBuilder().append(zone).append(": ").append(considered).append(" hosts checked");
            rejects.forEach((reason, count) -> {
                sb.append(", ").append(count).append(' ');
                switch (reason) {
                    case NOT_READY -> sb.append("not ready");
                    case CORDONED -> sb.append("cordoned or draining");
                    case NO_VCPU -> sb.append("lack vCPU (need ").append(demand.vcpus()).append(", most free ")
                            .append(mostFreeVcpus).append(')');
                    case NO_MEMORY -> sb.append("lack memory (need ").append(demand.memMiB()).append(" MiB, most free ")
                            .append(mostFreeMemMiB).append(" MiB)");
                    case ANTI_AFFINITY -> sb.append("already hold a member of the anti-affinity group");
                }
            });
            return sb.toString();
        }
    }
}
