package org.azuregahp.domain.codec;

import java.util.ArrayList;
import java.util.List;

/**
 * The GAHP argument codec: escaping, splitting and joining of protocol lines.
 *
 * <p>Writers escape backslash, space, CR and LF with a backslash. Readers turn backslash + any
 * character into that character. Splitting follows HTCondor's own GAHP parser:
 * <ul>
 *   <li>every unescaped single space separates two arguments, so consecutive spaces produce
 *       empty arguments ({@code "A  B"} is {@code [A, "", B]}) and a trailing space produces an
 *       empty last argument ({@code "RESPONSE_PREFIX "} is {@code [RESPONSE_PREFIX, ""]});</li>
 *   <li>the result always has at least one element ({@code ""} splits to {@code [""]}), so
 *       {@code split(join(args))} gives {@code args} back for every non-empty list;</li>
 *   <li>a lone backslash at the very end of a line cannot escape anything; it is <b>kept
 *       literally</b> as part of the last argument (HTCondor drops it; keeping it loses nothing).</li>
 * </ul>
 * Nothing here throws on any input.
 */
public final class GahpCodec {

    private GahpCodec() {
    }

    /** Escapes one argument: backslash, space, CR and LF each get a backslash before them. */
    public static String escape(String arg) {
        if (arg == null) {
            return "NULL";
        }
        StringBuilder b = null;
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (c == '\\' || c == ' ' || c == '\r' || c == '\n') {
                if (b == null) {
                    b = new StringBuilder(arg.length() + 8);
                    b.append(arg, 0, i);
                }
                b.append('\\');
            }
            if (b != null) {
                b.append(c);
            }
        }
        return b == null ? arg : b.toString();
    }

    /** Splits a request or result line (without its line end) into unescaped arguments. Total. */
    public static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        if (line == null) {
            out.add("");
            return out;
        }
        StringBuilder cur = new StringBuilder();
        int n = line.length();
        for (int i = 0; i < n; i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                if (i + 1 < n) {
                    cur.append(line.charAt(++i));
                } else {
                    cur.append('\\');
                }
            } else if (c == ' ') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    /** Escapes every argument and joins them with single spaces; a null argument becomes {@code NULL}. */
    public static String join(List<String> args) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) {
                b.append(' ');
            }
            b.append(escape(args.get(i)));
        }
        return b.toString();
    }

    /** The UTF-8 length of {@code s} without encoding it (a lone surrogate counts 3, an upper bound). */
    public static long utf8Length(String s) {
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

    /** {@link #join(List)} for varargs. */
    public static String join(String... args) {
        return join(java.util.Arrays.asList(args));
    }
}
