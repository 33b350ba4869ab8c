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
    @DisplayName("a frozen agent (SIGSTOP) keeps its pipes open, yet both of its instance processes halt by its lease deadline")
    void frozenAgentLeavesNoOrphan() throws Exception {
        long leaseMs = 1_500;
        Process agent = probe(String.valueOf(leaseMs));
        List<Long> pids = new ArrayList<>();
        try {
            pids.addAll(awaitPids(agent));
            Thread.sleep(1_000); // a few renewals: the first deadlines have passed
            assertThat(pids).as("renewed copies, 1 s on").allMatch(Support::alive);

            signal(agent, "STOP");
            long stoppedAt = System.nanoTime();
            await().atMost(PATIENCE).pollInterval(java.time.Duration.ofMillis(10))
                    .until(() -> pids.stream().noneMatch(Support::running)); // zombies until their frozen parent reaps them
            long goneMs = (System.nanoTime() - stoppedAt) / 1_000_000;

            // The last renewal came before the stop: its deadline is at most leaseMs after it.
            assertThat(goneMs).as("ms from SIGSTOP to both copies gone (lease %d ms)", leaseMs).isLessThan(leaseMs + 500);
            assertThat(agent.isAlive()).as("the frozen agent itself").isTrue();
        } finally {
            // Quietly: an agent already gone must not hide the assertion that failed above.
            new ProcessBuilder("kill", "-CONT", Long.toString(agent.pid())).start().waitFor();
            agent.destroyForcibly();
            pids.forEach(Support::killQuietly);
        }
        assertThat(Files.readString(dataDir.resolve("instances/i-probe-1.log"))).contains("the lease ran out");
    }

    private static void signal(Process p, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
        assertThat(kill.waitFor()).as("kill -%s %d", signal, p.pid()).isZero();
    }

    /** The probe agent ({@link OrphanProbeMain}) on our data dir, with these extra arguments. */
    private Process probe(String... extra) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                OrphanProbeMain.class.getName(), dataDir.toString()));
        command.addAll(List.of(extra));
        return new ProcessBuilder(command)
                // Not a pipe from us: when the probe dies, this JVM closes its end of the probe's stdin pipe,
                // which would mask a driver that let children inherit the probe's stdin instead of a leash.
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.appendTo(dataDir.resolve("probe.err").toFile()))
                .start();
    }

    /** The pids the probe prints once both copies serve. */
    private List<Long> awaitPids(Process agent) {
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
        List<Long> pids = Arrays.stream(pidsLine.get().substring("pids ".length()).split(" ")).map(Long::parseLong).toList();
        assertThat(pids).hasSize(2).allMatch(Support::alive);
        return pids;
    }

    @Test
    @DisplayName("kill -9 of the agent's JVM takes both of its instance processes with it, and a restarted driver finds nothing")
    void killNineLeavesNoOrphan() throws Exception {
        Process agent = probe();
        List<Long> pids = new ArrayList<>();
        try {
            pids.addAll(awaitPids(agent));

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
