package org.phare.core.state;

import java.util.TreeMap;
import org.phare.core.model.Host;
import org.phare.core.model.HostState;
import org.phare.core.model.Resources;

/**
 * Aggregates of one zone, kept up to date by replay so that admission control is O(1) per placement.
 * "Schedulable" hosts are those that accept placements (ready and not cordoned or draining).
 */
public final class ZoneStats {
    private long schedulableVcpus;
    private long schedulableMemMiB;
    private long schedulableUsedVcpus;
    private long schedulableUsedMemMiB;
    private long liveUsedVcpus;
    private long liveUsedMemMiB;
    private int hosts;
    private int schedulableHosts;
    private final TreeMap<Integer, Integer> schedulableVcpuSizes = new TreeMap<>();
    private final TreeMap<Long, Integer> schedulableMemSizes = new TreeMap<>();
    /** Hosts that hold instances but take no new ones (suspect, cordoned, draining): their load must be absorbable too. */
    private final TreeMap<Integer, Integer> unschedulableVcpuUsed = new TreeMap<>();
    private final TreeMap<Long, Integer> unschedulableMemUsed = new TreeMap<>();

    void attach(Host host, Resources used, int sign) {
        hosts += sign;
        if (host.state() != HostState.DEAD) {
            liveUsedVcpus += sign * (long) used.vcpus();
            liveUsedMemMiB += sign * used.memMiB();
        }
        if (host.acceptsPlacements()) {
            schedulableHosts += sign;
            schedulableVcpus += sign * (long) host.capacity().vcpus();
            schedulableMemMiB += sign * host.capacity().memMiB();
            schedulableUsedVcpus += sign * (long) used.vcpus();
            schedulableUsedMemMiB += sign * used.memMiB();
            count(schedulableVcpuSizes, host.capacity().vcpus(), sign);
            count(schedulableMemSizes, host.capacity().memMiB(), sign);
        } else if (host.state() != HostState.DEAD) {
            count(unschedulableVcpuUsed, used.vcpus(), sign);
            count(unschedulableMemUsed, used.memMiB(), sign);
        }
    }

    private static <K> void count(TreeMap<K, Integer> multiset, K key, int sign) {
        multiset.merge(key, sign, (a, b) -> a + b == 0 ? null : a + b);
    }

    public int hosts() {
        return hosts;
    }

    public int schedulableHosts() {
        return schedulableHosts;
    }

    /** Raw capacity of the schedulable hosts (before overcommit). */
    public long schedulableVcpus() {
        return schedulableVcpus;
    }

    public long schedulableMemMiB() {
        return schedulableMemMiB;
    }

    public long schedulableUsedVcpus() {
        return schedulableUsedVcpus;
    }

    public long schedulableUsedMemMiB() {
        return schedulableUsedMemMiB;
    }

    /** Load carried by every host of the zone that is not dead: what losing the zone would displace. */
    public long liveUsedVcpus() {
        return liveUsedVcpus;
    }

    public long liveUsedMemMiB() {
        return liveUsedMemMiB;
    }

    public int largestSchedulableVcpus() {
        return schedulableVcpuSizes.isEmpty() ? 0 : schedulableVcpuSizes.lastKey();
    }

    public long largestSchedulableMemMiB() {
        return schedulableMemSizes.isEmpty() ? 0 : schedulableMemSizes.lastKey();
    }

    public int largestUnschedulableUsedVcpus() {
        return unschedulableVcpuUsed.isEmpty() ? 0 : unschedulableVcpuUsed.lastKey();
    }

    public long largestUnschedulableUsedMemMiB() {
        return unschedulableMemUsed.isEmpty() ? 0 : unschedulableMemUsed.lastKey();
    }

    String describe() {
        return "hosts=" + hosts + " schedulable=" + schedulableHosts + " cap=" + schedulableVcpus + "/" + schedulableMemMiB
                + " used=" + schedulableUsedVcpus + "/" + schedulableUsedMemMiB + " live=" + liveUsedVcpus + "/" + liveUsedMemMiB
                + " sizes=" + schedulableVcpuSizes + schedulableMemSizes + " unsched=" + unschedulableVcpuUsed + unschedulableMemUsed;
    }
}
