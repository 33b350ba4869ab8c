package org.phare.core.control;

import org.phare.core.record.ClusterRecord;
import java.util.List;
import org.phare.core.record.RecordTypes;
import org.phare.core.state.CloudState;

/**
 * The cloud's own writes: the salt its ids derive from, and the log format in force.
 *
 * <p>Pure: {@code (state, command, now) -> (records, result)}; they validate, decide and return the records to
 * append, never changing the state (the caller replays the records once committed).
 */
public final class ClusterWrites {

    private ClusterWrites() {}

    /**
     * The cloud's id salt, drawn by the server when it creates the cloud: accepted once, before any id was derived
     * (a later change could give an id already given).
     */
    public static Decision setIdSalt(CloudState state, Command.SetIdSalt c) {
        if (state.idSalt() == c.salt()) {
            return new Decision(List.of(), Result.ok(c.salt()));
        }
        if (state.idSalt() != 0 || state.instanceSeq() != 0 || state.keyPairSeq() != 0) {
            return Decision.reject("Conflict", "the cloud's id salt is set once, before the first instance or key pair");
        }
        return new Decision(List.of(new ClusterRecord.IdSaltSet(c.salt())), Result.ok(c.salt()));
    }

    /**
     * Raises the log format. Idempotent (raising to the format in force, or below it, changes nothing and answers the
     * format in force); refused beyond what this release writes. That every member of the group reads the new format
     * is the caller's to check, since only the server knows the members.
     */
    public static Decision raiseLogFormat(CloudState state, Command.RaiseLogFormat c, long nowMs) {
        if (c.to() < 1 || c.to() > RecordTypes.CURRENT_FORMAT) {
            return Decision.reject("InvalidParameterValue", "log format " + c.to() + " does not exist: this release knows formats 1 to "
                    + RecordTypes.CURRENT_FORMAT);
        }
        if (c.to() <= state.logFormat()) {
            return new Decision(List.of(), Result.ok(state.logFormat()));
        }
        return new Decision(List.of(new ClusterRecord.LogFormatRaised(c.to(), c.by(), nowMs)), Result.ok(c.to()));
    }
}
