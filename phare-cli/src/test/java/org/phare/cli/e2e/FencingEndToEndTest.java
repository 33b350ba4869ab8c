package org.phare.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.phare.cli.e2e.LocalCloud.eventually;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: fencing on time with real processes, whatever the network and the server do. One server, three agents
 * (one per zone) each reaching it through proxies of its own ({@link FaultProxy}), six instances; a {@link CopyWatch}
 * polls the operating system's processes every 100 ms throughout. In turn:
 *
 * <ol>
 *   <li>an agent frozen (SIGSTOP): its copies are gone within fenceAfter + 500 ms of its last renewal (the watchdog in
 *       each copy), its instances run elsewhere at the next generation, and after SIGCONT it runs none of them;</li>
 *   <li>an agent blackholed (its calls hang): it fences on time, its instances run elsewhere, and once healed it is
 *       ready again and runs none of them;</li>
 *   <li>an agent whose heartbeats arrive but whose replies are lost: it fences on time (nobody renews its lease), the
 *       server sees its replies unacknowledged, declares it dead and moves its instances; healed, it runs none of them;</li>
 *   <li>a slow network (100 ms each way for every agent): nobody fences, nothing moves;</li>
 *   <li>the server frozen (SIGSTOP) longer than deadAfter: every agent's calls hang, every copy is gone within
 *       fenceAfter + 500 ms; after SIGCONT every instance runs again.</li>
 * </ol>
 *
 * Never, at any moment, two live copies of one instance.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FencingEndToEndTest {
    private static final int INSTANCES = 6;
    /** The agents' lease (HealthConfig's fenceAfter). */
    private static final long FENCE_AFTER_MS = 3_000;
    /** The bound: copies gone within this long after fenceAfter. */
    private static final long ON_TIME_MS = 500;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path tmp;

    @RegisterExtension
    final LocalCloud.Extension clouds = new LocalCloud.Extension();

    @Test
    @DisplayName("an agent frozen, an agent blackholed, replies lost, a slow network, the server frozen: copies gone on time,"
            + " instances running again, never two copies of an instance at once")
    void faultsInTurn() throws Exception {
        LocalCloud cloud = clouds.start(tmp, "zone").proxied();
        cloud.startServer();
        Map<String, LocalCloud.Agent> agents = cloud.startAgentPerZone();
        HttpResponse<String> created = cloud.post("/v1/instances",
                Map.of("image", LocalCloud.IMAGE, "type", LocalCloud.SMALL_TYPE, "count", INSTANCES), Duration.ofSeconds(30));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        awaitAllServing(cloud);

        try (CopyWatch watch = CopyWatch.start(cloud)) {
            frozenAgent(cloud, agents);
            blackholedAgent(cloud, agents);
            repliesLost(cloud, agents);
            slowNetwork(cloud, agents);
            frozenServer(cloud, agents);

            System.out.println("fencing test: " + watch);
            assertThat(watch.violations()).as("moments with two live copies of one instance").isEmpty();
            assertThat(watch.seen()).as("instances the watch saw alive (it must not pass for seeing nothing)").hasSize(INSTANCES);
        }
    }

    /** SIGSTOP of the busiest agent: the copies die by their own lease; the instances move; SIGCONT brings no copy back. */
    private static void frozenAgent(LocalCloud cloud, Map<String, LocalCloud.Agent> agents) throws Exception {
        LocalCloud.Agent victim = busiest(cloud, agents);
        Map<String, Long> moved = generationsOn(cloud, victim.hostId);
        List<Long> pids = copiesOn(cloud, victim.hostId, moved.size());

        LocalCloud.signal(victim.process, "STOP");
        long stoppedAt = System.nanoTime();
        try {
            long goneMs = awaitGone(pids, stoppedAt);
            System.out.printf("fencing test: agent %s frozen: its %d copies gone %d ms after SIGSTOP%n", victim.hostId,
                    pids.size(), goneMs);
            // Its last renewal came before the stop: the copies' deadline is at most fenceAfter after it.
            assertThat(goneMs).as("ms from SIGSTOP of %s to its copies gone", victim.hostId)
                    .isLessThan(FENCE_AFTER_MS + ON_TIME_MS);
            assertThat(victim.process.isAlive()).as("the frozen agent").isTrue();
            awaitMovedElsewhere(cloud, victim.hostId, moved);
        } finally {
            LocalCloud.signal(victim.process, "CONT");
        }
        awaitBackEmpty(cloud, victim, moved);
        // What the agent found on waking: its lease had run out (it fenced) or its copies had stopped by themselves.
        assertThat(LocalCloud.logLines(victim, "FENCED").size() + LocalCloud.logLines(victim, "its lease ran out").size())
                .as("signs in the thawed agent's log that its lease ran out").isPositive();
    }

    /** Every proxy of the busiest agent blackholed: it fences itself on time; healed, it is ready and runs nothing moved. */
    private static void blackholedAgent(LocalCloud cloud, Map<String, LocalCloud.Agent> agents) throws Exception {
        LocalCloud.Agent victim = busiest(cloud, agents);
        Map<String, Long> moved = generationsOn(cloud, victim.hostId);
        List<Long> pids = copiesOn(cloud, victim.hostId, moved.size());
        int fencedBefore = LocalCloud.logLines(victim, "FENCED").size();

        victim.blackhole();
        long cutAt = System.nanoTime();
        try {
            long goneMs = awaitGone(pids, cutAt);
            System.out.printf("fencing test: agent %s blackholed: its %d copies gone %d ms after the cut%n", victim.hostId,
                    pids.size(), goneMs);
            assertThat(goneMs).as("ms from the blackhole of %s to its copies gone", victim.hostId)
                    .isLessThan(FENCE_AFTER_MS + ON_TIME_MS);
            eventually().untilAsserted(() -> assertThat(LocalCloud.logLines(victim, "FENCED")).as("FENCED lines of %s", victim)
                    .hasSizeGreaterThan(fencedBefore));
            awaitMovedElsewhere(cloud, victim.hostId, moved);
        } finally {
            victim.heal();
        }
        awaitBackEmpty(cloud, victim, moved);
    }

    /**
     * Heartbeats of the busiest agent reach the server, its replies are lost: the agent cannot renew its lease and
     * fences on time. The server, which still hears it, sees its replies go unacknowledged, stops granting it a lease,
     * declares it dead and moves its instances; healed, the host is ready again and runs none of them.
     */
    private static void repliesLost(LocalCloud cloud, Map<String, LocalCloud.Agent> agents) throws Exception {
        LocalCloud.Agent victim = busiest(cloud, agents);
        Map<String, Long> moved = generationsOn(cloud, victim.hostId);
        List<Long> pids = copiesOn(cloud, victim.hostId, moved.size());
        int fencedBefore = LocalCloud.logLines(victim, "FENCED").size();

        victim.dropReplies();
        long cutAt = System.nanoTime();
        try {
            long goneMs = awaitGone(pids, cutAt);
            System.out.printf("fencing test: agent %s hears no reply: its %d copies gone %d ms after the cut%n", victim.hostId,
                    pids.size(), goneMs);
            assertThat(goneMs).isLessThan(FENCE_AFTER_MS + ON_TIME_MS);
            eventually().untilAsserted(() -> assertThat(LocalCloud.logLines(victim, "FENCED")).hasSizeGreaterThan(fencedBefore));
            awaitMovedElsewhere(cloud, victim.hostId, moved);
            System.out.printf("fencing test: the instances of %s, which the server still heard, run elsewhere %d ms after the"
                    + " cut%n", victim.hostId, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cutAt));
        } finally {
            victim.heal();
        }
        awaitBackEmpty(cloud, victim, moved);
    }

    /** 100 ms each way between every agent and the server, for a few heartbeats: nobody fences, nothing moves. */
    private static void slowNetwork(LocalCloud cloud, Map<String, LocalCloud.Agent> agents) throws Exception {
        Map<String, Long> before = generations(cloud);
        Map<String, Integer> fenced = fencedLines(agents);
        agents.values().forEach(a -> a.delay(100));
        try {
            LocalCloud.sleep(8_000);
        } finally {
            agents.values().forEach(LocalCloud.Agent::heal);
        }
        assertThat(fencedLines(agents)).as("FENCED lines per agent after 8 s of a slow network").isEqualTo(fenced);
        assertThat(generations(cloud)).as("generations after 8 s of a slow network").isEqualTo(before);
        awaitAllServing(cloud);
    }

    /**
     * The server frozen for longer than deadAfter: every agent's calls hang (no refusal), so every copy must be gone
     * within fenceAfter + 500 ms by the agents' lease timers; thawed, the server gets every instance running again.
     */
    private static void frozenServer(LocalCloud cloud, Map<String, LocalCloud.Agent> agents) throws Exception {
        List<Long> pids = cloud.echoProcesses().stream().map(LocalCloud.EchoProcess::pid).toList();
        assertThat(pids).hasSize(INSTANCES);
        Map<String, Integer> fenced = fencedLines(agents);

        LocalCloud.signal(cloud.serverProcess(), "STOP");
        long stoppedAt = System.nanoTime();
        try {
            long goneMs = awaitGone(pids, stoppedAt);
            System.out.printf("fencing test: server frozen: all %d copies gone %d ms after SIGSTOP%n", pids.size(), goneMs);
            assertThat(goneMs).as("ms from SIGSTOP of the server to every copy gone").isLessThan(FENCE_AFTER_MS + ON_TIME_MS);
            LocalCloud.sleep(Math.max(0, 7_000 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt)));
        } finally {
            LocalCloud.signal(cloud.serverProcess(), "CONT");
        }
        for (LocalCloud.Agent a : agents.values()) {
            assertThat(LocalCloud.logLines(a, "FENCED").size()).as("FENCED lines of %s", a).isGreaterThan(fenced.get(a.hostId));
        }
        awaitAllServing(cloud);
    }

    // ---- helpers ----

    /** Every instance running, answering on its address as itself, at the generation and on the host the server says. */
    private static void awaitAllServing(LocalCloud cloud) {
        eventually().untilAsserted(() -> {
            List<JsonNode> all = cloud.instances();
            assertThat(all).hasSize(INSTANCES);
            for (JsonNode i : all) {
                assertServes(cloud, i);
            }
        });
    }

    private static void assertServes(LocalCloud cloud, JsonNode i) {
        String id = i.get("id").asText();
        assertThat(i.get("state").asText()).as("state of %s", id).isEqualTo("running");
        JsonNode answer = cloud.echo(i.get("address").asText());
        assertThat(answer.get("instance").asText()).as("instance answering for %s", id).isEqualTo(id);
        assertThat(answer.get("generation").asLong()).as("generation answering for %s", id).isEqualTo(i.get("generation").asLong());
        assertThat(answer.get("host").asText()).as("host answering for %s", id).isEqualTo(i.get("host").asText());
    }

    /** The agent whose host runs the most instances (ties: the first host id). */
    private static LocalCloud.Agent busiest(LocalCloud cloud, Map<String, LocalCloud.Agent> agents) {
        Map<String, Integer> load = new TreeMap<>();
        agents.keySet().forEach(h -> load.put(h, 0));
        cloud.instances().forEach(i -> load.merge(i.get("host").asText(), 1, Integer::sum));
        String host = load.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder()))).orElseThrow().getKey();
        assertThat(load.get(host)).as("instances on the busiest host").isPositive();
        return agents.get(host);
    }

    private static Map<String, Long> generations(LocalCloud cloud) {
        Map<String, Long> g = new TreeMap<>();
        cloud.instances().forEach(i -> g.put(i.get("id").asText(), i.get("generation").asLong()));
        return g;
    }

    private static Map<String, Long> generationsOn(LocalCloud cloud, String host) {
        Map<String, Long> g = new TreeMap<>();
        cloud.instances().stream().filter(i -> host.equals(i.get("host").asText()))
                .forEach(i -> g.put(i.get("id").asText(), i.get("generation").asLong()));
        return g;
    }

    /** The pids of the copies on a host, once there are {@code n}. */
    private static List<Long> copiesOn(LocalCloud cloud, String host, int n) {
        return eventually().until(() -> cloud.echoProcesses().stream().filter(e -> e.host().equals(host))
                .map(LocalCloud.EchoProcess::pid).toList(), l -> l.size() == n);
    }

    /** Polls every 10 ms until none of these processes runs; returns the ms since {@code sinceNanos}. */
    private static long awaitGone(List<Long> pids, long sinceNanos) {
        LocalCloud.bounded().pollInterval(Duration.ofMillis(10)).until(() -> pids.stream().noneMatch(LocalCloud::running));
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
    }

    /** Each moved instance runs on another host at its next generation, and answers as that copy. */
    private static void awaitMovedElsewhere(LocalCloud cloud, String host, Map<String, Long> moved) {
        eventually().untilAsserted(() -> {
            Map<String, JsonNode> now = cloud.instancesById();
            for (Map.Entry<String, Long> e : moved.entrySet()) {
                JsonNode i = now.get(e.getKey());
                assertThat(i.get("host").asText()).as("host of %s", e.getKey()).isNotEqualTo(host);
                assertThat(i.get("generation").asLong()).as("generation of %s", e.getKey()).isEqualTo(e.getValue() + 1);
                assertServes(cloud, i);
            }
        });
    }

    /** The host is ready again under the same agent process, and runs none of the instances that moved away. */
    private static void awaitBackEmpty(LocalCloud cloud, LocalCloud.Agent agent, Map<String, Long> moved) {
        eventually().untilAsserted(() -> {
            JsonNode h = cloud.host(agent.hostId);
            assertThat(h.get("state").asText()).as("state of %s", agent.hostId).isEqualTo("ready");
            assertThat(h.get("pid").asLong()).isEqualTo(agent.pid());
        });
        LocalCloud.sleep(3_000); // a few heartbeats: long enough for a stale copy to come back, if it could
        assertThat(cloud.echoProcesses()).as("copies on %s once it is back", agent.hostId)
                .filteredOn(e -> e.host().equals(agent.hostId)).isEmpty();
        Map<String, JsonNode> now = cloud.instancesById();
        moved.keySet().forEach(id -> assertThat(now.get(id).get("host").asText()).as("host of %s", id).isNotEqualTo(agent.hostId));
        awaitAllServing(cloud);
    }

    private static Map<String, Integer> fencedLines(Map<String, LocalCloud.Agent> agents) {
        Map<String, Integer> n = new TreeMap<>();
        agents.forEach((h, a) -> n.put(h, LocalCloud.logLines(a, "FENCED").size()));
        return n;
    }
}
