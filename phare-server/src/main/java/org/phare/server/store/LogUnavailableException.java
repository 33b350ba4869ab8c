package org.phare.server.store;

/**
 * The record log could not confirm that a batch is committed and durable: the log is closed, an earlier
 * append was left unconfirmed, or Ratis did not answer within the bounded time.
 *
 * <p>It does <em>not</em> mean that the batch is absent from the log: a batch whose append timed out may
 * still be committed later. The caller must therefore not answer its client as if the write failed cleanly,
 * and must not go on building on its in-memory state (which lacks the batch while the log may hold it): the
 * safe reaction is to stop serving writes and rebuild the state from the log by reopening it.
 */
public final class LogUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LogUnavailableException(String message) {
        super(message);
    }

    public LogUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
