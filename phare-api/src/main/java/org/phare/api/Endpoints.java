package org.phare.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The addresses of the control plane's members as a client knows them ({@code --server a,b,c}), and which one to
 * talk to now. A client sends to {@link #current()}; when that member does not answer it calls {@link #failed},
 * which moves on to the next address; when a member answers that it is not the leader and names the leader
 * ({@link #leaderHint}), the client follows the hint. Thread-safe.
 */
public final class Endpoints {
    private final List<URI> servers;
    private URI current;

    private Endpoints(List<URI> servers) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("at least one server address is needed");
        }
        this.servers = List.copyOf(servers);
        this.current = servers.get(0);
    }

    /**
     * {@code host:port} or {@code http://host:port}, several separated by commas.
     *
     * @throws IllegalArgumentException if an address is not a valid URL
     */
    public static Endpoints parse(String addresses) {
        List<URI> list = new ArrayList<>();
        for (String s : addresses.split(",")) {
            if (!s.isBlank()) {
                list.add(normalise(s.trim()));
            }
        }
        return new Endpoints(list);
    }

    /** {@code http://host:port/}, always ending with a slash so that relative paths resolve under it. */
    public static URI normalise(String address) {
        String s = address.startsWith("http://") || address.startsWith("https://") ? address : "http://" + address;
        URI uri = URI.create(s.endsWith("/") ? s : s + "/");
        if (uri.getHost() == null || uri.getPort() == 0) {
            throw new IllegalArgumentException("'" + address + "' is not a server address (HOST:PORT or http://HOST:PORT)");
        }
        return uri;
    }

    public List<URI> all() {
        return servers;
    }

    public int size() {
        return servers.size();
    }

    public synchronized URI current() {
        return current;
    }

    /** {@code which} did not answer: the next request goes to the next address (if it was still the current one). */
    public synchronized void failed(URI which) {
        if (!which.equals(current)) {
            return;
        }
        int i = servers.indexOf(which);
        current = servers.get(i < 0 ? 0 : (i + 1) % servers.size());
    }

    /** A member named the leader: the next request goes there. */
    public synchronized void leader(URI leader) {
        current = leader;
    }

    /**
     * The leader named in a "not the leader" answer ({@code {"error":{"code":"NotLeader","leader":"http://..."}}}),
     * or null if the answer is something else or names no leader.
     */
    public static URI leaderHint(int status, byte[] body) {
        if (status != 307 && status != 503) {
            return null;
        }
        try {
            JsonNode error = Json.mapper().readTree(body).path("error");
            JsonNode leader = error.path("leader");
            if (!"NotLeader".equals(error.path("code").asText()) || !leader.isTextual()) {
                return null;
            }
            return normalise(leader.asText());
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether the answer says that no member can serve it right now (no leader, no quorum): try another. */
    public static boolean retryElsewhere(int status) {
        return status == 307 || status == 503;
    }

    @Override
    public synchronized String toString() {
        return servers.size() == 1 ? servers.get(0).toString() : servers + " (current " + current + ")";
    }
}
