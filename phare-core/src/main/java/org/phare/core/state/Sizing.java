package org.phare.core.state;

import org.phare.core.model.Host;
import org.phare.core.model.Resources;

/**
 * How free capacity is counted for the failover reserve, in "slots": the size of the largest instance type.
 * All figures are fixed-point millionths of a slot, so replay is exact and order-independent.
 *
 * <p>The weight of an instance is its largest share of a slot, {@code max(vcpu/slotVcpu, mem/slotMem)}, rounded
 * up; the room of a host is {@code min(freeVcpu/slotVcpu, freeMem/slotMem)}, rounded down. Its
 * <em>slack</em> is {@code max(0, room - 1)}. Why slack: if the slack of a set of hosts adds up to at least the
 * weight of a set of instances, any-fit placement puts every one of them on those hosts, whatever the
 * fragmentation. (An instance that fits nowhere leaves every host with room below its weight, hence no slack;
 * but each placement lowers the total slack by at most the weight placed, so slack would remain: contradiction.)
 */
record Sizing(double cpuOvercommit, double memOvercommit, Resources slot) {
    static final long ONE = 1_000_000L;

    static Sizing initial() {
        return new Sizing(1.0, 1.0, Resources.ZERO);
    }

    Resources effective(Resources capacity) {
        return capacity.overcommitted(cpuOvercommit, memOvercommit);
    }

    long weight(Resources demand) {
        if (slot.vcpus() == 0 || slot.memMiB() == 0) {
            return 0;
        }
        long cpu = ceilDiv(demand.vcpus() * ONE, slot.vcpus());
        long mem = ceilDiv(demand.memMiB() * ONE, slot.memMiB());
        return Math.max(cpu, mem) + 1; // +1: room is rounded down, weight up; stay on the safe side
    }

    long slack(Host host, Resources used) {
        if (slot.vcpus() == 0 || slot.memMiB() == 0) {
            return 0;
        }
        Resources cap = effective(host.capacity());
        long freeCpu = cap.vcpus() - (long) used.vcpus();
        long freeMem = cap.memMiB() - used.memMiB();
        long room = Math.min(Math.floorDiv(freeCpu * ONE, slot.vcpus()), Math.floorDiv(freeMem * ONE, slot.memMiB()));
        return Math.max(0, room - ONE);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
