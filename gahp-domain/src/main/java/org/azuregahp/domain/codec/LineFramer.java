package org.azuregahp.domain.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Cuts raw input bytes, fed in chunks of any size, into lines.
 *
 * <p>Every LF ends a line, even one right after a backslash, and one CR right before it is dropped.
 * So each request line gets its own return line whatever it holds: a line ending in a lone backslash
 * (a truncated escape) never swallows the next request. (The protocol would let an argument carry an
 * escaped line break; HTCondor's gridmanager never sends one, and a reader that waited for more input
 * after a stray backslash would stall the whole session.) Bytes are decoded as UTF-8
 * leniently (malformed input becomes U+FFFD; this never throws). A line longer than
 * {@code maxLineBytes} (not counting CR and LF) is not buffered beyond the limit: it is reported
 * once, as {@link FramedLine#oversized(long)}, when its LF arrives (or at {@link #finish()}).
 * Not thread-safe: one reader feeds it.
 */
public final class LineFramer {

    /** 1 MiB: the documented request line limit. */
    public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;

    private final int maxLineBytes;
    private byte[] buf = new byte[256];
    /** Bytes kept in {@link #buf}; at most {@code maxLineBytes + 1} (room for a CR). */
    private int kept;
    /** Bytes seen in the current line, kept or not. */
    private long seen;
    private boolean overflow;
    /** The previous byte was a CR. */
    private boolean bareCr;

    public LineFramer() {
        this(DEFAULT_MAX_LINE_BYTES);
    }

    public LineFramer(int maxLineBytes) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be positive");
        }
        this.maxLineBytes = maxLineBytes;
    }

    public int maxLineBytes() {
        return maxLineBytes;
    }

    /** Feeds {@code len} bytes from {@code data[off]}; answers the lines completed by them, in order. */
    public List<FramedLine> feed(byte[] data, int off, int len) {
        if (off < 0 || len < 0 || off + len > data.length) {
            throw new IndexOutOfBoundsException("bad offset or length");
        }
        List<FramedLine> out = new ArrayList<>(2);
        int end = off + len;
        int start = off;
        for (int i = off; i < end; i++) {
            byte b = data[i];
            if (b == '\n') {
                append(data, start, i - start);
                out.add(cut());
                start = i + 1;
            } else {
                bareCr = b == '\r';
            }
        }
        append(data, start, end - start);
        return out;
    }

    /** At end of input: the unterminated last line, if any bytes of one arrived. */
    public Optional<FramedLine> finish() {
        if (seen == 0) {
            return Optional.empty();
        }
        return Optional.of(cut());
    }

    private void append(byte[] data, int off, int len) {
        if (len == 0) {
            return;
        }
        seen += len;
        if (overflow) {
            return;
        }
        long room = (long) maxLineBytes + 1 - kept;
        if (len > room) {
            overflow = true;
            return;
        }
        if (kept + len > buf.length) {
            long grown = Math.max(2L * buf.length, (long) kept + len);
            buf = Arrays.copyOf(buf, (int) Math.min(Math.min((long) maxLineBytes + 1, grown), Integer.MAX_VALUE - 8));
        }
        System.arraycopy(data, off, buf, kept, len);
        kept += len;
    }

    private FramedLine cut() {
        long content = bareCr ? seen - 1 : seen;
        FramedLine line;
        if (overflow || content > maxLineBytes) {
            line = FramedLine.oversized(content);
        } else {
            line = FramedLine.of(new String(buf, 0, (int) content, StandardCharsets.UTF_8), content);
        }
        kept = 0;
        seen = 0;
        overflow = false;
        bareCr = false;
        if (buf.length > 64 * 1024) {
            buf = new byte[256];
        }
        return line;
    }
}
