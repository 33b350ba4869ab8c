package org.phare.core.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RateLimiter: a token bucket on an injected clock")
class RateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    @DisplayName("starts full: the burst is available at once")
    void startsFull() {
        assertThat(new RateLimiter(2, 5, 0).available(0)).isEqualTo(5);
    }

    @Test
    @DisplayName("refills at the rate, never above the burst")
    void refills() {
        RateLimiter limiter = new RateLimiter(2, 5, 0);
        limiter.take(5);

        assertThat(limiter.available(0)).isZero();
        assertThat(limiter.available(SECOND / 2)).isEqualTo(1);
        assertThat(limiter.available(SECOND)).isEqualTo(2);
        assertThat(limiter.available(100 * SECOND)).isEqualTo(5);
    }

    @Test
    @DisplayName("time going backwards refills nothing")
    void monotonic() {
        RateLimiter limiter = new RateLimiter(1, 3, 10 * SECOND);
        limiter.take(3);

        assertThat(limiter.available(5 * SECOND)).isZero();
        assertThat(limiter.available(11 * SECOND)).isEqualTo(1);
    }

    @Test
    @DisplayName("a rate or burst that is not positive is refused")
    void validation() {
        assertThatThrownBy(() -> new RateLimiter(0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimiter(1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
