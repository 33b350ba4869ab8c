package org.phare.core.model;

import java.util.Objects;

/**
 * Typed identifiers. A {@code HostId} can never be passed where an {@code InstanceId} is expected,
 * and every id refuses blank text at construction so a bad id fails at the edge, not deep inside.
 */
public final class Ids {
    private Ids() {}

    static String require(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return value;
    }
}
