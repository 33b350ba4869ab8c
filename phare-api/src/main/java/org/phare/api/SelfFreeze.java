package org.phare.api;

import java.io.IOException;

/**
 * A drill's freeze of this very process, as an operator's {@code kill -STOP} would do it: a small shell process is
 * started first that continues this one ({@code kill -CONT}) after the duration, then this process stops itself.
 * Every thread stops, timers included; the process continues as if nothing happened, its clocks having jumped.
 */
public final class SelfFreeze {
    /** Longest freeze a drill may ask for. */
    public static final long MAX_MS = 10 * 60_000;

    private SelfFreeze() {
    }

    /** Stops this process for {@code ms} (bounded by {@link #MAX_MS}); returns after it was continued. */
    public static void freeze(long ms) throws IOException {
        long pid = ProcessHandle.current().pid();
        double seconds = Math.max(0.05, Math.min(ms, MAX_MS) / 1000.0);
        new ProcessBuilder("/bin/sh", "-c", String.format(java.util.Locale.ROOT, "sleep %.3f; kill -CONT %d", seconds, pid))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Process stop = new ProcessBuilder("kill", "-STOP", Long.toString(pid)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            stop.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
