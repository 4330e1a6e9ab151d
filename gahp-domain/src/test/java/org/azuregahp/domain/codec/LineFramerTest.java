package org.azuregahp.domain.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LineFramerTest {

    private static List<FramedLine> feedInChunks(LineFramer f, byte[] data, int chunk) {
        List<FramedLine> out = new ArrayList<>();
        for (int i = 0; i < data.length; i += chunk) {
            out.addAll(f.feed(data, i, Math.min(chunk, data.length - i)));
        }
        f.finish().ifPresent(out::add);
        return out;
    }

    private static List<String> texts(List<FramedLine> lines) {
        return lines.stream().map(FramedLine::text).toList();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 7, 64, 4096})
    void anyChunkSplitGivesTheSameLines(int chunk) {
        byte[] data = "COMMANDS\r\nRESPONSE_PREFIX GAHP:\r\nAZURE_PING 2 /c\\ d sub\nüñí☃😀\r\nlast"
                .getBytes(StandardCharsets.UTF_8);
        List<FramedLine> lines = feedInChunks(new LineFramer(), data, chunk);
        assertThat(texts(lines)).containsExactly("COMMANDS", "RESPONSE_PREFIX GAHP:", "AZURE_PING 2 /c\\ d sub",
                "üñí☃😀", "last");
        assertThat(lines).noneMatch(FramedLine::oversized);
        assertThat(lines.get(0).bytes()).isEqualTo(8);
    }

    @Test
    void twoLinesInOneChunkAndNothingLeftOver() {
        LineFramer f = new LineFramer();
        byte[] d = "A\r\nB\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(texts(f.feed(d, 0, d.length))).containsExactly("A", "B");
        assertThat(f.finish()).isEmpty();
    }

    @Test
    void crSplitFromItsLfIsStillDropped() {
        LineFramer f = new LineFramer();
        byte[] a = "RESULTS\r".getBytes(StandardCharsets.US_ASCII);
        assertThat(f.feed(a, 0, a.length)).isEmpty();
        assertThat(texts(f.feed(new byte[] {'\n'}, 0, 1))).containsExactly("RESULTS");
    }

    @Test
    void onlyOneCrBeforeLfIsDroppedAndLoneCrStays() {
        LineFramer f = new LineFramer();
        byte[] d = "a\r\r\nb\rc\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(texts(f.feed(d, 0, d.length))).containsExactly("a\r", "b\rc");
    }

    @Test
    void multibyteCharacterSplitAcrossChunksDecodes() {
        byte[] d = "x☃y\n".getBytes(StandardCharsets.UTF_8); // ☃ is 3 bytes
        LineFramer f = new LineFramer();
        List<FramedLine> out = new ArrayList<>();
        out.addAll(f.feed(d, 0, 2));
        out.addAll(f.feed(d, 2, 1));
        out.addAll(f.feed(d, 3, d.length - 3));
        assertThat(texts(out)).containsExactly("x☃y");
    }

    @Test
    void invalidUtf8IsKeptByteForByteAsLoneSurrogatesWithoutThrowing() {
        byte[] d = {'a', (byte) 0xC3, '(', 'b', (byte) 0xFF, '\n'};
        List<FramedLine> out = new LineFramer().feed(d, 0, d.length);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).text()).isEqualTo("a\uDCC3(b\uDCFF");
        assertThat(out.get(0).bytes()).isEqualTo(5);
    }

    @Test
    void everyKindOfBadUtf8BecomesOneLoneSurrogatePerByteAndValidTextAroundItStays() {
        // a truncated 3-byte sequence, an encoded surrogate (not allowed in UTF-8), an overlong '/',
        // a stray continuation byte, then valid multibyte text
        byte[] d = {(byte) 0xE2, (byte) 0x82, ' ', (byte) 0xED, (byte) 0xA0, (byte) 0x80, ' ', (byte) 0xC0,
                (byte) 0xAF, ' ', (byte) 0x80, ' ', (byte) 0xE2, (byte) 0x98, (byte) 0x83, '\n'};
        String text = new LineFramer().feed(d, 0, d.length).get(0).text();
        assertThat(text).endsWith(" \u2603");
        String bad = text.substring(0, text.length() - 2);
        for (String word : bad.split(" ")) {
            assertThat(word.chars()).as(word).allMatch(c -> c >= 0xDC80 && c <= 0xDCFF);
        }
        assertThat(bad.replace(" ", "")).hasSize(8);
        // valid text never decodes to a lone surrogate
        byte[] ok = "AZURE_PING 7\u00e9\ud83d\ude00 NULL s\n".getBytes(StandardCharsets.UTF_8);
        assertThat(new LineFramer().feed(ok, 0, ok.length).get(0).text()).isEqualTo("AZURE_PING 7\u00e9\ud83d\ude00 NULL s");
    }

    @Test
    void nulBytesPassThrough() {
        byte[] d = {'a', 0, 'b', '\n'};
        assertThat(texts(new LineFramer().feed(d, 0, d.length))).containsExactly("a\u0000b");
    }

    @Test
    void emptyLinesAreLines() {
        byte[] d = "\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(texts(new LineFramer().feed(d, 0, d.length))).containsExactly("", "");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 16, 1000})
    void oversizedLineIsReportedOnceThenTheNextLineIsFine(int chunk) {
        LineFramer f = new LineFramer(10);
        byte[] d = "0123456789ABCDEF\r\nRESULTS\r\n0123456789\r\n".getBytes(StandardCharsets.US_ASCII);
        List<FramedLine> lines = feedInChunks(f, d, chunk);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo(FramedLine.oversized(16));
        assertThat(lines.get(1)).isEqualTo(FramedLine.of("RESULTS", 7));
        assertThat(lines.get(2)).isEqualTo(FramedLine.of("0123456789", 10)); // exactly the limit, CR not counted
    }

    @Test
    void oversizedLineIsNotBufferedBeyondTheLimit() {
        LineFramer f = new LineFramer(1024);
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'x');
        for (int i = 0; i < 1000; i++) { // 64 MB, would not fit the test's heap budget if kept
            assertThat(f.feed(chunk, 0, chunk.length)).isEmpty();
        }
        List<FramedLine> end = f.feed(new byte[] {'\n', 'o', 'k', '\n'}, 0, 4);
        assertThat(end).containsExactly(FramedLine.oversized(64L * 1024 * 1000), FramedLine.of("ok", 2));
    }

    @Test
    void unterminatedLastLineComesFromFinishWithoutItsCr() {
        LineFramer f = new LineFramer();
        byte[] d = "QUIT\r".getBytes(StandardCharsets.US_ASCII);
        assertThat(f.feed(d, 0, d.length)).isEmpty();
        assertThat(f.finish()).contains(FramedLine.of("QUIT", 4));
        assertThat(f.finish()).isEmpty();
    }

    @Test
    void oversizedUnterminatedLastLineIsReportedAtFinish() {
        LineFramer f = new LineFramer(4);
        byte[] d = "123456".getBytes(StandardCharsets.US_ASCII);
        f.feed(d, 0, d.length);
        assertThat(f.finish()).contains(FramedLine.oversized(6));
    }

    @Test
    void defaultLimitIsOneMebibyte() {
        assertThat(LineFramer.DEFAULT_MAX_LINE_BYTES).isEqualTo(1 << 20);
        assertThat(new LineFramer().maxLineBytes()).isEqualTo(1 << 20);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 1000})
    void aTrailingBackslashNeverSwallowsTheNextRequestLine(int chunk) {
        String wire = "AZURE_PING 2 NULL sub\\\r\n" + "RESULTS\\\n" + "NEXT\r\n";
        List<FramedLine> lines = feedInChunks(new LineFramer(), wire.getBytes(StandardCharsets.UTF_8), chunk);
        assertThat(texts(lines)).containsExactly("AZURE_PING 2 NULL sub\\", "RESULTS\\", "NEXT");
    }

    @Test
    void everyLfEndsALineAndOneCrBeforeItIsDropped() {
        LineFramer f = new LineFramer();
        // a\\<CR><LF>: the CR before the LF is dropped
        byte[] a = {'a', '\\', '\\', '\r', '\n'};
        assertThat(texts(f.feed(a, 0, a.length))).containsExactly("a\\\\");
        byte[] b = {'b', '\\', '\\', '\\', '\\', '\n'};
        assertThat(texts(f.feed(b, 0, b.length))).containsExactly("b\\\\\\\\");
        // y\r<LF>: the backslash escapes the letter r, nothing else
        byte[] y = {'y', '\\', 'r', '\n'};
        assertThat(texts(f.feed(y, 0, y.length))).containsExactly("y\\r");
        // z\<CR><LF>: the CR is dropped even after a backslash, which stays a lone trailing backslash
        byte[] z = {'z', '\\', '\r', '\n'};
        assertThat(texts(f.feed(z, 0, z.length))).containsExactly("z\\");
        // q\<LF>r<CR><LF>: two lines
        byte[] q = {'q', '\\', '\n', 'r', '\r', '\n'};
        assertThat(texts(f.feed(q, 0, q.length))).containsExactly("q\\", "r");
        // a CR in the middle of a line stays in it
        byte[] m = {'m', '\r', 'n', '\n'};
        assertThat(texts(f.feed(m, 0, m.length))).containsExactly("m\rn");
        assertThat(f.finish()).isEmpty();
    }

    @Test
    void theLargestLimitStillFramesOrdinaryLines() {
        LineFramer f = new LineFramer(Integer.MAX_VALUE);
        byte[] b = "VERSION\r\nQUIT\n".getBytes(StandardCharsets.UTF_8);
        assertThat(texts(f.feed(b, 0, b.length))).containsExactly("VERSION", "QUIT");
    }
}
