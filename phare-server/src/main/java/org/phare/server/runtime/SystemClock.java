package org.phare.server.runtime;

import org.phare.core.control.Clock;

/** The real clocks: monotonic for deadlines, calendar time for records. The only place the server reads them. */
public final class SystemClock implements Clock {
    @Override
    public long monotonicNanos() {
        return System.nanoTime();
    }

    @Override
    public long epochMillis() {
        return System.currentTimeMillis();
    }
}
