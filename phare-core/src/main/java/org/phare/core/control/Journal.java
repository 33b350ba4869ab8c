package org.phare.core.control;

import java.util.List;
import org.phare.core.record.Record;

/**
 * Where the controller's records go. {@link #append} returns only once the batch is durable (committed to
 * the replicated log, or kept in memory by the simulator); only then does the controller replay it into
 * its state and answer the caller.
 */
@FunctionalInterface
public interface Journal {
    void append(List<Record> batch);
}
