package org.phare.core.model;

/** An amount of compute: virtual CPUs and memory in MiB. Never negative. */
public record Resources(int vcpus, long memMiB) {
    public static final Resources ZERO = new Resources(0, 0);

    public Resources {
        if (vcpus < 0 || memMiB < 0) {
            throw new IllegalArgumentException("resources must not be negative: " + vcpus + " vCPU, " + memMiB + " MiB");
        }
    }

    public Resources plus(Resources other) {
        return new Resources(vcpus + other.vcpus, memMiB + other.memMiB);
    }

    /** Subtraction that clamps at zero; callers that need the exact deficit use the fields. */
    public Resources minus(Resources other) {
        return new Resources(Math.max(0, vcpus - other.vcpus), Math.max(0, memMiB - other.memMiB));
    }

    public boolean fitsIn(Resources available) {
        return vcpus <= available.vcpus && memMiB <= available.memMiB;
    }

    /** Capacity after applying overcommit ratios (rounded down, so overcommit never over-promises). */
    public Resources overcommitted(double cpuRatio, double memRatio) {
        return new Resources((int) Math.floor(vcpus * cpuRatio), (long) Math.floor(memMiB * memRatio));
    }

    @Override
    public String toString() {
        return vcpus + " vCPU / " + memMiB + " MiB";
    }
}
