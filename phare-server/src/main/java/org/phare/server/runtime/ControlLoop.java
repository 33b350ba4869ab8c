package org.phare.server.runtime;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.phare.core.control.Controller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns the controller and its state (KRaft's event-handler pattern): HTTP handlers and the
 * periodic tick submit work to it and wait for the answer. No lock anywhere in the core.
 *
 * <p>Bounds: at most {@link #MAX_QUEUED} tasks wait; beyond that callers get {@link Busy} at once (the HTTP layer
 * answers 503), and a caller waits at most {@link #CALL_TIMEOUT_MS} for its answer.
 */
public final class ControlLoop implements AutoCloseable {
    public static final int MAX_QUEUED = 10_000;
    public static final long CALL_TIMEOUT_MS = 15_000;
    public static final long TICK_MS = 100;
    private static final Logger LOG = LoggerFactory.getLogger(ControlLoop.class);

    private final Controller controller;
    private final ThreadPoolExecutor loop;
    private final ScheduledExecutorService ticker;

    /** The loop is saturated or stopped: try again later. */
    public static final class Busy extends RuntimeException {
        Busy(String message) {
            super(message);
        }
    }

    public ControlLoop(Controller controller) {
        this.controller = controller;
        this.loop = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(MAX_QUEUED),
                r -> new Thread(r, "phare-control-loop"), new ThreadPoolExecutor.AbortPolicy());
        this.ticker = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "phare-ticker");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the periodic failure detection and recovery. */
    public void start() {
        ticker.scheduleWithFixedDelay(() -> {
            try {
                call(c -> {
                    c.tick();
                    return null;
                });
            } catch (RuntimeException e) {
                LOG.warn("tick failed: {}", e.toString());
            }
        }, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code action} on the loop thread and returns its result. */
    public <T> T call(Function<Controller, T> action) {
        Future<T> future;
        try {
            future = loop.submit(() -> action.apply(controller));
        } catch (RejectedExecutionException e) {
            throw new Busy("the control loop is saturated or stopping (" + MAX_QUEUED + " requests waiting)");
        }
        try {
            return future.get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Busy("interrupted while waiting for the control loop");
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new Busy("the control loop did not answer within " + CALL_TIMEOUT_MS + " ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        loop.shutdown();
        try {
            if (!loop.awaitTermination(5, TimeUnit.SECONDS)) {
                loop.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            loop.shutdownNow();
        }
    }
}
