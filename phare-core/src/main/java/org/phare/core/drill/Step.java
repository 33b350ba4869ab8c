package org.phare.core.drill;

import java.util.Objects;

/**
 * One step of a drill's timeline.
 *
 * @param atMs  when, counted from the drill's start
 * @param fault what it does
 */
public record Step(long atMs, Fault fault) {
    public Step {
        if (atMs < 0) {
            throw new IllegalArgumentException("a step's offset cannot be negative: " + atMs);
        }
        Objects.requireNonNull(fault, "fault");
    }
}
