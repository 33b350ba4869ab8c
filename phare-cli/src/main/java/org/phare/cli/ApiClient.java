package org.phare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.phare.api.Credentials;
import org.phare.api.Endpoints;
import org.phare.api.HttpClients;
import org.phare.api.Json;

/**
 * The CLI's view of the native API (the end-to-end tests use it too): one request, one JSON answer, or one clear
 * error line. It knows every member given ({@code --server a,b,c}) and finds the leader by itself: a member that
 * does not answer is skipped, one that names the leader sends the request there, and while no member can serve
 * (an election) it retries, for at most {@link #FAILOVER_BUDGET_MS}. (Members forward writes to the leader themselves;
 * the hints remain for the agent protocol and older servers; and the leader a forwarding member names,
 * {@code Phare-Leader}, is where the next requests go when every member is known.)
 *
 * <p>It reads its writes whichever member answers: every answer says from which log index it comes
 * ({@code Phare-Log-Index}), and each read asks for a state at least as recent as the latest answer seen
 * ({@code Phare-Min-Index}); a member that lags waits for it, or refuses (503) and the next member is asked.
 */
public final class ApiClient {
    static final String DEFAULT_SERVER = "http://127.0.0.1:7400";
    /** How long a request keeps looking for a member that serves it. */
    static final long FAILOVER_BUDGET_MS = 15_000;
    private static final long RETRY_PAUSE_MS = 100;

    private final Endpoints endpoints;
    private final Credentials credentials;
    private final HttpClient http;
    private final long budgetMs;
    private final Duration requestTimeout;
    /** The highest log index an answer came from: no read is answered from an older state. Shared by the copies. */
    private final java.util.concurrent.atomic.AtomicLong seenIndex;

    /**
     * @param server      one address or several separated by commas; null or blank: the default
     * @param credentials the access key that signs every request, or null to send them unsigned (refused, except
     *                    the probes)
     */
    public ApiClient(String server, Credentials credentials) {
        this(Endpoints.parse(server == null || server.isBlank() ? DEFAULT_SERVER : server.trim()), credentials);
    }

    private ApiClient(Endpoints endpoints, Credentials credentials) {
        this(endpoints, credentials, client(endpoints), FAILOVER_BUDGET_MS, Duration.ofSeconds(30),
                new java.util.concurrent.atomic.AtomicLong());
    }

    /** HTTP/1.1: what the members speak; the default (HTTP/2) adds h2c upgrade headers to every request. */
    private static HttpClient client(Endpoints endpoints) {
        return HttpClients.http11(endpoints.all()).connectTimeout(Duration.ofSeconds(2)).build();
    }

    private ApiClient(Endpoints endpoints, Credentials credentials, HttpClient http, long budgetMs, Duration requestTimeout,
                      java.util.concurrent.atomic.AtomicLong seenIndex) {
        this.endpoints = endpoints;
        this.credentials = credentials;
        this.http = http;
        this.budgetMs = budgetMs;
        this.requestTimeout = requestTimeout;
        this.seenIndex = seenIndex;
    }

    /**
     * The same client (same members, same leader known, same connections) with shorter patience: each request
     * looks for a member that serves it for at most {@code budgetMs}, each attempt waiting at most
     * {@code requestTimeout} — what an agent does, whose lease counts from each attempt.
     */
    public ApiClient withPatience(long budgetMs, Duration requestTimeout) {
        return new ApiClient(endpoints, credentials, http, budgetMs, requestTimeout, seenIndex);
    }

    /**
     * A client of other members ({@code server}: one address or several), with the same key, that reads no older a
     * state than this one saw: a read through it is answered only once the member holds every write seen here.
     */
    public ApiClient at(String server) {
        Endpoints others = Endpoints.parse(server);
        // A client built for plain addresses speaks no TLS: another one for an https address among the new ones.
        HttpClient client = HttpClients.plain(endpoints.all()) && !HttpClients.plain(others.all()) ? client(others) : http;
        return new ApiClient(others, credentials, client, budgetMs, requestTimeout, seenIndex);
    }

    /**
     * A client as the command line sets it up: credentials and server per {@link Credentials#resolve} (a server
     * given here wins over {@code PHARE_SERVER}, which wins over the profile's).
     */
    public static ApiClient fromEnvironment(String server, String profile) {
        Credentials.Profile p = Credentials.resolve(profile, System.getenv());
        String url = server != null ? server : System.getenv("PHARE_SERVER") != null ? System.getenv("PHARE_SERVER") : p.server();
        return new ApiClient(url, p.credentials());
    }

