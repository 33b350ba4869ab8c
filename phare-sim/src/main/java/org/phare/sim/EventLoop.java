package org.phare.sim;

import java.util.PriorityQueue;

/**
 * A single-threaded discrete-event loop on virtual time: a priority queue of (time, sequence) ordered
 * events. Ties run in scheduling order, so a run is a pure function of its seed.
 */
public final class EventLoop {
    private record Event(long at, long seq, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
        }
    }

    private final SimClock clock;
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final int maxQueued;
    private long seq;
    private long executed;
    private Runnable afterEach = () -> {};

    /** @param maxQueued bound on pending events; exceeding it is a bug in the simulation, reported loudly */
    public EventLoop(SimClock clock, int maxQueued) {
        this.clock = clock;
        this.maxQueued = maxQueued;
    }

    public SimClock clock() {
        return clock;
    }

    /** Called after every event: the invariant checks. */
    public void afterEach(Runnable hook) {
        this.afterEach = hook;
    }

    public void at(long atNanos, Runnable action) {
        if (queue.size() >= maxQueued) {
            throw new IllegalStateException("event queue bound reached (" + maxQueued + " events): runaway scheduling");
        }
        queue.add(new Event(Math.max(atNanos, clock.now()), seq++, action));
    }

    public void after(long delayNanos, Runnable action) {
        at(clock.now() + delayNanos, action);
    }

    /** Runs events up to and including {@code untilNanos}, or until {@code stop} says so; then sets the clock there. */
    public void runUntil(long untilNanos, java.util.function.BooleanSupplier stop) {
        while (!queue.isEmpty() && queue.peek().at <= untilNanos) {
            Event e = queue.poll();
            clock.advanceTo(e.at);
            e.action.run();
            executed++;
            afterEach.run();
            if (stop.getAsBoolean()) {
                return;
            }
        }
        clock.advanceTo(Math.max(clock.now(), untilNanos));
    }

    public long executed() {
        return executed;
    }

    public int queued() {
        return queue.size();
    }
}
