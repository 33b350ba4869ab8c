package org.phare.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.phare.cli.e2e.LocalCloud.eventually;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3, first end-to-end test: real processes on loopback. A server and three agents (one per zone), ten
 * instances; {@code kill -9} of the agent that holds the most. Its instance processes die with it; every one of
 * its instances runs again on another host with the next generation and answers on its new address; no instance
 * ever has two live processes; restarting the killed agent brings back no second copy.
 */
// A guard against a hang only: nothing here measures time; every wait is bounded on its own.
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FailoverEndToEndTest {
    private static final int INSTANCES = 10;

    @TempDir
    Path tmp;

    @RegisterExtension
    final LocalCloud.Extension clouds = new LocalCloud.Extension();

    @Test
    @DisplayName("kill -9 of the busiest agent: its instances run again elsewhere with generation 2, never two copies at once")
    void killNineOfTheBusiestAgent() throws Exception {
        LocalCloud cloud = clouds.start(tmp, "zone");
        cloud.startServer();
        Map<String, LocalCloud.Agent> agents = cloud.startAgentPerZone();
        assertThat(cloud.hosts()).extracting(h -> h.get("state").asText()).containsOnly("ready").hasSize(3);

        // Throughout: no instance is ever served by two live processes at once.
        CopyWatch watch = CopyWatch.start(cloud);
        try {
            // Ten instances, in one request.
            HttpResponse<String> created = cloud.post("/v1/instances",
                    Map.of("image", LocalCloud.IMAGE, "type", LocalCloud.SMALL_TYPE, "count", INSTANCES), Duration.ofSeconds(30));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            List<String> ids = new ArrayList<>();
            LocalCloud.readTree(created.body()).forEach(i -> ids.add(i.get("id").asText()));
            assertThat(ids).hasSize(INSTANCES).doesNotHaveDuplicates();

            // All running, each answering on its address as itself, generation 1, on its host.
            eventually().untilAsserted(() -> {
                Map<String, JsonNode> all = cloud.instancesById();
                assertThat(all.keySet()).containsExactlyInAnyOrderElementsOf(ids);
                for (JsonNode i : all.values()) {
                    assertServes(cloud, i, 1);
                }
            });
            Map<String, JsonNode> before = cloud.instancesById();

            // The victim: the agent holding the most instances.
            Map<String, List<String>> byHost = before.values().stream().collect(Collectors.groupingBy(
                    i -> i.get("host").asText(), TreeMap::new, Collectors.mapping(i -> i.get("id").asText(), Collectors.toList())));
            String victimHost = byHost.entrySet().stream().max(Comparator.comparingInt(e -> e.getValue().size())).orElseThrow().getKey();
            LocalCloud.Agent victim = agents.get(victimHost);
            List<String> moved = byHost.get(victimHost);
            assertThat(cloud.host(victimHost).get("pid").asLong()).as("GET /v1/hosts pid of %s", victimHost).isEqualTo(victim.pid());
            eventually().untilAsserted(() -> assertThat(cloud.echoProcesses()).as("the victim's instance processes before the kill")
                    .filteredOn(e -> e.host().equals(victimHost)).hasSize(moved.size()));
            System.out.printf("failover test: killing %s, which holds %d of %d instances: %s%n", victim, moved.size(), INSTANCES, moved);

            long killedAt = System.nanoTime();
            cloud.killAgent(victim);

            // No orphan: its instance processes die with it.
            eventually().untilAsserted(() -> assertThat(cloud.echoProcesses())
                    .as("instance processes of the killed host %s", victimHost).filteredOn(e -> e.host().equals(victimHost)).isEmpty());

            // Every one of its instances runs again on another host, generation 2, and answers on its new address.
            AtomicLong recoveredAt = new AtomicLong();
            eventually().untilAsserted(() -> {
                Map<String, JsonNode> now = cloud.instancesById();
                for (String id : moved) {
                    JsonNode i = now.get(id);
                    assertThat(i).as("instance %s", id).isNotNull();
                    assertThat(i.path("host").asText()).as("host of %s", id).isNotEqualTo(victimHost);
                    assertServes(cloud, i, 2); // the answer comes from the new copy: generation 2, new host
                }
                recoveredAt.compareAndSet(0, System.nanoTime());
            });
            System.out.printf("failover test: kill -9 of %s to all %d of its instances running and answering elsewhere: %d ms%n",
                    victimHost, moved.size(), TimeUnit.NANOSECONDS.toMillis(recoveredAt.get() - killedAt));

            // The other instances did not move.
            Map<String, JsonNode> after = cloud.instancesById();
            for (JsonNode i : before.values()) {
                String id = i.get("id").asText();
                if (!moved.contains(id)) {
                    assertThat(after.get(id).get("host").asText()).as("host of %s", id).isEqualTo(i.get("host").asText());
                    assertThat(after.get(id).get("generation").asLong()).as("generation of %s", id).isEqualTo(1);
                }
            }
            assertThat(cloud.host(victimHost).get("state").asText()).as("state of the killed host").isEqualTo("dead");

            // Restart the killed agent on the same data dir: the same host, and no second copy of anything.
            cloud.restartAgent(victim);
            assertThat(victim.hostId).isEqualTo(victimHost);
            LocalCloud.sleep(5_000); // long enough for a wrong adoption or a wrong assignment to show
            JsonNode back = cloud.host(victimHost);
            assertThat(back.get("state").asText()).as("state of the restarted host").isNotEqualTo("dead");
            assertThat(back.get("instances").asInt()).as("instances listed on the restarted host %s", victimHost).isZero();
            assertThat(cloud.echoProcesses()).as("instance processes on the restarted host")
                    .filteredOn(e -> e.host().equals(victimHost)).isEmpty();
            // Exactly one live process per instance: never two (the watch checks that all along), and not none either.
            // Bounded rather than one-shot only so that a busy agent's self-fence and restart in place is not a failure.
            eventually().untilAsserted(() -> {
                Map<String, List<LocalCloud.EchoProcess>> perInstance = cloud.echoProcesses().stream()
                        .collect(Collectors.groupingBy(LocalCloud.EchoProcess::instance));
                Map<String, JsonNode> last = cloud.instancesById();
                assertThat(perInstance.keySet()).as("instances with a live process").containsExactlyInAnyOrderElementsOf(ids);
                for (String id : ids) {
                    assertThat(perInstance.get(id)).as("live processes of %s", id).hasSize(1);
                    LocalCloud.EchoProcess p = perInstance.get(id).get(0);
                    JsonNode i = last.get(id);
                    assertThat(i.get("generation").asLong()).as("generation of %s", id).isEqualTo(moved.contains(id) ? 2 : 1);
                    assertThat(p.host()).as("host of the process of %s", id).isEqualTo(i.get("host").asText());
                    assertThat(p.generation()).as("generation of the process of %s", id).isEqualTo(i.get("generation").asLong());
                    assertServes(cloud, i, i.get("generation").asLong());
                }
            });
            assertThat(cloud.host(victimHost).get("instances").asInt()).as("instances on the restarted host, at the end").isZero();
        } finally {
            watch.close();
        }
        System.out.println("failover test: " + watch);
        assertThat(watch.violations()).as("instances seen with two live processes at once").isEmpty();
        assertThat(watch.seen()).as("instances the watch saw alive (it must not pass for not seeing anything)")
                .hasSizeGreaterThanOrEqualTo(INSTANCES);
    }

    /** The instance runs with this generation, and GET on its address answers as itself, from its host. */
    private static void assertServes(LocalCloud cloud, JsonNode i, long generation) {
        String id = i.get("id").asText();
        assertThat(i.get("state").asText()).as("state of %s", id).isEqualTo("running");
        assertThat(i.get("generation").asLong()).as("generation of %s", id).isEqualTo(generation);
        assertThat(i.get("host").isNull()).as("%s has a host", id).isFalse();
        assertThat(i.get("address").isNull()).as("%s has an address", id).isFalse();
        JsonNode answer = cloud.echo(i.get("address").asText());
        assertThat(answer.get("instance").asText()).as("instance answering on the address of %s", id).isEqualTo(id);
        assertThat(answer.get("generation").asLong()).as("generation answering for %s", id).isEqualTo(generation);
        assertThat(answer.get("host").asText()).as("host answering for %s", id).isEqualTo(i.get("host").asText());
    }
}
