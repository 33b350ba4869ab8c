package org.phare.server.runtime;

import org.phare.core.record.IdentityRecord;
import org.phare.core.record.TopologyRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.phare.api.Json;
import org.phare.core.control.Controller;
import org.phare.core.control.Journal;
import org.phare.core.record.Record;
import org.phare.core.record.RecordTypes;
import org.phare.core.state.CloudState;
import org.phare.server.store.RatisLog;
import org.phare.server.store.Replica;
import org.phare.server.store.LogSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns a member's state (KRaft's event-handler pattern). It holds the replica — the state the
 * log committed, replayed from every committed batch, the leader's own included — and, on the leader, the controller,
 * which decides on its own copy of that state.
 *
 * <p><b>The loop never waits on consensus.</b> A controller appends what it decides to the <em>open group</em> and
 * goes on; everything decided while callers keep coming (many requests, a whole tick of failover placements) is
 * proposed to the log as one entry (group commit), bounded in bytes ({@link #GROUP_TARGET_BYTES}, at most
 * {@link RatisLog#MAX_BATCH_BYTES}); the records of one decision never straddle two entries. A caller whose call
 * appended records is answered when its entry comes back committed and the replica has replayed it, so a read after
 * an acknowledged write sees it; a heartbeat is answered at once ({@link #callNoWait}), its reply built from the
 * committed state. At most {@link #MAX_IN_FLIGHT} entries are in flight; while {@link #MAX_READY} sealed groups wait
 * for a slot the loop takes no new call (the backlog stays bounded in bytes). If an entry fails (no quorum, lost
 * leadership), the controller stops: its callers are told the write is unconfirmed, and a new controller starts from
 * what committed.
 *
 * <p>Three queues feed it. The <b>log queue</b> carries, in log order, what the log hands the replica (batches to
 * replay, a snapshot to restart from) and the leadership changes (activate, deactivate): their relative order is what
 * makes a new controller start from a state holding every earlier entry. Ratis's thread blocks while it is full. The
 * <b>urgent queue</b> carries heartbeats and ticks, served before any other call and never held back: liveness first,
 * so that a flood of writes cannot make a live host miss its lease. The <b>call queue</b> carries the other requests.
 * At most {@link #MAX_QUEUED} calls wait in each, beyond that callers get {@link Busy} at once (503), and a caller waits
 * at most {@link #CALL_TIMEOUT_MS}. The log queue is served first, but a call every {@link #FAIR_SHARE} log tasks.
 */
public final class ControlLoop implements Replica, AutoCloseable {
    public static final int MAX_QUEUED = 10_000;
    public static final int MAX_LOG_QUEUED = 100_000;
    public static final long CALL_TIMEOUT_MS = 15_000;
    public static final long TICK_MS = 100;
    static final int FAIR_SHARE = 64;
    /** A group is sealed at this size even while callers keep coming. */
    static final int GROUP_TARGET_BYTES = 1024 * 1024;
    /** Entries proposed and not yet committed. */
    static final int MAX_IN_FLIGHT = Integer.getInteger("phare.maxInFlight", 4);
    /** Sealed groups waiting for an in-flight slot; beyond, no new call is taken. */
    static final int MAX_READY = 2;
    private static final Logger LOG = LoggerFactory.getLogger(ControlLoop.class);

    /** Makes the controller of a new session, on the loop thread, from the replica's (committed) state. */
    @FunctionalInterface
    public interface ControllerFactory {
        Controller create(CloudState committed, Journal journal, LogSession session);
    }

    /** What a call sees: the committed state, and the controller when this member is the active leader (else null). */
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
    public static class Busy extends RuntimeException {
        Busy(String message) {
            super(message);
        }
    }

    /**
     * The leader decided the write but lost its leadership (or its quorum) before the log confirmed it: it may or may
     * not have been applied. Retry; a client token makes the retry safe.
     */
    public static final class Unconfirmed extends Busy {
        Unconfirmed(String message) {
            super(message);
        }
    }

    /** This member runs no controller: the request belongs to the leader. */
    public static final class NotLeader extends RuntimeException {
        public NotLeader() {
            super("this member is not the leader");
        }
    }

    /**
     * Who may sign requests, as the committed state says: published by the loop whenever a batch changes keys,
     * accounts or regions, and read by request threads without a trip to the loop.
     */
    public record Identities(Map<String, org.phare.core.model.AccessKey> keys,
                             Map<org.phare.core.model.TenantId, org.phare.core.model.Account> accounts, java.util.Set<String> regions) {
        static Identities of(CloudState s) {
            return new Identities(Map.copyOf(s.accessKeys()), Map.copyOf(s.accounts()),
                    s.regions().keySet().stream().map(Object::toString).collect(java.util.stream.Collectors.toUnmodifiableSet()));
        }
    }

    /** Decisions proposed together as one log entry, and who waits for them. */
    private static final class Group {
        final List<byte[]> fragments = new ArrayList<>();
        final List<Runnable> onCommit = new ArrayList<>();
        final List<CompletableFuture<?>> waiters = new ArrayList<>();
        int bytes = 2;

        boolean isEmpty() {
            return fragments.isEmpty();
        }
    }

    private final ControllerFactory factory;
    /** Whether the log still has this member lead in the session's term: checked before every controller action. */
    private volatile java.util.function.Predicate<LogSession> leading = s -> true;
    /** The first replay that failed: the replica is no longer whole and must not lead. */
    private volatile RuntimeException replicaFailure;
    private final BlockingQueue<Runnable> logQueue = new LinkedBlockingQueue<>(MAX_LOG_QUEUED);
    private final BlockingQueue<Runnable> calls = new ArrayBlockingQueue<>(MAX_QUEUED);
    /** Heartbeats and ticks: served before the other calls, and never held back by the proposals. */
    private final BlockingQueue<Runnable> urgent = new ArrayBlockingQueue<>(MAX_QUEUED);
    /** One permit per queued task of either queue, plus wake-ups. */
    private final Semaphore work = new Semaphore(0);
    private final Thread thread;
    private final ScheduledExecutorService ticker;
    private volatile boolean stopped;
    private volatile Identities identities = Identities.of(new CloudState());
    /** The log format of the committed state, published for status. */
    private volatile int logFormat = 1;
    /** {@link #replayedIndex}, published for request threads; waiters for it are woken through {@link #replayedAdvanced}. */
    private volatile long publishedIndex;
    private final java.util.concurrent.locks.ReentrantLock replayedLock = new java.util.concurrent.locks.ReentrantLock();
    private final java.util.concurrent.locks.Condition replayedAdvanced = replayedLock.newCondition();
    private final java.util.concurrent.atomic.AtomicInteger replayedWaiters = new java.util.concurrent.atomic.AtomicInteger();
    private final EventFeed events = new EventFeed();

    // --- owned by the loop thread ---
    private int logStreak;
    /** Wake-ups of calls the loop could not take while the proposals backed up. */
    private int heldPermits;
    private CloudState state = new CloudState();
    /** The log index of the last entry whose effect is in the state. */
    private long replayedIndex;
    private Controller controller;
    private LogSession session;
    private Controller.Observer observer;
    private Group open = new Group();
    private final ArrayDeque<Group> ready = new ArrayDeque<>();
    private final Map<Long, Group> inFlight = new LinkedHashMap<>();
    /** The group that received the last decision, and how many decisions were appended so far. */
    private Group lastAppended;
    private long decisions;
    /** The log format of what this session appended last (it only grows): decisions are encoded in it, or later. */
    private int appendedFormat;
    private final Journal groupJournal = this::appendDecision;
    /** Counters of the controllers that ended, so that totals never go backwards. */
    private Controller.Counters retired = new Controller.Counters();
    /** Published for the leadership loop and status. */
    private volatile LogSession activeSession;
    private volatile long activeSinceMs;
    /** Group commit figures, for metrics: entries proposed and decisions they carried. */
    private volatile long entriesProposed;
    private volatile long decisionsProposed;

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

    /** How the loop learns whether the log still has this member lead in a session's term. */
    public void bind(java.util.function.Predicate<LogSession> stillLeading) {
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
                callNoWait(v -> {
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
            // The log's work first, but a call every FAIR_SHARE log tasks, so that reads go on under a write flood;
            // no call while the proposals back up (the commits free them).
            // Heartbeats and ticks (the urgent queue) come before the other calls and are never held back: liveness
            // first, so that a flood of writes cannot make a live host miss its lease.
            boolean mayCall = ready.size() < MAX_READY;
            Runnable task = logStreak >= FAIR_SHARE ? urgent.poll() : null;
            if (task == null && mayCall && logStreak >= FAIR_SHARE) {
                task = calls.poll();
            }
            if (task == null) {
                task = logQueue.poll();
                logStreak = task == null ? 0 : logStreak + 1;
            } else {
                logStreak = 0;
            }
            if (task == null) {
                task = urgent.poll();
            }
            if (task == null && mayCall) {
                task = calls.poll();
            }
            if (task == null) {
                if (!mayCall && !calls.isEmpty()) {
                    heldPermits++; // a call's wake-up, given back once calls are taken again
                }
                continue;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("control loop task failed", e);
            }
            flush();
            if (heldPermits > 0 && ready.size() < MAX_READY) {
                work.release(heldPermits);
                heldPermits = 0;
            }
        }
    }

    /**
     * Runs {@code action} on the loop thread and returns its result; if the action appended records (a write), once
     * they are committed and replayed into the replica.
     *
     * @throws Unconfirmed if the log could not confirm the write (the leader changed meanwhile)
     */
    public <T> T call(Function<View, T> action) {
        return submit(action, true);
    }

    /**
     * Runs {@code action} on the loop thread before the calls that wait for commits, and returns its result at once,
     * even if it appended records: for heartbeats and ticks.
     */
    public <T> T callNoWait(Function<View, T> action) {
        return submit(action, false);
    }

    private <T> T submit(Function<View, T> action, boolean waitForCommit) {
        CompletableFuture<T> future = new CompletableFuture<>();
        Runnable task = () -> {
            if (future.isCancelled()) {
                return;
            }
            try {
                // Between a loss of leadership and the leadership loop stopping the controller (at most a poll),
                // nothing may act as the controller.
                Controller active = controller != null && leading.test(session) ? controller : null;
                long before = decisions;
                T value = action.apply(new View(state, active));
                if (waitForCommit && decisions != before) {
                    Group g = lastAppended;
                    g.waiters.add(future);
                    g.onCommit.add(() -> future.complete(value));
                } else {
                    future.complete(value);
                }
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        };
        if (stopped || !(waitForCommit ? calls : urgent).offer(task)) {
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

    /** Runs {@code action} with the active controller, answering once its writes commit. @throws NotLeader if none */
    public <T> T leader(Function<Controller, T> action) {
        return call(v -> action.apply(v.leader()));
    }

    /**
     * Runs {@code action} once everything the active controller appended so far is committed, on the loop thread (or
     * never, if the controller stops first). Call it on the loop thread.
     */
    public void afterCommit(Runnable action) {
        if (open.isEmpty() && ready.isEmpty() && inFlight.isEmpty()) {
            action.run();
        } else if (!open.isEmpty()) {
            open.onCommit.add(action);
        } else if (!ready.isEmpty()) {
            ready.peekLast().onCommit.add(action);
        } else {
            new ArrayList<>(inFlight.values()).getLast().onCommit.add(action);
        }
    }

    // ---- the group commit, on the loop thread ----

    /** The controller's journal: one decision's records, encoded as they were decided, into the open group. */
    private void appendDecision(List<Record> records) {
        if (records.isEmpty()) {
            return;
        }
        if (session == null) {
            throw new IllegalStateException("no session: nothing may be appended");
        }
        // In the format in force: that of the committed state, or the one an appended decision raised it to.
        appendedFormat = RecordTypes.formatOf(records, Math.max(state.logFormat(), appendedFormat));
        byte[] fragment = Json.encodeBatch(records, appendedFormat);
        if (!open.isEmpty() && open.bytes + fragment.length + 1 > RatisLog.MAX_BATCH_BYTES - 1024) {
            seal();
        }
        open.fragments.add(fragment);
        open.bytes += fragment.length + 1;
        lastAppended = open;
        decisions++;
        if (open.bytes >= GROUP_TARGET_BYTES) {
            seal();
        }
    }

    private void seal() {
        if (!open.isEmpty()) {
            ready.add(open);
            open = new Group();
        }
    }

    /** After every task: seal the open group once no caller waits, and propose what the in-flight bound allows. */
    private void flush() {
        if (session == null) {
            return;
        }
        if ((calls.isEmpty() && urgent.isEmpty()) || ready.size() >= MAX_READY) {
            seal();
        }
        while (!ready.isEmpty() && inFlight.size() < MAX_IN_FLIGHT) {
            propose(ready.poll());
        }
    }

    private void propose(Group g) {
        LogSession s = session;
        LogSession.Proposal p;
        try {
            p = s.propose(g.fragments);
        } catch (RuntimeException e) {
            // Too large for one entry (a single decision over the limit) or a closed log: nothing was sent.
            LOG.error("a batch could not be proposed: {}", e.toString());
            fail(g, "the log did not take the write: " + e.getMessage());
            endSession();
            return;
        }
        inFlight.put(p.seq(), g);
        entriesProposed++;
        decisionsProposed += g.fragments.size();
        p.committed().whenComplete((index, error) -> {
            if (error != null) {
                putLog(() -> proposalFailed(s, p.seq(), error));
            }
        });
    }

    private void proposalFailed(LogSession s, long seq, Throwable error) {
        if (session != s) {
            return; // that controller already stopped
        }
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
        LOG.warn("the log could not confirm batch {} of {}: {}; its controller stops", seq, s, cause.toString());
        endSession();
    }

    private static void fail(Group g, String why) {
        for (CompletableFuture<?> f : g.waiters) {
            f.completeExceptionally(new Unconfirmed(why + "; the write may or may not have been applied: retry (a client"
                    + " token makes it safe)"));
        }
        g.waiters.clear();
        g.onCommit.clear();
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
            identities = Identities.of(state);
            logFormat = state.logFormat();
            publishReplayed();
        });
    }

    @Override
    public void apply(long index, Origin origin, List<Record> batch) {
        putLog(() -> {
            if (replicaFailure != null) {
                return; // every later batch would be applied to a state missing this one
            }
            List<org.phare.core.report.Events.Event> told = new ArrayList<>();
            try {
                for (Record r : batch) {
                    org.phare.core.report.Events.Event e = org.phare.core.report.Events.describe(state, r);
                    if (e != null) {
                        told.add(e);
                    }
                    state.replay(r);
                }
            } catch (RuntimeException e) {
                replicaFailure = new IllegalStateException("log entry " + index + " cannot be replayed: " + e.getMessage(), e);
                LOG.error("the replica stops at log entry {}: {}", index, e.toString());
                if (controller != null) {
                    endSession();
                }
                return;
            }
            replayedIndex = Math.max(replayedIndex, index);
            logFormat = state.logFormat();
            publishReplayed();
            events.add(index, told);
            if (session != null) {
                told.forEach(EventLog::log); // the leader logs them, once, as they commit
            }
            for (Record r : batch) {
                if (r instanceof IdentityRecord.AccessKeyCreated || r instanceof IdentityRecord.AccessKeyRevoked
                        || r instanceof IdentityRecord.AccountCreated || r instanceof TopologyRecord.RegionDefined) {
                    identities = Identities.of(state);
                    break;
                }
            }
            if (session != null && origin.seq() > 0 && session.owns(origin)) {
                committed(origin.seq(), batch);
            }
        });
    }

    /** The active session's batch {@code seq} is in the replica: its callers get their answers. */
    private void committed(long seq, List<Record> batch) {
        Group g = inFlight.remove(seq);
        if (g == null) {
            return;
        }
        for (Runnable r : g.onCommit) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.error("an action after a commit failed", e);
            }
        }
    }

    // ---- leadership: called by the leadership loop ----

    /**
     * Starts a controller for {@code session} once every task queued before is done (so after every entry the log
     * handed over before this call). {@code then} runs on the loop right after, with the new controller.
     */
    public CompletableFuture<Boolean> activate(LogSession session, java.util.function.Consumer<Controller> then) {
        CompletableFuture<Boolean> started = new CompletableFuture<>();
        putLog(() -> {
            if (controller != null) {
                endSession();
            }
            if (replicaFailure != null) {
                started.complete(false);
                return;
            }
            this.session = session;
            this.appendedFormat = 0;
            try {
                controller = factory.create(state, groupJournal, session);
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
    public void deactivate(LogSession ended) {
        putLog(() -> {
            if (session == ended) {
                endSession();
                LOG.info("active services stopped ({})", ended);
            }
        });
    }

    /**
     * Stops the controller and drops its own state; whatever of its batches commits later is replayed like anyone's.
     * Its callers still waiting are told their write is unconfirmed.
     */
    private void endSession() {
        if (controller != null) {
            retired = retired.plus(controller.counters());
        }
        String why = "the leader stopped (lost leadership or quorum) before the log confirmed the write";
        fail(open, why);
        ready.forEach(g -> fail(g, why));
        inFlight.values().forEach(g -> fail(g, why));
        open = new Group();
        ready.clear();
        inFlight.clear();
        lastAppended = null;
        controller = null;
        session = null;
        activeSession = null;
    }

    /** The session whose controller runs (and whose term the log still leads), or null. */
    public LogSession activeSession() {
        LogSession s = activeSession;
        return s != null && leading.test(s) ? s : null;
    }

    /** The events the committed log told, for those who follow them. */
    public EventFeed events() {
        return events;
    }

    /** Keys, accounts and regions as committed: any thread may read them, without waiting for the loop. */
    public Identities identities() {
        return identities;
    }

    /** Whether {@code s}'s controller still runs (the loop ends a session whose batch the log could not confirm). */
    public boolean running(LogSession s) {
        return activeSession == s;
    }

    /** Since when (epoch ms) the current controller runs; meaningful while {@link #activeSession()} is set. */
    public long activeSinceMs() {
        return activeSinceMs;
    }

    /** Log entries proposed so far by this member's controllers, and the decisions they carried. */
    public long[] groupCommits() {
        return new long[] {entriesProposed, decisionsProposed};
    }

    /** Sets the observer of every controller from now on. */
    public void observer(Controller.Observer o) {
        callNoWait(v -> {
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

    /** The log format in force, as far as this member replayed (any thread). */
    public int logFormat() {
        return logFormat;
    }

    /** Publishes the replayed index to request threads, and wakes those waiting for it. */
    private void publishReplayed() {
        publishedIndex = replayedIndex;
        if (replayedWaiters.get() > 0) {
            replayedLock.lock();
            try {
                replayedAdvanced.signalAll();
            } finally {
                replayedLock.unlock();
            }
        }
    }

    /**
     * The log index of the last entry whose effect is in the state, as published to any thread: a call submitted
     * after reading it sees at least that entry. After an acknowledged write, at least the index of its entry.
     */
    public long replayed() {
        return publishedIndex;
    }

    /**
     * Waits until the state holds the log entry {@code index} (a call submitted afterwards sees it), at most
     * {@code timeoutMs}. @return whether it does
     */
    public boolean awaitReplayed(long index, long timeoutMs) throws InterruptedException {
        if (publishedIndex >= index) {
            return true;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        replayedWaiters.incrementAndGet();
        replayedLock.lock();
        try {
            while (publishedIndex < index) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || stopped) {
                    return false;
                }
                replayedAdvanced.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
            return true;
        } finally {
            replayedLock.unlock();
            replayedWaiters.decrementAndGet();
        }
    }

    /** The log index of the last entry whose effect is in the state (call it on the loop thread): what a snapshot needs. */
    public long replayedIndex() {
        return replayedIndex;
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
