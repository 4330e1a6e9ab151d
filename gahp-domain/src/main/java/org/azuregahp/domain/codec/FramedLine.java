package org.azuregahp.domain.codec;

import java.util.Objects;

/**
 * One line cut from the input by {@link LineFramer}.
 *
 * @param text      the decoded line without LF and without the CR before it ({@code ""} when oversized)
 * @param oversized the line was longer than the framer's limit and was not kept
 * @param bytes     the line's length in bytes, without LF and CR
 */
public record FramedLine(String text, boolean oversized, long bytes) {
    public FramedLine {
        Objects.requireNonNull(text, "text");
    }

    public static FramedLine of(String text, long bytes) {
        return new FramedLine(text, false, bytes);
    }

    public static FramedLine oversized(long bytes) {
        return new FramedLine("", true, bytes);
    }
}
