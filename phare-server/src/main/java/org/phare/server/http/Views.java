package org.phare.server.http;

import java.util.List;
import org.phare.core.model.Host;
import org.phare.core.model.Instance;
import org.phare.core.state.CloudState;

/** JSON shapes of the native API. Field names are stable: scripts rely on them. */
public final class Views {
    private Views() {}

    public record InstanceView(String id, String name, String tenant, String state, String desired, String host,
                               String zone, String address, long generation, String type, String image, int priority,
                               String group, String pendingReason, String pendingDetail, long createdAt, long launchedAt,
                               int reboots, String clientToken, long runningSince) {
        /** What every member shows alike: the address and running time come from the log, not from one leader's memory. */
        static InstanceView of(Instance i) {
            return new InstanceView(i.id().value(), i.name(), i.tenant().value(), i.state().wire(),
                    i.desired().name().toLowerCase(java.util.Locale.ROOT), i.host() == null ? null : i.host().value(),
                    i.zone() == null ? null : i.zone().value(), i.address(), i.generation(), i.type().value(), i.image().value(),
                    i.priority(), i.group() == null ? null : i.group().value(),
                    i.pendingReason() == null ? null : i.pendingReason().code(), i.pendingDetail(), i.createdAtMs(),
                    i.launchedAtMs(), i.reboots(), i.clientToken(), i.runningSinceMs());
        }
    }

    /** {@code pid}: the agent's process id when it runs on this machine (reported as the label {@code agent.pid}). */
    public record HostView(String id, String state, String scheduling, String zone, String site, Long pid, int vcpus,
                           long memMiB, int usedVcpus, long usedMemMiB, int instances, long stateSince) {
        public static final String PID_LABEL = "agent.pid";

        static HostView of(Host h, CloudState s) {
            String pid = h.labels().get(PID_LABEL);
            return new HostView(h.id().value(), h.state().wire(), h.scheduling().name().toLowerCase(java.util.Locale.ROOT),
                    h.zone().value(), h.site().value(), pid == null ? null : Long.valueOf(pid), h.capacity().vcpus(),
                    h.capacity().memMiB(), s.used(h.id()).vcpus(), s.used(h.id()).memMiB(), s.instancesOn(h.id()).size(),
                    h.stateSinceMs());
        }
    }

    /**
     * An instance type and its {@code room}: how many more instances of it could start now, one after another, without
     * eating the failover reserve (counted up to 1,000).
     */
    public record TypeView(String id, org.phare.core.model.Resources resources, int room) {}

    /** A page of a list; {@code nextToken} is null on the last page. */
    public record Page<T>(List<T> items, String nextToken) {}
}
