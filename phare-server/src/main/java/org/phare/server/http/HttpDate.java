package org.phare.server.http;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The {@code Date} header of every answer (RFC 1123, second resolution), formatted once per second: formatting it
 * for each request was 1.5 % of a loaded leader's CPU.
 */
final class HttpDate {
    private record Formatted(long epochSecond, String value) {}

    private final Clock clock;
    private volatile Formatted last = new Formatted(Long.MIN_VALUE, "");

    HttpDate(Clock clock) {
        this.clock = clock;
    }

    String now() {
        long second = clock.instant().getEpochSecond();
        Formatted f = last;
        if (f.epochSecond() != second) {
            f = new Formatted(second, DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    Instant.ofEpochSecond(second).atOffset(ZoneOffset.UTC)));
            last = f;
        }
        return f.value();
    }
}
