package org.phare.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.phare.agent.driver.InstanceDriver;
import org.phare.agent.driver.RecoveredInstance;
import org.phare.agent.driver.RunningInstance;
import org.phare.api.Credentials;
import org.phare.api.Endpoints;
import org.phare.api.Json;
import org.phare.core.agent.Protocol;
import org.phare.core.model.HostId;
import org.phare.core.model.ImageId;
import org.phare.core.model.InstanceId;
import org.phare.core.model.Resources;
import org.phare.core.model.SiteId;
import org.phare.core.model.ZoneId;

/**
 * The real agent against a stand-in control plane on loopback (the JDK's HTTP server) and a driver in memory whose
 * calls a test can make fail or block: an exception never ends the agent, and the lease is enforced by its own
 * timer whatever the HTTP call or the driver is doing.
 */
@DisplayName("Agent: guarded iterations and a lease on its own timer")
class AgentTest {
    private static final InstanceId WEB = new InstanceId("i-0000000000000000a");
    private static final Protocol.Assignment ASSIGNED = new Protocol.Assignment(WEB, 1, new ImageId("http-echo"),
            new Resources(1, 512));

    private HttpServer server;
    private Agent agent;
    private final AtomicInteger heartbeats = new AtomicInteger();
    /** How the stand-in server answers heartbeats: with the instance assigned, or not at all (hangs). */
    private volatile boolean hang;
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicLong seq = new AtomicLong();

    @AfterEach
    void stop() {
        released.countDown();
        if (agent != null) {
            agent.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    private Endpoints startServer(long leaseMillis) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/agent/v1/", exchange -> answer(exchange, leaseMillis));
        server.start();
        return Endpoints.parse("127.0.0.1:" + server.getAddress().getPort());
    }

    /** The path and body of each heartbeat the stand-in server received. */
    private final java.util.Queue<String[]> received = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private void answer(HttpExchange exchange, long leaseMillis) throws IOException {
        byte[] request = exchange.getRequestBody().readAllBytes();
        if (exchange.getRequestURI().getPath().endsWith("heartbeat")) {
            received.add(new String[] {exchange.getRequestURI().getPath(), new String(request, java.nio.charset.StandardCharsets.UTF_8)});
        }
        if (exchange.getRequestURI().getPath().endsWith("heartbeat")) {
            heartbeats.incrementAndGet();
            if (hang) {
                try {
                    released.await(); // a server that hangs instead of refusing
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
        }
        Protocol.Reply reply = new Protocol.Reply(new Protocol.ReplyId(1, seq.incrementAndGet()), true, 200, leaseMillis,
                List.of(ASSIGNED));
        byte[] body = Json.mapper().writeValueAsBytes(reply);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private Agent agent(Endpoints servers, InstanceDriver driver) {
        return new Agent(servers, new Credentials("PHKAGENTTEST00000000", "secret"),
                new Protocol.Registration(new HostId("h-a-test"), new ZoneId("eu-west-2a"), new SiteId("eu-west-2a-dc1"),
                        new Resources(4, 8192), Map.of()), driver);
    }

    @Test
    @DisplayName("a driver call that throws (a copy that survived SIGKILL) is logged, and the agent goes on beating")
    void anExceptionDoesNotEndTheAgent() throws Exception {
        MemoryDriver driver = new MemoryDriver();
        driver.failStops.set(true);
        driver.start(new InstanceId("i-0000000000000000b"), 1, new ImageId("http-echo"), new Resources(1, 512)); // not assigned
        agent = agent(startServer(3_000), driver);
        agent.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> driver.stopAttempts.get() >= 1);
        int after = heartbeats.get();
        await().atMost(Duration.ofSeconds(5)).until(() -> heartbeats.get() >= after + 5);
        assertThat(driver.list()).containsKey(WEB);
    }

    @Test
    @DisplayName("a control plane of an earlier release (404 to version 2 of the heartbeat): the agent goes on with"
            + " version 1 and whole lists, without the fields that release would refuse")
    void fallsBackToVersion1() throws Exception {
        MemoryDriver driver = new MemoryDriver();
        agent = agent(startServer(3_000), driver); // answers /agent/v1/ only
        agent.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> driver.list().containsKey(WEB) && heartbeats.get() >= 3);
        assertThat(received).as("version 1 heartbeats only").isNotEmpty()
                .allMatch(r -> r[0].equals("/agent/v1/heartbeat"))
                .noneMatch(r -> r[1].contains("takesChanges") || r[1].contains("runningChanges"));
        assertThat(received).as("the copy running, reported in full").anyMatch(r -> r[1].contains(WEB.value()));
    }

    @Test
    @DisplayName("a server that hangs: the copies are stopped when the lease runs out, not when the HTTP call returns")
    void fencesOnTimeWhenTheServerHangs() throws Exception {
        MemoryDriver driver = new MemoryDriver();
        agent = agent(startServer(1_000), driver);
        agent.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> driver.list().containsKey(WEB));

        long hungAt = System.nanoTime();
        hang = true;
        await().atMost(Duration.ofSeconds(5)).until(() -> driver.list().isEmpty());
        long fencedAfterMs = (driver.lastStopNanos.get() - hungAt) / 1_000_000;

        // The last renewal was sent before the hang, so the lease (1 s from that send) ran out within 1 s of it;
        // the timer looks every 50 ms: the copy is gone within 1 s + a margin, though every beat since hangs.
        assertThat(fencedAfterMs).isLessThan(1_000 + 300);
        assertThat(heartbeats.get()).isGreaterThanOrEqualTo(2);
    }

    @Test
    @DisplayName("a driver start that blocks does not delay fencing either")
    void fencesOnTimeWhenTheDriverBlocks() throws Exception {
        MemoryDriver driver = new MemoryDriver();
        agent = agent(startServer(1_000), driver);
        agent.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> driver.list().containsKey(WEB));
        InstanceId other = new InstanceId("i-0000000000000000c");
        driver.start(other, 1, new ImageId("http-echo"), new Resources(1, 512));
        driver.blockStops.set(true); // the beat thread gets stuck stopping `other`, which is not assigned
        long stuckAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(3)).until(() -> driver.blockedStop.get() != null);
        hang = true;

