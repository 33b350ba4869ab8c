package org.phare.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;

/**
 * The log is forever: a log and a snapshot written by an earlier release ({@code golden/v1/}, see {@link GoldenLog})
 * must replay, and restore, to the very state that release had — the same fingerprint. A change that cannot read
 * them, or reads them into another state, fails here.
 */
@DisplayName("Golden logs: what an earlier release wrote replays to the same state")
class GoldenLogTest {
    private static final Path V1 = Path.of("src/test/resources/golden/v1");

    @TempDir
    Path tmp;

    private static String expectedDigest() throws Exception {
        return Files.readString(V1.resolve("digest.txt"), StandardCharsets.UTF_8).strip();
    }

    @Test
    @DisplayName("the v1 log replays, from empty, to the v1 state")
    void logReplays() throws Exception {
        List<List<Record>> batches = GoldenLog.read(V1.resolve("log.jsonl"));
        CloudState replayed = new CloudState();
        batches.forEach(replayed::replayAll);

        assertThat(GoldenLog.digest(replayed)).isEqualTo(expectedDigest());
        assertThat(replayed.instances()).hasSizeGreaterThan(5);
        assertThat(replayed.failovers().data().done()).as("failovers of the lost zone").isNotEmpty();
        assertThat(replayed.level()).isPositive();
    }

    @Test
    @DisplayName("the v1 snapshot restores to the v1 state, equal to the replay in every index")
    void snapshotRestores() throws Exception {
        List<List<Record>> batches = GoldenLog.read(V1.resolve("log.jsonl"));
        Path copy = tmp.resolve("snapshot.1_" + batches.size());
        Files.copy(V1.resolve("snapshot.json"), copy);

        CloudState restored = SnapshotFile.read(copy, null, 1, batches.size()).state();
        CloudState replayed = new CloudState();
        batches.forEach(replayed::replayAll);

        assertThat(GoldenLog.digest(restored)).isEqualTo(expectedDigest());
        assertThat(restored.differences(replayed)).isEmpty();
    }

    @Test
    @DisplayName("the v1 log holds every record type of v1 (a new type needs a golden log of its own format)")
    void coversEveryType() throws Exception {
        assertThat(GoldenLog.kinds(GoldenLog.read(V1.resolve("log.jsonl")))).containsAll(List.of(
                "AccessKeyCreated", "AccessKeyRevoked", "AccountCreated", "ActionClosed", "ActionOpened", "AlarmCleared",
                "AlarmRaised", "HostRegistered", "HostSchedulingChanged", "HostStateChanged", "IdSaltSet", "ImageDefined",
                "InfrastructureChanged", "InstanceDesiredChanged", "InstanceEvicted", "InstanceObserved", "InstancePlaced",
                "InstanceRebootRequested", "InstanceRequested", "InstanceTypeDefined", "KeyPairCreated", "KeyPairDeleted",
                "LevelChanged", "LevelRecommended", "MeetingClosed", "MeetingOpened", "MinutesRecorded", "PlacementGroupCreated",
                "PlanApplied", "RegionDefined", "RosterImported", "SchedulingPolicySet", "SiteDefined", "SitesClosed",
                "SitesReopened", "StaffStatusSet", "TagsDeleted", "TagsSet", "TransportChanged", "ZoneDefined"));
    }
}
