package org.phare.core.model;

/**
 * A tenant's virtual server.
 *
 * @param zone        the zone it runs in, or the zone it was asked for while it has no host (null: any zone)
 * @param zonePinned  the tenant named the zone: it never moves to another zone, even on failover
 * @param host        the host that holds its capacity, or null while pending, stopped or terminated
 * @param generation  bumped by every placement; an agent never runs a stale generation
 * @param priority    restart priority, higher restarts first when capacity is short
 * @param group       placement group, or null
 * @param pendingReason why it waits, or null
 * @param seq         creation order, a stable tie-breaker
 * @param reboots     reboots requested so far; an agent restarts the copy when this grows
 * @param clientToken the idempotency token of the request that created it, or null
 * @param launch      its reservation, key pair and user data (null in logs written before they existed)
 * @param address     where its current copy serves ({@code host:port}), as its agent reported it when the copy ran;
 *                    null while it has no running copy or when the driver gives no address
 * @param runningSinceMs when its agent confirmed the current copy running, 0 while it has none (boxed only so that
 *                    a snapshot written before it existed reads as 0)
 */
public record Instance(InstanceId id, TenantId tenant, String name, InstanceTypeId type, Resources demand,
                       ImageId image, ZoneId zone, boolean zonePinned, int priority, GroupId group,
                       DesiredState desired, InstanceState state, HostId host, long generation,
                       PendingReason pendingReason, String pendingDetail, long seq, long createdAtMs,
                       long launchedAtMs, int reboots, String clientToken, Launch launch,
                       String address, Long runningSinceMs) {

    public Instance {
        runningSinceMs = runningSinceMs == null ? 0L : runningSinceMs;
    }

    public Instance placedOn(HostId newHost, ZoneId newZone, long newGeneration, long atMs) {
        return new Instance(id, tenant, name, type, demand, image, newZone, zonePinned, priority, group,
                desired, InstanceState.PENDING, newHost, newGeneration, null, null, seq, createdAtMs, atMs, reboots, clientToken, launch,
                null, 0L);
    }

    public Instance unplaced(InstanceState newState, PendingReason reason, String detail) {
        return new Instance(id, tenant, name, type, demand, image, zone, zonePinned, priority, group,
                desired, newState, null, generation, reason, detail, seq, createdAtMs, launchedAtMs, reboots, clientToken, launch,
                null, 0L);
    }

    public Instance withState(InstanceState newState) {
        boolean running = newState == InstanceState.RUNNING;
        return new Instance(id, tenant, name, type, demand, image, zone, zonePinned, priority, group,
                desired, newState, host, generation, pendingReason, pendingDetail, seq, createdAtMs, launchedAtMs, reboots, clientToken, launch,
                running ? address : null, running ? runningSinceMs : 0L);
    }

    /** Its agent confirmed the current copy running, serving at {@code newAddress}, since {@code sinceMs}. */
    public Instance running(String newAddress, long sinceMs) {
        return new Instance(id, tenant, name, type, demand, image, zone, zonePinned, priority, group,
                desired, InstanceState.RUNNING, host, generation, pendingReason, pendingDetail, seq, createdAtMs, launchedAtMs, reboots,
                clientToken, launch, newAddress, sinceMs);
    }

    public Instance withDesired(DesiredState newDesired, InstanceState newState) {
        return new Instance(id, tenant, name, type, demand, image, zone, zonePinned, priority, group,
                newDesired, newState, host, generation, pendingReason, pendingDetail, seq, createdAtMs, launchedAtMs, reboots, clientToken, launch,
                newState == InstanceState.RUNNING ? address : null, newState == InstanceState.RUNNING ? runningSinceMs : 0L);
    }

    public Instance rebooted() {
        return new Instance(id, tenant, name, type, demand, image, zone, zonePinned, priority, group,
                desired, state, host, generation, pendingReason, pendingDetail, seq, createdAtMs, launchedAtMs, reboots + 1, clientToken, launch,
                address, runningSinceMs);
    }

    /** The same instance under another name (its name is only a label: nothing else changes). */
    public Instance named(String newName) {
        return new Instance(id, tenant, newName, type, demand, image, zone, zonePinned, priority, group,
                desired, state, host, generation, pendingReason, pendingDetail, seq, createdAtMs, launchedAtMs, reboots, clientToken, launch,
                address, runningSinceMs);
    }

    /** Should run but has no host: the recovery queue's business. */
    public boolean awaitingPlacement() {
        return desired == DesiredState.RUNNING && host == null;
    }
}
