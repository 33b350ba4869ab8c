package org.phare.core.model;

import java.util.Map;

/** A hypervisor in a site. Its usage is derived from the instances placed on it, not stored here. */
public record Host(HostId id, ZoneId zone, SiteId site, Resources capacity, Map<String, String> labels,
                   HostState state, Schedulability scheduling, long stateSinceMs) {
    public Host {
        labels = Map.copyOf(labels);
    }

    public Host withState(HostState newState, long atMs) {
        return new Host(id, zone, site, capacity, labels, newState, scheduling, atMs);
    }

    public Host withScheduling(Schedulability newScheduling) {
        return new Host(id, zone, site, capacity, labels, state, newScheduling, stateSinceMs);
    }

    /** Ready and accepting new instances. */
    public boolean acceptsPlacements() {
        return state == HostState.READY && scheduling == Schedulability.SCHEDULABLE;
    }
}
