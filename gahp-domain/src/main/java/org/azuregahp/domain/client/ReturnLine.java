package org.azuregahp.domain.client;

import java.util.List;
import java.util.Objects;
import org.azuregahp.domain.codec.GahpCodec;

/**
 * A line a GAHP wrote, with the response prefix removed: its first field ({@code S}, {@code E},
 * {@code R}, or a result's request id) and the rest.
 *
 * @param kind   the first field
 * @param fields the unescaped fields after it
 */
public record ReturnLine(String kind, List<String> fields) {
    public ReturnLine {
        Objects.requireNonNull(kind, "kind");
        fields = List.copyOf(fields);
    }

    /** Parses {@code line}; {@code prefix} (may be null or empty) is removed when the line starts with it. */
    public static ReturnLine parse(String line, String prefix) {
        String s = line == null ? "" : line;
        if (prefix != null && !prefix.isEmpty() && s.startsWith(prefix)) {
            s = s.substring(prefix.length());
        }
        List<String> args = GahpCodec.split(s);
        return new ReturnLine(args.get(0), args.subList(1, args.size()));
    }

    public static ReturnLine parse(String line) {
        return parse(line, null);
    }

    public boolean success() {
        return kind.equals("S");
    }

    public boolean error() {
        return kind.equals("E");
    }

    public boolean resultsNotice() {
        return kind.equals("R");
    }
}
