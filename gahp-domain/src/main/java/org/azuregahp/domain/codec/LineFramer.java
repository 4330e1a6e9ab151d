package org.azuregahp.domain.codec;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
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
 * after a stray backslash would stall the whole session.) Bytes are decoded as UTF-8 and nothing is
 * lost: each byte that is not part of valid UTF-8 becomes one lone surrogate, U+DC80..U+DCFF for
 * bytes 0x80..0xFF (as Python's {@code surrogateescape}), which no valid input decodes to, so a
 * reader can tell exactly which text held bad bytes (the engine refuses such a request id and reads
 * such values as U+FFFD). This never throws. A line longer than
 * {@code maxLineBytes} (not counting CR and LF) is not buffered beyond the limit: it is reported
 * once, as {@link FramedLine#oversized(long)}, when its LF arrives (or at {@link #finish()}).
 * Not thread-safe: one reader feeds it.
 */
public final class LineFramer {

    /** 1 MiB: the documented request line limit. */
    public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;

    private final int maxLineBytes;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
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
            line = FramedLine.of(decode(buf, (int) content), content);
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

    /** UTF-8, each bad byte kept as a lone surrogate (U+DC00 + the byte). */
    private String decode(byte[] bytes, int len) {
        int ascii = 0;
        while (ascii < len && bytes[ascii] >= 0) {
            ascii++;
        }
        if (ascii == len) {
            return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
        }
        // At most one char per byte: a bad byte is one char, a valid sequence of n bytes at most n chars.
        CharBuffer out = CharBuffer.allocate(len);
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, len);
        utf8.reset();
        while (true) {
            CoderResult r = utf8.decode(in, out, true);
            if (r.isError()) {
                for (int i = 0; i < r.length(); i++) {
                    out.put((char) (0xDC00 | (in.get() & 0xFF)));
                }
            } else {
                utf8.flush(out);
                break;
            }
        }
        out.flip();
        return out.toString();
    }
}
