package org.phare.server;

/** The log holds records of a format this member does not read: it must not replay them, nor start on them. */
public final class UnreadableLogFormatException extends IllegalStateException {
    public UnreadableLogFormatException(String message) {
        super(message);
    }
}
