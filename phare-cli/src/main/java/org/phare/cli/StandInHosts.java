package org.phare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.phare.api.Json;
import org.phare.core.agent.Protocol;
import org.phare.core.model.HostId;
import org.phare.core.model.Resources;
import org.phare.core.model.SiteId;
import org.phare.core.model.ZoneId;

/**
 * Hosts without processes, for load drivers and tests of the control plane: each registers over the agent
 * protocol, then heartbeats every {@link #BEAT_MS} reporting every instance assigned to it as running. They
 * follow the leader like real agents (through {@link ApiClient}).
 */
public final class StandInHosts implements AutoCloseable {
    static final long BEAT_MS = 500;
    private static final String[] ZONES = {"eu-west-2a", "eu-west-2b", "eu-west-2c"};

    private final ApiClient api;
    private final List<HostId> ids = new ArrayList<>();
    private final Map<HostId, Protocol.Reply> replies = new ConcurrentHashMap<>();
    private final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "stand-in-hosts");
        t.setDaemon(true);
        return t;
    });

    /** Registers {@code count} hosts spread over zones a, b, c of eu-west-2, each with the given capacity. */
    public StandInHosts(ApiClient api, String prefix, int count, Resources capacity) {
        this.api = api;
        for (int i = 0; i < count; i++) {
            String zone = ZONES[i % ZONES.length];
            HostId id = new HostId(prefix + "-" + zone.charAt(zone.length() - 1) + "-" + (i / ZONES.length));
            ids.add(id);
            JsonNode reply = api.post("/agent/v1/register", new Protocol.Registration(id, new ZoneId(zone),
                    new SiteId(zone + "-dc1"), capacity, Map.of()));
            replies.put(id, read(reply));
        }
        beats.scheduleWithFixedDelay(this::beat, 0, BEAT_MS, TimeUnit.MILLISECONDS);
    }

    private void beat() {
        for (HostId id : ids) {
            try {
                Protocol.Reply last = replies.get(id);
                List<Protocol.Observed> running = new ArrayList<>();
                for (Protocol.Assignment a : last.desired()) {
                    running.add(new Protocol.Observed(a.instance(), a.generation(), true));
                }
                replies.put(id, read(api.post("/agent/v1/heartbeat", new Protocol.Heartbeat(id, last.replyId(), running))));
            } catch (RuntimeException e) {
                // a missed heartbeat: the next one retries
            }
        }
    }

    private static Protocol.Reply read(JsonNode reply) {
        try {
            return Json.mapper().treeToValue(reply, Protocol.Reply.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ApiClient.Failure("unreadable agent reply: " + e.getOriginalMessage());
        }
    }

    @Override
    public void close() {
        beats.shutdownNow();
    }
}
