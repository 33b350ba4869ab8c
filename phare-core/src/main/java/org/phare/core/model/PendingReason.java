package org.phare.core.model;

/** Why an instance that should run has no host right now. */
public enum PendingReason {
    /** Its host failed (or was drained) and it waits for its turn in the recovery queue. */
    HOST_FAILED("HostFailed"),
    /** No host can take it without breaking a constraint; it starts, highest priority first, when capacity returns. */
    INSUFFICIENT_CAPACITY("InsufficientCapacity"),
    /** Started again by its tenant after a stop. */
    STARTING("Starting");

    private final String code;

    PendingReason(String code) {
        this.code = code;
    }

    /** Stable code shown to users. */
    public String code() {
        return code;
    }
}
