package org.phare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.phare.api.Json;
import org.phare.core.agent.AgentCore;
import org.phare.core.agent.Protocol;
import org.phare.core.model.HostId;
import org.phare.core.model.InstanceId;
import org.phare.core.model.Resources;
import org.phare.core.model.SiteId;
import org.phare.core.model.ZoneId;

/**
 * Hosts without processes, for load drivers and tests of the control plane: each registers over the agent protocol,
 * then heartbeats at the interval the server hands out, reporting every instance assigned to it as running from its
 * next heartbeat on (as an agent whose copies start at once would). Each host beats on
 * its own virtual thread, so a thousand of them keep their rhythm, and follows the leader like a real agent (through
 * {@link ApiClient}). A {@link Watcher} sees every answered heartbeat, every instance first reported running, every
 * lease that ran out; {@link #silence} stops hosts as a power loss would.
 */
public final class StandInHosts implements AutoCloseable {
    static final long BEAT_MS = 500;
    /** How long one heartbeat looks for a member that answers (the next one waits AgentCore#unanswered after none did). */
    static final long HEARTBEAT_BUDGET_MS = 400;
    private static final String[] ZONES = {"eu-west-2a", "eu-west-2b", "eu-west-2c"};

    /** What a load driver observes; called from the hosts' threads, must be thread-safe and quick. */
    public interface Watcher {
        /** A heartbeat answered after {@code nanos}. */
        default void answered(HostId host, long nanos) {}

        /**
         * {@code host} started a copy of {@code instance} at {@code generation} and a heartbeat reporting it running was
         * answered at {@code atMs}: from then on the server knows it runs.
         */
        default void reportedRunning(HostId host, InstanceId instance, long generation, long atMs) {}

        /** {@code host} no longer runs {@code instance} (its desired list left it out). */
        default void stopped(HostId host, InstanceId instance) {}

        /** The host's lease ran out while it was alive: a real agent would have killed its instances. */
        default void fenced(HostId host) {}
    }

    private final ApiClient api;
    /** The same client, with an agent's patience: for heartbeats. */
    private final ApiClient beats;
    private final List<HostId> ids = new ArrayList<>();
    private final Map<HostId, ZoneId> zones = new ConcurrentHashMap<>();
    /** Each host's desired list as its agent last applied it. */
    private final Map<HostId, List<Protocol.Assignment>> assigned = new ConcurrentHashMap<>();
    private final Set<HostId> silenced = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Watcher watcher;
    private final AtomicLong failures = new AtomicLong();
    private final Map<String, Long> failureReasons = new java.util.concurrent.ConcurrentHashMap<>();
    /** Registrations in flight at once, at most. */
    private final java.util.concurrent.Semaphore registering = new java.util.concurrent.Semaphore(32);
    /** The first registration refused, if any. */
    private volatile ApiClient.Failure refused;
    private volatile boolean closed;

    /** Registers {@code count} hosts spread over zones a, b, c of eu-west-2, each with the given capacity. */
    public StandInHosts(ApiClient api, String prefix, int count, Resources capacity) {
        this(api, prefix, count, capacity, new Watcher() {});
    }

