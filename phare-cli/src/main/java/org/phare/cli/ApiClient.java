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
import org.phare.api.Json;

/** The CLI's view of the native API (the end-to-end tests use it too): one request, one JSON answer, or one clear error line. */
public final class ApiClient {
    static final String DEFAULT_SERVER = "http://127.0.0.1:7400";

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public ApiClient(String server) {
        String s = server == null || server.isBlank() ? DEFAULT_SERVER : server.trim();
        if (!s.startsWith("http://") && !s.startsWith("https://")) {
            s = "http://" + s;
        }
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
    }

    /** An error the server answered, or a transport failure: printed as one line by the command line. */
    static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message);
        }
    }

    public JsonNode get(String path) {
        return send("GET", path, null);
    }

    JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    JsonNode delete(String path) {
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

    private JsonNode send(String method, String path, Object body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path.startsWith("/") ? path.substring(1) : path))
                    .timeout(Duration.ofSeconds(30)).header("Accept", "application/json");
            if (body != null) {
                b.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(Json.mapper().writeValueAsBytes(body)));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json = r.body().length == 0 ? null : Json.mapper().readTree(r.body());
            if (r.statusCode() >= 400) {
                JsonNode error = json == null ? null : json.get("error");
                if (error != null) {
                    throw new Failure(error.get("message").asText() + " (" + error.get("code").asText() + ")");
                }
                throw new Failure("server answered HTTP " + r.statusCode());
            }
            return json;
        } catch (ConnectException e) {
            throw new Failure("cannot reach the server at " + base + " (is `phare server` or `phare demo` running? use --server URL)");
        } catch (HttpTimeoutException e) {
            throw new Failure("the server at " + base + " did not answer in time");
        } catch (IOException e) {
            throw new Failure("talking to " + base + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted");
        }
    }
}
