package org.phare.core;

import java.time.Duration;
import org.phare.core.control.Clock;

/**
 * A {@link Clock} that moves only when a test says so. Both clocks start at arbitrary non-zero values, so a
 * test that confuses "time since start" with "absolute time" fails.
 */
public final class FakeClock implements Clock {
    public static final long START_NANOS = 7_000_000_000L;
    public static final long START_EPOCH_MS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    private long nanos = START_NANOS;
    private long epochMs = START_EPOCH_MS;

    @Override
    public long monotonicNanos() {
        return nanos;
    }

    @Override
    public long epochMillis() {
        return epochMs;
    }

    public void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("time only moves forward: " + d);
        }
        nanos += d.toNanos();
        epochMs += d.toMillis();
    }

    /** Time since the clock was created. */
    public Duration elapsed() {
        return Duration.ofNanos(nanos - START_NANOS);
    }

    /** The monotonic reading {@code sinceStart} after creation. */
    public static long at(Duration sinceStart) {
        return START_NANOS + sinceStart.toNanos();
    }
}
