package org.phare.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An access key (id and secret) and the signing of native-API requests with it (AWS Signature V4, service
 * {@value #SERVICE}, region {@value #REGION}).
 *
 * <p>Where a client finds its credentials, first found wins: the environment ({@code PHARE_ACCESS_KEY_ID} and
 * {@code PHARE_SECRET_ACCESS_KEY}), then a profile ({@code PHARE_PROFILE}, default {@code default}) of the
 * config file ({@code PHARE_CONFIG}, default {@code ~/.phare/config}), an INI file:
 *
 * <pre>
 * [default]
 * server = http://127.0.0.1:7400
 * access_key_id = PHK...
 * secret_access_key = ...
 * </pre>
 */
public record Credentials(String accessKeyId, String secret) {
    /** The service name native-API signatures are scoped to. */
    public static final String SERVICE = "phare";
    /** The native API is the control plane's, not a region's: its signatures name this region. */
    public static final String REGION = "phare";

    public Credentials {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secret, "secret");
    }

    @Override
    public String toString() {
        return "Credentials[" + accessKeyId + "]"; // never the secret
    }

    /** A profile: a server address and credentials, each possibly null. */
    public record Profile(String name, String server, Credentials credentials) {}

    /**
     * The profile a client uses, per the lookup order above.
     *
     * @param profile the profile name asked for (null: {@code PHARE_PROFILE}, then {@code default})
     * @param env     the environment
     * @throws IllegalArgumentException when a profile named explicitly does not exist, or the file is unreadable
     */
    public static Profile resolve(String profile, Map<String, String> env) {
        String name = profile != null ? profile : env.getOrDefault("PHARE_PROFILE", "default");
        String configPath = env.get("PHARE_CONFIG");
        Path file = configPath != null ? Path.of(configPath) : Path.of(System.getProperty("user.home"), ".phare", "config");
        Map<String, String> section = Map.of();
        if (Files.isRegularFile(file)) {
            try {
                section = readIni(Files.readAllLines(file)).getOrDefault(name, Map.of());
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
            }
        }
        if (section.isEmpty() && (profile != null || env.containsKey("PHARE_PROFILE"))) {
            throw new IllegalArgumentException("no profile [" + name + "] in " + file);
        }
        String id = env.get("PHARE_ACCESS_KEY_ID");
        String secret = env.get("PHARE_SECRET_ACCESS_KEY");
        Credentials credentials;
        if (id != null && secret != null) {
            credentials = new Credentials(id, secret);
        } else if (section.containsKey("access_key_id") && section.containsKey("secret_access_key")) {
            credentials = new Credentials(section.get("access_key_id"), section.get("secret_access_key"));
        } else {
            credentials = null;
        }
        return new Profile(name, section.get("server"), credentials);
    }

    /**
     * The key of one profile of a config file (e.g. the {@code default} profile a new server writes to
     * {@code <data-dir>/operator.credentials}), or null when the profile has none.
     */
    public static Credentials fromProfile(Path file, String profile) throws IOException {
        Map<String, String> s = readIni(Files.readAllLines(file)).getOrDefault(profile, Map.of());
        String id = s.get("access_key_id");
        String secret = s.get("secret_access_key");
        return id == null || secret == null ? null : new Credentials(id, secret);
    }

    /** Sections of an INI file: {@code [name]} then {@code key = value} lines; {@code #} and {@code ;} comment. */
    public static Map<String, Map<String, String>> readIni(List<String> lines) {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> current = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = sections.computeIfAbsent(line.substring(1, line.length() - 1).strip(), k -> new LinkedHashMap<>());
            } else if (current != null && line.indexOf('=') > 0) {
                int eq = line.indexOf('=');
                current.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return sections;
    }

    /** A profile section as the config file holds it. */
    public String iniSection(String profile, String server) {
        return "[" + profile + "]\n" + (server == null ? "" : "server = " + server + "\n")
                + "access_key_id = " + accessKeyId + "\nsecret_access_key = " + secret + "\n";
    }

    /**
     * Signs a native-API request about to be sent with {@link java.net.http.HttpClient}: adds {@code X-Amz-Date}
     * and {@code Authorization} over the method, path, query, {@code host} (as the client will send it) and body.
     */
    public HttpRequest.Builder sign(HttpRequest.Builder builder, String method, URI uri, byte[] body, Instant now) {
        return sign(builder, method, uri, body, now, REGION, SERVICE);
    }

    public HttpRequest.Builder sign(HttpRequest.Builder builder, String method, URI uri, byte[] body, Instant now,
                                    String region, String service) {
        String amzDate = SigV4.amzDate(now);
        SigV4.Request r = new SigV4.Request(method, uri.getRawPath(), uri.getRawQuery(),
                List.of(Map.entry("host", hostHeader(uri)), Map.entry("x-amz-date", amzDate)), body);
        String auth = SigV4.authorization(r, List.of("host", "x-amz-date"), accessKeyId, secret,
                new SigV4.Scope(amzDate.substring(0, 8), region, service));
        return builder.header("X-Amz-Date", amzDate).header("Authorization", auth);
    }

    /** The Host header java.net.http sends: the port only when it is not the scheme's default. */
    static String hostHeader(URI uri) {
        int port = uri.getPort();
        boolean defaultPort = port == -1 || ("http".equals(uri.getScheme()) && port == 80)
                || ("https".equals(uri.getScheme()) && port == 443);
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    }
}