    public StandInHosts(ApiClient api, String prefix, int count, Resources capacity, Watcher watcher) {
        // As an agent: a heartbeat tries the members for at most a few hundred ms, each attempt sent afresh (its lease
        // counts from the attempt that is answered), and the next one goes out soon after one no member answered.
        this.api = api;
        this.beats = api.withPatience(HEARTBEAT_BUDGET_MS, java.time.Duration.ofMillis(HEARTBEAT_BUDGET_MS));
        this.watcher = watcher;
        for (int i = 0; i < count; i++) {
            String zone = ZONES[i % ZONES.length];
            HostId id = new HostId(prefix + "-" + zone.charAt(zone.length() - 1) + "-" + (i / ZONES.length));
            ids.add(id);
            zones.put(id, new ZoneId(zone));
        }
        // Each host registers and beats on its own thread from the start (hosts registered early must not fall silent
        // while the others register); the constructor returns once every one is registered.
        CountDownLatch registered = new CountDownLatch(count);
        for (HostId id : ids) {
            ZoneId zone = zones.get(id);
            Protocol.Registration registration = new Protocol.Registration(id, zone, new SiteId(zone.value() + "-dc1"),
                    capacity, Map.of());
            threads.submit(() -> beatLoop(id, new AgentCore(registration), registered));
        }
        try {
            if (!registered.await(120, TimeUnit.SECONDS)) {
                close();
                throw new ApiClient.Failure("the stand-in hosts did not all register within 120 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiClient.Failure("interrupted while registering the stand-in hosts");
        }
        if (refused != null) {
            close();
            throw refused;
        }
    }

    public List<HostId> ids() {
        return List.copyOf(ids);
    }

    public ZoneId zone(HostId host) {
        return zones.get(host);
    }

    /** What the host runs: the desired list its agent applied last. */
    public List<Protocol.Assignment> assigned(HostId host) {
        return assigned.getOrDefault(host, List.of());
    }

    /** Heartbeats that got no answer (the next one retries). */
    public long failures() {
        return failures.get();
    }

    /** Why heartbeats got no answer (numbers left out), with how many times; at most 100 reasons. */
    public Map<String, Long> failureReasons() {
        return Map.copyOf(failureReasons);
    }

    /** The hosts stop for good, as if they lost power: no more heartbeats. */
    public void silence(Predicate<HostId> which) {
        ids.stream().filter(which).forEach(silenced::add);
    }

    /**
     * One host's life: the agent's own rules ({@link AgentCore}) around copies that start at once and are ready, so the
     * control plane sees what a real agent sends (digests, copies in full only when they change).
     */
    private void beatLoop(HostId id, AgentCore core, CountDownLatch registered) {
        boolean counted = false;
        int registrationFailures = 0;
        Map<InstanceId, Long> running = new java.util.HashMap<>();
        /** Copies started since the last heartbeat: reported running by the next one. */
        Map<InstanceId, Long> unreported = new java.util.HashMap<>();
        while (!closed && !silenced.contains(id)) {
            long sent = System.nanoTime();
            boolean unanswered = false;
            try {
                List<AgentCore.Copy> live = new ArrayList<>(running.size());
                running.forEach((i, g) -> live.add(new AgentCore.Copy(i, g, true, null)));
                Map<InstanceId, Long> reporting = Map.copyOf(unreported);
                Object message = core.message(live);
                Protocol.Reply reply;
                if (message instanceof Protocol.Heartbeat) {
                    reply = read(beats.post("/agent/v2/heartbeat", message));
                } else {
                    // Hosts join a few dozen at a time, as machines boot: not a thousand in the same instant.
                    registering.acquireUninterruptibly();
                    try {
                        reply = read(api.post("/agent/v1/register", message));
                    } finally {
                        registering.release();
                    }
                }
                long now = System.nanoTime();
                if (silenced.contains(id)) {
                    return;
                }
                watcher.answered(id, now - sent);
                long nowMs = System.currentTimeMillis();
                reporting.forEach((i, g) -> watcher.reportedRunning(id, i, g, nowMs));
                unreported.keySet().removeAll(reporting.keySet());
                AgentCore.Actions actions = core.onReply(reply, sent, now, live);
                assigned.put(id, core.appliedDesired());
                if (core.registered() && registered.getCount() > 0 && !counted) {
                    counted = true;
                    registered.countDown();
                }
                for (InstanceId i : actions.stop()) {
                    running.remove(i);
                    unreported.remove(i);
                    watcher.stopped(id, i);
                }
                for (Protocol.Assignment a : actions.start()) {
                    if (core.mayStart(now)) {
                        running.put(a.instance(), a.generation());
                        unreported.put(a.instance(), a.generation());
                    }
                }
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                String why = String.valueOf(e.getMessage()).replaceAll("[0-9]+", "N");
                if (failureReasons.size() < 100 || failureReasons.containsKey(why)) {
                    failureReasons.merge(why, 1L, Long::sum);
                }
                unanswered = true;
                if (!core.registered() && e instanceof ApiClient.Failure f && !counted && ++registrationFailures >= 10) {
                    refused = f; // ten refusals in a row (a bad zone, a bad key): the constructor says so
                    counted = true;
                    registered.countDown();
                    return;
                }
            }
            if (core.onTime(System.nanoTime()).fence()) {
                watcher.fenced(id);
                running.keySet().forEach(i -> watcher.stopped(id, i));
                running.clear();
                unreported.clear();
            }
            long interval = core.intervalMillis() <= 0 ? BEAT_MS : core.intervalMillis();
            long spent = (System.nanoTime() - sent) / 1_000_000;
            sleep(unanswered ? core.unanswered(java.util.concurrent.ThreadLocalRandom.current().nextDouble(), System.nanoTime())
                    : Math.max(0, Math.min(interval, BEAT_MS * 2) - spent));
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
        closed = true;
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
