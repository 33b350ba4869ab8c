package org.phare.core.agent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.phare.core.model.InstanceId;

/**
 * What an agent must do to make its host match the controller's desired list: a pure function returning
 * two buckets. Kill first (stale generations and anything not desired), then start. Safe to run twice.
 */
public final class HostReconciler {
    private HostReconciler() {}

    /**
     * @param kill  copies to destroy: not desired, or an older generation than the desired one
     * @param start assignments with no live copy at their generation
     */
    public record Plan(List<InstanceId> kill, List<Protocol.Assignment> start) {}

    public static Plan plan(List<Protocol.Assignment> desired, Map<InstanceId, Long> runningGenerations) {
        Map<InstanceId, Protocol.Assignment> wanted = new HashMap<>();
        for (Protocol.Assignment a : desired) {
            wanted.put(a.instance(), a);
        }
        List<InstanceId> kill = new ArrayList<>();
        for (Map.Entry<InstanceId, Long> e : runningGenerations.entrySet()) {
            Protocol.Assignment a = wanted.get(e.getKey());
            if (a == null || a.generation() != e.getValue()) {
                kill.add(e.getKey());
            }
        }
        List<Protocol.Assignment> start = new ArrayList<>();
        for (Protocol.Assignment a : desired) {
            Long gen = runningGenerations.get(a.instance());
            if (gen == null || gen != a.generation()) {
                start.add(a);
            }
        }
        kill.sort(null);
        return new Plan(kill, start);
    }
}
