package org.phare.server.runtime;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.phare.core.report.Events;

/**
 * The latest events the committed log told ({@link Events}), for whoever follows them ({@code GET /v1/events},
 * {@code phare demo}, {@code phare events --follow}). Each has an id made of its log index and its rank in the entry,
 * so the same event has the same id on every member and a follower can switch members without losing or repeating one.
 * Bounded ({@link #CAPACITY}, the oldest dropped); thread-safe: the control loop adds, request threads read and wait.
 */
public final class EventFeed {
    public static final int CAPACITY = 10_000;
    /** Ranks within one log entry: an entry holds at most this many events. */
    static final long PER_ENTRY = 1_000_000L;

    /** An event and its id. */
    public record Item(long id, Events.Event event) {}

    private final ArrayDeque<Item> items = new ArrayDeque<>();

    /** Adds the events of the entry at {@code index}, in order (on the control loop). */
    synchronized void add(long index, List<Events.Event> events) {
        for (int i = 0; i < events.size() && i < PER_ENTRY; i++) {
            items.addLast(new Item(index * PER_ENTRY + i, events.get(i)));
            if (items.size() > CAPACITY) {
                items.removeFirst();
            }
        }
        if (!events.isEmpty()) {
            notifyAll();
        }
    }

    /**
     * The events after {@code after} (at most {@code limit}, oldest first), waiting up to {@code waitMs} for one if there
     * is none yet.
     */
    public synchronized List<Item> after(long after, int limit, long waitMs) throws InterruptedException {
        long deadline = System.nanoTime() + waitMs * 1_000_000L;
        List<Item> out = collect(after, limit);
        while (out.isEmpty() && System.nanoTime() < deadline) {
            wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000L));
            out = collect(after, limit);
        }
        return out;
    }

    /** The id of the newest event, or 0 when there is none: where a follower that wants only what comes starts. */
    public synchronized long latest() {
        return items.isEmpty() ? 0 : items.getLast().id();
    }

    private List<Item> collect(long after, int limit) {
        List<Item> out = new ArrayList<>();
        for (var it = items.descendingIterator(); it.hasNext(); ) {
            Item i = it.next();
            if (i.id() <= after) {
                break;
            }
            out.add(i);
        }
        java.util.Collections.reverse(out);
        return out.size() > limit ? out.subList(0, limit) : out;
    }
}
