package org.phare.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Benchmark (not a test): three members on loopback and real agents ({@code phare agent --driver process}, three per
 * zone by default); each trial {@code kill -9}s the leader and measures, from the kill, what a user feels: until a
 * <em>placement</em> is accepted (a {@code POST /v1/instances} of one small instance, tried on every surviving
 * member every 10 ms; the refusals seen meanwhile are counted by code), and until the new leader runs its active
 * services. It then terminates the probe's instance, restarts the killed member, waits for it to catch up, and
 * checks that no agent fenced itself and no host was judged because of the change. Prints one line per trial, the
 * median and the worst. Run with {@code scripts/bench-java-main.sh LeaderKillBench [TRIALS] [AGENTS_PER_ZONE]}.
 */
public final class LeaderKillBench {
    private LeaderKillBench() {
    }

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int perZone = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dir = Files.createTempDirectory("phare-bench-leader-kill");
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofMillis(200)).build();
        List<Long> toActive = new ArrayList<>();
        List<Long> toPlacement = new ArrayList<>();
        Map<String, Integer> refusals = new TreeMap<>();
        int hostsNotReady = 0;
        try (LocalCloud cloud = new LocalCloud(dir, "none")) {
            cloud.startCluster(3);
            cloud.startAgents(perZone);
            for (int t = 1; t <= trials; t++) {
                LocalCloud.Member old = cloud.leader();
                LocalCloud.sleep(1_000);
                long killedAtMs = System.currentTimeMillis();
                long t0 = System.nanoTime();
                cloud.killMember(old);
                long placed = -1;
                String instance = null;
                for (int attempt = 0; placed < 0 && attempt < 3_000; attempt++) {
                    for (LocalCloud.Member m : cloud.members()) {
                        if (m == old) {
                            continue;
                        }
                        try {
                            URI uri = URI.create(m.url() + "/v1/instances");
                            byte[] body = ("{\"image\":\"" + LocalCloud.IMAGE + "\",\"type\":\"" + LocalCloud.SMALL_TYPE
                                    + "\",\"clientToken\":\"bench-" + t + "\"}").getBytes(StandardCharsets.UTF_8);
                            HttpResponse<String> r = http.send(cloud.operator().sign(HttpRequest.newBuilder(uri), "POST", uri, body,
                                            java.time.Instant.now())
                                    .timeout(Duration.ofSeconds(2)).header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 201) {
                                placed = System.nanoTime() - t0;
                                instance = LocalCloud.readTree(r.body()).get(0).get("id").asText();
                                break;
                            }
                            JsonNode error = r.body().isEmpty() ? null : LocalCloud.readTree(r.body()).path("error");
                            refusals.merge(r.statusCode() + " " + (error == null ? "" : error.path("code").asText()), 1, Integer::sum);
                        } catch (java.io.IOException e) {
                            refusals.merge("unreachable", 1, Integer::sum);
                        }
                    }
                    if (placed < 0) {
                        Thread.sleep(10);
                    }
                }
                LocalCloud.Member fresh = cloud.awaitLeader();
                long active = cloud.memberStatus(fresh).path("activeSinceMs").asLong() - killedAtMs;
                toActive.add(active);
                toPlacement.add(placed / 1_000_000);
                if (instance != null) {
                    cloud.client().delete("/v1/instances/" + instance);
                }
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
                        + " first placement accepted after %d ms, hosts not ready %d%n", t, old.id, fresh.id, active,
                        placed / 1_000_000, notReady);
            }
            System.out.println("agents that fenced themselves: " + cloud.agentLogLines("FENCED").size());
        }
        Collections.sort(toActive);
        Collections.sort(toPlacement);
        System.out.printf(Locale.ROOT, "%d trials, %d agents: kill -9 to active services median %d ms, worst %d ms;"
                        + " to first placement accepted median %d ms, worst %d ms; hosts judged because of a leader change: %d;"
                        + " answers before it: %s%n",
                trials, 3 * perZone, toActive.get(trials / 2), toActive.get(trials - 1), toPlacement.get(trials / 2),
                toPlacement.get(trials - 1), hostsNotReady, refusals);
    }
}
