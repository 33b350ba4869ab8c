package org.phare.core.state;

import java.util.TreeMap;
import org.phare.core.model.Host;
import org.phare.core.model.HostState;
import org.phare.core.model.Resources;

/**
 * Aggregates of one zone, kept up to date by replay so that admission control is O(1) per placement.
 * "Schedulable" hosts accept placements (ready, neither cordoned nor draining); "live" hosts are not dead.
 *
 * <p>Besides plain sums (for zone ordering and reports) it keeps, in {@link Sizing} units, what the
 * fragmentation-safe failover reserve needs: the slack of the schedulable hosts, the weight of the instances
 * on live hosts, and for each live host {@code weight + own slack} (the most any single host loss demands).
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
    private long slack;
    private long liveWeight;
    private final TreeMap<Long, Integer> hostLossDemand = new TreeMap<>();

    /** An independent copy. */
    ZoneStats copy() {
        ZoneStats c = new ZoneStats();
        c.schedulableVcpus = schedulableVcpus;
        c.schedulableMemMiB = schedulableMemMiB;
        c.schedulableUsedVcpus = schedulableUsedVcpus;
        c.schedulableUsedMemMiB = schedulableUsedMemMiB;
        c.liveUsedVcpus = liveUsedVcpus;
        c.liveUsedMemMiB = liveUsedMemMiB;
        c.hosts = hosts;
        c.schedulableHosts = schedulableHosts;
        c.slack = slack;
        c.liveWeight = liveWeight;
        c.hostLossDemand.putAll(hostLossDemand);
        return c;
    }

    void attach(Host host, Resources used, long weight, Sizing sizing, int sign) {
        hosts += sign;
        long ownSlack = 0;
        if (host.acceptsPlacements()) {
            ownSlack = sizing.slack(host, used);
            slack += sign * ownSlack;
            schedulableHosts += sign;
            schedulableVcpus += sign * (long) host.capacity().vcpus();
            schedulableMemMiB += sign * host.capacity().memMiB();
            schedulableUsedVcpus += sign * (long) used.vcpus();
            schedulableUsedMemMiB += sign * used.memMiB();
        }
        if (host.state() != HostState.DEAD) {
            liveUsedVcpus += sign * (long) used.vcpus();
            liveUsedMemMiB += sign * used.memMiB();
            liveWeight += sign * weight;
            hostLossDemand.merge(weight + ownSlack, sign, (a, b) -> a + b == 0 ? null : a + b);
        }
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

    /** Load on every host of the zone that is not dead: what losing the zone would displace. */
    public long liveUsedVcpus() {
        return liveUsedVcpus;
    }

    public long liveUsedMemMiB() {
        return liveUsedMemMiB;
    }

    /** Total slack of the schedulable hosts, in millionths of a slot. */
    public long slack() {
        return slack;
    }

    /** Total weight of the instances on live hosts, in millionths of a slot. */
    public long liveWeight() {
        return liveWeight;
    }

    /** The largest {@code weight + own slack} over live hosts: the demand of the worst single host loss. */
    public long worstHostLoss() {
        return hostLossDemand.isEmpty() ? 0 : hostLossDemand.lastKey();
    }

    String describe() {
        return "hosts=" + hosts + " schedulable=" + schedulableHosts + " cap=" + schedulableVcpus + "/" + schedulableMemMiB
                + " used=" + schedulableUsedVcpus + "/" + schedulableUsedMemMiB + " live=" + liveUsedVcpus + "/" + liveUsedMemMiB
                + " slack=" + slack + " weight=" + liveWeight + " loss=" + hostLossDemand;
    }
}
