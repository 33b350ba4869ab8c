package org.phare.sim;

/**
 * The replicated log as the simulator sees it. Everything the controller appends during one event is one entry (the
 * server's group commit: one turn of its loop); an entry commits {@code commitLatencyNanos} after it is proposed, and
 * entries commit one after another, each holding the log for at least {@code 1 / maxEntriesPerSecond} and
 * {@code records / maxRecordsPerSecond}. Until it commits, no agent hears of it (replies come from the committed
 * state), and a controller crash loses it.
 *
 * @param maxEntriesPerSecond 0: no bound
 * @param maxRecordsPerSecond 0: no bound
 */
public record LogModel(long commitLatencyNanos, int maxEntriesPerSecond, int maxRecordsPerSecond) {

    public LogModel {
        if (commitLatencyNanos < 0 || maxEntriesPerSecond < 0 || maxRecordsPerSecond < 0) {
            throw new IllegalArgumentException("log model figures must not be negative");
        }
    }

    /** Commits at once, in the event after the one that appended (the behaviour of a log with no latency). */
    public static LogModel instant() {
        return new LogModel(0, 0, 0);
    }

    /**
     * Apache Ratis on three members on one two-core machine, as estimated (not measured as such): an entry commits in
     * about 4 ms, and the log takes at most about 400 entries and 40,000 records a second. BENCHMARKS.md ("the write
     * path on three members", "the control loop at provider scale") has what was measured end to end.
     */
    public static LogModel ratisThreeMembers() {
        return new LogModel(SimClock.ms(4), 400, 40_000);
    }

    /** How long the log is held by an entry of {@code records} records. */
    long occupancyNanos(int records) {
        long perEntry = maxEntriesPerSecond == 0 ? 0 : 1_000_000_000L / maxEntriesPerSecond;
        long perRecords = maxRecordsPerSecond == 0 ? 0 : records * 1_000_000_000L / maxRecordsPerSecond;
        return Math.max(perEntry, perRecords);
    }
}
