package org.phare.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.phare.cli.ApiClient;
import org.phare.cli.StandInHosts;
import org.phare.core.model.Resources;

/**
 * A history check of the replicated control plane (after Jepsen's register checks, simplified to what clients
 * are promised). Concurrent clients create instances with client tokens and delete some of those they created,
 * retrying each request with the same token until it is acknowledged (or giving up); meanwhile the leader is
 * killed ({@code kill -9}) and restarted at random moments. Then, on a settled cloud:
 * <ul>
 *   <li>every acknowledged creation exists, exactly once: its token names exactly the instance acknowledged;</li>
 *   <li>every acknowledged deletion is in effect: the instance's desired state is {@code terminated};</li>
 *   <li>no token, acknowledged or not, created more than one instance, and no instance has a token nobody used.</li>
 * </ul>
 * Everything random comes from the seed (the timing of processes does not).
 */
final class HistoryCheck {
    /** What a run did and found. */
    record Result(long seed, int creates, int deletes, int unacknowledged, int kills, List<String> violations) {
        @Override
        public String toString() {
            return "seed " + seed + ": " + creates + " acknowledged creations, " + deletes + " acknowledged deletions, "
                    + unacknowledged + " requests never acknowledged, " + kills + " leader kills, "
                    + violations.size() + " violations" + (violations.isEmpty() ? "" : " " + violations);
        }
    }

    private static final int ATTEMPTS = 8;

    private final LocalCloud cloud;
    private final long seed;
    private final Map<String, String> createdByToken = new ConcurrentHashMap<>();
    private final Set<String> tokensUsed = ConcurrentHashMap.newKeySet();
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();
    private final AtomicInteger unacknowledged = new AtomicInteger();
    private final AtomicInteger kills = new AtomicInteger();

    private HistoryCheck(LocalCloud cloud, long seed) {
        this.cloud = cloud;
        this.seed = seed;
    }

    /** Runs on a cloud started with {@code startCluster(3)} and admission {@code none}. */
    static Result run(LocalCloud cloud, long seed, Duration duration, int clients) throws Exception {
        return new HistoryCheck(cloud, seed).run(duration, clients);
    }

    private Result run(Duration duration, int clients) throws Exception {
        long deadline = System.nanoTime() + duration.toNanos();
        try (StandInHosts hosts = new StandInHosts(cloud.client(), "hist", 6, new Resources(4096, 16L * 1024 * 1024))) {
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                threads.add(Thread.ofPlatform().name("history-client-" + c).start(() -> client(client, deadline)));
            }
            Thread chaos = Thread.ofPlatform().name("history-chaos").start(() -> chaos(deadline));
            for (Thread t : threads) {
                t.join();
            }
            chaos.join();
            for (LocalCloud.Member m : cloud.members()) {
                if (!m.alive()) {
                    cloud.restartMember(m);
                }
            }
            cloud.awaitLeader();
            return new Result(seed, createdByToken.size(), deleted.size(), unacknowledged.get(), kills.get(), check());
        }
    }

    private void client(int client, long deadline) {
        Random random = new Random(seed * 1_000 + client);
        ApiClient api = cloud.client();
        List<String> mine = new ArrayList<>();
        for (int n = 0; System.nanoTime() < deadline; n++) {
            if (!mine.isEmpty() && random.nextInt(10) < 3) {
                String id = mine.remove(random.nextInt(mine.size()));
                if (attempt(() -> api.delete("/v1/instances/" + id)) != null) {
                    deleted.add(id);
                }
            } else {
                String token = "s" + seed + "-c" + client + "-" + n;
                tokensUsed.add(token);
                JsonNode created = attempt(() -> api.post("/v1/instances",
                        Map.of("image", LocalCloud.IMAGE, "type", LocalCloud.SMALL_TYPE, "clientToken", token)));
                if (created != null) {
                    String id = created.get(0).get("id").asText();
                    createdByToken.put(token, id);
                    mine.add(id);
                }
            }
        }
    }

    /** The same request until acknowledged, at most {@link #ATTEMPTS} times; null if it never was. */
    private JsonNode attempt(java.util.function.Supplier<JsonNode> request) {
        for (int i = 0; i < ATTEMPTS; i++) {
            try {
                return request.get();
            } catch (ApiClient.Failure e) {
                LocalCloud.sleep(200);
            }
        }
        unacknowledged.incrementAndGet();
        return null;
    }

    private void chaos(long deadline) {
        Random random = new Random(seed);
        while (System.nanoTime() < deadline) {
            LocalCloud.sleep(1_500 + random.nextInt(3_000));
            if (System.nanoTime() >= deadline) {
                return;
            }
            try {
                LocalCloud.Member leader = cloud.leader();
                cloud.killMember(leader);
                kills.incrementAndGet();
                LocalCloud.sleep(300 + random.nextInt(2_500));
                cloud.restartMember(leader);
            } catch (IllegalStateException e) {
                // no leader right now (an election): try later
            } catch (InterruptedException | IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private List<String> check() {
        // From the leader: it holds every committed entry (a follower may lag).
        List<JsonNode> all = LocalCloud.eventually().until(() -> cloud.list("/v1/instances"), l -> l != null);
        return violations(createdByToken, deleted, tokensUsed, all);
    }

    /** What the cloud's instances ({@code GET /v1/instances}) contradict in what the clients were told. */
    static List<String> violations(Map<String, String> createdByToken, Set<String> deleted, Set<String> tokensUsed,
                                   List<JsonNode> all) {
        Map<String, List<String>> byToken = new HashMap<>();
        Map<String, JsonNode> byId = new HashMap<>();
        for (JsonNode i : all) {
            byId.put(i.get("id").asText(), i);
            JsonNode token = i.get("clientToken");
            byToken.computeIfAbsent(token == null || token.isNull() ? "(none)" : token.asText(), t -> new ArrayList<>())
                    .add(i.get("id").asText());
        }
        List<String> violations = new ArrayList<>();
        createdByToken.forEach((token, id) -> {
            List<String> found = byToken.getOrDefault(token, List.of());
            if (!found.equals(List.of(id))) {
                violations.add("acknowledged creation " + token + " -> " + id + " but the cloud has " + found);
            }
        });
        for (String id : deleted) {
            JsonNode i = byId.get(id);
            if (i == null || !"terminated".equals(i.get("desired").asText())) {
                violations.add("acknowledged deletion of " + id + " not in effect: " + i);
            }
        }
        byToken.forEach((token, ids) -> {
            if (!tokensUsed.contains(token)) {
                violations.add("instances " + ids + " carry token " + token + " that no client used");
            } else if (ids.size() > 1) {
                violations.add("token " + token + " created " + ids.size() + " instances: " + ids);
            }
        });
        return violations;
    }
}
