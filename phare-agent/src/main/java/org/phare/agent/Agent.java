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
 * <p>One thread beats (a single scheduled executor): it sends heartbeats and applies replies. The lease has its own
 * timer thread, so a server that hangs instead of refusing, or a driver call that takes its time, never delays
 * fencing: the copies are killed when the lease runs out, whatever the beat thread is doing. The two meet under one
 * lock, held only to check the lease and record what was started or fenced, never across an HTTP call. Every
 * iteration of either thread is guarded: an exception is logged and the next one runs. Every wait is bounded: HTTP
 * requests time out after a third of the interval and are retried at most twice before the next heartbeat.
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
    /** Enforces the lease deadline on its own clock, independently of the beat thread. */
    private final ScheduledExecutorService leaseTimer;
    /** Guards the lease and {@link #fenced}: a copy starts only while the lease is valid, and fencing is atomic. */
    private final Object leaseLock = new Object();
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
        this.leaseTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "phare-agent-lease");
            t.setPriority(Thread.MAX_PRIORITY);
            return t;
        });
    }

    /** How often the lease timer looks at the deadline: copies die at most this late after it. */
    static final long LEASE_CHECK_MS = 50;

    /** Starts heartbeating; returns at once. */
    public void start() {
        leaseTimer.scheduleAtFixedRate(guarded("lease check", this::checkLease), LEASE_CHECK_MS, LEASE_CHECK_MS,
                TimeUnit.MILLISECONDS);
        loop.execute(() -> {
            try {
                recovered = driver.recover();
                if (!recovered.isEmpty()) {
                    LOG.info("found {} instance copies left by a previous agent; keeping them until the server says which"
                            + " generations to run", recovered.size());
                }
            } catch (RuntimeException e) {
                LOG.error("could not look for copies left by a previous agent (none adopted): {}", e.toString(), e);
                recovered = List.of();
            }
            beat();
        });
    }

    /** An iteration that logs its failure instead of ending the scheduled loop that runs it. */
    private static Runnable guarded(String what, Runnable step) {
        return () -> {
            try {
                step.run();
            } catch (RuntimeException e) {
                LOG.error("{} failed (the next one runs as scheduled): {}", what, e.toString(), e);
            }
        };
    }

    /** One heartbeat, guarded; the next one is always scheduled, even if this one threw. */
    private void beat() {
        long delay = intervalMillis;
        try {
            delay = beatOnce();
        } catch (RuntimeException e) {
            LOG.error("heartbeat failed (retrying in {} ms): {}", Math.min(intervalMillis, UNANSWERED_RETRY_MS), e.toString(), e);
            delay = Math.min(intervalMillis, UNANSWERED_RETRY_MS);
        } finally {
            if (!loop.isShutdown()) {
                loop.schedule(this::beat, delay, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Sends one heartbeat (trying other members if needed) and applies the reply; returns when to beat next. */
    private long beatOnce() {
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
        // Unanswered (an election, a member down): try again sooner, so that the new leader renews the lease as soon
        // as it serves rather than up to an interval later.
        return reply != null ? intervalMillis : Math.min(intervalMillis, UNANSWERED_RETRY_MS);
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
        synchronized (leaseLock) {
            long now = System.nanoTime();
            if (!lease.renew(sentAt, TimeUnit.MILLISECONDS.toNanos(reply.leaseMillis()), now)) {
                return; // it came too late: it proves nothing about now
            }
            if (fenced) {
                LOG.info("lease granted by the server: running the instances it assigns");
                fenced = false;
            }
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
            attempt("stop " + id, () -> driver.stop(id));
        }
        for (Protocol.Assignment a : plan.start()) {
            start(a);
        }
        for (Protocol.Assignment a : reply.desired()) {
            int seen = rebootsSeen.getOrDefault(a.instance(), a.reboots());
            if (a.reboots() > seen && driver.list().containsKey(a.instance())) {
                LOG.info("rebooting {} generation {}", a.instance(), a.generation());
                if (attempt("stop " + a.instance() + " to reboot it", () -> driver.stop(a.instance()))) {
                    start(a);
                }
            }
            rebootsSeen.put(a.instance(), a.reboots());
        }
        rebootsSeen.keySet().retainAll(reply.desired().stream().map(Protocol.Assignment::instance).toList());
    }

    /** Runs one driver call; a failure is logged and the others go on. Returns whether it succeeded. */
    private static boolean attempt(String what, Runnable call) {
        try {
            call.run();
            return true;
        } catch (RuntimeException e) {
            LOG.error("could not {}: {} (retried at the next reply)", what, e.toString());
            return false;
        }
    }

    /** Starts a copy only while the lease holds: a reply applied as the lease ran out must not outlive the fence. */
    private void start(Protocol.Assignment a) {
        try {
            synchronized (leaseLock) {
                if (fenced || !lease.valid(System.nanoTime())) {
                    LOG.info("not starting {}: the lease ran out meanwhile", a.instance());
                    return;
                }
                driver.start(a.instance(), a.generation(), a.image(), a.demand());
            }
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
            boolean keep = gen != null && gen == r.generation();
            if (keep && attempt("adopt " + r.id(), () -> adoptWhileLeased(r))) {
                LOG.info("adopted {} generation {} left by the previous agent", r.id(), r.generation());
            } else if (attempt("destroy " + r.id() + " left by the previous agent", () -> driver.discard(r))) {
                LOG.info("destroyed {} generation {} left by the previous agent: {}", r.id(), r.generation(),
                        keep ? "it could not be adopted" : "the server no longer assigns it here");
            }
        }
        recovered = List.of();
    }

    private void adoptWhileLeased(RecoveredInstance r) {
        synchronized (leaseLock) {
            if (fenced || !lease.valid(System.nanoTime())) {
                throw new IllegalStateException("the lease ran out meanwhile");
            }
            driver.adopt(r);
        }
    }

    /**
     * Self-fencing, on the lease timer's thread: nobody renewed the lease for fenceAfter, so our instances may be
     * restarted elsewhere. Marked fenced first (no copy starts after this), then every copy is stopped.
     */
    private void checkLease() {
        synchronized (leaseLock) {
            if (fenced || !lease.granted() || lease.valid(System.nanoTime())) {
                return;
            }
            lease.revoke();
            fenced = true;
        }
        int n = 0;
        for (InstanceId id : new ArrayList<>(driver.list().keySet())) {
            try {
                driver.stop(id);
                n++;
            } catch (RuntimeException e) {
                LOG.error("FENCING: could not stop {}: {}", id, e.toString());
            }
        }
        LOG.warn("FENCED: could not renew the lease with {} in time; killed {} instance(s) so they can safely run elsewhere",
                servers, n);
    }

    @Override
    public void close() {
        leaseTimer.shutdownNow();
        loop.shutdownNow();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        driver.close();
    }
}
