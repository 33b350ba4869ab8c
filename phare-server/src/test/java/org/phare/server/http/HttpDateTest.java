package org.phare.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HttpDateTest {
    @Test
    void formatsTheCurrentSecondAndFollowsTheClock() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-06T12:00:00.100Z"));
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        HttpDate date = new HttpDate(clock);
        assertThat(date.now()).isEqualTo("Sun, 6 Dec 2026 12:00:00 GMT");
        now.set(Instant.parse("2026-12-06T12:00:00.900Z"));
        assertThat(date.now()).isEqualTo("Sun, 6 Dec 2026 12:00:00 GMT");
        now.set(Instant.parse("2026-12-06T12:00:01.000Z"));
        assertThat(date.now()).isEqualTo("Sun, 6 Dec 2026 12:00:01 GMT");
        now.set(Instant.parse("2026-12-07T00:00:00Z"));
        assertThat(date.now()).isEqualTo("Mon, 7 Dec 2026 00:00:00 GMT");
    }
}
