package org.phare.server.store;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.phare.api.Json;
import org.phare.core.record.Record;

/**
 * One activation of the leader's controller: it proposes the controller's batches, tagged with the leader term, the
 * session id and a rank ({@code seq}), so that every member applies a batch only in the term it was decided in (see
 * {@link LogEntry.Batch}) and the leader can tell its own batches when the log hands them back ({@link #owns}).
 *
 * <p>Proposing never waits: {@link #propose} returns a future that completes once the entry is committed and applied
 * (the replica has been handed it), or fails. The leader answers its callers when its replica replays their batch, not
 * when this future completes; the future tells only of failures, after which the session must end (its later batches,
 * if any commit, are replayed like anyone's).
 *
 * <p>{@link #propose} is called by one thread only (the control loop).
 */
public final class Session implements LogSession {
    private final RatisLog log;
    private final long term;
    private final long id;
    private final String node;
    /** Batches proposed so far (the control loop only). */
    private long proposed;

    Session(RatisLog log, long term, long id, String node) {
        this.log = log;
        this.term = term;
        this.id = id;
        this.node = node;
    }

    @Override
    public long term() {
        return term;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public boolean owns(Replica.Origin origin) {
        return node.equals(origin.node()) && origin.session() == id && origin.term() == term;
    }

    /** The rank the next {@link #propose} gets. */
    public long nextSeq() {
        return proposed + 1;
    }

    /**
     * Proposes the records of several decisions as one entry (a group commit), each decision encoded by
     * {@link Json#encodeBatch} as it was decided. Returns the batch's rank and a future that completes with the log
     * index once it is committed and applied, or fails (no quorum, lost leadership, a term change).
     *
     * @throws IllegalArgumentException if the entry would exceed {@link RatisLog#MAX_BATCH_BYTES}; nothing is sent
     */
    @Override
    public Proposal propose(List<byte[]> fragments) {
        Objects.requireNonNull(fragments, "fragments");
        long seq = proposed + 1;
        byte[] bytes = LogEntry.encodeGroup(term, id, node, seq, fragments);
        if (bytes.length > RatisLog.MAX_BATCH_BYTES) {
            throw new IllegalArgumentException("a batch encodes to " + bytes.length + " bytes, more than the log's limit of "
                    + RatisLog.MAX_BATCH_BYTES + ": split it");
        }
        proposed = seq;
        CompletableFuture<Long> committed = log.propose(bytes).thenApply(reply -> {
            if (!reply.isSuccess()) {
                throw new LogUnavailableException("the log refused the batch: " + reply.getException(), reply.getException());
            }
            if (!RecordStateMachine.APPLIED.getContent().equals(reply.getMessage().getContent())) {
                throw new LogUnavailableException("the batch reached the log after this leader's term ended");
            }
            return reply.getLogIndex();
        });
        return new Proposal(seq, bytes.length, committed);
    }

    /**
     * Proposes one batch and waits for its commit: for tools and tests that drive the log directly.
     *
     * @throws LogUnavailableException if it does not commit within {@link RatisLog#APPEND_TIMEOUT_MS}
     */
    public long append(List<Record> batch) {
        Proposal p = propose(List.of(Json.encodeBatch(batch)));
        try {
            return p.committed().get(RatisLog.APPEND_TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof LogUnavailableException u ? u
                    : new LogUnavailableException("the log could not commit the batch: " + e.getCause(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new LogUnavailableException("the log did not commit the batch within " + RatisLog.APPEND_TIMEOUT_MS / 1000
                    + " s (no quorum?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogUnavailableException("interrupted while waiting for the log", e);
        }
    }

    @Override
    public String toString() {
        return "session " + id + " of " + node + " in term " + term;
    }
}
