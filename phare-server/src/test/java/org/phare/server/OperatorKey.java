package org.phare.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.phare.api.Credentials;

/** The operator key a new cloud writes to its leader's data directory, for tests that sign their requests. */
public final class OperatorKey {
    private OperatorKey() {
    }

    /** Waits (up to 30 s) for {@code operator.credentials} under {@code root} (a data dir or the parent of several). */
    public static Credentials await(Path root) {
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> find(root), c -> c != null);
    }

    private static Credentials find(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (Stream<Path> files = Files.find(root, 2, (p, a) -> p.getFileName().toString().equals(PhareServer.CREDENTIALS_FILE))) {
            Path file = files.findFirst().orElse(null);
            if (file == null) {
                return null;
            }
            return Credentials.fromProfile(file, "default");
        }
    }

    /** A request builder for {@code uri}, signed with {@code c}. */
    public static HttpRequest.Builder signed(Credentials c, String method, URI uri, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return c.sign(b, method, uri, body == null ? new byte[0] : body, Instant.now());
    }
}
