package org.phare.server;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.phare.core.control.Controller;
import org.phare.server.runtime.ControlLoop;
import org.phare.server.store.MemberInfo;
import org.phare.server.store.RatisLog;
import org.phare.server.store.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops the active services with the leadership of the log. Every {@link #POLL_MS} it looks at the
 * member's role: a ready leader that hears a majority and whose replica is whole gets a controller — after a
 * barrier entry, so that the controller starts from a state holding every earlier entry — and anything else
 * (lost leadership, a new term, no majority for {@link RatisLog#QUORUM_CONTACT_MS}, a session the loop ended because
 * the log could not confirm one of its batches)
 * stops it. The new controller's failure detector grants every host a grace period before judging any.
 *
 * <p>It also announces where this member serves (its HTTP address and zone), through the log, until the log
 * says so, so that followers can send clients to the leader.
 */
final class Leadership implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);
    static final long POLL_MS = 20;
    static final long CONFIRM_EVERY_MS = 100;
    /** A leader that cannot start its controller this many times in a row steps down. */
    static final int MAX_FAILED_ACTIVATIONS = 3;
    private static final long ANNOUNCE_EVERY_MS = 2_000;

    private final RatisLog log;
    private final ControlLoop loop;
    private final Consumer<Controller> onActivate;
    private final MemberInfo self;
    private final Thread thread;
    private volatile boolean stopped;
    /** When (System.nanoTime) the latest confirmed leadership check was requested. */
    private volatile long confirmedAtNanos;
    private volatile boolean everConfirmed;
    private CompletableFuture<Boolean> confirming = CompletableFuture.completedFuture(true);
    private long confirmStartedNanos;
    private int failedActivations;
    private long lastStepDownNanos;
    private Session current;
    private long lastAnnounceMs;
    private volatile CompletableFuture<Void> announcing = CompletableFuture.completedFuture(null);

    Leadership(RatisLog log, ControlLoop loop, MemberInfo self, Consumer<Controller> onActivate) {
        this.log = log;
        this.loop = loop;
        this.self = self;
        this.onActivate = onActivate;
        this.thread = new Thread(this::run, "phare-leadership");
        this.thread.setDaemon(true);
    }

    Leadership start() {
        thread.start();
        return this;
    }

    /**
     * Whether this member leads, runs the active services, and had its leadership confirmed by a majority within
     * {@link RatisLog#QUORUM_CONTACT_MS} (measured from the confirmation's request): only then may it renew
     * agents' leases. Evaluated when asked.
     */
    boolean quorum() {
        return loop.activeSession() != null && contact();
    }

    private boolean contact() {
        return everConfirmed && log.isLeader()
                && System.nanoTime() - confirmedAtNanos < TimeUnit.MILLISECONDS.toNanos(RatisLog.QUORUM_CONTACT_MS);
    }

    /** At most one confirmation in flight, one started every {@link #CONFIRM_EVERY_MS}. */
    private void confirm() {
        long now = System.nanoTime();
        if (!log.isLeader() || !confirming.isDone() || now - confirmStartedNanos < TimeUnit.MILLISECONDS.toNanos(CONFIRM_EVERY_MS)) {
            return;
        }
        confirmStartedNanos = now;
        confirming = log.confirmLeadership().whenComplete((ok, e) -> {
            if (Boolean.TRUE.equals(ok) && (!everConfirmed || now - confirmedAtNanos > 0)) {
                confirmedAtNanos = now;
                everConfirmed = true;
            }
        });
    }

    private void run() {
        while (!stopped) {
            try {
                step();
                announce();
            } catch (RuntimeException e) {
                LOG.warn("leadership check failed: {}", e.toString());
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void step() {
        confirm();
        boolean whole = log.replicaFailure() == null && loop.replicaFailure() == null;
        boolean leader = log.isLeaderReady() && whole;
        boolean contact = leader && contact();
        if (log.isLeaderReady() && (!whole || failedActivations >= MAX_FAILED_ACTIVATIONS)
                && System.nanoTime() - lastStepDownNanos > TimeUnit.SECONDS.toNanos(5)) {
            LOG.error("this member cannot run the active services ({}): stepping down so that another one leads",
                    whole ? failedActivations + " failed starts" : "its replica stopped at a bad entry");
            lastStepDownNanos = System.nanoTime();
            failedActivations = 0;
            log.handOver();
        }
        if (current != null) {
            String why = !leader ? "leadership lost" : log.term() != current.term() ? "a new term began"
                    : !contact ? "no majority answered for " + RatisLog.QUORUM_CONTACT_MS + " ms"
                    : !loop.running(current) ? "the log could not confirm one of its batches" : null;
            if (why != null) {
                LOG.warn("stopping the active services of {}: {}", current, why);
                loop.deactivate(current);
                current = null;
            }
        }
        if (current == null && contact) {
            Session s = log.newSession();
            try {
                log.barrier(s);
            } catch (IOException e) {
                LOG.warn("cannot start the active services yet: {}", e.getMessage());
                return;
            }
            CompletableFuture<Boolean> started = loop.activate(s, onActivate);
            try {
                if (Boolean.TRUE.equals(started.get(ControlLoop.CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS))) {
                    current = s;
                    failedActivations = 0;
                } else {
                    failedActivations++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                LOG.warn("the active services of {} did not start: {}", s, e.toString());
                failedActivations++;
                loop.deactivate(s);
            }
        }
    }

    /** Off this thread: an announcement waits for the leader's commit. */
    private void announce() {
        long now = System.currentTimeMillis();
        if (!announcing.isDone() || now - lastAnnounceMs < ANNOUNCE_EVERY_MS || log.leaderId() == null
                || self.equals(log.announced().get(self.id()))) {
            return;
        }
        lastAnnounceMs = now;
        announcing = CompletableFuture.runAsync(() -> {
            try {
                log.announce(self);
                LOG.info("announced {} to the group", self);
            } catch (IOException | RuntimeException e) {
                LOG.debug("announcement failed (retried): {}", e.toString());
            }
        }, r -> Thread.ofVirtual().name("phare-announce").start(r));
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
