package org.phare.agent.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.phare.agent.driver.Support.PATIENCE;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phare.core.model.HostId;

@DisplayName("No instance outlives its agent")
class NoOrphanTest {
    @TempDir
    Path dataDir;

    @Test
    @DisplayName("kill -9 of the agent's JVM takes both of its instance processes with it, and a restarted driver finds nothing")
    void killNineLeavesNoOrphan() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process agent = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                OrphanProbeMain.class.getName(), dataDir.toString())
                // Not a pipe from us: when the probe dies, this JVM closes its end of the probe's stdin pipe,
                // which would mask a driver that let children inherit the probe's stdin instead of a leash.
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.appendTo(dataDir.resolve("probe.err").toFile()))
                .start();
        List<Long> pids = new ArrayList<>();
        try {
            AtomicReference<String> pidsLine = new AtomicReference<>();
            Thread.ofVirtual().start(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        if (line.startsWith("pids ")) {
                            pidsLine.set(line);
                        }
                    }
                } catch (Exception e) {
                    // the probe was killed: its stdout ends
                }
            });
            await().atMost(PATIENCE).until(() -> pidsLine.get() != null || !agent.isAlive());
            assertThat(pidsLine.get()).as("the probe's report (stderr: %s)", probeErrors()).isNotNull();
            Arrays.stream(pidsLine.get().substring("pids ".length()).split(" ")).map(Long::parseLong).forEach(pids::add);
            assertThat(pids).hasSize(2).allMatch(Support::alive);

            agent.toHandle().destroyForcibly(); // SIGKILL: no shutdown hook, no close()

            await().atMost(PATIENCE).until(() -> pids.stream().noneMatch(Support::alive));
        } finally {
            agent.destroyForcibly();
            pids.forEach(Support::killQuietly);
        }
        try (Stream<Path> files = Files.list(dataDir.resolve("instances"))) {
            assertThat(files.map(p -> p.getFileName().toString())).as("records left by the killed agent")
                    .contains("i-probe-1.json", "i-probe-2.json");
        }

        ProcessDriver restarted = ProcessDriver.builder(dataDir, HostId.of("h-probe")).build();
        try {
            assertThat(restarted.recover()).isEmpty();
        } finally {
            restarted.close();
        }
        assertThat(dataDir.resolve("instances/i-probe-1.json")).doesNotExist();
        assertThat(dataDir.resolve("instances/i-probe-2.json")).doesNotExist();
    }

    private String probeErrors() {
        try {
            return Files.readString(dataDir.resolve("probe.err"));
        } catch (Exception e) {
            return "unreadable: " + e;
        }
    }
}
