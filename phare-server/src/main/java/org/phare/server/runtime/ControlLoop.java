package org.phare.server.runtime;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.phare.core.control.Controller;
import org.phare.core.model.InstanceId;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;
import org.phare.server.store.Replica;
import org.phare.server.store.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns a member's state (KRaft's event-handler pattern). It holds the replica — the state
 * rebuilt from the log — on every member, and on the leader the controller that works on that same state.
 *
 * <p>Two queues feed it. The <b>log queue</b> carries, in log order, what the log hands the replica (batches
 * to replay, a snapshot to restart from) and the leadership changes (activate, deactivate): their relative
 * order is what makes a new controller start from a state holding every earlier entry. Ratis's thread blocks
 * while it is full. The <b>call queue</b> carries HTTP requests and ticks: at most {@link #MAX_QUEUED} wait,
 * beyond that callers get {@link Busy} at once (503), and a caller waits at most {@link #CALL_TIMEOUT_MS}. The
 * log queue is served first.
 */
public final class ControlLoop implements Replica, AutoCloseable {
    public static final int MAX_QUEUED = 10_000;
    public static final int MAX_LOG_QUEUED = 100_000;
    public static final long CALL_TIMEOUT_MS = 15_000;
    public static final long TICK_MS = 100;
    static final int FAIR_SHARE = 64;
    private static final Logger LOG = LoggerFactory.getLogger(ControlLoop.class);

    /** Makes the controller of a new session, on the loop thread, from the replica's state. */
    @FunctionalInterface
    public interface ControllerFactory {
        Controller create(CloudState state, Session session);
    }

    /** What a call sees: the state, and the controller when this member is the active leader (else null). */
    public record View(CloudState state, Controller controller) {
        /** The active controller. @throws NotLeader if this member has none */
        public Controller leader() {
            if (controller == null) {
                throw new NotLeader();
            }
            return controller;
        }
    }

    /** The loop is saturated or stopped: try again later. */
    public static final class Busy extends RuntimeException {
        Busy(String message) {
            super(message);
        }
    }

    /** This member runs no controller: the request belongs to the leader. */
    public static final class NotLeader extends RuntimeException {
        public NotLeader() {
            super("this member is not the leader");
        }
    }

    private final ControllerFactory factory;
    /** Tell the log which session's batches the controller replays itself (set once the log exists). */
    private volatile java.util.function.Consumer<Session> sessionStarted = s -> { };
    private volatile java.util.function.Consumer<Session> sessionEnded = s -> { };
    /** Whether the log still has this member lead in the session's term: checked before every controller action. */
    private volatile java.util.function.Predicate<Session> leading = s -> true;
    /** The first replay that failed: the replica is no longer whole and must not lead. */
    private volatile RuntimeException replicaFailure;
    private final BlockingQueue<Runnable> logQueue = new LinkedBlockingQueue<>(MAX_LOG_QUEUED);
    private final BlockingQueue<Runnable> calls = new ArrayBlockingQueue<>(MAX_QUEUED);
    /** One permit per queued task of either queue. */
    private final Semaphore work = new Semaphore(0);
    private final Thread thread;
    private final ScheduledExecutorService ticker;
    private volatile boolean stopped;

    // --- owned by the loop thread ---
    private int logStreak;
    private CloudState state = new CloudState();
    /** The log index of the last entry whose effect is in the state. */
    private long replayedIndex;
    private Controller controller;
    private Session session;
    private Controller.Observer observer;
    /** Counters of the controllers that ended, so that totals never go backwards. */
    private Controller.Counters retired = new Controller.Counters();
    /** Published for the leadership loop and status. */
    private volatile Session activeSession;
    private volatile long activeSinceMs;

    public ControlLoop(ControllerFactory factory) {
        this.factory = factory;
        this.thread = new Thread(this::run, "phare-control-loop");
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "phare-ticker");
            t.setDaemon(true);
            return t;
        });
        thread.start();
    }

    /** How the log learns which session's batches the controller replays itself. */
    public void bind(java.util.function.Consumer<Session> started, java.util.function.Consumer<Session> ended,
                     java.util.function.Predicate<Session> stillLeading) {
        this.sessionStarted = started;
        this.sessionEnded = ended;
        this.leading = stillLeading;
    }

    /** The replay that failed on this member, or null while its replica is whole. */
    public RuntimeException replicaFailure() {
        return replicaFailure;
    }

    /** Starts the periodic failure detection and recovery (on the leader; a tick does nothing elsewhere). */
    public void start() {
        ticker.scheduleWithFixedDelay(() -> {
            try {
                call(v -> {
                    if (v.controller() != null) {
                        v.controller().tick();
                    }
                    return null;
                });
            } catch (RuntimeException e) {
                LOG.warn("tick failed: {}", e.toString());
            }
        }, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    private void run() {
        while (!stopped) {
            try {
                work.acquire();
            } catch (InterruptedException e) {
                return;
            }
            // The log's work first, but a call every FAIR_SHARE log tasks, so that reads go on under a write flood.
            Runnable task = logStreak >= FAIR_SHARE ? calls.poll() : null;
            if (task == null) {
                task = logQueue.poll();
                logStreak = task == null ? 0 : logStreak + 1;
            } else {
                logStreak = 0;
            }
            if (task == null) {
                task = calls.poll();
            }
            if (task == null) {
                continue;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("control loop task failed", e);
            }
        }
    }

    /** Runs {@code action} on the loop thread and returns its result. */
    public <T> T call(Function<View, T> action) {
        CompletableFuture<T> future = new CompletableFuture<>();
        Runnable task = () -> {
            if (future.isCancelled()) {
                return;
            }
            try {
                // Between a loss of leadership and the leadership loop stopping the controller (at most a poll),
                // nothing may act as the controller.
                Controller active = controller != null && leading.test(session) ? controller : null;
                future.complete(action.apply(new View(state, active)));
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        };
        if (stopped || !calls.offer(task)) {
            throw new Busy("the control loop is saturated or stopping (" + MAX_QUEUED + " requests waiting)");
        }
        work.release();
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

    /** Runs {@code action} with the active controller. @throws NotLeader if this member has none */
    public <T> T leader(Function<Controller, T> action) {
        return call(v -> action.apply(v.leader()));
    }

    /** Blocks while the log queue is full (Ratis then waits for the loop); drops the task once the loop stopped. */
    private void putLog(Runnable task) {
        try {
            while (!stopped) {
                if (logQueue.offer(task, 100, TimeUnit.MILLISECONDS)) {
                    work.release();
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing the log's work to the control loop", e);
        }
    }

    // ---- Replica: called by the log, in log order ----

    @Override
    public void reset(CloudState restored, long index) {
        putLog(() -> {
            if (controller != null) {
                LOG.error("a snapshot arrived while this member leads: its controller stops");
                endSession();
            }
            state = restored;
            replayedIndex = index;
            replicaFailure = null;
        });
    }

    @Override
    public void apply(long index, List<Record> batch) {
        putLog(() -> {
            if (replicaFailure != null) {
                return; // every later batch would be applied to a state missing this one
            }
            try {
                state.replayAll(batch);
            } catch (RuntimeException e) {
                replicaFailure = new IllegalStateException("log entry " + index + " cannot be replayed: " + e.getMessage(), e);
                LOG.error("the replica stops at log entry {}: {}", index, e.toString());
                if (controller != null) {
                    endSession();
                }
                return;
            }
            replayedIndex = Math.max(replayedIndex, index);
        });
    }

    // ---- leadership: called by the leadership loop ----

    /**
     * Starts a controller for {@code session} once every task queued before is done (so after every entry the log
     * handed over before this call). {@code then} runs on the loop right after, with the new controller.
     */
    public CompletableFuture<Boolean> activate(Session session, java.util.function.Consumer<Controller> then) {
        CompletableFuture<Boolean> started = new CompletableFuture<>();
        putLog(() -> {
            if (controller != null) {
                endSession();
            }
            if (replicaFailure != null) {
                started.complete(false);
                return;
            }
            sessionStarted.accept(session);
            this.session = session;
            try {
                controller = factory.create(state, session);
                if (observer != null) {
                    controller.observer(observer);
                }
                then.accept(controller);
            } catch (RuntimeException e) {
                LOG.warn("the controller of {} could not start: {}", session, e.toString());
                endSession();
                started.complete(false);
                return;
            }
            activeSession = session;
            activeSinceMs = System.currentTimeMillis();
            LOG.info("active services running ({}): {} hosts, {} instances", session, state.hosts().size(),
                    state.instances().size());
            started.complete(true);
        });
        return started;
    }

    /** Stops the controller of {@code session} (if it is the active one), after every task queued before. */
    public void deactivate(Session ended) {
        putLog(() -> {
            if (session == ended) {
                endSession();
                LOG.info("active services stopped ({})", ended);
            }
        });
    }

    /** Stops the controller; what its session appended is in the state, and the log replays its later batches. */
    private void endSession() {
        if (controller != null) {
            retired = retired.plus(controller.counters());
        }
        if (session != null) {
            replayedIndex = Math.max(replayedIndex, session.lastIndex());
            sessionEnded.accept(session);
        }
        controller = null;
        session = null;
        activeSession = null;
    }

    /** The session whose controller runs (and whose term the log still leads), or null. */
    public Session activeSession() {
        Session s = activeSession;
        return s != null && leading.test(s) ? s : null;
    }

    /** Since when (epoch ms) the current controller runs; meaningful while {@link #activeSession()} is set. */
    public long activeSinceMs() {
        return activeSinceMs;
    }

    /** Sets the observer of every controller from now on. */
    public void observer(Controller.Observer o) {
        call(v -> {
            observer = o;
            if (v.controller() != null) {
                v.controller().observer(o);
            }
            return null;
        });
    }

    /** The totals of every controller this member ran (on the loop thread). */
    public Controller.Counters counters(View v) {
        return v.controller() == null ? retired : retired.plus(v.controller().counters());
    }

    /**
     * The log index of the last entry whose effect is in the state — call it on the loop thread, with the state:
     * what a snapshot needs. With an active session the last batch it appended is in the state too.
     */
    public long replayedIndex() {
        Session s = session;
        return s == null ? replayedIndex : Math.max(replayedIndex, s.lastIndex());
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        stopped = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
