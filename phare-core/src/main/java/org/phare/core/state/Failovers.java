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
 * its dead and fenced host and ends when its agent confirms it running on another host. The recovery time is
 * counted from the host declared dead (detection takes the health configuration's dead-after delay before that).
 * The last {@link #MAX_DONE} completed ones are kept, with those still waiting.
 */
public final class Failovers {
    public static final int MAX_DONE = 10_000;

    /**
     * One failover. {@code toHost} is null until placed, {@code runningAtMs} 0 until running again. An instance
     * evicted again before it ran keeps the entry of its first eviction: the outage goes on.
     */
    public record Failover(InstanceId instance, HostId fromHost, ZoneId fromZone, long hostDeadAtMs, long evictedAtMs,
                           HostId toHost, ZoneId toZone, long placedAtMs, long runningAtMs) {
        public boolean done() {
            return runningAtMs != 0;
        }

        /** From the host declared dead to the instance running again, or -1 while it waits. */
        public long recoveryMs() {
            return done() ? runningAtMs - hostDeadAtMs : -1;
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

    void evicted(InstanceId instance, HostId host, ZoneId zone, long hostDeadAtMs, long atMs) {
        Failover first = waiting.get(instance);
        // Evicted again before it ran (its new host died too): the outage goes on, with no destination yet.
        waiting.put(instance, first == null ? new Failover(instance, host, zone, hostDeadAtMs, atMs, null, null, 0, 0)
                : new Failover(instance, first.fromHost(), first.fromZone(), first.hostDeadAtMs(), first.evictedAtMs(), null, null, 0, 0));
    }

    void placed(InstanceId instance, HostId host, ZoneId zone, long atMs) {
        waiting.computeIfPresent(instance, (id, f) -> new Failover(id, f.fromHost(), f.fromZone(), f.hostDeadAtMs(),
                f.evictedAtMs(), host, zone, atMs, 0));
    }

    void running(InstanceId instance, long atMs) {
        Failover f = waiting.get(instance);
        if (f == null || f.toHost() == null) {
            return;
        }
        waiting.remove(instance);
        done.addLast(new Failover(instance, f.fromHost(), f.fromZone(), f.hostDeadAtMs(), f.evictedAtMs(), f.toHost(),
                f.toZone(), f.placedAtMs(), atMs));
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
