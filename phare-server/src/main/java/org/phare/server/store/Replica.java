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

    /** Replay a committed batch, the entry at {@code index}. */
    void apply(long index, List<Record> batch);
}
