package org.phare.core.placement;

import org.phare.core.model.GroupId;
import org.phare.core.model.InstanceId;
import org.phare.core.model.Resources;
import org.phare.core.model.TenantId;
import org.phare.core.model.ZoneId;

/**
 * What to place.
 *
 * @param zone          the zone to use, or null to let the scheduler choose
 * @param zonePinned    when true only {@code zone} is tried; otherwise it is a preference
 * @param mayUseReserve failover and recovery may eat the failover reserve; new instances may not
 * @param attempt       distinguishes successive placements of one instance (its next generation), so
 *                      each gets its own, still reproducible, candidate order
 */
public record PlacementRequest(InstanceId instance, TenantId tenant, Resources demand, GroupId group,
                               ZoneId zone, boolean zonePinned, boolean mayUseReserve, long attempt) {

    /** Seed of the candidate shuffle, derived from the instance id "to aid postmortem debugging" (Nomad). */
    long seed() {
        return Mix.mix64(instance.value().hashCode() * 0x9E3779B97F4A7C15L + attempt);
    }
}
