package org.phare.sim;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.phare.core.model.HostId;
import org.phare.core.model.InstanceId;
import org.phare.core.model.Resources;

/**
 * Safety invariants, checked as the run goes (every event), with ground truth the controller cannot see:
 * <ul>
 *   <li>S1 — never two live copies of one instance at any virtual instant, counting copies on hosts that are
 *       cut off but alive;</li>
 *   <li>S2 — no host above its capacity (what really runs on it, and what the controller thinks);</li>
 *   <li>S3 — the live state equals the replay of the record log (see {@link ControllerNode});</li>
 *   <li>S4 — nothing placed on a host that is not ready, nothing moved off a host unless its old copy is
 *       gone (dead and fenced, or drained with the agent's confirmation).</li>
 * </ul>
 * L1 (liveness) is checked at the end of the run by {@link Simulation}.
 */
public final class Invariants {
    private final SimClock clock;
    private final Map<InstanceId, Integer> liveCopies = new HashMap<>();
    private final Map<HostId, Resources> effectiveCapacity = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private final int maxRecorded;

    public Invariants(SimClock clock, int maxRecorded) {
        this.clock = clock;
        this.maxRecorded = maxRecorded;
    }

    void capacity(HostId host, Resources effective) {
        effectiveCapacity.put(host, effective);
    }

    void copyStarted(InstanceId id, HostId host, long generation, Collection<SimAgent.Copy> hostCopies) {
        int n = liveCopies.merge(id, 1, Integer::sum);
        if (n > 1) {
            violation("S1", "instance " + id + " has " + n + " live copies (new copy generation " + generation + " on " + host + ")");
        }
        long vcpus = 0;
        long mem = 0;
        for (SimAgent.Copy c : hostCopies) {
            vcpus += c.demand.vcpus();
            mem += c.demand.memMiB();
        }
        Resources cap = effectiveCapacity.get(host);
        if (cap != null && (vcpus > cap.vcpus() || mem > cap.memMiB())) {
            violation("S2", "host " + host + " runs " + vcpus + " vCPU / " + mem + " MiB, above its capacity " + cap);
        }
    }

    void copyStopped(InstanceId id) {
        liveCopies.merge(id, -1, (a, b) -> a + b == 0 ? null : a + b);
    }

    public void violation(String code, String detail) {
        if (violations.size() < maxRecorded) {
            violations.add(code + " at t=" + String.format(java.util.Locale.ROOT, "%.3f", clock.now() / 1e9) + "s: " + detail);
        } else if (violations.size() == maxRecorded) {
            violations.add("... more violations not recorded");
        }
    }

    public boolean violated() {
        return !violations.isEmpty();
    }

    public List<String> violations() {
        return List.copyOf(violations);
    }

    public int count() {
        return violations.size();
    }
}
