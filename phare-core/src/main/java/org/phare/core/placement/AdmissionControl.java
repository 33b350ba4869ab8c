package org.phare.core.placement;

import java.util.List;
import org.phare.core.model.Resources;
import org.phare.core.model.ZoneId;
import org.phare.core.state.CloudState;
import org.phare.core.state.ZoneStats;

/**
 * The failover reserve. New instances may only be admitted if the cloud could still absorb the failure
 * the policy names; failover placements skip this check (they are what the reserve is for).
 *
 * <p>{@code HOST_PER_ZONE}: losing host x of zone z displaces {@code used(x)}, which the other schedulable
 * hosts must absorb: {@code free(z) - free(x) >= used(x)}, i.e. {@code free(z) >= capacity(x)} for a
 * schedulable x, and {@code free(z) >= used(x)} for a host that holds instances but takes no new ones
 * (suspect, cordoned, draining). So a zone keeps free at least its largest schedulable host — exactly,
 * not as a slot approximation. The check is on aggregates (like vSphere HA's percentage policy); it
 * ignores fragmentation, which bin-packing keeps low.
 *
 * <p>{@code ZONE}: for every zone z, the free capacity of the other zones must hold z's live load.
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
            case HOST_PER_ZONE -> hostPerZone(state.zoneStats(zone), zone, demand);
            case ZONE -> wholeZone(state, zone, demand, regionZones);
        };
    }

    private String hostPerZone(ZoneStats s, ZoneId zone, Resources demand) {
        long freeV = freeVcpus(s) - demand.vcpus();
        long freeM = freeMemMiB(s) - demand.memMiB();
        long reserveV = Math.max(config.effectiveVcpus(s.largestSchedulableVcpus()), s.largestUnschedulableUsedVcpus());
        long reserveM = Math.max(config.effectiveMemMiB(s.largestSchedulableMemMiB()), s.largestUnschedulableUsedMemMiB());
        if (freeV >= reserveV && freeM >= reserveM) {
            return null;
        }
        return zone + " must keep " + reserveV + " vCPU / " + reserveM + " MiB free to absorb the loss of one host;"
                + " admitting " + demand + " would leave " + Math.max(0, freeV) + " vCPU / " + Math.max(0, freeM) + " MiB";
    }

    private String wholeZone(CloudState state, ZoneId target, Resources demand, List<ZoneId> regionZones) {
        long totalFreeV = 0;
        long totalFreeM = 0;
        for (ZoneId z : regionZones) {
            totalFreeV += freeVcpus(state.zoneStats(z));
            totalFreeM += freeMemMiB(state.zoneStats(z));
        }
        totalFreeV -= demand.vcpus();
        totalFreeM -= demand.memMiB();
        for (ZoneId z : regionZones) {
            ZoneStats s = state.zoneStats(z);
            boolean isTarget = z.equals(target);
            long othersFreeV = totalFreeV - (freeVcpus(s) - (isTarget ? demand.vcpus() : 0));
            long othersFreeM = totalFreeM - (freeMemMiB(s) - (isTarget ? demand.memMiB() : 0));
            long loadV = s.liveUsedVcpus() + (isTarget ? demand.vcpus() : 0);
            long loadM = s.liveUsedMemMiB() + (isTarget ? demand.memMiB() : 0);
            if (othersFreeV < loadV || othersFreeM < loadM) {
                return "the other zones must be able to absorb the loss of " + z + " (" + loadV + " vCPU / " + loadM
                        + " MiB); admitting " + demand + " in " + target + " would leave them " + Math.max(0, othersFreeV)
                        + " vCPU / " + Math.max(0, othersFreeM) + " MiB free";
            }
        }
        return null;
    }

    long freeVcpus(ZoneStats s) {
        return config.effectiveVcpus(s.schedulableVcpus()) - s.schedulableUsedVcpus();
    }

    long freeMemMiB(ZoneStats s) {
        return config.effectiveMemMiB(s.schedulableMemMiB()) - s.schedulableUsedMemMiB();
    }
}
