package org.phare.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.phare.core.record.RecordTypes;
import org.phare.core.state.CloudState;
import org.phare.core.record.Record;

/**
 * The log is forever: the logs and snapshots written by earlier releases ({@code golden/v1/} by the first, with class
 * names and a flat snapshot; {@code golden/v2/} with type ids and a snapshot by section; see {@link GoldenLog}) must
 * replay, and restore, to the very state that release had — the same fingerprint. A change that cannot read them, or
 * reads them into another state, fails here.
 */
@DisplayName("Golden logs: what an earlier release wrote replays to the same state")
class GoldenLogTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    @TempDir
    Path tmp;

    private static String expectedDigest(String version) throws Exception {
        return Files.readString(GOLDEN.resolve(version).resolve("digest.txt"), StandardCharsets.UTF_8).strip();
    }

    private static List<List<Record>> batches(String version) throws Exception {
        return GoldenLog.read(GOLDEN.resolve(version).resolve("log.jsonl"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"v1", "v2", "v3", "v4"})
    @DisplayName("the log replays, from empty, to the state of the release that wrote it")
    void logReplays(String version) throws Exception {
        CloudState replayed = new CloudState();
        batches(version).forEach(replayed::replayAll);

        assertThat(GoldenLog.digest(replayed)).isEqualTo(expectedDigest(version));
        assertThat(replayed.instances()).hasSizeGreaterThan(5);
        assertThat(replayed.failovers().data().done()).as("failovers of the lost zone").isNotEmpty();
        assertThat(replayed.level()).isPositive();
        assertThat(replayed.logFormat()).isEqualTo(Integer.parseInt(version.substring(1)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"v1", "v2", "v3", "v4"})
    @DisplayName("the snapshot restores to the same state, equal to the replay in every index")
    void snapshotRestores(String version) throws Exception {
        List<List<Record>> batches = batches(version);
        Path copy = tmp.resolve("snapshot.1_" + batches.size());
        Path golden = GOLDEN.resolve(version).resolve("snapshot.json");
        Files.copy(Files.exists(golden) ? golden : GOLDEN.resolve(version).resolve("snapshot.smile"), copy);

        CloudState restored = SnapshotFile.read(copy, null, 1, batches.size()).state();
        CloudState replayed = new CloudState();
        batches.forEach(replayed::replayAll);

        assertThat(GoldenLog.digest(restored)).isEqualTo(expectedDigest(version));
        assertThat(restored.differences(replayed)).isEmpty();
    }

    @Test
    @DisplayName("the v1 log holds every record type of v1, under the names of the first release")
    void v1CoversEveryType() throws Exception {
        assertThat(Files.readString(GOLDEN.resolve("v1/log.jsonl"))).doesNotContain("\"type\":\"compute.");
        Set<String> expected = typesUpTo(1);
        expected.remove("InstancePendingReason"); // the first release's story never left an instance without room
        assertThat(GoldenLog.kinds(batches("v1"))).containsAll(expected);
    }

    @Test
    @DisplayName("the v2 log holds every record type of format 2, under their type ids, and an instance renamed")
    void v2CoversEveryType() throws Exception {
        String text = Files.readString(GOLDEN.resolve("v2/log.jsonl"));
        for (RecordTypes.Type t : RecordTypes.all()) {
            if (t.since() <= 2) {
                assertThat(text).as("type id %s", t.id()).contains("\"type\":\"" + t.id() + "\"");
            }
        }
        assertThat(GoldenLog.kinds(batches("v2"))).containsAll(typesUpTo(2));
        CloudState replayed = new CloudState();
        batches("v2").forEach(replayed::replayAll);
        assertThat(replayed.instances().values()).anySatisfy(i -> assertThat(i.name()).isEqualTo("web-canary"));
    }

    @Test
    @DisplayName("the v3 log holds every record type of format 3, a drill run to its end and one aborted")
    void v3CoversEveryType() throws Exception {
        String text = Files.readString(GOLDEN.resolve("v3/log.jsonl"));
        for (RecordTypes.Type t : RecordTypes.all()) {
            assertThat(text).as("type id %s", t.id()).contains("\"type\":\"" + t.id() + "\"");
        }
        CloudState replayed = new CloudState();
        batches("v3").forEach(replayed::replayAll);
        assertThat(replayed.drills().all()).extracting(r -> r.status()).containsExactly("completed", "aborted");
    }

    @Test
    @DisplayName("from format 4 the snapshot is written in Smile: a quarter to a half of the JSON's bytes, the same state")
    void v4SnapshotIsSmile() throws Exception {
        byte[] smile = Files.readAllBytes(GOLDEN.resolve("v4/snapshot.smile"));
        assertThat(SnapshotFile.smile(smile)).isTrue();
        assertThat(SnapshotFile.smile(Files.readAllBytes(GOLDEN.resolve("v3/snapshot.json")))).isFalse();
        CloudState replayed = new CloudState();
        batches("v4").forEach(replayed::replayAll);
        SnapshotFile asJson = new SnapshotFile(SnapshotFile.FORMAT, 1, 1, restoredAt(replayed, 3), List.of());
        SnapshotFile asSmile = new SnapshotFile(SnapshotFile.FORMAT, 1, 1, replayed.snapshot(), List.of());
        byte[] json = asJson.encode();
        byte[] binary = asSmile.encode();
        assertThat(SnapshotFile.smile(json)).as("a cloud at format 3 still writes JSON").isFalse();
        assertThat(SnapshotFile.smile(binary)).isTrue();
        assertThat(binary.length).isLessThan(json.length / 2);
        Path file = tmp.resolve("snapshot.1_1");
        Files.write(file, binary);
        assertThat(SnapshotFile.read(file, null, 1, 1).state().differences(replayed)).isEmpty();
    }

    /** The state's snapshot with its log format set to {@code format} (what a cloud at that format holds). */
    private static org.phare.core.state.StateSnapshot restoredAt(CloudState state, int format) {
        org.phare.core.state.StateSnapshot s = state.snapshot();
        return new org.phare.core.state.StateSnapshot(s.appliedRecords(), s.topology(), s.compute(), s.identity(), s.tags(), s.continuity(),
                new org.phare.core.state.ClusterManager.Section(s.cluster().idSalt(), format), s.drills());
    }

    /** The simple names of the record classes of formats up to {@code format}: what a golden log of it must hold. */
    private static Set<String> typesUpTo(int format) {
        Set<String> names = new TreeSet<>();
        RecordTypes.all().stream().filter(t -> t.since() <= format).forEach(t -> names.add(t.kind().getSimpleName()));
        return names;
    }

}
