package org.phare.server.store;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.protocol.RaftClientReply;
import org.phare.core.control.Journal;
import org.phare.core.record.Record;

/**
 * One activation of the leader's controller: the journal it appends to. A session belongs to one leader term;
 * its batches are tagged with the term, the session id and a sequence number (see {@link LogEntry.Batch}).
 *
 * <p><b>Exactly one replay per batch.</b> The controller replays a batch itself when {@link #append} returns, and
 * the state machine skips the batches of the active session. When an append cannot be confirmed (timeout, lost
 * leadership), the session settles the race with the state machine under its monitor: if the batch was applied
 * (and skipped), the append succeeds after all; otherwise the session is abandoned, so that if the batch commits
 * later the replica replays it, and every later append is refused at once. An abandoned session must be
 * replaced: the leadership loop stops its controller and, if the member is still the leader, starts a new one.
 *
 * <p>{@link #append} is called by one thread only (the control loop).
 */
public final class Session implements Journal {
    private final RatisLog log;
    private final RecordStateMachine machine;
    private final long term;
    private final long id;
    private final String node;
    /** Batches proposed so far (the control loop only). */
    private long proposed;
    /** The log index of the last batch appended (the control loop only). */
    private long lastIndex;
    /** The highest sequence number applied (and skipped) by the state machine. Guarded by machine. */
    private long appliedSeq;
    /** The log index of the batch at appliedSeq. Guarded by machine. */
    private long appliedIndex;
    /** Guarded by machine. */
    private boolean abandoned;

    Session(RatisLog log, RecordStateMachine machine, long term, long id, String node) {
        this.log = log;
        this.machine = machine;
        this.term = term;
        this.id = id;
        this.node = node;
    }

    /** The leader term it belongs to. */
    public long term() {
        return term;
    }

    /** Grows with every activation, across terms: the controller's incarnation. */
    public long id() {
        return id;
    }

    /** The log index of the last batch this session appended, 0 if none. */
    public long lastIndex() {
        return lastIndex;
    }

    public boolean abandoned() {
        synchronized (machine) {
            return abandoned;
        }
    }

    boolean owns(LogEntry.Batch b) {
        return node.equals(b.node()) && b.session() == id && b.term() == term;
    }

    /** Called by the state machine, under its monitor. */
    void applied(long seq, long index) {
        appliedSeq = seq;
        appliedIndex = index;
    }

    @Override
    public void append(List<Record> batch) {
        Objects.requireNonNull(batch, "batch");
        if (abandoned()) {
            throw new LogUnavailableException("this controller's session ended (term " + term + "): a new one takes over");
        }
        long seq = ++proposed;
        byte[] bytes = LogEntry.encode(new LogEntry.Batch(term, id, node, seq, batch));
        if (bytes.length > RatisLog.MAX_BATCH_BYTES) {
            throw new IllegalArgumentException("a batch of " + batch.size() + " records encodes to " + bytes.length
                    + " bytes, more than the log's limit of " + RatisLog.MAX_BATCH_BYTES + ": split it");
        }
        String failure;
        Throwable cause = null;
        try {
            CompletableFuture<RaftClientReply> pending = log.propose(bytes);
            RaftClientReply reply = pending.get(RatisLog.APPEND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (reply.isSuccess() && RecordStateMachine.APPLIED.getContent().equals(reply.getMessage().getContent())) {
                lastIndex = reply.getLogIndex();
                return;
            }
            failure = reply.isSuccess() ? "the batch reached the log after this leader's term ended"
                    : "the log refused the batch: " + reply.getException();
            cause = reply.getException();
        } catch (TimeoutException e) {
            failure = "the log did not commit the batch within " + RatisLog.APPEND_TIMEOUT_MS / 1000 + " s (no quorum?)";
            cause = e;
        } catch (ExecutionException e) {
            failure = "the log could not commit the batch: " + e.getCause();
            cause = e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted while waiting for the log";
            cause = e;
        } catch (RuntimeException e) {
            failure = "the log did not take the batch: " + e;
            cause = e;
        }
        synchronized (machine) {
            if (appliedSeq >= seq) {
                lastIndex = appliedIndex;
                return; // applied and skipped: the caller replays it, as for any confirmed append
            }
            abandoned = true;
        }
        throw new LogUnavailableException(failure, cause);
    }

    @Override
    public String toString() {
        return "session " + id + " of " + node + " in term " + term;
    }
}
