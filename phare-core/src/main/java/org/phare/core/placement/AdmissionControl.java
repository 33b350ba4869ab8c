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
        if (config.admission() == PlacementConfig.AdmissionPolicy.NONE) {
            return null;
        }
        CloudState.ReserveView reserve = state.reserveFor(demand);
        return switch (config.admission()) {
            case NONE -> null;
            case HOST_PER_ZONE -> hostPerZone(reserve, zone, demand);
            case ZONE -> wholeZone(reserve, zone, demand, regionZones);
        };
    }

    /**
     * For every live host x: {@code slack(z) - slack(x) >= weight(x)}. Adding weight w on host h lowers the
     * zone's slack (and h's own) by at most w and raises weight(h) by w; for x = h the left side is unchanged
     * and the right grows by w, for x != h the left shrinks by at most w. Either way: {@code slack(z) >= worst + w}.
     */
    private String hostPerZone(CloudState.ReserveView reserve, ZoneId zone, Resources demand) {
        ZoneStats s = reserve.zone(zone);
        return hostPerZone(zone, s.slack(), s.worstHostLoss(), reserve.weight(demand), reserve.slot(), demand);
    }

    /**
     * The rule alone, in millionths of a slot: admitted when {@code slack >= worst + weight}. A refusal prints what is
     * needed rounded up and what there is rounded down, so its two figures differ whenever it refuses.
     */
    static String hostPerZone(ZoneId zone, long slack, long worstHostLoss, long weight, Resources slot, Resources demand) {
        long needed = worstHostLoss + weight;
        if (slack >= needed) {
            return null;
        }
        return zone + " must keep room to re-place the instances of any one of its hosts (" + slotsUp(needed) + " of "
                + slot + " after admitting " + demand + "); it has room for " + slotsDown(slack);
    }

    private String wholeZone(CloudState.ReserveView reserve, ZoneId target, Resources demand, List<ZoneId> regionZones) {
        long w = reserve.weight(demand);
        long totalSlack = 0;
        for (ZoneId z : regionZones) {
            totalSlack += reserve.zone(z).slack();
        }
        for (ZoneId z : regionZones) {
            ZoneStats s = reserve.zone(z);
            boolean isTarget = z.equals(target);
            long othersRoom = totalSlack - s.slack() - (isTarget ? 0 : w);
            long load = s.liveWeight() + (isTarget ? w : 0);
            if (othersRoom < load) {
                return "the other zones must keep room to re-place every instance of " + z + " (" + slotsUp(load) + " of "
                        + reserve.slot() + "); admitting " + demand + " in " + target + " would leave them room for "
                        + slotsDown(othersRoom);
            }
        }
        return null;
    }

    /** Millionths of a slot shown to a thousandth, rounded up: what a refusal says is needed. */
    static String slotsUp(long millionths) {
        return String.format(Locale.ROOT, "%.3f slots", Math.ceilDiv(Math.max(0, millionths), 1_000L) / 1e3);
    }

    /** Rounded down: what a refusal says there is. With {@link #slotsUp}, a shortfall never prints two equal figures. */
    static String slotsDown(long millionths) {
        return String.format(Locale.ROOT, "%.3f slots", Math.floorDiv(Math.max(0, millionths), 1_000L) / 1e3);
    }

    long freeVcpus(ZoneStats s) {
        return config.effectiveVcpus(s.schedulableVcpus()) - s.schedulableUsedVcpus();
    }
}
