package org.phare.core.record;

/**
 * The cloud's own bookkeeping: the salt its ids derive from, and which log format is in force. A member emits no record of a type that the
 * format in force does not hold (see {@link RecordTypes#since}), so that every member can read every entry.
 */
public sealed interface ClusterRecord extends Record {

    /**
     * The salt from which the cloud derives its ids (instances, reservations, key pairs), drawn when the cloud was
     * created so that two clouds do not give the same ids. A log without it derives them with salt 0.
     */
    record IdSaltSet(long salt) implements ClusterRecord {}

    /**
     * The log format in force rose to {@code format}: every member runs a version that reads it (checked by whoever
     * decided it), and from now on records introduced by that format may be written.
     */
    record LogFormatRaised(int format, String by, long atMs) implements ClusterRecord {}
}
