package org.phare.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phare.api.Credentials;

/** A member snapshots a quiet log, so that its next start replays almost nothing. */
@DisplayName("snapshots of a quiet log")
class QuietSnapshotTest {

    @Test
    @DisplayName("the rule: a quiet log with enough entries after the latest snapshot, and only then")
    void rule() {
        long few = PhareServer.QUIET_SNAPSHOT_ENTRIES;
        assertThat(PhareServer.quietSnapshotDue(500 + few, 500, 500 + few)).as("quiet, enough entries").isTrue();
        assertThat(PhareServer.quietSnapshotDue(few, 0, few)).as("quiet, never snapshotted").isTrue();
        assertThat(PhareServer.quietSnapshotDue(500 + few, 500, 490 + few)).as("entries since the previous check").isFalse();
        assertThat(PhareServer.quietSnapshotDue(499 + few, 500, 499 + few)).as("quiet, too few entries").isFalse();
        assertThat(PhareServer.quietSnapshotDue(few, -1, -1)).as("the first check has nothing to compare with").isFalse();
    }

    @Test
    @DisplayName("a member whose log went quiet takes a snapshot of it at the next check, and starts again from it")
    void quietLogIsSnapshotted(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        long snapshotted;
        try (PhareServer server = PhareServer.start(data, "127.0.0.1", 0, 0, Topology.defaults())) {
            Credentials operator = OperatorKey.await(data);
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < PhareServer.QUIET_SNAPSHOT_ENTRIES; i++) {
                HttpResponse<String> r = http.send(OperatorKey.signed(operator, "POST",
                        URI.create("http://127.0.0.1:" + server.port() + "/v1/accounts"),
                        ("{\"name\":\"tenant-" + i + "\"}").getBytes(StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            }
            long before = server.log().lastSnapshotIndex();
            // Far fewer entries than the count that makes a snapshot due (10,000): only quiet makes one.
            assertThat(server.log().options().snapshotEvery()).isGreaterThan(10 * PhareServer.QUIET_SNAPSHOT_ENTRIES);
            server.snapshotIfDue(); // a check that sees the last entry (or the periodic one just did)
            boolean saved = server.snapshotIfDue(); // nothing new since: quiet
            snapshotted = server.log().lastSnapshotIndex();
            assertThat(saved || snapshotted > before).as("a snapshot was taken of the quiet log").isTrue();
            assertThat(snapshotted).isGreaterThanOrEqualTo(PhareServer.QUIET_SNAPSHOT_ENTRIES);
            assertThat(server.snapshotIfDue()).as("nothing after it: no other snapshot").isFalse();
        }
        try (PhareServer again = PhareServer.start(data, "127.0.0.1", 0, 0, Topology.defaults())) {
            assertThat(again.log().lastSnapshotIndex()).isEqualTo(snapshotted);
        }
    }
}
