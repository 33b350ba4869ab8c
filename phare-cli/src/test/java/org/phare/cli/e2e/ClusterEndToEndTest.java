package org.phare.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.phare.cli.e2e.LocalCloud.eventually;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.phare.cli.ApiClient;

/**
 * Issue 4: three {@code phare server} members, three agents (one per zone), instances; {@code kill -9} of the
 * leader. A new leader takes over, no host is judged because of the change (no agent fences itself, no instance
 * moves), the cloud goes on placing and failing over, and the killed member comes back as a follower.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ClusterEndToEndTest {

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path tmp;

    @RegisterExtension
    final LocalCloud.Extension clouds = new LocalCloud.Extension();

    @Test
    @DisplayName("kill -9 of the leader: a new leader takes over, nobody is judged for it, placement and failover go on")
    void killNineOfTheLeader() throws Exception {
        LocalCloud cloud = clouds.start(tmp, "zone");
        cloud.startCluster(3);
        Map<String, LocalCloud.Agent> agents = cloud.startAgentPerZone();
        ApiClient api = cloud.client();
        List<String> ids = new ArrayList<>();
        api.post("/v1/instances", Map.of("image", LocalCloud.IMAGE, "type", LocalCloud.SMALL_TYPE, "count", 6))
                .forEach(i -> ids.add(i.get("id").asText()));
        eventually().untilAsserted(() -> assertThat(cloud.instances())
                .allSatisfy(i -> assertThat(i.get("state").asText()).isEqualTo("running")).hasSize(6));
        Map<String, String> hostOf = new HashMap<>();
        cloud.instances().forEach(i -> hostOf.put(i.get("id").asText(), i.get("host").asText()));

        // Throughout the change: every host stays ready and every instance stays where it is, generation 1.
        Set<String> problems = ConcurrentHashMap.newKeySet();
        AtomicBoolean watching = new AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger rounds = new java.util.concurrent.atomic.AtomicInteger();
        Thread watch = Thread.ofVirtual().start(() -> {
            while (watching.get()) {
                try {
                    List<JsonNode> hosts = api.list("/v1/hosts");
                    for (JsonNode h : hosts) {
                        if (!"ready".equals(h.get("state").asText())) {
                            problems.add("host " + h.get("id").asText() + " became " + h.get("state").asText());
                        }
                    }
                    for (JsonNode i : api.list("/v1/instances")) {
                        if (i.get("generation").asLong() != 1 || !hostOf.get(i.get("id").asText()).equals(i.get("host").asText())) {
                            problems.add("instance " + i.get("id").asText() + " moved: " + i);
                        }
                    }
                    if (hosts.size() == 3) {
                        rounds.incrementAndGet();
                    }
                } catch (RuntimeException e) {
                    // no member answers for a moment: the next round tells
                }
                LocalCloud.sleep(200);
            }
        });

        LocalCloud.Member old = cloud.leader();
        cloud.killMember(old);
        LocalCloud.Member fresh = cloud.awaitLeader();
        assertThat(fresh.id).isNotEqualTo(old.id);
        // Longer than the new leader's grace (5 s) plus the time to declare a silent host dead (4 s).
        LocalCloud.sleep(11_000);
        watching.set(false);
        watch.join();
        assertThat(problems).as("what the leader change caused").isEmpty();
        assertThat(rounds.get()).as("rounds of the watch that saw the three hosts").isGreaterThan(20);
        assertThat(cloud.agentLogLines("FENCED")).as("agents that lost their lease").isEmpty();

        // The new leader places...
        List<String> more = new ArrayList<>();
        api.post("/v1/instances", Map.of("image", LocalCloud.IMAGE, "type", LocalCloud.SMALL_TYPE, "count", 2))
                .forEach(i -> more.add(i.get("id").asText()));
        eventually().untilAsserted(() -> assertThat(cloud.instances())
                .filteredOn(i -> more.contains(i.get("id").asText()))
                .allSatisfy(i -> assertThat(i.get("state").asText()).isEqualTo("running")).hasSize(2));

        // ...and fails over: kill -9 of the agent with the most instances.
        Map<String, Integer> load = new HashMap<>();
        cloud.instances().forEach(i -> load.merge(i.get("host").asText(), 1, Integer::sum));
        String busiest = load.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        List<String> moved = cloud.instances().stream().filter(i -> busiest.equals(i.get("host").asText()))
                .map(i -> i.get("id").asText()).toList();
        cloud.killAgent(agents.get(busiest));
        eventually().untilAsserted(() -> assertThat(cloud.instances())
                .filteredOn(i -> moved.contains(i.get("id").asText()))
                .allSatisfy(i -> {
                    assertThat(i.get("host").asText()).isNotEqualTo(busiest);
                    assertThat(i.get("generation").asLong()).isEqualTo(2);
                    assertThat(i.get("state").asText()).isEqualTo("running");
                }).hasSize(moved.size()));

        // The killed member comes back as a follower and catches up.
        cloud.restartMember(old);
        eventually().untilAsserted(() -> {
            JsonNode s = cloud.memberStatus(old);
            assertThat(s.path("activeServices").asBoolean()).isFalse();
            assertThat(s.path("leader").asText()).isEqualTo(cloud.leader().id);
            assertThat(s.path("appliedIndex").asLong()).isGreaterThanOrEqualTo(
                    cloud.memberStatus(cloud.leader()).path("commitIndex").asLong() - 2);
        });
        JsonNode status = api.get("/v1/cluster");
        assertThat(status.path("members")).hasSize(3);
        assertThat(status.path("leader").asText()).isEqualTo(cloud.leader().id);
    }
}
