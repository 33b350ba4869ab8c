package org.phare.core.health;

import java.time.Duration;

/**
 * Timings of failure detection and fencing.
 *
 * <p>Safety rests on one inequality: {@code deadAfter > fenceAfter + fenceMargin}. An agent measures its
 * lease from the moment it <em>sent</em> the heartbeat that was acknowledged, which is before the controller
 * received it; so when the controller has heard nothing for {@code deadAfter}, the agent has been without
 * a lease for more than {@code fenceAfter + fenceMargin} and has killed its instances. The margin absorbs
 * clock-rate drift and the time the agent needs to kill.
 *
 * @param heartbeatInterval handed to agents
 * @param suspectAfter      silence after which a host is suspect (takes no new work)
 * @param fenceAfter        an agent that could not renew its lease for this long kills its instances
 * @param fenceMargin       safety margin between the agent's self-fence and the controller's verdict
 * @param deadAfter         silence after which a host is dead and its instances move
 * @param startupGrace      after the controller (re)starts, no host is judged before this has passed:
 *                          agents need time to reconnect, and the old leader may have renewed leases
 */
public record HealthConfig(Duration heartbeatInterval, Duration suspectAfter, Duration fenceAfter,
                           Duration fenceMargin, Duration deadAfter, Duration startupGrace) {

    public HealthConfig {
        requirePositive(heartbeatInterval, "heartbeatInterval");
        requirePositive(suspectAfter, "suspectAfter");
        requirePositive(fenceAfter, "fenceAfter");
        requirePositive(deadAfter, "deadAfter");
        if (fenceMargin.isNegative() || startupGrace.isNegative()) {
            throw new IllegalArgumentException("fenceMargin and startupGrace must not be negative");
        }
        if (deadAfter.compareTo(fenceAfter.plus(fenceMargin)) <= 0) {
            throw new IllegalArgumentException("deadAfter (" + deadAfter.toMillis() + " ms) must exceed fenceAfter + fenceMargin ("
                    + fenceAfter.plus(fenceMargin).toMillis() + " ms): otherwise an instance could restart before its old copy is fenced");
        }
        if (suspectAfter.compareTo(deadAfter) >= 0) {
            throw new IllegalArgumentException("suspectAfter must be shorter than deadAfter");
        }
        if (heartbeatInterval.multipliedBy(2).compareTo(fenceAfter) > 0) {
            throw new IllegalArgumentException("heartbeatInterval must be at most half of fenceAfter, so one lost heartbeat does not fence a host");
        }
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    /** Heartbeat 1 s, suspect after 2 s, fence after 3 s, margin 1 s, dead after 5 s, grace 5 s. */
    public static HealthConfig defaults() {
        return new HealthConfig(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3),
                Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(5));
    }
}
