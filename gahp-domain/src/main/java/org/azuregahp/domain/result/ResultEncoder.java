package org.azuregahp.domain.result;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.azuregahp.domain.codec.GahpCodec;
import org.azuregahp.ports.ScaleSetStatus;
import org.azuregahp.ports.VmStatus;

/**
 * The one place result lines are made and read: {@code <id> NULL [fields...]} on success (a missing
 * field is written {@code NULL}), {@code <id> <error>} on failure, every argument escaped so the
 * field count is always what the client expects.
 */
public final class ResultEncoder {

    /** The status field of a success, and the value of a field that has none. */
    static final String NULL = "NULL";

    private ResultEncoder() {
    }

    /** Whether a result's status field (after the request id) says success. */
    public static boolean isSuccess(String status) {
        return NULL.equals(status);
    }

    /** The result line for {@code outcome}, without a response prefix and without any length limit. */
    public static String encode(String requestId, Outcome outcome) {
        Objects.requireNonNull(requestId, "requestId");
        if (outcome instanceof Outcome.Failed f) {
            return error(requestId, f.text());
        }
        List<String> all = new ArrayList<>();
        all.add(requestId);
        all.add(NULL);
        all.addAll(fields(outcome));
        return GahpCodec.join(all);
    }

    /**
     * A result line that fits in {@code maxLineBytes} together with the response prefix: an error is
     * shortened (see {@link #error(String, String, long)}); a success too long for one line becomes a
     * {@code ResultTooLarge} error (the gridmanager reads lines into a ~500 KB buffer and aborts on a
     * longer one).
     *
     * @param command     the command's name, for the error text
     * @param prefixBytes the UTF-8 length of the response prefix the line will carry
     */
    public static Encoded encode(String requestId, String command, Outcome outcome, long prefixBytes,
            int maxLineBytes) {
        long room = maxLineBytes - prefixBytes;
        if (outcome instanceof Outcome.Failed f) {
            return new Encoded(error(requestId, f.text(), room), outcome);
        }
        String line = encode(requestId, outcome);
        long bytes = GahpCodec.utf8Length(line) + prefixBytes;
        if (bytes <= maxLineBytes) {
            return new Encoded(line, outcome);
        }
        Outcome tooLarge = new Outcome.Failed("ResultTooLarge: the " + command + " result has " + entries(outcome)
                + " entries and " + bytes + " bytes, more than one result line may carry (" + maxLineBytes
                + " bytes); list by name or tag instead");
        return new Encoded(error(requestId, ((Outcome.Failed) tooLarge).text(), room), tooLarge);
    }

    /**
     * A result line and the outcome it says (a success too large for one line is sent as an error).
     */
    public record Encoded(String line, Outcome sent) {
    }

    private static String entries(Outcome o) {
        if (o instanceof Outcome.VmList l) {
            return Integer.toString(l.vms().size());
        }
        if (o instanceof Outcome.ScaleSetList l) {
            return Integer.toString(l.scaleSets().size());
        }
        return "1";
    }

    /** The fields after {@code NULL}, unescaped; a missing value is {@code NULL}. */
    static List<String> fields(Outcome outcome) {
        if (outcome instanceof Outcome.CreatedVm vm) {
            return List.of(vm.vmId(), orNull(vm.publicIp()));
        }
        if (outcome instanceof Outcome.VmList list) {
            List<String> out = new ArrayList<>(1 + 2 * list.vms().size());
            out.add(Integer.toString(list.vms().size()));
            for (VmStatus vm : list.vms()) {
                out.add(vm.name());
                out.add(vm.statuses().isEmpty() ? NULL : vm.statusText());
            }
            return out;
        }
        if (outcome instanceof Outcome.ScaleSetList list) {
            List<String> out = new ArrayList<>(1 + 3 * list.scaleSets().size());
            out.add(Integer.toString(list.scaleSets().size()));
            for (ScaleSetStatus s : list.scaleSets()) {
                out.add(s.name());
                out.add(Integer.toString(s.capacity()));
                out.add(s.statuses().isEmpty() ? NULL : s.statusText());
            }
            return out;
        }
        if (outcome instanceof Outcome.Done) {
            return List.of();
        }
        throw new IllegalArgumentException("not a success: " + outcome);
    }

    private static String orNull(String v) {
        return v == null || v.isEmpty() ? NULL : v;
    }

    /**
     * Reads a result's status and fields back into an {@link Outcome}: the status {@code NULL} is a
     * success whose fields must have {@code shape}'s count, anything else is the error text.
     *
     * @param status the field after the request id (unescaped)
     * @param fields the fields after the status (unescaped)
     * @throws IllegalArgumentException when the fields do not have the shape's count or form
     */
    public static Outcome decode(ResultShape shape, String status, List<String> fields) {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(status, "status");
        if (!status.equals(NULL)) {
            if (!fields.isEmpty()) {
                throw new IllegalArgumentException("an error result has one field after the request id");
            }
            return new Outcome.Failed(status);
        }
        switch (shape) {
            case DONE:
                count(fields, 0);
                return new Outcome.Done();
            case CREATED_VM:
                count(fields, 2);
                return new Outcome.CreatedVm(fields.get(0), NULL.equals(fields.get(1)) ? null : fields.get(1));
            case VM_LIST: {
                int n = listCount(fields, 2);
                List<VmStatus> vms = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    vms.add(new VmStatus(fields.get(1 + 2 * i), statuses(fields.get(2 + 2 * i))));
                }
                return new Outcome.VmList(vms);
            }
            default: {
                int n = listCount(fields, 3);
                List<ScaleSetStatus> sets = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int capacity;
                    try {
                        capacity = Integer.parseInt(fields.get(2 + 3 * i));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("a scale set's capacity is not a number", e);
                    }
                    sets.add(new ScaleSetStatus(fields.get(1 + 3 * i), capacity, statuses(fields.get(3 + 3 * i))));
                }
                return new Outcome.ScaleSetList(sets);
            }
        }
    }

    private static void count(List<String> fields, int n) {
        if (fields.size() != n) {
            throw new IllegalArgumentException("expected " + n + " fields after NULL, got " + fields.size());
        }
    }

    private static int listCount(List<String> fields, int perEntry) {
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("a list result starts with its count");
        }
        int n;
        try {
            n = Integer.parseInt(fields.get(0));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a list result's count is not a number", e);
        }
        if (n < 0 || fields.size() != 1 + (long) perEntry * n) {
            throw new IllegalArgumentException("a list of " + n + " needs " + (1 + (long) perEntry * n)
                    + " fields after NULL, got " + fields.size());
        }
        return n;
    }

    private static List<String> statuses(String field) {
        return NULL.equals(field) ? List.of() : List.of(field.split(",", -1));
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
        return errorText == null || errorText.isBlank() || errorText.equals(NULL) ? "UnknownError"
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
        if (GahpCodec.utf8Length(line) <= maxLineBytes) {
            return line;
        }
        String text = shownText(errorText);
        long room = maxLineBytes - GahpCodec.utf8Length(GahpCodec.escape(requestId)) - 1;
        // Escaped bytes of each code point, so the budget is measured as written.
        int[] cps = text.codePoints().toArray();
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
}
