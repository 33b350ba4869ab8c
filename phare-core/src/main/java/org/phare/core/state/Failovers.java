package org.phare.core.state;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.phare.core.model.HostId;
import org.phare.core.model.InstanceId;
import org.phare.core.model.ZoneId;

/**
 * The failovers of instances whose host died, as replay sees them: each starts when the instance is evicted from
 * its dead and fenced host and ends when its agent confirms it running on another host. Three durations, from four
 * moments on the controller's calendar clock:
 *
 * <pre>
 *   host last heard ──detection──> host declared dead ──re-placement──> running elsewhere
 *   └──────────────────────────────── outage ───────────────────────────────────────┘
 * </pre>
 *
 * Detection is normally the health configuration's dead-after delay plus up to a tick; re-placement holds the
 * fencing wait, the recovery queue and the start on the new host. The outage is what the tenant felt, give or take
 * one heartbeat interval: the host died at most that long after it was last heard. The last {@link #MAX_DONE}
 * completed failovers are kept, with those still waiting.
 */
public final class Failovers {
    public static final int MAX_DONE = 10_000;

    /**
     * One failover. {@code toHost} is null until placed, {@code runningAtMs} 0 until running again. An instance
     * evicted again before it ran keeps the entry of its first eviction: the outage goes on.
     *
     * @param hostLastHeardMs when the controller last heard {@code fromHost} before declaring it dead; null when the
     *                        log did not say (records and snapshots written before it was recorded)
     * @param hostDeadAtMs    when {@code fromHost} was declared dead
     */
    public record Failover(InstanceId instance, HostId fromHost, ZoneId fromZone, Long hostLastHeardMs, long hostDeadAtMs,
                           long evictedAtMs, HostId toHost, ZoneId toZone, long placedAtMs, long runningAtMs) {
        public boolean done() {
            return runningAtMs != 0;
        }

        /** From the host last heard to its being declared dead, or -1 when the last heartbeat is unknown. */
        public long detectionMs() {
            return hostLastHeardMs == null ? -1 : hostDeadAtMs - hostLastHeardMs;
        }

        /** From the host declared dead to the instance running elsewhere, or -1 while it waits. */
        public long replacementMs() {
            return done() ? runningAtMs - hostDeadAtMs : -1;
        }

        /**
         * From the host last heard to the instance running elsewhere ({@code detection + re-placement}), or -1 while
         * it waits or when the last heartbeat is unknown.
         */
        public long outageMs() {
            return done() && hostLastHeardMs != null ? runningAtMs - hostLastHeardMs : -1;
        }

        Failover toward(HostId host, ZoneId zone, long atMs) {
            return new Failover(instance, fromHost, fromZone, hostLastHeardMs, hostDeadAtMs, evictedAtMs, host, zone, atMs, 0);
        }

        Failover runningAt(long atMs) {
            return new Failover(instance, fromHost, fromZone, hostLastHeardMs, hostDeadAtMs, evictedAtMs, toHost, toZone,
                    placedAtMs, atMs);
        }
    }

    public record Data(List<Failover> waiting, List<Failover> done) {
        public Data {
            waiting = waiting == null ? List.of() : List.copyOf(waiting);
            done = done == null ? List.of() : List.copyOf(done);
        }

        public static final Data EMPTY = new Data(null, null);
    }

    private final Map<InstanceId, Failover> waiting = new LinkedHashMap<>();
    private final ArrayDeque<Failover> done = new ArrayDeque<>();

    void evicted(InstanceId instance, HostId host, ZoneId zone, Long hostLastHeardMs, long hostDeadAtMs, long atMs) {
        Failover first = waiting.get(instance);
        // Evicted again before it ran (its new host died too): the outage goes on, with no destination yet.
        waiting.put(instance, first == null
                ? new Failover(instance, host, zone, hostLastHeardMs, hostDeadAtMs, atMs, null, null, 0, 0)
                : first.toward(null, null, 0));
    }

    void placed(InstanceId instance, HostId host, ZoneId zone, long atMs) {
        waiting.computeIfPresent(instance, (id, f) -> f.toward(host, zone, atMs));
    }

    void running(InstanceId instance, long atMs) {
        Failover f = waiting.get(instance);
        if (f == null || f.toHost() == null) {
            return;
        }
        waiting.remove(instance);
        done.addLast(f.runningAt(atMs));
        if (done.size() > MAX_DONE) {
            done.removeFirst();
        }
    }

    /** The tenant stopped or terminated it meanwhile: no longer a failover to wait for. */
    void abandoned(InstanceId instance) {
        waiting.remove(instance);
    }

    public Data data() {
        return new Data(List.copyOf(waiting.values()), List.copyOf(done));
    }

    static Failovers restore(Data data) {
        Failovers f = new Failovers();
        data.waiting().forEach(w -> f.waiting.put(w.instance(), w));
        f.done.addAll(data.done());
        return f;
    }

    /** Failovers still waiting to run again, in eviction order. */
    public Map<InstanceId, Failover> waiting() {
        return Collections.unmodifiableMap(waiting);
    }

    /** Completed failovers whose instance ran again at or after {@code sinceMs}, oldest first. */
    public List<Failover> doneSince(long sinceMs) {
        List<Failover> out = new ArrayList<>();
        var it = done.descendingIterator();
        while (it.hasNext()) {
            Failover f = it.next();
            if (f.runningAtMs() < sinceMs) {
                break;
            }
            out.add(f);
        }
        Collections.reverse(out);
        return out;
    }
}
