package org.phare.core.control;

/** The answer to a command: a value, or a stable error code with a precise message. */
public sealed interface Result {

    record Ok(Object value) implements Result {}

    /**
     * @param code stable, documented: {@code InvalidParameterValue}, {@code NotFound}, {@code Conflict},
     *             {@code InsufficientCapacity}, {@code FailoverReserve}, {@code AntiAffinity}, {@code NoHosts}
     * @param partial what was done before the failure (e.g. instances already placed), or null
     */
    record Rejected(String code, String message, Object partial) implements Result {
        public Rejected(String code, String message) {
            this(code, message, null);
        }
    }

    static Result ok(Object value) {
        return new Ok(value);
    }

    default boolean isOk() {
        return this instanceof Ok;
    }
}
