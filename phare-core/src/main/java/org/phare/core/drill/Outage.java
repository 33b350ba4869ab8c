package org.phare.core.drill;

/**
 * A stretch of time during which a prober could not reach an instance (wall-clock milliseconds, as the prober saw
 * them). {@code toMs} is when it answered again, or when the probing ended if it never did ({@code recovered} false).
 */
public record Outage(String instance, long fromMs, long toMs, boolean recovered) {
    public Outage {
        if (toMs < fromMs) {
            throw new IllegalArgumentException("an outage ends after it starts: " + fromMs + " > " + toMs);
        }
    }

    public long durationMs() {
        return toMs - fromMs;
    }
}
