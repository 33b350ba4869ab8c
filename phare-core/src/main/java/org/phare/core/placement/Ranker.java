package org.phare.core.placement;

import org.phare.core.model.GroupPolicy;
import org.phare.core.model.Host;
import org.phare.core.model.PlacementGroup;
import org.phare.core.model.Resources;
import org.phare.core.state.CloudState;

/** Scores a feasible host; the scheduler sums the rankers and keeps the best. Higher is better. */
@FunctionalInterface
interface Ranker {

    double score(Host host, Resources used, PlacementRequest request);

    /**
     * Bin-pack (fill the fullest hosts first, keeping whole hosts free for big instances and for failover)
     * or spread (keep hosts evenly loaded). Score in [0, 1]: mean utilisation after placement.
     */
    static Ranker fit(PlacementConfig config) {
        return (host, used, request) -> {
            double cpu = (used.vcpus() + request.demand().vcpus())
                    / (double) Math.max(1, config.effectiveVcpus(host.capacity().vcpus()));
            double mem = (used.memMiB() + request.demand().memMiB())
                    / (double) Math.max(1, config.effectiveMemMiB(host.capacity().memMiB()));
            double utilisation = (cpu + mem) / 2;
            return config.strategy() == PlacementConfig.Strategy.BINPACK ? utilisation : 1 - utilisation;
        };
    }

    /** Soft anti-affinity inside a zone for zone-spread groups: a host that already holds members scores less. */
    static Ranker groupSpread(CloudState state) {
        return (host, used, request) -> {
            if (request.group() == null) {
                return 0;
            }
            PlacementGroup group = state.groups().get(request.group());
            if (group == null || group.policy() != GroupPolicy.ZONE_SPREAD) {
                return 0;
            }
            return -0.5 * state.groupMembersOn(request.group(), host.id());
        };
    }
}
