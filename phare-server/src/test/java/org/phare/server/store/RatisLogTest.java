package org.phare.server.store;

import org.phare.core.record.ComputeRecord;
import org.phare.core.record.TopologyRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.phare.core.model.HostId;
import org.phare.core.model.Region;
import org.phare.core.model.RegionId;
import org.phare.core.model.Resources;
import org.phare.core.model.SiteId;
import org.phare.core.model.Zone;
import org.phare.core.model.ZoneId;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;

/** The record log on a one-member Ratis group: recovery by replay, and failing fast once closed. */
// A guard against a hang only (Ratis failing to stop, say): nothing here measures time.
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RatisLogTest {

    @TempDir
    Path dir;

    private static List<List<Record>> threeBatches() {
        RegionId region = RegionId.of("eu-west-2");
        ZoneId zone = ZoneId.of("eu-west-2a");
        return List.of(
                List.of(new TopologyRecord.RegionDefined(new Region(region, "Paris")),
                        new TopologyRecord.ZoneDefined(new Zone(zone, region)),
                        new TopologyRecord.ZoneDefined(new Zone(ZoneId.of("eu-west-2b"), region))),
                List.of(new ComputeRecord.SchedulingPolicySet(2.0, 1.0),
                        new ComputeRecord.HostRegistered(HostId.of("h-a-00001"), zone, SiteId.of("telehouse"),
                                new Resources(32, 131_072), Map.of("rack", "r1"), 1_000)),
                List.of(new ComputeRecord.AlarmRaised("TEST", "a test alarm", 2_000),
                        new ComputeRecord.HostRegistered(HostId.of("h-a-00002"), zone, SiteId.of("telehouse"),
                                new Resources(16, 65_536), Map.of(), 3_000)));
    }

    private static CloudState replayed(List<List<Record>> batches) {
        CloudState state = new CloudState();
        batches.forEach(state::replayAll);
        return state;
    }

    @Test
    void reopeningReplaysEveryAppendedBatch() throws IOException {
        List<List<Record>> batches = new ArrayList<>(threeBatches());
        try (SingleLog log = SingleLog.open(dir, "n1", 0)) {
            CloudState fresh = log.recoveredState();
            assertThat(fresh.appliedRecords()).as("a new log replays nothing").isZero();
            batches.forEach(log::append);
        }

        try (SingleLog log = SingleLog.open(dir, "n1", 0)) {
            CloudState first = log.recoveredState();
            assertThat(first.differences(replayed(batches))).isEmpty();
            assertThat(first.appliedRecords()).isEqualTo(7);

            // After open the log no longer replays into the recovered state: the controller does that.
            List<Record> fourth = List.of(new ComputeRecord.AlarmCleared("TEST", 4_000));
            log.append(fourth);
            batches.add(fourth);
            assertThat(first.appliedRecords()).isEqualTo(7);
            assertThat(first.alarms()).containsKey("TEST");
        }

        for (int reopen = 0; reopen < 2; reopen++) {
            try (SingleLog log = SingleLog.open(dir, "n1", 0)) {
                CloudState again = log.recoveredState();
                assertThat(again.differences(replayed(batches))).as("reopen #%d", reopen + 2).isEmpty();
                assertThat(again.alarms()).isEmpty();
                assertThat(again.hosts()).hasSize(2);
                assertThat(log.lastAppliedIndex()).isPositive();
            }
        }
    }

    @Test
    void appendOnAClosedLogFailsFast() throws IOException {
        SingleLog log = SingleLog.open(dir, "n1", 0);
        log.append(TestBatches.batch(1));
        log.close();
        log.close(); // a second close does nothing

        assertThatThrownBy(() -> log.append(TestBatches.batch(2)))
                .isInstanceOf(LogUnavailableException.class)
                .hasMessageContaining("closed");

        try (SingleLog reopened = SingleLog.open(dir, "n1", 0)) {
            CloudState recovered = reopened.recoveredState();
            assertThat(recovered.regions()).containsOnlyKeys(TestBatches.region(1));
            reopened.append(TestBatches.batch(2)); // reopened, the log takes appends again
        }
    }

    @Test
    void refusesADirectoryThatHoldsSomethingElse() throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "not a log");
        assertThatThrownBy(() -> SingleLog.open(dir, "n1", 0))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("holds no Phare record log");
    }

    @Test
    void refusesABatchTooLargeForTheLog() throws IOException {
        try (SingleLog log = SingleLog.open(dir, "n1", 0)) {
            List<Record> huge = List.of(new ComputeRecord.AlarmRaised("BIG", "x".repeat(RatisLog.MAX_BATCH_BYTES), 0));
            assertThatThrownBy(() -> log.append(huge))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("split it");
            log.append(TestBatches.batch(1)); // the log is still usable: nothing was sent
        }
    }
}
