package org.phare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The CLI's client against two stand-in members that record what they receive. */
@DisplayName("ApiClient: reads its writes on any member, and goes to the leader a forwarding member names")
class ApiClientTest {
    /** One request as a stand-in member saw it. */
    record Seen(String member, String method, String path, String minIndex) {}

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    /** A member answering {@code {}} with these headers to everything. */
    private String member(String name, Map<String, String> headers) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.createContext("/", ex -> {
            seen.add(new Seen(name, ex.getRequestMethod(), ex.getRequestURI().getPath(),
                    ex.getRequestHeaders().getFirst("Phare-Min-Index")));
            ex.getRequestBody().readAllBytes();
            headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        s.start();
        servers.add(s);
        return "http://127.0.0.1:" + s.getAddress().getPort();
    }

    @Test
    @DisplayName("every read asks for a state at least as recent as the latest answer seen; writes do not")
    void readsAskForTheLatestIndexSeen() throws Exception {
        String a = member("a", Map.of("Phare-Log-Index", "42"));
        ApiClient client = new ApiClient(a, null);
        client.get("/v1/instances");
        client.post("/v1/images", Map.of("id", "x"));
        client.get("/v1/images");
        assertThat(seen).extracting(Seen::minIndex).containsExactly(null, null, "42");
        assertThat(client.seenIndex()).isEqualTo(42);
    }

    @Test
    @DisplayName("a forwarded answer naming the leader sends the next requests to it, when the client knows several members")
    void followsTheLeaderAForwardingMemberNames() throws Exception {
        String leader = member("leader", Map.of("Phare-Log-Index", "7"));
        String follower = member("follower", Map.of("Phare-Log-Index", "7", "Phare-Leader", leader));
        ApiClient client = new ApiClient(follower + "," + leader, null);
        client.post("/v1/images", Map.of("id", "x"));
        client.get("/v1/images");
        assertThat(seen).extracting(Seen::member).containsExactly("follower", "leader");

        seen.clear();
        ApiClient alone = new ApiClient(follower, null);
        alone.post("/v1/images", Map.of("id", "y"));
        alone.get("/v1/images");
        assertThat(seen).as("given one address (a load balancer, say), it stays there").extracting(Seen::member)
                .containsExactly("follower", "follower");
    }
}
