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
 * Three members in this JVM, on loopback: leadership, followers forwarding writes to the leader (and refusing forged
 * forwardings), a member cut off from the majority, a member that catches up from a snapshot, and membership changes.
 * (Killing processes is the end-to-end tests' job.)
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
        return send(id, method, path, body, Map.of());
    }

    private HttpResponse<String> send(String id, String method, String path, Object body, Map<String, String> headers)
            throws Exception {
        if (operator == null) {
            operator = OperatorKey.await(dir);
        }
        HttpRequest.Builder b = OperatorKey.signed(operator, method, URI.create("http://127.0.0.1:" + httpPorts.get(id) + path),
                        body == null ? null : Json.mapper().writeValueAsBytes(body))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json");
        headers.forEach(b::header);
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
    @DisplayName("one leader runs the active services; followers forward writes to it, answer with its answer, and serve"
            + " reads that see the client's writes; agents are still sent to the leader")
    void followersForwardWritesToTheLeader() throws Exception {
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

        // A write sent to a follower: the leader's answer, as the leader gives it, with the index of its state.
        HttpResponse<String> forwarded = send(follower, "POST", "/v1/images", image("img-1"));
        assertThat(forwarded.statusCode()).as(forwarded.body()).isEqualTo(201);
        assertThat(Json.mapper().readTree(forwarded.body()).path("id").asText()).isEqualTo("img-1");
        long index = Long.parseLong(forwarded.headers().firstValue("Phare-Log-Index").orElseThrow());
        assertThat(index).isPositive();
        assertThat(forwarded.headers().firstValue("Phare-Forward-Outcome")).as("the hop's own header stays inside").isEmpty();
        assertThat(forwarded.headers().firstValue("Phare-Leader")).as("where a client may go next")
                .hasValue("http://127.0.0.1:" + httpPorts.get(leader));
        // Read-your-writes on the follower: by key (consistent=true), or by the index the answer gave.
        assertThat(ids(send(follower, "GET", "/v1/images?consistent=true", null))).contains("img-1");
        HttpResponse<String> byIndex = send(follower, "GET", "/v1/images", null, Map.of("Phare-Min-Index", Long.toString(index)));
        assertThat(ids(byIndex)).contains("img-1");
        assertThat(Long.parseLong(byIndex.headers().firstValue("Phare-Log-Index").orElseThrow())).isGreaterThanOrEqualTo(index);
        // The leader's refusal comes back unchanged too.
        Map<String, Object> noSuchImage = Map.of("image", "no-such-image", "type", "tinav5.c1r1");
        HttpResponse<String> refusedThrough = send(follower, "POST", "/v1/instances", noSuchImage);
        HttpResponse<String> refusedByLeader = send(leader, "POST", "/v1/instances", noSuchImage);
        assertThat(refusedThrough.statusCode()).as(refusedThrough.body()).isBetween(400, 499).isEqualTo(refusedByLeader.statusCode());
        assertThat(Json.mapper().readTree(refusedThrough.body()).path("error"))
                .isEqualTo(Json.mapper().readTree(refusedByLeader.body()).path("error"));

        // EC2 as well: a key pair created through a follower, then listed there at once (same key: read-your-writes).
        HttpResponse<String> created = ec2(follower, "Action=CreateKeyPair&Version=2016-11-15&KeyName=through-" + follower);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(created.body()).contains("<keyName>through-" + follower + "</keyName>").contains("BEGIN");
        HttpResponse<String> listed = ec2(follower, "Action=DescribeKeyPairs&Version=2016-11-15");
        assertThat(listed.body()).contains("<keyName>through-" + follower + "</keyName>");

        assertThat(get(follower, "/v1/cluster?local=true").path("leader").asText()).isEqualTo(leader);
        HttpResponse<String> statusOnFollower = send(follower, "GET", "/v1/cluster", null);
        assertThat(statusOnFollower.statusCode()).as("the leader's complete view, through the follower").isEqualTo(200);
        assertThat(Json.mapper().readTree(statusOnFollower.body()).path("self").asText()).isEqualTo(leader);

        // Agents keep the redirect: they know every member, and their lease cannot wait for a hop or an election.
        HttpResponse<String> beat = send(follower, "POST", "/agent/v1/heartbeat",
                Map.of("host", "h-1", "appliedReply", Map.of("incarnation", 0, "seq", 0), "running", List.of()));
        assertThat(beat.statusCode()).isEqualTo(307);
        assertThat(Json.mapper().readTree(beat.body()).path("error").path("leader").asText())
                .isEqualTo("http://127.0.0.1:" + httpPorts.get(leader));
    }

    @Test
    @DisplayName("a forwarding that no member signed is refused (403 ForwardRefused), native or EC2; a member's forwarding is"
            + " served once, never replayed, and a member that does not lead does not forward it again")
    void forgedForwardingsAreRefused() throws Exception {
        define("a", "b", "c");
        for (String id : List.of("a", "b", "c")) {
            start(id, false, RatisLog.Options.defaults());
        }
        String leader = leader();
        String follower = running.keySet().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        HttpResponse<String> tenantCreated = send(leader, "POST", "/v1/accounts", Map.of("name", "acme", "role", "tenant"));
        assertThat(tenantCreated.statusCode()).as(tenantCreated.body()).isEqualTo(201);
        JsonNode key = Json.mapper().readTree(send(leader, "POST", "/v1/accounts/acme/keys", Map.of()).body());
        org.phare.api.Credentials tenant = new org.phare.api.Credentials(key.path("accessKeyId").asText(),
                key.path("secretAccessKey").asText());
        byte[] image = Json.mapper().writeValueAsBytes(image("forged"));
        Map<String, String> asOperator = Map.of("Phare-Forwarded-By", follower, "Phare-Forwarded-Account", "operator",
                "Phare-Forwarded-Role", "OPERATOR", "Phare-Forwarded-Key", operator.accessKeyId(),
                "Phare-Forwarded-At", Long.toString(System.currentTimeMillis()), "Phare-Forwarded-Nonce", "00",
                "Phare-Forwarded-Mac", "0".repeat(64));
        for (String member : List.of(leader, follower)) {
            // A tenant's own valid signature, plus an operator identity it claims was forwarded.
            URI uri = URI.create("http://127.0.0.1:" + httpPorts.get(member) + "/v1/images");
            HttpRequest.Builder b = OperatorKey.signed(tenant, "POST", uri, image).header("Content-Type", "application/json");
            asOperator.forEach(b::header);
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
            assertThat(Json.mapper().readTree(r.body()).path("error").path("code").asText()).isEqualTo("ForwardRefused");
            // Unsigned, headers only; and on the EC2 endpoint, in EC2's shape.
            HttpRequest.Builder unsigned = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(image));
            asOperator.forEach(unsigned::header);
            assertThat(http.send(unsigned.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
            URI ec2 = URI.create("http://127.0.0.1:" + httpPorts.get(member) + "/");
            byte[] run = "Action=CreateKeyPair&Version=2016-11-15&KeyName=forged".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            HttpRequest.Builder e = HttpRequest.newBuilder(ec2).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(run));
            tenant.sign(e, "POST", ec2, run, java.time.Instant.now(), "eu-west-2", "ec2");
            asOperator.forEach(e::header);
            HttpResponse<String> er = http.send(e.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(er.statusCode()).as(er.body()).isEqualTo(403);
            assertThat(er.body()).contains("<Code>ForwardRefused</Code>");
        }
        assertThat(images(leader)).doesNotContain("forged");

        // What a member sends (the group's key is in secrets.key): served once; the same bytes again are a replay.
        org.phare.server.auth.MemberChannel member = org.phare.server.auth.MemberChannel.of(
                org.phare.server.auth.SecretSealer.fromFile(dir.resolve("secrets.key"), new java.security.SecureRandom()),
                follower, java.time.Instant::now);
        var operatorPrincipal = new org.phare.server.auth.Authenticator.Principal(new org.phare.core.model.TenantId("operator"),
                org.phare.core.model.Account.Role.OPERATOR, operator.accessKeyId());
        byte[] genuine = Json.mapper().writeValueAsBytes(image("genuine"));
        Map<String, String> headers = member.headers(operatorPrincipal, "POST", "/v1/images", "", genuine);
        HttpResponse<String> once = forwardTo(leader, genuine, headers);
        assertThat(once.statusCode()).as(once.body()).isEqualTo(201);
        HttpResponse<String> again = forwardTo(leader, genuine, headers);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(403);
        assertThat(again.body()).contains("ForwardRefused").contains("replay");
        // One hop: a member that does not lead answers that it does not, and does nothing.
        byte[] elsewhere = Json.mapper().writeValueAsBytes(image("one-hop"));
        HttpResponse<String> notLeading = forwardTo(follower, elsewhere,
                member.headers(operatorPrincipal, "POST", "/v1/images", "", elsewhere));
        assertThat(notLeading.statusCode()).as(notLeading.body()).isEqualTo(503);
        assertThat(notLeading.headers().firstValue("Phare-Forward-Outcome")).hasValue("not-leader");
        assertThat(images(leader)).contains("genuine").doesNotContain("one-hop");
        // A forwarded identity must still hold on the leader: a key it does not know is refused.
        var unknown = new org.phare.server.auth.Authenticator.Principal(new org.phare.core.model.TenantId("operator"),
                org.phare.core.model.Account.Role.OPERATOR, "PHKNOSUCHKEY");
        HttpResponse<String> noKey = forwardTo(leader, genuine, member.headers(unknown, "POST", "/v1/images", "", genuine));
        assertThat(noKey.statusCode()).as(noKey.body()).isEqualTo(401);
    }

    private HttpResponse<String> forwardTo(String id, byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPorts.get(id) + "/v1/images"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> ec2(String id, String form) throws Exception {
        if (operator == null) {
            operator = OperatorKey.await(dir);
        }
        URI uri = URI.create("http://127.0.0.1:" + httpPorts.get(id) + "/");
        byte[] body = form.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        operator.sign(b, "POST", uri, body, java.time.Instant.now(), "eu-west-2", "ec2");
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Set<String> ids(HttpResponse<String> r) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Set<String> ids = new HashSet<>();
        Json.mapper().readTree(r.body()).forEach(i -> ids.add(i.get("id").asText()));
        return ids;
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
