package org.phare.server.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the control loop needs of a leader's session on the log: propose an entry, and tell its own batches when the
 * log hands them back. {@link Session} is the real one; tests provide their own to hold or fail commits.
 */
public interface LogSession {

    /** The leader term it belongs to. */
    long term();

    /** Grows with every activation, across terms: the controller's incarnation. */
    long id();

    /** Whether this session decided the batch. */
    boolean owns(Replica.Origin origin);

    /**
     * Proposes the records of several decisions as one entry, each a JSON array of records as {@code Json.encodeBatch}
     * writes it. The future completes once the entry is committed and applied, or fails.
     *
     * @throws IllegalArgumentException if the entry would be too large for the log; nothing is sent
     */
    Proposal propose(List<byte[]> fragments);

    /** A proposed entry: its rank in the session, its size, and when it commits. */
    record Proposal(long seq, int bytes, CompletableFuture<Long> committed) {}
}
