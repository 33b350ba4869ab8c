package org.phare.sim;

import org.phare.core.control.Clock;

/** Virtual time. Only the event loop moves it forward. */
public final class SimClock implements Clock {
    /** Calendar time of virtual zero: 2026-01-05T08:00:00Z, a Monday morning. */
    public static final long EPOCH_BASE_MS = 1_767_600_000_000L;

    private long nowNanos;

    @Override
    public long monotonicNanos() {
        return nowNanos;
    }

    @Override
    public long epochMillis() {
        return EPOCH_BASE_MS + nowNanos / 1_000_000;
    }

    public long now() {
        return nowNanos;
    }

    void advanceTo(long nanos) {
        if (nanos < nowNanos) {
            throw new IllegalStateException("time cannot go backwards: " + nanos + " < " + nowNanos);
        }
        nowNanos = nanos;
    }

    public static long ms(long millis) {
        return millis * 1_000_000L;
    }

    public static long seconds(double s) {
        return Math.round(s * 1e9);
    }
}
