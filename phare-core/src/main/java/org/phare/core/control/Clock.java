package org.phare.core.control;

/**
 * Time as the controller sees it, injected. Production reads the system clocks; the simulator returns
 * virtual time. The core never reads a clock any other way.
 */
public interface Clock {
    /** Monotonic time for deadlines and rates. */
    long monotonicNanos();

    /** Calendar time stamped into records (launch times, since-when). */
    long epochMillis();
}
