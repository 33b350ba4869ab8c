package org.phare.agent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.phare.agent.driver.InstanceDriver;
import org.phare.agent.driver.RecoveredInstance;
import org.phare.agent.driver.RunningInstance;
import org.phare.api.Credentials;
import org.phare.api.Endpoints;
import org.phare.api.Json;
import org.phare.core.agent.HostReconciler;
import org.phare.core.agent.Lease;
import org.phare.core.agent.Protocol;
import org.phare.core.model.InstanceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host agent: registers, heartbeats at the interval the server hands out, reports the copies it runs, applies
 * the desired list with {@link HostReconciler}, and fences itself — kills every copy — when its {@link Lease}
 * runs out. Same rules as the simulated agent; here with real time, HTTP and processes.
 *
 * <p>One thread drives everything (a single scheduled executor), so the lease, the last applied reply and the
 * driver calls never race. Every wait is bounded: HTTP requests time out after a third of the interval and are
 * retried at most twice before the next heartbeat.
 */
public final class Agent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    private static final int RETRIES = 2;
    /** Pause between two attempts that failed at once (refused, no leader): an election takes a few hundred ms. */
    private static final long RETRY_PAUSE_MS = 50;
    /** The next beat after one that no member answered. */
    static final long UNANSWERED_RETRY_MS = 250;

    private final Endpoints servers;
    private final Credentials credentials;
    private final Protocol.Registration registration;
    private final InstanceDriver driver;
    private final HttpClient http;
    private final ScheduledExecutorService loop;
    private final Lease lease = new Lease();
    private Protocol.ReplyId lastApplied = Protocol.ReplyId.NONE;
    private long intervalMillis = 1000;
    private boolean registered;
    private boolean fenced = true;
    /** When the server stopped answering (monotonic), or -1 while it answers. */
    private long unreachableSince = -1;
    private List<RecoveredInstance> recovered;
    /** Reboots already applied per instance, so a reboot request is carried out once. */
    private final Map<InstanceId, Integer> rebootsSeen = new HashMap<>();

    /**
     * @param servers     every control-plane member: the agent follows the leader among them
     * @param credentials an access key of an agent (or operator) account, signing every request
     */
    public Agent(Endpoints servers, Credentials credentials, Protocol.Registration registration, InstanceDriver driver) {
        this.servers = servers;
        this.credentials = java.util.Objects.requireNonNull(credentials, "credentials");
        this.registration = registration;
        this.driver = driver;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "phare-agent"));
    }

    /** Starts heartbeating; returns at once. */
    public void start() {
        loop.execute(() -> {
            recovered = driver.recover();
            if (!recovered.isEmpty()) {
                LOG.info("found {} instance copies left by a previous agent; keeping them until the server says which generations to run",
                        recovered.size());
            }
            beat();
        });
    }

    private void beat() {
        long sentAt = System.nanoTime();
        Protocol.Reply reply = null;
        // Within one interval: every member may be tried (the leader may have changed), never past the next beat.
        int attempts = RETRIES + 1 + 2 * (servers.size() - 1);
        for (int attempt = 0; attempt < attempts && reply == null; attempt++) {
            if (attempt > 0) {
                if (System.nanoTime() - sentAt > TimeUnit.MILLISECONDS.toNanos(intervalMillis)) {
                    break;
                }
                sleep(RETRY_PAUSE_MS);
            }
            reply = exchange();
        }
        if (reply != null) {
            if (unreachableSince >= 0) {
                LOG.info("server {} answers again after {} ms", servers.current(), (System.nanoTime() - unreachableSince) / 1_000_000);
                unreachableSince = -1;
            }
            apply(reply, sentAt);
        } else if (unreachableSince < 0) {
            unreachableSince = sentAt;
            LOG.warn("server {} does not answer; retrying every {} ms (instances are killed if the lease runs out)",
                    servers, Math.min(intervalMillis, UNANSWERED_RETRY_MS));
        }
        checkLease();
        // Unanswered (an election, a member down): try again sooner, so that the new leader renews the lease as soon
        // as it serves rather than up to an interval later.
        loop.schedule(this::beat, reply != null ? intervalMillis : Math.min(intervalMillis, UNANSWERED_RETRY_MS),
                TimeUnit.MILLISECONDS);
        if (lease.granted()) {
            long untilExpiry = lease.expiresAtNanos() - System.nanoTime();
            loop.schedule(this::checkLease, Math.max(0, untilExpiry), TimeUnit.NANOSECONDS);
        }
    }

    private Protocol.Reply exchange() {
        URI base = null;
        try {
            Object message;
            String path;
            if (!registered) {
                message = registration;
                path = "/agent/v1/register";
            } else {
                List<Protocol.Observed> running = new ArrayList<>();
                for (RunningInstance r : driver.list().values()) {
                    running.add(new Protocol.Observed(r.id(), r.generation(), r.ready(), r.address()));
                }
                message = new Protocol.Heartbeat(registration.host(), lastApplied, running);
                path = "/agent/v1/heartbeat";
            }
            base = servers.current();
            URI target = base.resolve(path);
            byte[] body = Json.mapper().writeValueAsBytes(message);
            HttpRequest request = credentials.sign(HttpRequest.newBuilder(target), "POST", target, body, java.time.Instant.now())
                    .timeout(Duration.ofMillis(Math.max(200, intervalMillis / 3)))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            URI leader = Endpoints.leaderHint(response.statusCode(), response.body());
            if (leader != null) {
                LOG.debug("{} is not the leader; the leader is {}", base, leader);
                servers.leader(leader);
                return null;
            }
            if (Endpoints.retryElsewhere(response.statusCode()) && servers.size() > 1) {
                LOG.debug("{} cannot serve now ({}); trying another member", base, response.statusCode());
                servers.failed(base);
                return null;
            }
            if (response.statusCode() != 200) {
                LOG.warn("server answered {} to {}: {}", response.statusCode(), path, new String(response.body()));
                return null;
            }
            return Json.mapper().readValue(response.body(), Protocol.Reply.class);
        } catch (IOException e) {
            LOG.debug("server {} unreachable: {}", base, e.toString());
            if (base != null) {
                servers.failed(base);
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void apply(Protocol.Reply reply, long sentAt) {
        if (!reply.known()) {
            registered = false;
            return;
        }
        registered = true;
        intervalMillis = reply.heartbeatIntervalMillis();
        long now = System.nanoTime();
        if (!lease.renew(sentAt, TimeUnit.MILLISECONDS.toNanos(reply.leaseMillis()), now)) {
            return; // it came too late: it proves nothing about now
        }
        if (fenced) {
            LOG.info("lease granted by the server: running the instances it assigns");
            fenced = false;
        }
        if (reply.replyId().compareTo(lastApplied) <= 0) {
            return;
        }
        lastApplied = reply.replyId();
        adoptOrDiscard(reply.desired());
        Map<InstanceId, Long> generations = new HashMap<>();
        driver.list().forEach((id, r) -> generations.put(id, r.generation()));
        HostReconciler.Plan plan = HostReconciler.plan(reply.desired(), generations);
        for (InstanceId id : plan.kill()) {
            LOG.info("stopping {} (not assigned here any more, or a stale generation)", id);
            driver.stop(id);
        }
        for (Protocol.Assignment a : plan.start()) {
            start(a);
        }
        for (Protocol.Assignment a : reply.desired()) {
            int seen = rebootsSeen.getOrDefault(a.instance(), a.reboots());
            if (a.reboots() > seen && driver.list().containsKey(a.instance())) {
                LOG.info("rebooting {} generation {}", a.instance(), a.generation());
                driver.stop(a.instance());
                start(a);
            }
            rebootsSeen.put(a.instance(), a.reboots());
        }
        rebootsSeen.keySet().retainAll(reply.desired().stream().map(Protocol.Assignment::instance).toList());
    }

    private void start(Protocol.Assignment a) {
        try {
            driver.start(a.instance(), a.generation(), a.image(), a.demand());
            LOG.info("started {} generation {}", a.instance(), a.generation());
        } catch (RuntimeException e) {
            LOG.warn("cannot start {}: {}", a.instance(), e.getMessage());
        }
    }

    /** After a restart: keep the copies whose generation the server still assigns here, destroy the others. */
    private void adoptOrDiscard(List<Protocol.Assignment> desired) {
        if (recovered == null || recovered.isEmpty()) {
            return;
        }
        Map<InstanceId, Long> wanted = new HashMap<>();
        desired.forEach(a -> wanted.put(a.instance(), a.generation()));
        for (RecoveredInstance r : recovered) {
            Long gen = wanted.get(r.id());
            if (gen != null && gen == r.generation()) {
                driver.adopt(r);
                LOG.info("adopted {} generation {} left by the previous agent", r.id(), r.generation());
            } else {
                driver.discard(r);
                LOG.info("destroyed {} generation {} left by the previous agent: the server no longer assigns it here", r.id(), r.generation());
            }
        }
        recovered = List.of();
    }

    /** Self-fencing: nobody renewed the lease for fenceAfter, so our instances may be restarted elsewhere. */
    private void checkLease() {
        if (fenced || !lease.granted() || lease.valid(System.nanoTime())) {
            return;
        }
        int n = driver.list().size();
        for (InstanceId id : new ArrayList<>(driver.list().keySet())) {
            driver.stop(id);
        }
        lease.revoke();
        fenced = true;
        LOG.warn("FENCED: could not renew the lease with {} in time; killed {} instance(s) so they can safely run elsewhere",
                servers, n);
    }

    @Override
    public void close() {
        loop.shutdownNow();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        driver.close();
    }
}
