package org.phare.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.phare.cli.StandInHosts;
import org.phare.core.model.Resources;

/**
 * Benchmark (not a test): three members on loopback with stand-in hosts; each trial {@code kill -9}s the leader
 * and measures, from the kill, (1) until a surviving member runs the active services again (its
 * {@code activeSinceMs}) and (2) until the first write is accepted (a {@code POST /v1/images} tried on every
 * surviving member every 10 ms). Then it restarts the killed member and waits for it to catch up. Prints one line
 * per trial, the median and the worst. Run with {@code scripts/bench-leader-kill.sh [TRIALS]}.
 */
public final class LeaderKillBench {
    private LeaderKillBench() {
    }

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Path dir = Files.createTempDirectory("phare-bench-leader-kill");
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofMillis(200)).build();
        List<Long> toActive = new ArrayList<>();
        List<Long> toWrite = new ArrayList<>();
        int hostsNotReady = 0;
        try (LocalCloud cloud = new LocalCloud(dir, "none")) {
            cloud.startCluster(3);
            try (StandInHosts hosts = new StandInHosts(cloud.client(), "bench", 6, new Resources(64, 256 * 1024))) {
                LocalCloud.sleep(3_000);
                for (int t = 1; t <= trials; t++) {
                    LocalCloud.Member old = cloud.leader();
                    long killedAtMs = System.currentTimeMillis();
                    long t0 = System.nanoTime();
                    cloud.killMember(old);
                    long written = -1;
                    for (int attempt = 0; written < 0 && attempt < 3_000; attempt++) {
                        for (LocalCloud.Member m : cloud.members()) {
                            if (m == old) {
                                continue;
                            }
                            try {
                                URI uri = URI.create(m.url() + "/v1/images");
                                byte[] body = ("{\"id\":\"bench-" + t + "-" + attempt
                                        + "\",\"description\":\"x\",\"kind\":\"http-echo\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                                HttpResponse<String> r = http.send(cloud.operator().sign(HttpRequest.newBuilder(uri), "POST", uri, body,
                                                java.time.Instant.now())
                                        .timeout(Duration.ofSeconds(2)).header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                                        HttpResponse.BodyHandlers.ofString());
                                if (r.statusCode() == 201) {
                                    written = System.nanoTime() - t0;
                                    break;
                                }
                            } catch (java.io.IOException e) {
                                // not answering yet
                            }
                        }
                        if (written < 0) {
                            Thread.sleep(10);
                        }
                    }
                    LocalCloud.Member fresh = cloud.awaitLeader();
                    long active = cloud.memberStatus(fresh).path("activeSinceMs").asLong() - killedAtMs;
                    toActive.add(active);
                    toWrite.add(written / 1_000_000);
                    cloud.restartMember(old);
                    LocalCloud.eventually().until(() -> {
                        JsonNode s = cloud.memberStatus(old);
                        return !s.path("leader").isNull() && s.path("appliedIndex").asLong()
                                >= cloud.memberStatus(cloud.leader()).path("commitIndex").asLong() - 2;
                    });
                    LocalCloud.sleep(6_000); // past the new leader's grace: a host it judged would show now
                    int notReady = 0;
                    for (JsonNode h : cloud.list("/v1/hosts")) {
                        if (!"ready".equals(h.get("state").asText())) {
                            notReady++;
                        }
                    }
                    hostsNotReady += notReady;
                    System.out.printf(Locale.ROOT, "trial %2d: killed %s, new leader %s: active services after %d ms,"
                            + " first write after %d ms, hosts not ready %d%n", t, old.id, fresh.id, active,
                            written / 1_000_000, notReady);
                }
            }
        }
        Collections.sort(toActive);
        Collections.sort(toWrite);
        System.out.printf(Locale.ROOT, "%d trials: kill -9 to active services median %d ms, worst %d ms;"
                        + " to first write accepted median %d ms, worst %d ms; hosts judged because of a leader change: %d%n",
                trials, toActive.get(trials / 2), toActive.get(trials - 1), toWrite.get(trials / 2), toWrite.get(trials - 1),
                hostsNotReady);
    }
}
