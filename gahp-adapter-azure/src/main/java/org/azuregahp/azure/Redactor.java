package org.azuregahp.azure;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes credential material from text before it reaches a result line or a log: the values a
 * credential file holds (client id, tenant id, secret, certificate password), bearer tokens, and
 * anything shaped like a {@code client_secret=} or {@code Authorization:} parameter.
 */
final class Redactor {
    static final Redactor NONE = new Redactor(List.of());

    private static final Pattern BEARER = Pattern.compile("(?i)bearer\\s+[A-Za-z0-9._~+/=-]{8,}");
    private static final Pattern PARAMS = Pattern.compile(
            "(?i)(client_secret|client_assertion|password|access_token|refresh_token|sig)=[^&\\s\"']+");
    private static final int MAX_MESSAGE = 2000;

    private final List<String> values;

    Redactor(List<String> sensitive) {
        List<String> v = new ArrayList<>();
        for (String s : sensitive) {
            if (s != null && s.length() >= 4) {
                v.add(s);
            }
        }
        v.sort(Comparator.comparingInt(String::length).reversed());
        this.values = List.copyOf(v);
    }

    String clean(String text) {
        if (text == null) {
            return "";
        }
        String out = text;
        for (String v : values) {
            out = replaceIgnoreCase(out, v);
        }
        out = BEARER.matcher(out).replaceAll("Bearer ***");
        out = PARAMS.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "=***"));
        if (out.length() > MAX_MESSAGE) {
            out = out.substring(0, MAX_MESSAGE) + "...";
        }
        return out;
    }

    private static String replaceIgnoreCase(String text, String value) {
        String lowerText = text.toLowerCase(Locale.ROOT);
        String lowerValue = value.toLowerCase(Locale.ROOT);
        if (lowerText.length() != text.length() || lowerValue.length() != value.length()) {
            return text.replace(value, "***");
        }
        StringBuilder b = new StringBuilder();
        int from = 0;
        int at;
        while ((at = lowerText.indexOf(lowerValue, from)) >= 0) {
            b.append(text, from, at).append("***");
            from = at + value.length();
        }
        return b.append(text, from, text.length()).toString();
    }
}
