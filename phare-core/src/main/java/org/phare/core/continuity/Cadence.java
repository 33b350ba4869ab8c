package org.phare.core.continuity;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.LongToIntFunction;

/**
 * The crisis cell's meeting cadence: the meeting times of the level in force, each day, in the plan's time zone,
 * and the due times of actions written the way people say them. Pure: the current time is a parameter.
 */
public final class Cadence {
    /** The longest span of slots computed at once. */
    public static final Duration MAX_SPAN = Duration.ofDays(31);
    /** A meeting opened this close to a slot holds it; a slot further in the past, not held, was missed. */
    public static final long SLOT_TOLERANCE_MS = 2 * 3_600_000L;

    /** A change of the alert level: to which level, and when. (The log's level changes are such steps.) */
    public interface LevelStep {
        int to();

        long atMs();
    }

    /** A meeting time; {@code label} is the instant with the plan's offset (e.g. 2026-11-29T09:00+01:00). */
    public record Slot(long atMs, int level, String label) {}

    private Cadence() {
    }

    /**
     * The slots in {@code [fromMs, toMs)}: a time of day is a slot when the level in force at that instant (by
     * {@code history}, oldest first) lists it. The current plan's levels are used for the past too.
     */
    public static List<Slot> slots(Plan plan, List<? extends LevelStep> history, long fromMs, long toMs) {
        return slots(plan, ms -> levelAt(history, ms), fromMs, toMs);
    }

    /** The slots in {@code [fromMs, toMs)} were {@code level} in force throughout. */
    public static List<Slot> slotsAt(Plan plan, int level, long fromMs, long toMs) {
        return slots(plan, ms -> level, fromMs, toMs);
    }

    private static List<Slot> slots(Plan plan, LongToIntFunction levelAt, long fromMs, long toMs) {
        if (toMs - fromMs > MAX_SPAN.toMillis()) {
            throw new IllegalArgumentException("at most " + MAX_SPAN.toDays() + " days of meeting slots at once");
        }
        ZoneId zone = ZoneId.of(plan.timezone());
        TreeSet<String> times = new TreeSet<>();
        plan.levels().forEach(l -> times.addAll(l.meetings()));
        List<Slot> out = new ArrayList<>();
        LocalDate last = Instant.ofEpochMilli(toMs).atZone(zone).toLocalDate();
        for (LocalDate day = Instant.ofEpochMilli(fromMs).atZone(zone).toLocalDate(); !day.isAfter(last); day = day.plusDays(1)) {
            for (String t : times) {
                ZonedDateTime at = day.atTime(LocalTime.parse(t)).atZone(zone);
                long ms = at.toInstant().toEpochMilli();
                if (ms < fromMs || ms >= toMs) {
                    continue;
                }
                int level = levelAt.applyAsInt(ms);
                if (level < plan.levels().size() && plan.levels().get(level).meetings().contains(t)) {
                    out.add(new Slot(ms, level, at.toOffsetDateTime().toString()));
                }
            }
        }
        return out;
    }

    /** The level in force at {@code atMs}: the last change made at or before it (0 before any). */
    public static int levelAt(List<? extends LevelStep> history, long atMs) {
        int level = 0;
        for (LevelStep c : history) {
            if (c.atMs() > atMs) {
                break;
            }
            level = c.to();
        }
        return level;
    }

    /**
     * A due time as people write it: {@code +4h}, {@code +30m}, {@code +2d} (from now); {@code 17:00} (the next
     * such time in the plan's zone); {@code 2026-12-01T17:00} (in the plan's zone); or an instant with its offset
     * ({@code 2026-12-01T16:00Z}).
     *
     * @throws IllegalArgumentException when the text is none of these, or the time is already past
     */
    public static long due(String text, long nowMs, String timezone) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a due time is required (+4h, 17:00, 2026-12-01T17:00)");
        }
        String t = text.strip();
        ZoneId zone = ZoneId.of(timezone);
        long at;
        try {
            if (t.matches("\\+\\d{1,4}d")) {
                // days as the calendar counts them: +1d at 17:00 is 17:00 tomorrow, across a change of time too
                at = Instant.ofEpochMilli(nowMs).atZone(zone).plusDays(Long.parseLong(t.substring(1, t.length() - 1)))
                        .toInstant().toEpochMilli();
            } else if (t.startsWith("+")) {
                at = nowMs + relative(t.substring(1)).toMillis();
            } else if (t.matches("\\d{1,2}:\\d{2}")) {
                ZonedDateTime now = Instant.ofEpochMilli(nowMs).atZone(zone);
                ZonedDateTime candidate = now.toLocalDate().atTime(LocalTime.parse(t.length() == 4 ? "0" + t : t)).atZone(zone);
                at = (candidate.isAfter(now) ? candidate : candidate.plusDays(1)).toInstant().toEpochMilli();
            } else if (t.matches(".*([zZ]|[+-]\\d{2}:\\d{2})$")) {
                at = OffsetDateTime.parse(t).toInstant().toEpochMilli();
            } else {
                at = LocalDateTime.parse(t).atZone(zone).toInstant().toEpochMilli();
            }
        } catch (DateTimeException | ArithmeticException e) {
            throw new IllegalArgumentException("cannot read the due time '" + t + "': write +4h, 17:00 or 2026-12-01T17:00");
        }
        if (at <= nowMs) {
            throw new IllegalArgumentException("the due time '" + t + "' is already past");
        }
        return at;
    }

    private static Duration relative(String amount) {
        if (!amount.matches("\\d{1,4}[mh]")) {
            throw new DateTimeException("not an amount");
        }
        long n = Long.parseLong(amount.substring(0, amount.length() - 1));
        return amount.endsWith("m") ? Duration.ofMinutes(n) : Duration.ofHours(n);
    }
}
