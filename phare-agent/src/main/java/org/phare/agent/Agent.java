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
import org.phare.api.HttpClients;
import org.phare.api.Json;
import org.phare.core.agent.AgentCore;
import org.phare.core.agent.Protocol;
import org.phare.core.model.InstanceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host agent: the agent's rules ({@link AgentCore}, the same ones the simulator proves) with real time, HTTP and
 * processes. It registers, heartbeats at the interval the server hands out, reports the copies its driver runs, carries
 * out what each reply means, and fences itself — kills every copy at once — when its lease runs out.
 *
 * <p>One thread beats (a single scheduled executor): it sends heartbeats and carries out replies. The lease has its own
 * timer thread, so a server that hangs instead of refusing, or a driver call that takes its time, never delays fencing:
 * the copies are killed when the lease runs out, whatever the beat thread is doing. And every renewal is handed to the
 * driver ({@link InstanceDriver#renewLease}), whose copies hold the deadline themselves: if the whole agent stops
 * (SIGSTOP, a stalled JVM), neither thread runs, and the copies still die by the lease deadline. Both threads call the rules under
 * one lock, held only for that and to start a copy (the rules say whether the lease still holds), never across an HTTP
 * call. Every iteration of either thread is guarded: an exception is logged and the next one runs. Every wait is
 * bounded: HTTP requests time out after a third of the interval and are retried at most twice before the next beat.
 */
public final class Agent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    private static final int RETRIES = 2;
    /** Pause between two attempts that failed at once (refused, no leader): an election takes a few hundred ms. */
    private static final long RETRY_PAUSE_MS = 50;
    /** How often the lease timer looks at the deadline: copies die at most this late after it. */
    static final long LEASE_CHECK_MS = 50;

    private final Endpoints servers;
    private final Credentials credentials;
    private final InstanceDriver driver;
    private final HttpClient http;
    private final ScheduledExecutorService loop;
    /** Enforces the lease deadline on its own clock, independently of the beat thread. */
    private final ScheduledExecutorService leaseTimer;
    /** The agent's rules; guarded by itself. */
    private final AgentCore core;
    /** Copies left by a previous agent, by instance, until the first reply says which to keep. */
    private final Map<InstanceId, RecoveredInstance> leftovers = new HashMap<>();
    /** When the server stopped answering (monotonic), or -1 while it answers (the beat thread only). */
    private long unreachableSince = -1;

    /**
     * @param servers     every control-plane member: the agent follows the leader among them
     * @param credentials an access key of an agent (or operator) account, signing every request
     */
    public Agent(Endpoints servers, Credentials credentials, Protocol.Registration registration, InstanceDriver driver) {
        this.servers = servers;
        this.credentials = java.util.Objects.requireNonNull(credentials, "credentials");
        this.core = new AgentCore(registration);
        this.driver = driver;
        this.http = HttpClients.http11(servers.all()).connectTimeout(Duration.ofMillis(500)).build();
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "phare-agent"));
        this.leaseTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "phare-agent-lease");
            t.setPriority(Thread.MAX_PRIORITY);
            return t;
        });
    }

    /** Starts heartbeating; returns at once. */
    public void start() {
        leaseTimer.scheduleAtFixedRate(guarded("lease check", this::checkLease), LEASE_CHECK_MS, LEASE_CHECK_MS,
                TimeUnit.MILLISECONDS);
        loop.execute(() -> {
            try {
                List<AgentCore.Leftover> found = new ArrayList<>();
                for (RecoveredInstance r : driver.recover()) {
                    leftovers.put(r.id(), r);
                    found.add(new AgentCore.Leftover(r.id(), r.generation()));
                }
                synchronized (core) {
                    core.recovered(found);
                }
                if (!found.isEmpty()) {
                    LOG.info("found {} instance copies left by a previous agent; keeping them until the server says which"
                            + " generations to run", found.size());
                }
            } catch (RuntimeException e) {
                LOG.error("could not look for copies left by a previous agent (none adopted): {}", e.toString(), e);
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
        long delay;
        try {
            delay = beatOnce();
        } catch (RuntimeException e) {
            delay = unanswered();
            LOG.error("heartbeat failed (retrying in {} ms): {}", delay, e.toString(), e);
        }
        if (!loop.isShutdown()) {
            loop.schedule(this::beat, delay, TimeUnit.MILLISECONDS);
        }
    }

    private long interval() {
        synchronized (core) {
            return core.intervalMillis();
        }
    }

    private List<AgentCore.Copy> live() {
        List<AgentCore.Copy> live = new ArrayList<>();
        for (RunningInstance r : driver.list().values()) {
            live.add(new AgentCore.Copy(r.id(), r.generation(), r.ready(), r.address()));
        }
        return live;
    }

    /** A drill's order that silenced this agent (crash or isolate), or null (written by the beat thread). */
    private volatile Protocol.DrillOrder silencedBy;
    /** When the silence began (monotonic). */
    private long silencedAt;

    /** Sends one message (trying other members if needed) and carries out the reply; returns when to beat next. */
    private long beatOnce() {
        long interval = interval();
        if (silencedBy != null) {
            silentBeat();
            return interval;
        }
        long sentAt = System.nanoTime();
        Protocol.Reply reply = null;
        // Within one interval: every member may be tried (the leader may have changed), never past the next beat.
        int attempts = RETRIES + 1 + 2 * (servers.size() - 1);
        for (int attempt = 0; attempt < attempts && reply == null; attempt++) {
            if (attempt > 0) {
                if (System.nanoTime() - sentAt > TimeUnit.MILLISECONDS.toNanos(interval)) {
                    break;
                }
                sleep(RETRY_PAUSE_MS);
            }
            sentAt = System.nanoTime();
            Object message;
            synchronized (core) {
                message = core.message(live());
            }
            reply = exchange(message, interval);
        }
        if (reply != null) {
            if (unreachableSince >= 0) {
                LOG.info("server {} answers again after {} ms", servers.current(), (System.nanoTime() - unreachableSince) / 1_000_000);
                unreachableSince = -1;
            }
            carryOut(reply, sentAt);
            Protocol.DrillOrder order;
            synchronized (core) {
                order = core.newDrillOrder(reply);
            }
            if (order != null) {
                drill(order);
            }
        } else if (unreachableSince < 0) {
            unreachableSince = sentAt;
            LOG.warn("server {} does not answer; retrying every {} ms while the lease holds, then less often, up to every {} ms"
                    + " (instances are killed if the lease runs out)", servers, AgentCore.UNANSWERED_RETRY_MS, interval);
        }
        // Unanswered (an election, a member down): try again sooner, so that the new leader renews the lease as soon
        // as it serves rather than up to an interval later; less often while nobody answers (AgentCore#unanswered).
        return reply != null ? interval() : unanswered();
    }

    /** The wait before the next beat after one that no member answered: the agent's rule, with this agent's jitter. */
    private long unanswered() {
        synchronized (core) {
            return core.unanswered(java.util.concurrent.ThreadLocalRandom.current().nextDouble(), System.nanoTime());
        }
    }

    /**
     * Until when heartbeats use version 1: the control plane answered 404 to version 2 (it is of an earlier release).
     * Version 2 is tried again after {@link #RETRY_V2}, for a control plane upgraded meanwhile.
     */
    private volatile long v1UntilNanos = Long.MIN_VALUE;
    static final Duration RETRY_V2 = Duration.ofMinutes(5);

    private boolean heartbeatV1() {
        if (v1UntilNanos == Long.MIN_VALUE) {
            return false;
        }
        if (System.nanoTime() - v1UntilNanos < 0) {
            return true;
        }
        v1UntilNanos = Long.MIN_VALUE;
        synchronized (core) {
            core.changes(true);
        }
        return false;
    }

    private Protocol.Reply exchange(Object message, long interval) {
        URI base = null;
        try {
            String path = message instanceof Protocol.Heartbeat ? (heartbeatV1() ? "/agent/v1/heartbeat" : "/agent/v2/heartbeat")
                    : "/agent/v1/register";
            base = servers.current();
            URI target = base.resolve(path);
            byte[] body = Json.mapper().writeValueAsBytes(message);
            HttpRequest request = credentials.sign(HttpRequest.newBuilder(target), "POST", target, body, java.time.Instant.now())
                    .timeout(Duration.ofMillis(Math.max(200, interval / 3)))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            URI leader = Endpoints.leaderHint(response.statusCode(), response.body());
            if (leader != null && (servers.size() == 1 || servers.all().contains(leader))) {
                LOG.debug("{} is not the leader; the leader is {}", base, leader);
                servers.leader(leader);
                return null;
            }
            if (leader != null) {
                // Given every member's address, talk to those only: a member announced under another address (reached
                // through a proxy or a NAT here) is found by trying the next one.
                LOG.debug("{} is not the leader; the leader is {}, not an address given to this agent: trying the next", base,
                        leader);
                servers.failed(base);
                return null;
            }
            if (Endpoints.retryElsewhere(response.statusCode()) && servers.size() > 1) {
                LOG.debug("{} cannot serve now ({}); trying another member", base, response.statusCode());
                servers.failed(base);
                return null;
            }
            if (response.statusCode() == 404 && path.startsWith("/agent/v2/")) {
                // A control plane of an earlier release: whole lists both ways, on the heartbeat it knows.
                LOG.info("{} does not take heartbeats with changes (version 2): using version 1 for {}", base, RETRY_V2);
                v1UntilNanos = System.nanoTime() + RETRY_V2.toNanos();
                synchronized (core) {
                    core.changes(false);
                }
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

    /** What the rules make of a reply, carried out: stop, discard and adopt leftovers, start, reboot. */
    private void carryOut(Protocol.Reply reply, long sentAt) {
        AgentCore.Actions actions;
        boolean wasFenced;
        synchronized (core) {
            wasFenced = core.fenced();
            long now = System.nanoTime();
            actions = core.onReply(reply, sentAt, now, live());
            if (core.mayStart(now)) {
                // Before any start below: a copy starts with what remains of this lease, and every copy's own deadline
                // moves with it (the watchdog for a frozen agent).
                driver.renewLease(core.leaseExpiresAtNanos());
            }
            if (wasFenced && !core.fenced()) {
                LOG.info("lease granted by the server: running the instances it assigns");
            }
        }
        for (InstanceId id : actions.stop()) {
            LOG.info("stopping {} (not assigned here any more, or a stale generation)", id);
            attempt("stop " + id, () -> driver.stop(id));
        }
        for (AgentCore.Leftover l : actions.discard()) {
            RecoveredInstance r = leftovers.remove(l.instance());
            if (r != null && attempt("destroy " + l.instance() + " left by the previous agent", () -> driver.discard(r))) {
                LOG.info("destroyed {} generation {} left by the previous agent: the server no longer assigns it here",
                        l.instance(), l.generation());
            }
        }
        for (AgentCore.Leftover l : actions.adopt()) {
            RecoveredInstance r = leftovers.remove(l.instance());
            if (r == null) {
                continue;
            }
            if (attempt("adopt " + l.instance(), () -> whileLeased(() -> driver.adopt(r)))) {
                LOG.info("adopted {} generation {} left by the previous agent", l.instance(), l.generation());
            } else {
                attempt("destroy " + l.instance() + " left by the previous agent", () -> driver.discard(r));
            }
        }
        for (Protocol.Assignment a : actions.start()) {
            start(a);
        }
        for (Protocol.Assignment a : actions.reboot()) {
            LOG.info("rebooting {} generation {}", a.instance(), a.generation());
            if (attempt("stop " + a.instance() + " to reboot it", () -> driver.stop(a.instance()))) {
                start(a);
            }
        }
    }

    /**
     * A drill's fault, carried out for real: a crash kills every copy at once (SIGKILL) and silences the agent as a dead
     * machine; an isolation silences it, its copies left to their lease; a freeze stops this very process.
     */
    private void drill(Protocol.DrillOrder order) {
        switch (order.action()) {
            case "CRASH" -> {
                int killed = driver.fence();
                LOG.warn("DRILL {}: crash — killed {} instance(s); silent until the drill heals it", order.drill(), killed);
                silence(order);
            }
            case "ISOLATE" -> {
                LOG.warn("DRILL {}: cut off from the servers{}; instances left to their lease", order.drill(),
                        order.forMs() > 0 ? " for " + order.forMs() + " ms" : "");
                silence(order);
            }
            case "FREEZE" -> {
                LOG.warn("DRILL {}: this agent freezes for {} ms (its instances stop by their own lease)", order.drill(), order.forMs());
                attempt("freeze for the drill", () -> {
                    try {
                        org.phare.api.SelfFreeze.freeze(order.forMs());
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                LOG.warn("DRILL {}: the agent continues after its freeze", order.drill());
            }
            default -> LOG.warn("DRILL {}: unknown action {} ignored", order.drill(), order.action());
        }
    }

    private void silence(Protocol.DrillOrder order) {
        silencedBy = order;
        silencedAt = System.nanoTime();
    }

    /**
     * A beat of a silenced agent: no heartbeat; it asks whether its fault still holds (the drill may have ended or been
     * aborted), and comes back once it does not, or once its duration has passed. After a crash it comes back as a
     * rebooted host: registered anew, running nothing.
     */
    private void silentBeat() {
        Protocol.DrillOrder o = silencedBy;
        boolean over = o.forMs() > 0 && System.nanoTime() - silencedAt >= TimeUnit.MILLISECONDS.toNanos(o.forMs());
        if (!over) {
            Boolean active = faultHolds(o);
            over = active != null && !active;
        }
        if (!over) {
            return;
        }
        silencedBy = null;
        if ("CRASH".equals(o.action())) {
            synchronized (core) {
                core.reset();
            }
        }
        LOG.warn("DRILL {}: healed after {} ms; talking to the servers again", o.drill(),
                (System.nanoTime() - silencedAt) / 1_000_000);
    }

    /** Whether the drill still holds this host's fault, as a member says; null when none answers. */
    private Boolean faultHolds(Protocol.DrillOrder o) {
        URI base = servers.current();
        try {
            URI target = base.resolve("/agent/v1/drill?host=" + java.net.URLEncoder.encode(core.registration().host().value(),
                    java.nio.charset.StandardCharsets.UTF_8));
            HttpRequest request = credentials.sign(HttpRequest.newBuilder(target), "GET", target, new byte[0], java.time.Instant.now())
                    .timeout(Duration.ofMillis(500)).GET().build();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                servers.failed(base);
                return null;
            }
            var node = Json.mapper().readTree(response.body());
            var order = node.get("order");
            // Still active for this very order (a later fault on this host is told in the replies once back).
            return node.path("active").asBoolean(false) && order != null && o.drill().equals(order.path("drill").asText())
                    && o.step() == order.path("step").asInt(-1);
        } catch (IOException e) {
            servers.failed(base);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
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

    /** Starts a copy only while the lease holds: a reply carried out as the lease ran out must not outlive the fence. */
    private void start(Protocol.Assignment a) {
        if (attempt("start " + a.instance(), () -> whileLeased(() -> driver.start(a.instance(), a.generation(), a.image(),
                a.demand())))) {
            LOG.info("started {} generation {}", a.instance(), a.generation());
        }
    }

    private void whileLeased(Runnable call) {
        synchronized (core) {
            if (!core.mayStart(System.nanoTime())) {
                throw new IllegalStateException("the lease ran out meanwhile");
            }
            call.run();
        }
    }

    /**
     * Self-fencing, on the lease timer's thread: nobody renewed the lease for fenceAfter, so our instances may be
     * restarted elsewhere. The rules mark the agent fenced first (no copy starts after this), then every copy is killed
     * at once.
     */
    private void checkLease() {
        AgentCore.Actions actions;
        synchronized (core) {
            actions = core.onTime(System.nanoTime());
        }
        if (!actions.fence()) {
            return;
        }
        int n = driver.fence();
        Protocol.DrillOrder drill = silencedBy;
        if (drill != null) {
            // Silent on purpose: the lease running out is the drill's point, not news.
            LOG.info("DRILL {}: the lease ran out while silent, as expected ({} instance(s) still running killed)", drill.drill(), n);
            return;
        }
        LOG.warn("FENCED: could not renew the lease with {} in time; killed {} instance(s) still running so they can safely"
                + " run elsewhere (copies stop by themselves at the same deadline)", servers, n);
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
