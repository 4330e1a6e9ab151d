package org.azuregahp.cli;

import java.util.ArrayList;
import java.util.List;

import org.azuregahp.domain.codec.GahpCodec;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;

/**
 * A JLine parser that understands GAHP escaping and changes nothing: the line {@code readLine}
 * returns is exactly what was typed (backslashes kept, no continuation prompt for a trailing
 * backslash). Words are split on unescaped spaces only for completion; a word's value is its
 * unescaped text, and completed candidates are inserted escaped.
 */
final class GahpLineParser implements Parser {

    @Override
    public ParsedLine parse(String line, int cursor, ParseContext context) {
        List<String> words = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        List<Integer> ends = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        int start = 0;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(i + 1));
                i += 2;
            } else if (c == ' ') {
                words.add(word.toString());
                starts.add(start);
                ends.add(i);
                word.setLength(0);
                start = i + 1;
                i++;
            } else {
                word.append(c);
                i++;
            }
        }
        words.add(word.toString());
        starts.add(start);
        ends.add(line.length());

        int index = words.size() - 1;
        for (int w = 0; w < words.size(); w++) {
            if (cursor >= starts.get(w) && cursor <= ends.get(w)) {
                index = w;
                break;
            }
        }
        int rawStart = starts.get(index);
        int rawCursor = Math.max(0, Math.min(cursor, ends.get(index)) - rawStart);
        String rawBeforeCursor = line.substring(rawStart, rawStart + rawCursor);
        int wordCursor = unescape(rawBeforeCursor).length();
        return new Line(line, cursor, words, index, wordCursor, rawCursor, ends.get(index) - rawStart);
    }

    /** GAHP escapes are not JLine's: a backslash is never an escape to JLine itself. */
    @Override
    public boolean isEscapeChar(char ch) {
        return false;
    }

    static String unescape(String raw) {
        StringBuilder sb = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length()) {
                sb.append(raw.charAt(++i));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Escaping belongs to the protocol's one codec. */
    static String escape(CharSequence text) {
        return GahpCodec.escape(text.toString());
    }

    private record Line(String line, int cursor, List<String> words, int wordIndex, int wordCursor,
            int rawWordCursor, int rawWordLength) implements CompletingParsedLine {

        @Override
        public String word() {
            return words.get(wordIndex);
        }

        @Override
        public CharSequence escape(CharSequence candidate, boolean complete) {
            return GahpLineParser.escape(candidate);
        }
    }
}
