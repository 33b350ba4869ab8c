package org.phare.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.phare.core.model.RegionId;
import org.phare.core.state.CloudState;

/**
 * {@code kill -9} loses nothing acknowledged: a separate JVM ({@link AppendProbeMain}) appends batches and says
 * "acked N" after each append returns; after at least 200 acks it is killed with SIGKILL, and the log reopened
 * here must hold batches 1..N, plus at most the one that was in flight, and nothing else.
 */
// A guard against a hang only: nothing here measures time.
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RatisLogKillTest {

    @TempDir
    Path tmp;

    @Test
    void killNineLosesNothingAcknowledged() throws Exception {
        killAndCheck(null);
    }

    /**
     * The same while the probe saves a snapshot every 100 log entries (and purges the log): the kill lands
     * anywhere, possibly while a snapshot is written or the log purged.
     */
    @Test
    void killNineLosesNothingAcknowledgedWithSnapshots() throws Exception {
        killAndCheck(100L);
    }

    private void killAndCheck(Long snapshotEvery) throws Exception {
        Path dataDir = tmp.resolve("log");
        Path stdout = tmp.resolve("probe.stdout");
        Path stderr = tmp.resolve("probe.stderr");
        // To files, not pipes: destroyForcibly() closes the pipes, and a file keeps every line the probe wrote.
        Process probe = startProbe(dataDir, stdout, stderr, snapshotEvery);
        try {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                    .until(() -> (lastAck(stdout) >= 200 && (snapshotEvery == null || snapshots(stdout) >= 2))
                            || !probe.isAlive());
            assertThat(probe.isAlive()).as("the probe is still appending; its stderr:%n%s", Files.readString(stderr))
                    .isTrue();

            probe.destroyForcibly(); // SIGKILL on Linux
            assertThat(probe.waitFor(60, TimeUnit.SECONDS)).as("the probe died").isTrue();
            int lastAcked = lastAck(stdout);
            assertThat(lastAcked).isGreaterThanOrEqualTo(200);

            try (SingleLog log = SingleLog.open(dataDir, "probe", 0)) {
                CloudState recovered = log.recoveredState();
                int found = recovered.regions().size();
                assertThat(found).as("batches recovered after %d acks", lastAcked).isBetween(lastAcked, lastAcked + 1);
                List<RegionId> expected = new ArrayList<>();
                for (int n = 1; n <= found; n++) {
                    expected.add(TestBatches.region(n));
                }
                assertThat(recovered.regions().keySet()).as("batches 1..%d, no gap", found)
                        .containsExactlyElementsOf(expected);
                assertThat(recovered.zones()).hasSize(found);
                assertThat(recovered.appliedRecords()).isEqualTo(2L * found);
                CloudState replayed = new CloudState();
                for (int n = 1; n <= found; n++) {
                    replayed.replayAll(TestBatches.batch(n));
                }
                assertThat(recovered.differences(replayed)).isEmpty();
                if (snapshotEvery != null) {
                    assertThat(log.lastSnapshotIndex()).as("restored from a snapshot").isPositive();
                }
                assertThat(log.lastAppliedIndex()).as("one log entry per batch, and Ratis's own").isGreaterThan(found);
            }
        } finally {
            probe.destroyForcibly();
            probe.waitFor(60, TimeUnit.SECONDS);
        }
    }

    /** The highest N of the complete "acked N" lines the probe wrote so far. */
    private static int lastAck(Path stdout) throws IOException {
        String text = Files.readString(stdout);
        int last = 0;
        int from = 0;
        for (int eol; (eol = text.indexOf('\n', from)) >= 0; from = eol + 1) {
            String line = text.substring(from, eol).strip();
            if (line.startsWith("acked ")) {
                last = Math.max(last, Integer.parseInt(line.substring("acked ".length())));
            }
        }
        return last;
    }

    private static int snapshots(Path stdout) throws IOException {
        return (int) Files.readString(stdout).lines().filter(l -> l.startsWith("snapshot ")).count();
    }

    private static Process startProbe(Path dataDir, Path stdout, Path stderr, Long snapshotEvery) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("-Xmx256m");
        // The flags that silence the shaded libraries' warnings on new JDKs, as this JVM got them.
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--enable-native-access") || arg.startsWith("--sun-misc-unsafe-memory-access")) {
                command.add(arg);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(AppendProbeMain.class.getName());
        command.add(dataDir.toString());
        if (snapshotEvery != null) {
            command.add(Long.toString(snapshotEvery));
        }
        return new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
    }
}
