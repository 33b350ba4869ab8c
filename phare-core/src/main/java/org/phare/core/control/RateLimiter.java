package org.phare.core.control;

/**
 * A token bucket on an injected clock: at most {@code ratePerSecond} on average, {@code burst} at once.
 * Bounds recovery so that a large failure does not turn into a thundering herd of restarts.
 */
public final class RateLimiter {
    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long lastNanos;

    public RateLimiter(double ratePerSecond, int burst, long nowNanos) {
        if (ratePerSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("rate and burst must be positive");
        }
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.lastNanos = nowNanos;
    }

    /** Whole tokens available now. */
    public int available(long nowNanos) {
        refill(nowNanos);
        return (int) Math.floor(tokens);
    }

    public void take(int n) {
        tokens -= n;
    }

    private void refill(long nowNanos) {
        if (nowNanos > lastNanos) {
            tokens = Math.min(burst, tokens + (nowNanos - lastNanos) * ratePerNano);
            lastNanos = nowNanos;
        }
    }
}