        await().atMost(Duration.ofSeconds(5)).until(() -> !driver.list().containsKey(WEB));
        assertThat((driver.lastStopNanos.get() - stuckAt) / 1_000_000).isLessThan(1_000 + 300);
    }

    @Test
    @DisplayName("each reply that renews the lease hands it to the driver, before the copy it assigns starts: the copies'"
            + " own deadline (the watchdog for a frozen agent) is the agent's lease, counted from each heartbeat's sending")
    void handsEachRenewalToTheDriver() throws Exception {
        MemoryDriver driver = new MemoryDriver();
        agent = agent(startServer(1_000), driver);
        agent.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> driver.renewals.size() >= 4);

        assertThat(driver.leaseAtStart.get(WEB)).as("the lease the driver knew when the copy started").isPositive();
        long previous = Long.MIN_VALUE;
        for (long[] r : driver.renewals) {
            long handedAt = r[0];
            long deadline = r[1];
            assertThat(deadline).as("a lease still running when handed over").isGreaterThan(handedAt);
            assertThat(deadline - handedAt).as("at most the 1 s lease, counted from the heartbeat's sending")
                    .isLessThanOrEqualTo(1_000_000_000L);
            assertThat(deadline).as("each renewal moves the deadline on").isGreaterThanOrEqualTo(previous);
            previous = deadline;
        }
    }

    @Test
    @DisplayName("given every member's address, a member naming a leader at another address (reached through a proxy here)"
            + " makes the agent try its next address, not leave the ones it was given")
    void followsTheLeaderAmongItsOwnAddresses() throws Exception {
        Endpoints real = startServer(3_000);
        HttpServer follower = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger redirected = new AtomicInteger();
        follower.createContext("/agent/v1/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            redirected.incrementAndGet();
            byte[] body = "{\"error\":{\"code\":\"NotLeader\",\"leader\":\"http://127.0.0.1:1\"}}".getBytes();
            exchange.sendResponseHeaders(307, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        follower.start();
        try {
            MemoryDriver driver = new MemoryDriver();
            agent = agent(Endpoints.parse("127.0.0.1:" + follower.getAddress().getPort() + "," + real.current()), driver);
            agent.start();

            await().atMost(Duration.ofSeconds(5)).until(() -> driver.list().containsKey(WEB));
            int after = heartbeats.get();
            await().atMost(Duration.ofSeconds(5)).until(() -> heartbeats.get() >= after + 3);
            assertThat(redirected.get()).as("answers of the member that is not the leader").isPositive();
        } finally {
            follower.stop(0);
        }
    }

    /** Copies in memory; stops can be made to fail or to block (the first one only). */
    private static final class MemoryDriver implements InstanceDriver {
        final Map<InstanceId, RunningInstance> copies = new ConcurrentHashMap<>();
        final AtomicInteger stopAttempts = new AtomicInteger();
        final java.util.concurrent.atomic.AtomicBoolean failStops = new java.util.concurrent.atomic.AtomicBoolean();
        final java.util.concurrent.atomic.AtomicBoolean blockStops = new java.util.concurrent.atomic.AtomicBoolean();
        final AtomicReference<Thread> blockedStop = new AtomicReference<>();
        final AtomicLong lastStopNanos = new AtomicLong();
        /** Each renewal: {when it was handed over, the deadline}. */
        final List<long[]> renewals = new java.util.concurrent.CopyOnWriteArrayList<>();
        /** The lease the driver knew when each copy started (0: none). */
        final Map<InstanceId, Long> leaseAtStart = new ConcurrentHashMap<>();

        @Override
        public void renewLease(long expiresAtNanos) {
            renewals.add(new long[] {System.nanoTime(), expiresAtNanos});
        }

        @Override
        public RunningInstance start(InstanceId id, long generation, ImageId image, Resources demand) {
            leaseAtStart.putIfAbsent(id, renewals.isEmpty() ? 0 : renewals.get(renewals.size() - 1)[1]);
            RunningInstance r = new RunningInstance(id, generation, image, "127.0.0.1:1", 1, Instant.now(), true);
            copies.putIfAbsent(id, r);
            return copies.get(id);
        }

        @Override
        public boolean stop(InstanceId id) {
            stopAttempts.incrementAndGet();
            if (failStops.get()) {
                throw new IllegalStateException(id + " survived SIGKILL");
            }
            if (blockStops.get() && blockedStop.compareAndSet(null, Thread.currentThread())) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            boolean was = copies.remove(id) != null;
            lastStopNanos.set(System.nanoTime());
            return was;
        }

        @Override
        public int fence() {
            int n = copies.size();
            copies.clear();
            lastStopNanos.set(System.nanoTime());
            return n;
        }

        @Override
        public Map<InstanceId, RunningInstance> list() {
            return Map.copyOf(copies);
        }

        @Override
        public List<RecoveredInstance> recover() {
            return List.of();
        }

        @Override
        public RunningInstance adopt(RecoveredInstance recovered) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void discard(RecoveredInstance recovered) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
            copies.clear();
        }
    }
}
