package org.azuregahp.cli;

import java.time.Duration;
import java.util.Locale;

/** Parses the durations the command line takes: {@code 0}, {@code 250ms}, {@code 2s}, {@code 1m}, {@code 1h}. */
final class Durations {

    private Durations() {
    }

    /**
     * A non-negative duration: a whole number followed by {@code ms}, {@code s}, {@code m} or {@code h};
     * a bare number means seconds ({@code 0} is zero).
     *
     * @throws IllegalArgumentException with a message fit for the user when the text is not such a duration
     */
    static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        int digits = 0;
        while (digits < t.length() && t.charAt(digits) >= '0' && t.charAt(digits) <= '9') {
            digits++;
        }
        String unit = t.substring(digits);
        if (digits == 0 || digits > 9 || !(unit.isEmpty() || unit.equals("ms") || unit.equals("s")
                || unit.equals("m") || unit.equals("h"))) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (examples: 0, 250ms, 2s, 1m, 1h)");
        }
        long n = Long.parseLong(t.substring(0, digits));
        if (unit.isEmpty()) {
            unit = "s";
        }
        switch (unit) {
            case "ms":
                return Duration.ofMillis(n);
            case "s":
                return Duration.ofSeconds(n);
            case "m":
                return Duration.ofMinutes(n);
            default:
                return Duration.ofHours(n);
        }
    }

    /** The shortest text {@link #parse} reads back as the same duration. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
