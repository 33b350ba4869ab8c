package org.phare.cli.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark (not a test): what forwarding costs. Three members on loopback (real processes), no agents; one client
 * thread sends the same kind of write alternately to the leader and to a follower (which forwards it), so that both
 * series see the same machine at the same moment, and reports p50, p99 and mean of each and their differences. Two
 * writes: {@code POST /v1/images} (native API, a new image each time) and EC2 {@code CreateTags} on a key pair (a
 * new tag value each time); each is one committed log entry. Run with
 * {@code scripts/bench-java-main.sh ForwardBench [WRITES_PER_SERIES] [WARMUP]}.
 */
public final class ForwardBench {
    private ForwardBench() {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(2)).build();

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        Path dir = Files.createTempDirectory("phare-bench-forward");
        try (LocalCloud cloud = new LocalCloud(dir, "none")) {
            cloud.startCluster(3);
            LocalCloud.Member leader = cloud.leader();
            LocalCloud.Member follower = cloud.members().stream().filter(m -> m != leader).findFirst().orElseThrow();
            System.out.printf(Locale.ROOT, "leader %s, follower %s; %d writes per series after %d of warm-up each%n",
                    leader.id, follower.id, n, warmup);

            HttpResponse<String> created = ec2(cloud, leader, "Action=CreateKeyPair&Version=2016-11-15&KeyName=bench&KeyType=ed25519");
            Matcher keyId = Pattern.compile("<keyPairId>([^<]+)</keyPairId>").matcher(created.body());
            if (created.statusCode() != 200 || !keyId.find()) {
                throw new IllegalStateException("CreateKeyPair answered " + created.statusCode() + ": " + created.body());
            }
            String resource = keyId.group(1);

            Series[] nativeWrites = run(n, warmup, leader, follower, (m, i) -> {
                byte[] body = ("{\"id\":\"bench-" + m.id + "-" + i + "\",\"description\":\"forward benchmark\",\"kind\":\"http-echo\"}")
                        .getBytes(StandardCharsets.UTF_8);
                URI uri = URI.create(m.url() + "/v1/images");
                return HTTP.send(cloud.operator().sign(HttpRequest.newBuilder(uri), "POST", uri, body, Instant.now())
                        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            }, 201);
            Series[] ec2Writes = run(n, warmup, leader, follower, (m, i) -> ec2(cloud, m,
                    "Action=CreateTags&Version=2016-11-15&ResourceId.1=" + resource + "&Tag.1.Key=bench&Tag.1.Value=" + m.id + i), 200);
            if (cloud.leader() != leader) {
                throw new IllegalStateException("the leader changed during the benchmark: figures void");
            }
            report("POST /v1/images", nativeWrites);
            report("EC2 CreateTags", ec2Writes);
        }
    }

    @FunctionalInterface
    private interface Write {
        HttpResponse<String> send(LocalCloud.Member to, int i) throws Exception;
    }

    /** Latencies in microseconds. */
    private record Series(String name, List<Long> micros) {}

    /** Alternates leader and follower, so that both series meet the same conditions. */
    private static Series[] run(int n, int warmup, LocalCloud.Member leader, LocalCloud.Member follower, Write write, int expected)
            throws Exception {
        List<Long> toLeader = new ArrayList<>();
        List<Long> toFollower = new ArrayList<>();
        for (int i = 0; i < warmup + n; i++) {
            for (LocalCloud.Member m : List.of(leader, follower)) {
                long t0 = System.nanoTime();
                HttpResponse<String> r = write.send(m, i);
                long us = (System.nanoTime() - t0) / 1_000;
                if (r.statusCode() != expected) {
                    throw new IllegalStateException(m.id + " answered " + r.statusCode() + ": " + r.body());
                }
                if (i >= warmup) {
                    (m == leader ? toLeader : toFollower).add(us);
                }
            }
        }
        return new Series[] {new Series("to the leader", toLeader), new Series("to a follower (forwarded)", toFollower)};
    }

    private static void report(String what, Series[] s) {
        System.out.printf(Locale.ROOT, "%n%s%n", what);
        System.out.printf(Locale.ROOT, "  %-28s %10s %10s %10s %10s%n", "", "p50 ms", "p99 ms", "mean ms", "max ms");
        for (Series x : s) {
            System.out.printf(Locale.ROOT, "  %-28s %10.2f %10.2f %10.2f %10.2f%n", x.name(), pct(x.micros(), 50) / 1000.0,
                    pct(x.micros(), 99) / 1000.0, x.micros().stream().mapToLong(Long::longValue).average().orElse(0) / 1000.0,
                    Collections.max(x.micros()) / 1000.0);
        }
        System.out.printf(Locale.ROOT, "  %-28s %10.2f %10.2f %10.2f%n", "forwarding adds",
                (pct(s[1].micros(), 50) - pct(s[0].micros(), 50)) / 1000.0, (pct(s[1].micros(), 99) - pct(s[0].micros(), 99)) / 1000.0,
                (s[1].micros().stream().mapToLong(Long::longValue).average().orElse(0)
                        - s[0].micros().stream().mapToLong(Long::longValue).average().orElse(0)) / 1000.0);
    }

    private static long pct(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static HttpResponse<String> ec2(LocalCloud cloud, LocalCloud.Member m, String form) throws Exception {
        URI uri = URI.create(m.url() + "/");
        byte[] body = form.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        cloud.operator().sign(b, "POST", uri, body, Instant.now(), LocalCloud.REGION, "ec2");
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
