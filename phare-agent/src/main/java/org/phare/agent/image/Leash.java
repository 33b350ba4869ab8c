package org.phare.agent.image;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * What ties an instance copy to its agent, for every image: standard input, a pipe whose write end only the agent
 * holds.
 *
 * <ul>
 *   <li><b>End of file: halt at once.</b> The kernel closes the write end when the agent process dies, {@code kill -9}
 *       included, so no copy outlives its agent (exit code {@link #EXIT_LEASH_CUT}).</li>
 *   <li><b>A lease: halt when it runs out.</b> An agent that is alive but frozen (SIGSTOP, a stalled JVM, a swap storm)
 *       keeps its pipes open, so end of file never comes; yet the control plane restarts its instances elsewhere once
 *       its lease has run out. So a copy also holds a deadline that only the agent renews, and a watchdog thread halts
 *       the process when it passes (exit code {@link #EXIT_LEASE_EXPIRED}). The initial deadline is
 *       {@code --lease-ms MS} counted from the process's start; each line {@code renew MS} on standard input sets it to
 *       MS milliseconds from when the agent wrote the line. Without {@code --lease-ms} and before any {@code renew}
 *       line there is no deadline (a copy started by hand lives on its leash alone).</li>
 * </ul>
 *
 * <p><b>When was a line written?</b> Processes do not share a clock origin, so a renewal carries a duration, and the
 * copy must count it from a moment no later than its writing, or it would outlive the agent's lease. A line that
 * arrives while the reader waits on an empty pipe was written just now: it counts from its arrival (scheduling delay
 * only, which the agent's margin absorbs). A line that was already waiting when the reader looked may have waited
 * long (the copy was starting, or starved): it counts from the last moment the pipe was seen empty, or from the
 * process's start.
 *
 * <p><b>Halting fast.</b> HotSpot's exit waits up to 300 ms for threads in native code, such as this reader blocked in
 * {@code read}; the driver starts copies with {@code -XX:UserThreadWaitAttemptsAtExit=0} so that a halt takes a few
 * milliseconds.
 */
public final class Leash {
    /** Standard input reached end of file: the agent is gone. */
    public static final int EXIT_LEASH_CUT = 0;
    /** The lease ran out: the agent did not renew it in time (frozen, or cut off and fenced). */
    public static final int EXIT_LEASE_EXPIRED = 4;
    /** The renewal line: {@code renew <milliseconds>}. */
    public static final String RENEW = "renew";
    /** Longer lines are not ours: skipped, never buffered without bound. */
    private static final int MAX_LINE = 64;

    private final LongSupplier nanos;
    private final IntConsumer halt;
    private final PrintStream err;
    private final String name;
    private final Object lock = new Object();
    /** Guarded by {@link #lock}; meaningful only while {@link #hasDeadline}. */
    private long deadlineNanos;
    private boolean hasDeadline;

    Leash(String name, LongSupplier nanos, IntConsumer halt, PrintStream err) {
        this.name = name;
        this.nanos = nanos;
        this.halt = halt;
        this.err = err;
    }

    /**
     * Holds the leash of this process: a reader of standard input and, once a deadline is known, a watchdog; both
     * daemon threads, started before anything else can block. {@code leaseMs}: the initial lease counted from the
     * process's start, or negative for none.
     */
    public static void hold(String name, long leaseMs) {
        Leash leash = new Leash(name, System::nanoTime, code -> {
            System.err.flush();
            System.out.flush();
            // halt, not exit: no shutdown hook or stuck non-daemon thread may keep an orphan alive.
            Runtime.getRuntime().halt(code);
        }, System.err);
        long startedAt = processStartNanos();
        if (leaseMs >= 0) {
            leash.renew(startedAt, leaseMs);
        }
        // The file descriptor itself, not System.in's buffer: what is waiting must show in available().
        InputStream stdin = new FileInputStream(FileDescriptor.in);
        daemon(name + "-leash", () -> leash.read(stdin, startedAt)).start();
        daemon(name + "-watchdog", leash::watch).start();
    }

    private static Thread daemon(String name, Runnable run) {
        Thread t = new Thread(run, name);
        t.setDaemon(true);
        t.setPriority(Thread.MAX_PRIORITY);
        return t;
    }

    /** Sets the deadline to {@code ms} after {@code fromNanos} (earlier or later than the current one). */
    void renew(long fromNanos, long ms) {
        synchronized (lock) {
            deadlineNanos = fromNanos + TimeUnit.MILLISECONDS.toNanos(ms);
            hasDeadline = true;
            lock.notifyAll();
        }
    }

    /** The deadline, if any (for tests). */
    Long deadlineNanos() {
        synchronized (lock) {
            return hasDeadline ? deadlineNanos : null;
        }
    }

    /**
     * Reads standard input until end of file, applying each renewal, then halts. {@code startedAtNanos}: the process's
     * start, the earliest moment anything in the pipe can have been written.
     */
    void read(InputStream in, long startedAtNanos) {
        byte[] buf = new byte[256];
        StringBuilder line = new StringBuilder();
        boolean skipping = false;
        long lineFrom = Long.MAX_VALUE;
        long emptyAt = startedAtNanos; // the last moment the pipe was seen empty
        try {
            while (true) {
                boolean waiting = in.available() > 0;
                if (!waiting) {
                    emptyAt = nanos.getAsLong();
                }
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                long from = waiting ? emptyAt : nanos.getAsLong();
                for (int i = 0; i < n; i++) {
                    char c = (char) (buf[i] & 0xff);
                    if (c == '\n') {
                        if (!skipping) {
                            apply(line.toString().strip(), Math.min(lineFrom, from));
                        }
                        line.setLength(0);
                        skipping = false;
                        lineFrom = Long.MAX_VALUE;
                    } else if (!skipping) {
                        lineFrom = Math.min(lineFrom, from);
                        line.append(c);
                        if (line.length() > MAX_LINE) {
                            skipping = true;
                            line.setLength(0);
                        }
                    }
                }
            }
        } catch (IOException e) {
            // A broken pipe means the same as end of file: the agent is gone.
        }
        halt.accept(EXIT_LEASH_CUT);
    }

    private void apply(String line, long fromNanos) {
        if (line.isEmpty()) {
            return;
        }
        String[] words = line.split(" ");
        if (words.length == 2 && words[0].equals(RENEW)) {
            try {
                long ms = Long.parseLong(words[1]);
                if (ms >= 0) {
                    renew(fromNanos, ms);
                    return;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        err.println(name + ": ignoring an unknown line on standard input: " + line);
    }

    /** The watchdog: halts the process when the deadline passes without a renewal. */
    void watch() {
        synchronized (lock) {
            while (true) {
                long wait = hasDeadline ? deadlineNanos - nanos.getAsLong() : Long.MAX_VALUE;
                if (wait <= 0) {
                    break;
                }
                try {
                    if (hasDeadline) {
                        TimeUnit.NANOSECONDS.timedWait(lock, wait);
                    } else {
                        lock.wait();
                    }
                } catch (InterruptedException e) {
                    // not ours to interrupt: keep watching
                }
            }
        }
        err.println(name + ": the lease ran out (the agent did not renew it in time); halting");
        halt.accept(EXIT_LEASE_EXPIRED);
    }

    /**
     * When this process started, on {@link System#nanoTime()}'s scale, never later than the truth: Linux's
     * {@code /proc} gives the process's age to 10 ms; elsewhere the JDK's start instant (derived from the boot time,
     * which may make it up to a second earlier: safe, merely stricter).
     */
    static long processStartNanos() {
        long now = System.nanoTime();
        try {
            String uptime = Files.readString(Path.of("/proc/uptime"), StandardCharsets.US_ASCII).trim().split("\\s+")[0];
            String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
            // Field 22 (start time in clock ticks since boot), counted after the command name, which may hold spaces.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            long startTicks = Long.parseLong(fields[19]);
            long ageNanos = (long) (Double.parseDouble(uptime) * 1e9) - startTicks * 10_000_000L; // USER_HZ is 100
            return now - Math.max(0, ageNanos) - 10_000_000L; // both values are truncated to 10 ms
        } catch (IOException | RuntimeException e) {
            Instant started = ProcessHandle.current().info().startInstant().orElse(null);
            if (started == null) {
                return now; // no way to tell: from now (the agent's margin absorbs a quick start)
            }
            return now - Math.max(0, Duration.between(started, Instant.now()).toNanos());
        }
    }
}
