package org.phare.core.placement;

import java.util.List;
import java.util.Locale;
import org.phare.core.model.Resources;
import org.phare.core.model.ZoneId;
import org.phare.core.state.CloudState;
import org.phare.core.state.ZoneStats;

/**
 * The failover reserve. A new instance is admitted only if the cloud could still re-place everything the
 * policy's failure would displace; failover placements skip this check (they are what the reserve is for).
 *
 * <p>Capacity is counted as <em>slack</em> in slots of the largest instance type (see
 * {@code org.phare.core.state.Sizing}): enough slack guarantees that any-fit placement re-places every
 * displaced instance whatever the fragmentation, which plain sums of free vCPUs do not (a simulated zone
 * loss at the edge of a sum-based reserve left one instance unplaced). The price is a slightly larger reserve.
 *
 * <ul>
 *   <li>{@code HOST_PER_ZONE}: for every live host x of zone z, the slack of z's other schedulable hosts must
 *       cover the weight of x's instances: {@code slack(z) >= max_x (weight(x) + slack(x))}.</li>
 *   <li>{@code ZONE}: for every zone z, the slack of the other zones must cover the weight of z's instances.</li>
 * </ul>
 * Admission is decided before the host is chosen, so it assumes the worst: the new instance removes its whole
 * weight from slack and adds it to the load. Pinned instances and hard anti-affinity can still defeat the
 * guarantee; they are the tenant's explicit choice.
 */
final class AdmissionControl {
    private final PlacementConfig config;

    AdmissionControl(PlacementConfig config) {
        this.config = config;
    }

    /** Null when {@code demand} may be admitted in {@code zone}, otherwise why not. */
    String check(CloudState state, ZoneId zone, Resources demand, List<ZoneId> regionZones) {
        return switch (config.admission()) {
            case NONE -> null;
            case HOST_PER_ZONE -> hostPerZone(state, zone, demand);
            case ZONE -> wholeZone(state, zone, demand, regionZones);
        };
    }

    private String hostPerZone(CloudState state, ZoneId zone, Resources demand) {
        ZoneStats s = state.zoneStats(zone);
        long w = state.reserveWeight(demand);
        long room = s.slack() - w;
        long needed = s.worstHostLoss() + w;
        if (room >= needed) {
            return null;
        }
        return zone + " must keep room to re-place the instances of any one of its hosts (" + slots(needed) + " of "
                + state.slot() + "); admitting " + demand + " would leave room for " + slots(room);
    }

    private String wholeZone(CloudState state, ZoneId target, Resources demand, List<ZoneId> regionZones) {
        long w = state.reserveWeight(demand);
        long totalSlack = 0;
        for (ZoneId z : regionZones) {
            totalSlack += state.zoneStats(z).slack();
        }
        for (ZoneId z : regionZones) {
            ZoneStats s = state.zoneStats(z);
            boolean isTarget = z.equals(target);
            long othersRoom = totalSlack - s.slack() - (isTarget ? 0 : w);
            long load = s.liveWeight() + (isTarget ? w : 0);
            if (othersRoom < load) {
                return "the other zones must keep room to re-place every instance of " + z + " (" + slots(load) + " of "
                        + state.slot() + "); admitting " + demand + " in " + target + " would leave them room for "
                        + slots(othersRoom);
            }
        }
        return null;
    }

    private static String slots(long millionths) {
        return String.format(Locale.ROOT, "%.2f slots", Math.max(0, millionths) / 1e6);
    }

    long freeVcpus(ZoneStats s) {
        return config.effectiveVcpus(s.schedulableVcpus()) - s.schedulableUsedVcpus();
    }
}
