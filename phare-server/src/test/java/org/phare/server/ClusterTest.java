package org.phare.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phare.api.Json;
import org.phare.core.placement.PlacementConfig;
import org.phare.server.store.RatisLog;

/**
 * Three members in this JVM, on loopback: leadership, redirects, a member cut off from the majority, a member
 * that catches up from a snapshot, and membership changes. (Killing processes is the end-to-end tests' job.)
 */
@DisplayName("a control plane of three members")
class ClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, RatisLog.Peer> peers = new LinkedHashMap<>();
    private final Map<String, PhareServer> running = new LinkedHashMap<>();
    private final Map<String, Integer> httpPorts = new LinkedHashMap<>();
    private org.phare.api.Credentials operator;

    @AfterEach
    void stopAll() {
        running.values().forEach(PhareServer::close);
    }

    private void define(String... ids) throws IOException {
        for (String id : ids) {
            peers.put(id, new RatisLog.Peer(id, "127.0.0.1:" + freePort()));
            httpPorts.put(id, freePort());
        }
    }

    private PhareServer start(String id, boolean join, RatisLog.Options log) throws IOException {
        List<RatisLog.Peer> group = join ? List.of(peers.get(id))
                : peers.values().stream().filter(p -> !p.id().equals("d")).toList();
        PhareServer s = PhareServer.start(new PhareServer.Options(dir.resolve(id), "127.0.0.1", httpPorts.get(id),
                peers.get(id), group, join, true, "eu-west-2" + id, Topology.defaults(),
                PlacementConfig.AdmissionPolicy.HOST_PER_ZONE, log, dir.resolve("secrets.key")));
        running.put(id, s);
        return s;
    }

    private void stop(String id) {
        running.remove(id).close();
    }

    private String leader() {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
            for (String id : running.keySet()) {
                JsonNode s = get(id, "/v1/cluster?local=true");
                if (s.path("activeServices").asBoolean()) {
                    return id;
                }
            }
            return null;
        }, l -> l != null);
    }

    private HttpResponse<String> send(String id, String method, String path, Object body) throws Exception {
        if (operator == null) {
            operator = OperatorKey.await(dir);
        }
        HttpRequest.Builder b = OperatorKey.signed(operator, method, URI.create("http://127.0.0.1:" + httpPorts.get(id) + path),
                        body == null ? null : Json.mapper().writeValueAsBytes(body))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json");
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String id, String path) throws Exception {
        HttpResponse<String> r = send(id, "GET", path, null);
        assertThat(r.statusCode()).as("GET %s on %s: %s", path, id, r.body()).isEqualTo(200);
        return Json.mapper().readTree(r.body());
    }

    private static Map<String, Object> image(String id) {
        return Map.of("id", id, "description", "test image " + id, "kind", "http-echo");
    }

    private Set<String> images(String id) throws Exception {
        Set<String> ids = new HashSet<>();
        get(id, "/v1/images").forEach(i -> ids.add(i.get("id").asText()));
        return ids;
    }

    @Test
    @DisplayName("one leader runs the active services; followers redirect writes to it and serve reads")
    void followersRedirectToTheLeader() throws Exception {
        define("a", "b", "c");
        for (String id : List.of("a", "b", "c")) {
            start(id, false, RatisLog.Options.defaults());
        }
        String leader = leader();
        String follower = running.keySet().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        await().atMost(WAIT).ignoreExceptions().until(() -> get(follower, "/v1/cluster?local=true").path("members").size() == 3
                && get(leader, "/v1/cluster").path("members").findValues("http").stream().noneMatch(JsonNode::isNull));

        JsonNode status = get(leader, "/v1/cluster");
        assertThat(status.path("members")).hasSize(3);
        List<String> roles = new ArrayList<>();
        status.path("members").forEach(m -> roles.add(m.path("role").asText()));
        assertThat(roles).containsExactlyInAnyOrder("leader", "follower", "follower");
        status.path("members").forEach(m -> {
            assertThat(m.path("zone").asText()).isEqualTo("eu-west-2" + m.path("id").asText());
            assertThat(m.path("term").asLong()).isPositive();
            assertThat(m.has("commitIndex")).isTrue();
            assertThat(m.has("lag")).isTrue();
        });
        long activeMembers = running.keySet().stream().filter(id -> {
            try {
                return get(id, "/v1/cluster?local=true").path("activeServices").asBoolean();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).count();
        assertThat(activeMembers).as("members running the active services").isEqualTo(1);

        HttpResponse<String> redirected = send(follower, "POST", "/v1/images", image("img-1"));
        assertThat(redirected.statusCode()).isEqualTo(307);
        assertThat(redirected.headers().firstValue("Location")).hasValue("http://127.0.0.1:" + httpPorts.get(leader) + "/v1/images");
        assertThat(Json.mapper().readTree(redirected.body()).path("error").path("code").asText()).isEqualTo("NotLeader");
        assertThat(images(follower)).as("a redirect writes nothing").doesNotContain("img-1");

        assertThat(send(leader, "POST", "/v1/images", image("img-1")).statusCode()).isEqualTo(201);
        await().atMost(WAIT).until(() -> images(follower).contains("img-1"));
        assertThat(get(follower, "/v1/cluster?local=true").path("leader").asText()).isEqualTo(leader);
        HttpResponse<String> statusOnFollower = send(follower, "GET", "/v1/cluster", null);
        assertThat(statusOnFollower.statusCode()).as("the leader has the complete view").isEqualTo(307);
    }

    @Test
    @DisplayName("a member cut off from the majority elects no leader, runs nothing and refuses writes; it rejoins")
    void aMinorityMakesNoProgress() throws Exception {
        define("a", "b", "c");
        for (String id : List.of("a", "b", "c")) {
            start(id, false, RatisLog.Options.defaults());
        }
        String first = leader();
        assertThat(send(first, "POST", "/v1/images", image("before")).statusCode()).isEqualTo(201);
        stop("b");
        stop("c");

        // A leader that hears no majority stops its active services at once and steps down within 2 s.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
            JsonNode s = get("a", "/v1/cluster?local=true");
            assertThat(s.path("activeServices").asBoolean() && !"a".equals(s.path("leader").asText()))
                    .as("active services without being leader").isFalse();
            return !"a".equals(s.path("leader").asText());
        });
        long firstTerm = get("a", "/v1/cluster?local=true").path("term").asLong();
        long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        while (System.nanoTime() < until) {
            JsonNode s = get("a", "/v1/cluster?local=true");
            assertThat(s.path("activeServices").asBoolean()).as("active services on a minority").isFalse();
            assertThat(s.path("leader").asText()).as("a lone member elects no leader: " + s).isNotEqualTo("a");
            Thread.sleep(100);
        }
        assertThat(get("a", "/v1/cluster?local=true").path("term").asLong())
                .as("pre-vote: a lone member does not inflate the term").isLessThanOrEqualTo(firstTerm + 1);
        HttpResponse<String> refused = send("a", "POST", "/v1/images", image("during"));
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("NoLeader").contains("majority");
        HttpResponse<String> heartbeat = send("a", "POST", "/agent/v1/heartbeat",
                Map.of("host", "h-1", "appliedReply", Map.of("incarnation", 0, "seq", 0), "running", List.of()));
        assertThat(heartbeat.statusCode()).as("no lease from a minority").isEqualTo(503);

        start("b", false, RatisLog.Options.defaults());
        String leader = leader();
        assertThat(send(leader, "POST", "/v1/images", image("after")).statusCode()).isEqualTo(201);
        await().atMost(WAIT).until(() -> images("a").containsAll(List.of("before", "after")) && !images("a").contains("during"));
    }

    @Test
    @DisplayName("a member that was down while the log was compacted catches up from the leader's snapshot")
    void aLaggingMemberCatchesUpFromASnapshot() throws Exception {
        define("a", "b", "c");
        // Chunks of 4 KiB: the snapshot (about 30 KB) travels in several install requests.
        RatisLog.Options small = RatisLog.Options.defaults().withSnapshotEvery(40).withSegmentSizeBytes(64 * 1024)
                .withSnapshotChunkBytes(4 * 1024);
        for (String id : List.of("a", "b", "c")) {
            start(id, false, small);
        }
        String leader = leader();
        String away = running.keySet().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        stop(away);
        for (int i = 0; i < 400; i++) {
            assertThat(send(leader, "POST", "/v1/images", image("img-" + i)).statusCode()).isEqualTo(201);
        }
        // The leader snapshots (every 5 s) and purges its log past what the member that is away has.
        await().atMost(WAIT).until(() -> get(leader, "/v1/cluster?local=true").path("logStartIndex").asLong() > 100);
        start(away, false, small);
        Set<String> expected = images(leader);
        assertThat(expected).hasSizeGreaterThan(400);
        await().atMost(WAIT).ignoreExceptions().until(() -> images(away).equals(expected));
        assertThat(get(away, "/v1/cluster?local=true").path("snapshotIndex").asLong()).isPositive();
    }

    @Test
    @DisplayName("phare cluster add and remove: a new member joins, catches up and votes; a member leaves")
    void membershipChanges() throws Exception {
        define("a", "b", "c", "d");
        for (String id : List.of("a", "b", "c")) {
            start(id, false, RatisLog.Options.defaults());
        }
        String leader = leader();
        assertThat(send(leader, "POST", "/v1/images", image("img-x")).statusCode()).isEqualTo(201);
        start("d", true, RatisLog.Options.defaults());
        HttpResponse<String> added = send(leader, "POST", "/v1/cluster/members",
                Map.of("id", "d", "address", peers.get("d").address()));
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        assertThat(Json.mapper().readTree(added.body()).path("members")).hasSize(4);
        await().atMost(WAIT).ignoreExceptions().until(() -> images("d").contains("img-x"));

        HttpResponse<String> again = send(leader, "POST", "/v1/cluster/members",
                Map.of("id", "d", "address", peers.get("d").address()));
        assertThat(again.statusCode()).isEqualTo(409);

        String other = running.keySet().stream().filter(id -> !id.equals(leader) && !id.equals("d")).findFirst().orElseThrow();
        HttpResponse<String> removed = send(leader, "DELETE", "/v1/cluster/members/" + other, null);
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        Json.mapper().readTree(removed.body()).path("members").forEach(m -> ids.add(m.path("id").asText()));
        assertThat(ids).doesNotContain(other).contains("d", leader).hasSize(3);
        assertThat(send(leader, "DELETE", "/v1/cluster/members/zz", null).statusCode()).isEqualTo(409);
    }

    private static int freePort() throws IOException {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
