package org.phare.core.placement;

/**
 * Placement policy.
 *
 * @param cpuOvercommit ratio of vCPUs sold to physical vCPUs (1.0 = none)
 * @param memOvercommit same for memory (keep at 1.0 unless the hypervisor balloons)
 * @param strategy      fill hosts (bin-pack) or keep them evenly loaded (spread)
 * @param admission     which failure the failover reserve must absorb
 * @param limitFloor    minimum number of feasible hosts scored per placement; the sample is
 *                      {@code max(limitFloor, ceil(log2 N))}, as Nomad does ("power of two choices" generalised)
 */
public record PlacementConfig(double cpuOvercommit, double memOvercommit, Strategy strategy,
                              AdmissionPolicy admission, int limitFloor) {

    public enum Strategy { BINPACK, SPREAD }

    /** What the failover reserve must be able to absorb. */
    public enum AdmissionPolicy {
        /** No reserve: new instances may use all capacity (test clouds, labs). */
        NONE,
        /** The loss of any one host in each zone (the default, like vSphere HA "host failures tolerated = 1"). */
        HOST_PER_ZONE,
        /** The loss of any one whole zone of the region. */
        ZONE
    }

    public PlacementConfig {
        if (cpuOvercommit < 1.0 || memOvercommit < 1.0) {
            throw new IllegalArgumentException("overcommit ratios must be >= 1.0");
        }
        if (limitFloor < 1) {
            throw new IllegalArgumentException("limitFloor must be >= 1");
        }
    }

    public static PlacementConfig defaults() {
        return new PlacementConfig(1.0, 1.0, Strategy.BINPACK, AdmissionPolicy.HOST_PER_ZONE, 8);
    }

    public PlacementConfig withAdmission(AdmissionPolicy policy) {
        return new PlacementConfig(cpuOvercommit, memOvercommit, strategy, policy, limitFloor);
    }

    public PlacementConfig withStrategy(Strategy s) {
        return new PlacementConfig(cpuOvercommit, memOvercommit, s, admission, limitFloor);
    }

    public PlacementConfig withOvercommit(double cpu, double mem) {
        return new PlacementConfig(cpu, mem, strategy, admission, limitFloor);
    }

    long effectiveVcpus(long rawVcpus) {
        return (long) Math.floor(rawVcpus * cpuOvercommit);
    }

    long effectiveMemMiB(long rawMemMiB) {
        return (long) Math.floor(rawMemMiB * memOvercommit);
    }
}