    /** An error the server answered, or a transport failure: printed as one line by the command line. */
    public static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message);
        }
    }

    public JsonNode get(String path) {
        return send("GET", path, null);
    }

    public JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    public JsonNode delete(String path) {
        return send("DELETE", path, null);
    }

    /** Every item of a paginated list, following nextToken (bounded: 1,000 pages). */
    public java.util.List<JsonNode> list(String path) {
        java.util.List<JsonNode> all = new java.util.ArrayList<>();
        String token = null;
        for (int page = 0; page < 1000; page++) {
            JsonNode p = get(path + "?limit=1000" + (token == null ? "" : "&nextToken=" + token));
            p.get("items").forEach(all::add);
            JsonNode next = p.get("nextToken");
            if (next == null || next.isNull()) {
                return all;
            }
            token = next.asText();
        }
        throw new Failure("more than 1,000 pages of " + path);
    }

    /** A PUT of a text body (e.g. a YAML file) of the given media type. */
    public JsonNode putText(String path, String contentType, String text) {
        return putOrPostText("PUT", path, contentType, text);
    }

    /** A PUT or POST of a text body (a YAML or CSV file) of the given media type. */
    public JsonNode putOrPostText(String method, String path, String contentType, String text) {
        return send(method, path, text.getBytes(java.nio.charset.StandardCharsets.UTF_8), contentType);
    }

    private JsonNode send(String method, String path, Object body) {
        byte[] payload;
        try {
            payload = body == null ? null : Json.mapper().writeValueAsBytes(body);
        } catch (IOException e) {
            throw new Failure("cannot encode the request: " + e.getMessage());
        }
        return send(method, path, payload, "application/json");
    }

    private JsonNode send(String method, String path, byte[] payload, String contentType) {
        long deadline = System.nanoTime() + budgetMs * 1_000_000;
        String lastProblem = null;
        boolean unreachable = false;
        for (int attempt = 0; attempt < 1_000; attempt++) {
            URI base = endpoints.current();
            try {
                HttpResponse<byte[]> r = http.send(request(base, method, path, payload, contentType, credentials),
                        HttpResponse.BodyHandlers.ofByteArray());
                r.headers().firstValue(LOG_INDEX).ifPresent(this::seen);
                if (endpoints.size() > 1) {
                    // A follower forwarded it: the next requests go to the leader directly, one hop less.
                    r.headers().firstValue(LEADER).map(ApiClient::address).filter(l -> !l.equals(base)).ifPresent(endpoints::leader);
                }
                URI leader = Endpoints.leaderHint(r.statusCode(), r.body());
                if (leader != null && !leader.equals(base)) {
                    endpoints.leader(leader);
                    continue;
                }
                if (Endpoints.retryElsewhere(r.statusCode()) && endpoints.size() > 1) {
                    lastProblem = base + " answered HTTP " + r.statusCode() + ": " + errorText(r.body());
                    unreachable = false;
                    endpoints.failed(base);
                } else {
                    return answer(r);
                }
            } catch (ConnectException e) {
                lastProblem = "cannot reach the server at " + base;
                unreachable = true;
                endpoints.failed(base);
            } catch (HttpTimeoutException e) {
                lastProblem = "the server at " + base + " did not answer in time";
                unreachable = false;
                endpoints.failed(base);
            } catch (IOException e) {
                lastProblem = "talking to " + base + " failed: " + e.getMessage();
                unreachable = false;
                endpoints.failed(base);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Failure("interrupted");
            }
            if (System.nanoTime() - deadline > 0 || (endpoints.size() == 1 && unreachable)) {
                break;
            }
            pause();
        }
        if (unreachable && endpoints.size() == 1) {
            throw new Failure(lastProblem + " (is `phare server` or `phare demo` running? use --server URL)");
        }
        throw new Failure("no member of " + endpoints.all() + " could serve the request (last: " + lastProblem + ")");
    }

    private HttpRequest request(URI base, String method, String path, byte[] payload, String contentType,
                                       Credentials credentials) {
        URI uri = base.resolve(path.startsWith("/") ? path.substring(1) : path);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(requestTimeout).header("Accept", "application/json");
        long seen = seenIndex.get();
        if ("GET".equals(method) && seen > 0) {
            b.header(MIN_INDEX, Long.toString(seen));
        }
        if (credentials != null) {
            // Signed for each attempt: the host is part of the signature, and a retry may go to another member.
            credentials.sign(b, method, uri, payload == null ? new byte[0] : payload, java.time.Instant.now());
        }
        if (payload != null) {
            b.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(payload));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return b.build();
    }

    /** Answer header: the log index of the state an answer comes from. */
    static final String LOG_INDEX = "Phare-Log-Index";
    /** Request header: answer from a state holding at least this log index. */
    static final String MIN_INDEX = "Phare-Min-Index";
    /** Answer header of a member that forwarded the request: where the leader answers. */
    static final String LEADER = "Phare-Leader";

    private static URI address(String url) {
        try {
            return Endpoints.normalise(url);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void seen(String index) {
        try {
            seenIndex.accumulateAndGet(Long.parseLong(index.trim()), Math::max);
        } catch (NumberFormatException e) {
            // not a server of ours: nothing to remember
        }
    }

    /** The highest log index an answer came from so far (0: none said). */
    public long seenIndex() {
        return seenIndex.get();
    }

    private JsonNode answer(HttpResponse<byte[]> r) throws IOException {
        JsonNode json = r.body().length == 0 ? null : Json.mapper().readTree(r.body());
        if (r.statusCode() >= 400 || r.statusCode() == 307) {
            JsonNode error = json == null ? null : json.get("error");
            if (error != null) {
                String code = error.get("code").asText();
                String hint = "AuthFailure".equals(code) && credentials == null ? "; no credentials found: set"
                        + " PHARE_ACCESS_KEY_ID and PHARE_SECRET_ACCESS_KEY, or a profile in ~/.phare/config or $PHARE_CONFIG"
                        + " (phare demo writes <dir>/config; a new server writes the operator's profile to"
                        + " <data-dir>/operator.credentials)" : "";
                throw new Failure(error.get("message").asText() + " (" + code + ")" + hint);
            }
            throw new Failure("server answered HTTP " + r.statusCode());
        }
        return json;
    }

    private static String errorText(byte[] body) {
        try {
            JsonNode error = Json.mapper().readTree(body).path("error");
            return error.path("message").asText() + " (" + error.path("code").asText() + ")";
        } catch (IOException e) {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted");
        }
    }
}
