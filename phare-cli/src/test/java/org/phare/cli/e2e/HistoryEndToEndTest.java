package org.phare.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's history check in the normal test run: one seed, 30 s of concurrent clients while leaders are killed
 * and restarted (more seeds: {@code HistoryBench}, figures in BENCHMARKS.md).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HistoryEndToEndTest {

    @TempDir
    Path tmp;

    @RegisterExtension
    final LocalCloud.Extension clouds = new LocalCloud.Extension();

    @Test
    @DisplayName("acknowledged creations exist exactly once and acknowledged deletions hold, across leader kills")
    void historyAcrossLeaderKills() throws Exception {
        LocalCloud cloud = clouds.start(tmp, "none");
        cloud.startCluster(3);
        HistoryCheck.Result r = HistoryCheck.run(cloud, 1, Duration.ofSeconds(30), 4);
        System.err.println("history check: " + r);
        assertThat(r.violations()).as(r.toString()).isEmpty();
        assertThat(r.kills()).as("leaders killed").isGreaterThanOrEqualTo(3);
        assertThat(r.creates()).as("acknowledged creations").isGreaterThan(20);
        assertThat(r.deletes()).as("acknowledged deletions").isGreaterThan(5);
    }
}
