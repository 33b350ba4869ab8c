package org.phare.agent.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.phare.agent.driver.Support.IMAGE;
import static org.phare.agent.driver.Support.PATIENCE;
import static org.phare.agent.driver.Support.SMALL;
import static org.phare.agent.driver.Support.alive;
import static org.phare.agent.driver.Support.id;
import static org.phare.agent.driver.Support.killQuietly;
import static org.phare.agent.driver.Support.ready;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phare.core.model.HostId;

@DisplayName("Recovering what a previous process driver left")
class RecoverTest {
    private static final HostId HOST = HostId.of("h-b-00002");

    @TempDir
    Path dataDir;

    private final List<ProcessDriver> drivers = new ArrayList<>();

    @AfterEach
    void closeDrivers() {
        drivers.forEach(ProcessDriver::close);
    }

    private ProcessDriver driver() {
        ProcessDriver driver = ProcessDriver.builder(dataDir, HOST).build();
        drivers.add(driver);
        return driver;
    }

    private Path instancesDir() {
        return dataDir.resolve("instances");
    }

    private List<String> records() throws Exception {
        try (Stream<Path> files = Files.list(instancesDir())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json") || n.endsWith(".tmp")).sorted().toList();
        }
    }

    @Test
    @DisplayName("a second driver on the same data directory finds the copies the first left running, with their generations")
    void findsLiveCopies() {
        ProcessDriver abandoned = driver();
        RunningInstance a = abandoned.start(id(1), 3, IMAGE, SMALL);
        RunningInstance b = abandoned.start(id(2), 7, IMAGE, SMALL);

        List<RecoveredInstance> found = driver().recover();

        assertThat(found)
                .extracting(RecoveredInstance::id, RecoveredInstance::generation, RecoveredInstance::pid,
                        RecoveredInstance::address, RecoveredInstance::image)
                .containsExactly(
                        tuple(id(1), 3L, a.pid(), a.address(), IMAGE),
                        tuple(id(2), 7L, b.pid(), b.address(), IMAGE));
        assertThat(found.get(0).startedAt()).isEqualTo(a.startedAt());
    }

    @Test
    @DisplayName("the new driver adopts one copy, which it then lists and stops, and discards the other, which dies")
    void adoptAndDiscard() throws Exception {
        ProcessDriver abandoned = driver();
        RunningInstance kept = abandoned.start(id(1), 3, IMAGE, SMALL);
        RunningInstance stale = abandoned.start(id(2), 7, IMAGE, SMALL);
        ProcessDriver successor = driver();
        List<RecoveredInstance> found = successor.recover();

        RunningInstance adopted = successor.adopt(found.get(0));
        successor.discard(found.get(1));

        assertThat(adopted.pid()).isEqualTo(kept.pid());
        assertThat(alive(stale.pid())).as("the discarded copy").isFalse();
        await().atMost(PATIENCE).until(() -> ready(successor, id(1)));
        assertThat(successor.list()).containsOnlyKeys(id(1));
        assertThatThrownBy(() -> successor.adopt(found.get(0)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already runs");
        assertThat(successor.recover()).as("what the successor runs itself is not 'left behind'").isEmpty();

        assertThat(successor.stop(id(1))).isTrue();

        assertThat(alive(kept.pid())).as("the adopted copy after stop").isFalse();
        assertThat(records()).isEmpty();
    }

    @Test
    @DisplayName("once the copies are dead, recover() finds nothing and removes their records")
    void deadCopiesLeaveNothing() throws Exception {
        ProcessDriver abandoned = driver();
        RunningInstance a = abandoned.start(id(1), 3, IMAGE, SMALL);
        RunningInstance b = abandoned.start(id(2), 7, IMAGE, SMALL);
        ProcessDriver successor = driver();
        assertThat(successor.recover()).hasSize(2);

        killQuietly(a.pid());
        killQuietly(b.pid());
        await().atMost(PATIENCE).until(() -> !alive(a.pid()) && !alive(b.pid()));

        assertThat(successor.recover()).isEmpty();
        assertThat(records()).isEmpty();
    }

    @Test
    @DisplayName("records of a dead pid, of a pid now running another program, unreadable or half-written ones are removed, and nothing is killed")
    void staleRecordsAreRemoved() throws Exception {
        Process finished = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        finished.waitFor();
        Files.createDirectories(instancesDir());
        Files.writeString(instancesDir().resolve("i-00000001.json"),
                "{\"instance\":\"i-00000001\",\"generation\":1,\"pid\":" + finished.pid() + ",\"port\":40001}");
        // Our own pid: alive, but its command line is not an http-echo for that instance (pid reuse).
        Files.writeString(instancesDir().resolve("i-00000002.json"),
                "{\"instance\":\"i-00000002\",\"generation\":1,\"pid\":" + ProcessHandle.current().pid() + ",\"port\":40002}");
        Files.writeString(instancesDir().resolve("i-00000003.json"), "{\"pid\": not json");
        Files.writeString(instancesDir().resolve("i-00000004.json.tmp"), "{\"pid\":1");

        assertThat(driver().recover()).isEmpty();

        assertThat(records()).isEmpty();
        assertThat(ProcessHandle.current().isAlive()).isTrue();
    }
}
