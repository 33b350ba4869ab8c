package org.phare.core.placement;

import org.phare.core.model.GroupPolicy;
import org.phare.core.model.Host;
import org.phare.core.model.HostState;
import org.phare.core.model.PlacementGroup;
import org.phare.core.model.Resources;
import org.phare.core.state.CloudState;

/** A feasibility filter: says why a host cannot take the instance, or null when it can. */
@FunctionalInterface
interface Feasibility {

    /** Why a host was rejected; the scheduler counts these to explain a failure. */
    enum Reject { NOT_READY, CORDONED, NO_VCPU, NO_MEMORY, ANTI_AFFINITY }

    Reject check(Host host, Resources used, PlacementRequest request);

    /** Only ready hosts that are neither cordoned nor draining take new work. */
    static Feasibility schedulable() {
        return (host, used, request) -> {
            if (host.state() != HostState.READY) {
                return Reject.NOT_READY;
            }
            return host.acceptsPlacements() ? null : Reject.CORDONED;
        };
    }

    /** vCPU and memory, with the configured overcommit ratios. */
    static Feasibility capacity(PlacementConfig config) {
        return (host, used, request) -> {
            Resources demand = request.demand();
            if (used.vcpus() + demand.vcpus() > config.effectiveVcpus(host.capacity().vcpus())) {
                return Reject.NO_VCPU;
            }
            if (used.memMiB() + demand.memMiB() > config.effectiveMemMiB(host.capacity().memMiB())) {
                return Reject.NO_MEMORY;
            }
            return null;
        };
    }

    /** Hard anti-affinity: never two members of a host-anti-affinity group on one host. */
    static Feasibility hostAntiAffinity(CloudState state) {
        return (host, used, request) -> {
            if (request.group() == null) {
                return null;
            }
            PlacementGroup group = state.groups().get(request.group());
            if (group == null || group.policy() != GroupPolicy.HOST_ANTI_AFFINITY) {
                return null;
            }
            return state.groupMembersOn(request.group(), host.id()) > 0 ? Reject.ANTI_AFFINITY : null;
        };
    }
}
