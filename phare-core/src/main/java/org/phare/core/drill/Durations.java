package org.phare.core.drill;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as a drill file writes them: a whole number and one unit, {@code 500ms}, {@code 30s}, {@code 5m},
 * {@code 2h}, {@code 1d}. One unit only, so that "1h30m" is written {@code 90m} and a reader never has to add.
 */
public final class Durations {
    private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");
    private static final long[] UNITS_MS = {86_400_000, 3_600_000, 60_000, 1000, 1};
    private static final String[] UNITS = {"d", "h", "m", "s", "ms"};

    private Durations() {
    }

    /** @return the duration in milliseconds, or -1 when the text is not of that form */
    public static long parseMs(String text) {
        Matcher m = text == null ? null : FORM.matcher(text.strip());
        if (m == null || !m.matches()) {
            return -1;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1000;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            default -> n * 86_400_000;
        };
    }

    /** The largest unit that writes it exactly: 90000 gives {@code 90s}, 5400000 gives {@code 90m}, 0 gives {@code 0s}. */
    public static String format(long ms) {
        if (ms == 0) {
            return "0s";
        }
        for (int i = 0; i < UNITS_MS.length; i++) {
            if (ms % UNITS_MS[i] == 0) {
                return ms / UNITS_MS[i] + UNITS[i];
            }
        }
        throw new IllegalStateException("unreachable: every whole number of milliseconds is written in ms");
    }
}
