package org.phare.server.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.phare.api.Json;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;

/**
 * Ratis's view of the record log: each committed state-machine entry is one batch of records, encoded with
 * {@link Json#encodeBatch}.
 *
 * <p>While the log is being recovered the state machine decodes every committed batch and replays it into
 * the {@code CloudState} given to {@link RatisLog#open} (the one replay path, {@link CloudState#replay}).
 * Once {@link #finishRecovery()} has been called it stops touching that state and only tracks the applied
 * index: from then on the controller replays the batches it appends itself.
 *
 * <p>No snapshots yet: {@link #takeSnapshot()} is not overridden (it takes none), the state machine storage is
 * the base class's empty one, so after a restart Ratis applies the whole log from index 0.
 *
 * <p>Threading: Ratis calls {@link #applyTransaction} and {@link #notifyTermIndexUpdated} on its single
 * state-machine updater thread, in log order. The sink, the failure and the applied index are guarded by
 * this object's monitor, which also gives the thread that calls {@link #finishRecovery()} a happens-before
 * edge with every replay done before it.
 */
final class RecordStateMachine extends BaseStateMachine {

    /** Where committed batches are replayed; null once recovery is over (or failed). Guarded by this. */
    private CloudState sink;
    /** The first batch that could not be decoded or replayed during recovery. Guarded by this. */
    private RuntimeException replayFailure;
    /** Non-empty batches replayed during recovery. Guarded by this. */
    private long replayedBatches;

    RecordStateMachine(CloudState recovered) {
        this.sink = recovered;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        synchronized (this) {
            if (sink != null) {
                try {
                    List<Record> batch = Json.decodeBatch(entry.getStateMachineLogEntry().getLogData().toByteArray());
                    sink.replayAll(batch);
                    if (!batch.isEmpty()) {
                        replayedBatches++;
                    }
                } catch (RuntimeException e) {
                    // Stop replaying: every later batch would be applied to a state missing this one.
                    replayFailure = new IllegalStateException("log entry " + entry.getIndex()
                            + " cannot be replayed: " + e.getMessage(), e);
                    sink = null;
                }
            }
            updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
            notifyAll();
        }
        return CompletableFuture.completedFuture(Message.EMPTY);
    }

    /** Metadata and configuration entries: no batch, but the applied index moves. */
    @Override
    public void notifyTermIndexUpdated(long term, long index) {
        synchronized (this) {
            super.notifyTermIndexUpdated(term, index);
            notifyAll();
        }
    }

    /** The index of the last entry applied (state-machine entries and Ratis's own entries alike). */
    long lastAppliedIndex() {
        return getLastAppliedTermIndex().getIndex();
    }

    /** Waits until the entry at {@code index} has been applied, at most {@code timeoutNanos}. */
    synchronized void awaitApplied(long index, long timeoutNanos) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (lastAppliedIndex() < index) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("log entry " + index + " not applied (last applied "
                        + lastAppliedIndex() + ")");
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /**
     * Ends recovery: later entries are no longer replayed into the recovered state.
     *
     * @return the failure that stopped the replay, or null if every batch was replayed
     */
    synchronized RuntimeException finishRecovery() {
        sink = null;
        return replayFailure;
    }

    synchronized long replayedBatches() {
        return replayedBatches;
    }
}
