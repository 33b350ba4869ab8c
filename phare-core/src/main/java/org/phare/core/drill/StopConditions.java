package org.phare.core.drill;

/**
 * When a drill stops early, every fault healed at once (an {@code abort} command always does).
 *
 * @param maxInstancesDown stop when more instances in scope than this are not running at once; 0: no such limit
 */
public record StopConditions(int maxInstancesDown) {
    public static final StopConditions NONE = new StopConditions(0);

    public StopConditions {
        if (maxInstancesDown < 0) {
            throw new IllegalArgumentException("maxInstancesDown cannot be negative");
        }
    }
}
