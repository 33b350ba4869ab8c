package org.phare.server.store;

import java.util.List;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;

/**
 * The owner of a member's state, as the log feeds it. Both methods are called on Ratis's state-machine thread,
 * in log order; an implementation hands the work to the thread that owns the state (keeping the order) and may
 * block while that thread's queue is full.
 */
public interface Replica {

    /** Start over from {@code state}: the state after the entry at {@code index} (0 for an empty log). */
    void reset(CloudState state, long index);

    /**
     * Replay a committed batch, the entry at {@code index}: every batch of the log, whoever proposed it (the local
     * leader's own included: its controller works on a copy, and only this replay makes the member's state).
     *
     * @param origin who decided it, so that a leader can tell its own batches and answer those who wait for them
     */
    void apply(long index, Origin origin, List<Record> batch);

    /**
     * Who decided a batch: the leader term and activation ({@code session}) of its controller on {@code node}, and
     * its rank in that session ({@code seq}, from 1; 0 for a barrier). All zero or null for a batch with no session.
     */
    record Origin(long term, long session, String node, long seq) {
        public static final Origin NONE = new Origin(0, 0, null, 0);
    }
}
