package org.phare.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;

/**
 * Snapshots of the record log: the owner of the live state saves one every N entries; Ratis keeps the latest
 * files and purges the log up to the latest one; a reopen restores the snapshot and replays only what follows,
 * and equals a state replayed directly from every batch.
 */
// A guard against a hang only: nothing here measures time.
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RatisLogSnapshotTest {
    private static final Pattern CLOSED_SEGMENT = Pattern.compile("log_(\\d+)-(\\d+)");
    private static final Pattern ANY_SEGMENT = Pattern.compile("log_(?:inprogress_)?(\\d+)(?:-(\\d+))?");
    private static final Pattern SNAPSHOT = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");
    private static final int HOSTS = 8;

    @TempDir
    Path dir;

    private Path groupDir() {
        return dir.resolve(RatisLog.GROUP_ID.getUuid().toString());
    }

    private List<Path> files(String sub, Pattern name) throws IOException {
        Path d = groupDir().resolve(sub);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(p -> name.matcher(p.getFileName().toString()).matches()).sorted().toList();
        }
    }

    private List<Path> closedSegments() throws IOException {
        return files("current", CLOSED_SEGMENT);
    }

    private List<Path> snapshotFiles() throws IOException {
        return files("sm", SNAPSHOT);
    }

    private static long endIndex(Path segment) {
        Matcher m = CLOSED_SEGMENT.matcher(segment.getFileName().toString());
        assertThat(m.matches()).isTrue();
        return Long.parseLong(m.group(2));
    }

    private static long startIndex(Path segment) {
        Matcher m = ANY_SEGMENT.matcher(segment.getFileName().toString());
        assertThat(m.matches()).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** The controller's pattern: append, replay into the live state, snapshot (index and state together) when due. */
    private static int appendAll(SingleLog log, CloudState live, CloudState expected, int from, int to) throws IOException {
        int snapshots = 0;
        for (int n = from; n <= to; n++) {
            List<Record> batch = n == 0 ? InstanceBatches.topology(HOSTS) : InstanceBatches.instance(n, HOSTS);
            log.append(batch);
            live.replayAll(batch);
            expected.replayAll(batch);
            if (log.snapshotDue()) {
                long index = log.lastAppliedIndex();
                assertThat(log.saveSnapshot(index, live.snapshot())).isTrue();
                assertThat(log.lastSnapshotIndex()).isEqualTo(index);
                snapshots++;
            }
        }
        return snapshots;
    }

    private static void assertEqual(CloudState actual, CloudState expected) {
        assertThat(actual.differences(expected)).isEmpty();
        assertThat(expected.differences(actual)).isEmpty();
        assertThat(actual.snapshot()).as("orders and counters too").isEqualTo(expected.snapshot());
    }

    @Test
    void twentyFiveThousandBatchesWithASnapshotEveryTenThousandEntries() throws IOException {
        RatisLog.Options options = RatisLog.Options.defaults().withSnapshotEvery(10_000).withSegmentSizeBytes(256 * 1024);
        CloudState expected = new CloudState();
        long lastSnapshot;
        long appendedBytes = 0;
        try (SingleLog log = SingleLog.open(dir, "n1", 0, options)) {
            CloudState live = log.recoveredState();
            int taken = appendAll(log, live, expected, 0, 25_000);
            for (int n = 1; n <= 25_000; n++) {
                appendedBytes += org.phare.api.Json.encodeBatch(InstanceBatches.instance(n, HOSTS)).length;
            }
            // Log indexes count Ratis's own entries too (a metadata entry follows most commits), so 25,000
            // batches span about 50,000 indexes: about 5 snapshots, the last one within 10,000 of the end.
            assertThat(taken).as("snapshots taken").isGreaterThanOrEqualTo(2);
            lastSnapshot = log.lastSnapshotIndex();
            assertThat(lastSnapshot).isGreaterThan(log.lastAppliedIndex() - 10_000);
        }
        assertThat(snapshotFiles()).hasSize(2);
        // Purged: no closed segment left that ends at or before the latest snapshot (the purge runs
        // asynchronously after Ratis takes the snapshot, and is finished by the time the log is closed).
        assertThat(closedSegments()).allSatisfy(s -> assertThat(endIndex(s)).isGreaterThan(lastSnapshot));
        List<Path> segments = files("current", ANY_SEGMENT);
        assertThat(segments).isNotEmpty().allSatisfy(s -> assertThat(startIndex(s)).as("start of %s", s)
                .isGreaterThan(lastSnapshot - 10_000));
        long logBytes = 0;
        for (Path s : segments) {
            logBytes += Files.size(s);
        }
        assertThat(logBytes).as("bytes left in the log, against %d appended", appendedBytes).isLessThan(appendedBytes / 2);

        try (SingleLog log = SingleLog.open(dir, "n1", 0, options)) {
            CloudState recovered = log.recoveredState();
            assertEqual(recovered, expected);
            assertThat(recovered.instances()).hasSize(25_000);
            assertThat(log.lastSnapshotIndex()).isEqualTo(lastSnapshot);
        }
    }

    @Test
    void retentionKeepsTheTwoLatestSnapshotsAndEachReopenEqualsTheReplay() throws IOException {
        RatisLog.Options options = RatisLog.Options.defaults().withSnapshotEvery(300).withSegmentSizeBytes(64 * 1024);
        CloudState expected = new CloudState();
        int next = 0;
        int total = 0;
        for (int round = 0; round < 3; round++) {
            try (SingleLog log = SingleLog.open(dir, "n1", 0, options)) {
                CloudState live = log.recoveredState();
                assertEqual(live, expected);
                total += appendAll(log, live, expected, next, next + 700);
                next += 701;
            }
        }
        assertThat(total).isGreaterThanOrEqualTo(6);
        assertThat(snapshotFiles()).hasSize(2);
        try (Stream<Path> md5 = Files.list(groupDir().resolve("sm"))) {
            assertThat(md5.filter(p -> p.toString().endsWith(".md5")).count()).as("one .md5 per snapshot").isEqualTo(2);
        }
        try (SingleLog log = SingleLog.open(dir, "n1", 0, options)) {
            assertEqual(log.recoveredState(), expected);
        }
    }

    @Test
    void aSnapshotThenMoreAppendsThenReopen() throws IOException {
        RatisLog.Options options = RatisLog.Options.defaults();
        CloudState expected = new CloudState();
        try (SingleLog log = SingleLog.open(dir, "n1", 0, options)) {
            CloudState live = log.recoveredState();
            appendAll(log, live, expected, 0, 50);
            assertThat(log.snapshotDue()).isFalse();
            long index = log.lastAppliedIndex();
            assertThat(log.saveSnapshot(index, live.snapshot())).isTrue();
            // (not lastAppliedIndex() again: Ratis may have appended a metadata entry since)
            assertThat(log.saveSnapshot(index, live.snapshot())).as("nothing new").isFalse();
            assertThat(log.saveSnapshot(index - 1, live.snapshot())).as("older").isFalse();
            appendAll(log, live, expected, 51, 80);
            assertThatThrownBy(() -> log.saveSnapshot(log.lastAppliedIndex() + 5, live.snapshot()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        try (SingleLog log = SingleLog.open(dir, "n1", 0, options)) {
            CloudState recovered = log.recoveredState();
            assertEqual(recovered, expected);
            assertThat(log.lastSnapshotIndex()).isPositive();
            assertThatThrownBy(log::recoveredState).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aSnapshotOnAClosedLogIsRefused() throws IOException {
        SingleLog log = SingleLog.open(dir, "n1", 0);
        CloudState live = log.recoveredState();
        log.append(TestBatches.batch(1));
        live.replayAll(TestBatches.batch(1));
        log.close();
        assertThatThrownBy(() -> log.saveSnapshot(1, live.snapshot())).isInstanceOf(LogUnavailableException.class);
    }

    @Test
    void aCorruptSnapshotStopsTheOpenInsteadOfStartingFromAPartialLog() throws IOException {
        CloudState expected = new CloudState();
        try (SingleLog log = SingleLog.open(dir, "n1", 0)) {
            CloudState live = log.recoveredState();
            appendAll(log, live, expected, 0, 20);
            log.saveSnapshot(log.lastAppliedIndex(), live.snapshot());
        }
        Path snapshot = snapshotFiles().getFirst();
        byte[] bytes = Files.readAllBytes(snapshot);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(snapshot, bytes);
        assertThatThrownBy(() -> SingleLog.open(dir, "n1", 0)).isInstanceOf(IOException.class);
    }
}
