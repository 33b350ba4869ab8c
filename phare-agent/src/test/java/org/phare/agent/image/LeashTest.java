package org.phare.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The leash's rules on a clock the test moves: when a renewal counts from, and when the watchdog halts. */
@DisplayName("The leash: end of file and a lease only the agent renews")
class LeashTest {
    private static final long MS = 1_000_000L;

    private final AtomicLong now = new AtomicLong();
    private final AtomicInteger halted = new AtomicInteger(-1);
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Leash leash = new Leash("test", now::get, halted::set, new PrintStream(err, true, StandardCharsets.UTF_8));

    private static ByteArrayInputStream lines(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    @DisplayName("lines already waiting when the reader first looks count from the process's start, not from their reading")
    void waitingLinesCountFromTheStart() {
        now.set(700 * MS); // the copy took 700 ms to start; the agent wrote meanwhile

        leash.read(lines("renew 2000\n"), 100 * MS);

        assertThat(leash.deadlineNanos()).isEqualTo(2_100 * MS);
        assertThat(halted.get()).as("end of file after the line: the leash is cut").isEqualTo(Leash.EXIT_LEASH_CUT);
    }

    @Test
    @DisplayName("a line that arrives while the reader waits counts from its arrival, and may shorten the deadline")
    void aFreshLineCountsFromItsArrival() throws Exception {
        PipedOutputStream agent = new PipedOutputStream();
        PipedInputStream pipe = new PipedInputStream(agent);
        Thread reader = Thread.ofVirtual().start(() -> leash.read(pipe, 0));
        awaitBlocked(reader);

        now.set(5_000 * MS);
        agent.write("renew 2950\n".getBytes(StandardCharsets.US_ASCII));
        agent.flush();
        await().atMost(Duration.ofSeconds(5)).until(() -> leash.deadlineNanos() != null);
        assertThat(leash.deadlineNanos()).isEqualTo(7_950 * MS);
        awaitBlocked(reader);

        now.set(5_100 * MS);
        agent.write("renew 100\n".getBytes(StandardCharsets.US_ASCII));
        agent.flush();
        await().atMost(Duration.ofSeconds(5)).until(() -> leash.deadlineNanos() == 5_200 * MS);

        agent.close();
        reader.join(5_000);
        assertThat(halted.get()).isEqualTo(Leash.EXIT_LEASH_CUT);
    }

    /** The reader waits on an empty pipe (what it reads next is written after this). */
    private static void awaitBlocked(Thread reader) {
        await().atMost(Duration.ofSeconds(5)).until(() -> reader.getState() == Thread.State.TIMED_WAITING
                || reader.getState() == Thread.State.WAITING);
    }

    @Test
    @DisplayName("unknown, negative and overlong lines change nothing and are reported; the next good line applies")
    void badLinesAreSkipped() {
        now.set(10 * MS);

        leash.read(lines("hello\nrenew -5\nrenew " + "9".repeat(80) + "\nrenew 1x\nrenew 40\n"), 0);

        assertThat(leash.deadlineNanos()).isEqualTo(40 * MS);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("ignoring an unknown line on standard input: hello",
                "renew -5", "renew 1x").doesNotContain("99999");
    }

    @Test
    @DisplayName("the watchdog halts with code 4 once the deadline has passed")
    void theWatchdogHaltsAtTheDeadline() {
        leash.renew(0, 1_000);
        now.set(1_000 * MS);

        leash.watch();

        assertThat(halted.get()).isEqualTo(Leash.EXIT_LEASE_EXPIRED);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("the lease ran out");
    }

    @Test
    @DisplayName("without --lease-ms and before any renewal there is no deadline: the watchdog waits")
    void noLeaseNoDeadline() throws Exception {
        Thread watchdog = Thread.ofVirtual().start(leash::watch);
        now.set(Long.MAX_VALUE / 2);
        Thread.sleep(200);

        assertThat(leash.deadlineNanos()).isNull();
        assertThat(watchdog.isAlive()).isTrue();
        assertThat(halted.get()).isEqualTo(-1);

        leash.renew(0, 1); // long past: the watchdog wakes and halts
        watchdog.join(5_000);
        assertThat(halted.get()).isEqualTo(Leash.EXIT_LEASE_EXPIRED);
    }

    @Test
    @DisplayName("the process's start is known, and never later than now")
    void processStart() {
        long before = System.nanoTime();
        long start = Leash.processStartNanos();
        assertThat(start).isLessThanOrEqualTo(before);
        assertThat(before - start).as("this JVM started less than an hour ago").isLessThan(3_600_000 * MS);
    }
}
