package org.phare.core.model;

import java.util.Map;

/**
 * A hypervisor in a site. Its usage is derived from the instances placed on it, not stored here.
 *
 * @param lastHeardMs while suspect or dead: when the controller last heard it before that verdict (see
 *                    {@code ComputeRecord.HostStateChanged}); null while ready, or when the log did not say (older logs
 *                    and snapshots)
 */
public record Host(HostId id, ZoneId zone, SiteId site, Resources capacity, Map<String, String> labels,
                   HostState state, Schedulability scheduling, long stateSinceMs, Long lastHeardMs) {
    public Host {
        labels = Map.copyOf(labels);
    }

    public Host withState(HostState newState, long atMs, Long newLastHeardMs) {
        return new Host(id, zone, site, capacity, labels, newState, scheduling, atMs,
                newState == HostState.READY ? null : newLastHeardMs);
    }

    public Host withScheduling(Schedulability newScheduling) {
        return new Host(id, zone, site, capacity, labels, state, newScheduling, stateSinceMs, lastHeardMs);
    }

    /** Ready and accepting new instances. */
    public boolean acceptsPlacements() {
        return state == HostState.READY && scheduling == Schedulability.SCHEDULABLE;
    }
}
