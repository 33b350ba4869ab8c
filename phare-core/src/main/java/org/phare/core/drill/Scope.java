package org.phare.core.drill;

import java.util.List;

/**
 * What a drill may touch, and whose instances its prober watches: the instances placed in one of the zones or sites
 * (or anywhere when both lists are empty) and owned by one of the tenants (or anyone's when empty). A step's
 * target must lie within the zones and sites in scope.
 *
 * @param region  the region the drill runs in (null: the cloud's)
 * @param zones   zone ids in scope (empty: every zone)
 * @param sites   site ids in scope (empty: every site of the zones in scope)
 * @param tenants tenant ids whose instances are watched (empty: every tenant's)
 */
public record Scope(String region, List<String> zones, List<String> sites, List<String> tenants) {
    public static final Scope EVERYTHING = new Scope(null, List.of(), List.of(), List.of());

    public Scope {
        zones = zones == null ? List.of() : List.copyOf(zones);
        sites = sites == null ? List.of() : List.copyOf(sites);
        tenants = tenants == null ? List.of() : List.copyOf(tenants);
    }

    /** Whether a host of this zone and site is in scope. */
    public boolean coversHost(String zone, String site) {
        return (zones.isEmpty() || zones.contains(zone)) && (sites.isEmpty() || sites.contains(site));
    }

    /** Whether an instance of this tenant is watched (its host must be in scope as well). */
    public boolean coversTenant(String tenant) {
        return tenants.isEmpty() || tenants.contains(tenant);
    }
}
