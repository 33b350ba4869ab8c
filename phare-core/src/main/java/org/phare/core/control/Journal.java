package org.phare.core.control;

import java.util.List;
import org.phare.core.record.Record;

/**
 * Where the controller's records go. The controller decides on its own copy of the state: it replays each batch
 * there as it appends it, and goes on without waiting (KRaft's model). {@link #append} proposes the batch and returns
 * at once; the batch is durable only once it commits. Whoever drives the controller must then, for every committed
 * batch and in log order, replay it into the committed state the controller was given, and answer the callers that
 * wait for it; if batches may have been lost (a failed append, a lost leadership) the controller must be dropped and a
 * new one started from the committed state. Records appended by one call are one decision and commit together.
 */
@FunctionalInterface
public interface Journal {
    void append(List<Record> batch);
}
