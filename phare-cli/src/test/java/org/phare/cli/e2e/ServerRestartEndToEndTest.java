package org.phare.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.phare.cli.e2e.LocalCloud.eventually;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3, second end-to-end test: {@code kill -9} of the server in the middle of activity, and a restart on the
 * same data dir and port. Nothing the API acknowledged is lost, and the restart fails over no instance: every
 * host gets a grace period and its agent reconnects in time.
 */
// A guard against a hang only: nothing here measures time; every wait is bounded on its own.
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ServerRestartEndToEndTest {
    /** Acknowledged creations wanted before the kill, and again after the restart. */
    private static final int PER_PHASE = 6;

    @TempDir
    Path tmp;

    @RegisterExtension
    final LocalCloud.Extension clouds = new LocalCloud.Extension();

    @Test
    @DisplayName("kill -9 of the server while instances are being created: nothing acknowledged is lost, nothing fails over")
    void killNineOfTheServerInTheMiddleOfActivity() throws Exception {
        // No failover reserve here: the subject is durability, and a refusal (409) would only be noise.
        LocalCloud cloud = clouds.start(tmp, "none");
        cloud.startServer();
        List<LocalCloud.Agent> agents = new ArrayList<>(cloud.startAgentPerZone().values());

        Creator creator = new Creator(cloud);
        creator.start();
        List<Ack> ackedBeforeKill;
        Map<String, JsonNode> beforeKill;
        long restartedAt;
        try {
            // In the middle of activity: creations keep coming, and some of the first instances already run.
            LocalCloud.bounded().until(() -> creator.failIfDead().acked.size() >= PER_PHASE
                    && cloud.instances().stream().filter(i -> "running".equals(i.get("state").asText())).count() >= PER_PHASE / 2);
            beforeKill = cloud.instancesById();

            long oldPid = cloud.serverProcess().pid();
            cloud.killServer();
            ackedBeforeKill = List.copyOf(creator.acked);
            System.out.printf("server restart test: kill -9 of the server (pid %d) after %d acknowledged creations%n",
                    oldPid, ackedBeforeKill.size());

            long killedAt = System.nanoTime();
            cloud.restartServer();
            restartedAt = System.nanoTime();
            System.out.printf("server restart test: the restarted server was ready %d ms after the kill%n",
                    TimeUnit.NANOSECONDS.toMillis(restartedAt - killedAt));
            assertThat(cloud.serverProcess().pid()).isNotEqualTo(oldPid);
            int atRestart = creator.acked.size();
            LocalCloud.bounded().until(() -> creator.failIfDead().acked.size() >= atRestart + PER_PHASE);
        } finally {
            creator.stop();
        }
        List<Ack> acked = List.copyOf(creator.acked);
        System.out.printf("server restart test: %d creations acknowledged (%d before the kill), refused or failed attempts: %s%n",
                acked.size(), ackedBeforeKill.size(), creator.failures);
        assertThat(acked).hasSizeGreaterThanOrEqualTo(2 * PER_PHASE);
        assertThat(creator.failures).as("attempts that failed while the server was down").isNotEmpty();

        // A full 12 s after the restart: longer than the startup grace (5 s) plus the time to declare a host dead
        // (5 s), so any wrong death, and the failover that would follow, would have shown by now.
        long left = restartedAt + TimeUnit.SECONDS.toNanos(12) - System.nanoTime();
        if (left > 0) {
            LocalCloud.sleep(TimeUnit.NANOSECONDS.toMillis(left) + 1);
        }

        Map<String, JsonNode> now = cloud.instancesById();
        for (Ack a : acked) {
            JsonNode i = now.get(a.id());
            assertThat(i).as("acknowledged instance %s after the restart", a.id()).isNotNull();
            assertThat(i.get("generation").asLong()).as("generation of %s (failed over?)", a.id()).isEqualTo(1);
            assertThat(i.get("host").asText()).as("host of %s (failed over?)", a.id()).isEqualTo(a.host());
        }
        List<JsonNode> hosts = cloud.hosts();
        assertThat(hosts).hasSize(agents.size());
        assertThat(hosts).as("hosts after the restart").extracting(h -> h.get("id").asText() + "=" + h.get("state").asText())
                .noneMatch(s -> s.endsWith("=dead"));

        // And they all run: every acknowledged instance is served by its agent, as generation 1, on its host.
        eventually().untilAsserted(() -> {
            Map<String, JsonNode> all = cloud.instancesById();
            for (Ack a : acked) {
                JsonNode i = all.get(a.id());
                assertThat(i.get("state").asText()).as("state of %s", a.id()).isEqualTo("running");
                assertThat(i.get("generation").asLong()).as("generation of %s", a.id()).isEqualTo(1);
                assertThat(i.get("host").asText()).as("host of %s", a.id()).isEqualTo(a.host());
                assertThat(i.get("address").isNull()).as("%s has an address", a.id()).isFalse();
                JsonNode answer = cloud.echo(i.get("address").asText());
                assertThat(answer.get("instance").asText()).isEqualTo(a.id());
                assertThat(answer.get("generation").asLong()).isEqualTo(1);
                assertThat(answer.get("host").asText()).isEqualTo(a.host());
            }
            assertThat(cloud.hosts()).extracting(h -> h.get("state").asText()).containsOnly("ready");
        });

        // For information: copies restarted in place (same generation, same host, a new process) because an agent
        // fenced itself while the server was down. Not a failover, but an interruption of the service.
        Map<String, JsonNode> end = cloud.instancesById();
        List<String> restartedInPlace = new ArrayList<>();
        beforeKill.forEach((id, i) -> {
            JsonNode e = end.get(id);
            if (!i.get("address").isNull() && e != null && !e.get("address").isNull()
                    && !i.get("address").asText().equals(e.get("address").asText())) {
                restartedInPlace.add(id);
            }
        });
        System.out.printf("server restart test: %d of the %d instances that had an address before the kill were restarted in place;"
                        + " agent self-fences: %s%n", restartedInPlace.size(),
                beforeKill.values().stream().filter(i -> !i.get("address").isNull()).count(), cloud.agentLogLines("FENCED"));
    }

    /** An acknowledged creation: 201 with this id, placed on this host. */
    record Ack(String id, String host) {}

    /** Creates one instance at a time, paced, recording every acknowledged creation and every failure. */
    private static final class Creator {
        private final LocalCloud cloud;
        final List<Ack> acked = new CopyOnWriteArrayList<>();
        final Map<String, Integer> failures = new ConcurrentHashMap<>();
        private final Thread thread;
        private volatile boolean stopping;
        private volatile Throwable died;

        Creator(LocalCloud cloud) {
            this.cloud = cloud;
            this.thread = new Thread(this::loop, "creator");
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void loop() {
            try {
                while (!stopping) {
                    createOne();
                    LocalCloud.sleep(250);
                }
            } catch (Throwable t) {
                if (!stopping) {
                    died = t;
                }
            }
        }

        private void createOne() {
            HttpResponse<String> r;
            try {
                r = cloud.post("/v1/instances", Map.of("image", LocalCloud.IMAGE, "type", LocalCloud.SMALL_TYPE, "count", 1),
                        Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                failures.merge(cause.getClass().getSimpleName(), 1, Integer::sum);
                return;
            }
            if (r.statusCode() != 201) {
                failures.merge("HTTP " + r.statusCode(), 1, Integer::sum);
                return;
            }
            for (JsonNode i : LocalCloud.readTree(r.body())) {
                acked.add(new Ack(i.get("id").asText(), i.get("host").asText()));
            }
        }

        Creator failIfDead() {
            if (died != null) {
                throw new AssertionError("the creating thread died", died);
            }
            return this;
        }

        void stop() throws InterruptedException {
            stopping = true;
            thread.join(TimeUnit.SECONDS.toMillis(30));
            failIfDead();
        }
    }
}
