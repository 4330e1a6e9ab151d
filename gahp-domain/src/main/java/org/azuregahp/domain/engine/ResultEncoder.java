package org.azuregahp.domain.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.azuregahp.domain.codec.GahpCodec;
import org.azuregahp.ports.CloudException;

/**
 * The one place result lines are made: {@code <id> NULL [fields...]} on success (a null field is
 * written {@code NULL}), {@code <id> <error>} on failure, every argument escaped so the field count
 * is always right.
 */
public final class ResultEncoder {

    private ResultEncoder() {
    }

    public static String success(String requestId, List<String> fields) {
        List<String> all = new ArrayList<>(fields.size() + 2);
        all.add(requestId);
        all.add("NULL");
        all.addAll(fields);
        return GahpCodec.join(all);
    }

    /**
     * An error result; an empty or {@code NULL} text (it would read as success) becomes {@code UnknownError}.
     * Line breaks and other control characters in the text become spaces: escaping would keep the field
     * count right, but a reader that splits on LF (a log, a careless script, a hold reason shown on one
     * line) would still see two lines.
     */
    public static String error(String requestId, String errorText) {
        return GahpCodec.join(List.of(requestId, shownText(errorText)));
    }

    private static String shownText(String errorText) {
        return errorText == null || errorText.isBlank() || errorText.equals("NULL") ? "UnknownError"
                : oneLine(errorText);
    }

    /**
     * As {@link #error(String, String)}, but the whole line is at most {@code maxLineBytes} UTF-8 bytes
     * (the gridmanager aborts on a line over its ~500 KB buffer): a longer text is shortened in the
     * middle, keeping its start (the error code) and its end (e.g. {@code could not be found.}, which
     * the gridmanager looks for), with {@code [... N bytes left out ...]} between them. A request id
     * too long to leave room for any text is the caller's to refuse; the line is then returned as is.
     */
    public static String error(String requestId, String errorText, long maxLineBytes) {
        String line = error(requestId, errorText);
        if (utf8Length(line) <= maxLineBytes) {
            return line;
        }
        String text = shownText(errorText);
        long room = maxLineBytes - utf8Length(GahpCodec.escape(requestId)) - 1;
        // Escaped bytes of each code point, so the budget is measured as written.
        int[] cps = text.codePoints().toArray();
        long total = 0;
        for (int cp : cps) {
            total += escapedBytes(cp);
        }
        // the marker's own length depends on the count; 64 bytes covers it with room to spare
        long keep = room - 64;
        if (keep < 2) {
            return line;
        }
        long headRoom = keep / 2;
        long tailRoom = keep - headRoom;
        int head = 0;
        long used = 0;
        while (head < cps.length && used + escapedBytes(cps[head]) <= headRoom) {
            used += escapedBytes(cps[head++]);
        }
        int tail = cps.length;
        long tailUsed = 0;
        while (tail > head && tailUsed + escapedBytes(cps[tail - 1]) <= tailRoom) {
            tailUsed += escapedBytes(cps[--tail]);
        }
        long leftOut = 0;
        for (int i = head; i < tail; i++) {
            leftOut += utf8Bytes(cps[i]);
        }
        String shortened = new String(cps, 0, head) + " [... " + leftOut + " bytes left out ...] "
                + new String(cps, tail, cps.length - tail);
        return GahpCodec.join(List.of(requestId, shortened));
    }

    private static int escapedBytes(int cp) {
        return (cp == '\\' || cp == ' ' || cp == '\r' || cp == '\n' ? 1 : 0) + utf8Bytes(cp);
    }

    private static int utf8Bytes(int cp) {
        return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }

    static String oneLine(String text) {
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                if (b == null) {
                    b = new StringBuilder(text.length()).append(text, 0, i);
                }
                b.append(' ');
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? text : b.toString();
    }

    /**
     * The error text for a failure: a {@link CloudException}'s {@link CloudException#resultText()};
     * for anything else only the class name, since other exceptions' messages are not trusted to be
     * free of secrets.
     */
    public static String errorText(Throwable failure, String commandName) {
        Throwable t = unwrap(failure);
        if (t instanceof CloudException ce) {
            return ce.resultText();
        }
        return "InternalError: " + (t == null ? "unknown failure" : t.getClass().getSimpleName())
                + " (an unexpected failure in " + commandName + "; the GAHP log may say more)";
    }

    static Throwable unwrap(Throwable t) {
        Throwable cur = t;
        int guard = 0;
        while ((cur instanceof CompletionException || cur instanceof ExecutionException) && cur.getCause() != null
                && guard++ < 20) {
            cur = cur.getCause();
        }
        return cur;
    }

    /** The UTF-8 length of {@code s} without encoding it. */
    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
