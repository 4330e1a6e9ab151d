package org.azuregahp.domain.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GahpCodecTest {

    static Stream<Arguments> escapes() {
        return Stream.of(
                Arguments.of("plain", "plain"),
                Arguments.of("", ""),
                Arguments.of("a b", "a\\ b"),
                Arguments.of("a\\b", "a\\\\b"),
                Arguments.of("a\\", "a\\\\"),
                Arguments.of("line1\nline2", "line1\\\nline2"),
                Arguments.of("cr\rhere", "cr\\\rhere"),
                Arguments.of("end ", "end\\ "),
                Arguments.of("QuotaExceeded: stub says no", "QuotaExceeded:\\ stub\\ says\\ no"),
                Arguments.of("grüße ☃ 😀", "grüße\\ ☃\\ 😀"),
                Arguments.of("tab\tstays", "tab\tstays"));
    }

    @ParameterizedTest
    @MethodSource("escapes")
    void escapesBackslashSpaceCrAndLfOnly(String raw, String escaped) {
        assertThat(GahpCodec.escape(raw)).isEqualTo(escaped);
        assertThat(GahpCodec.split(escaped)).containsExactly(raw);
    }

    static Stream<Arguments> splits() {
        return Stream.of(
                Arguments.of("A B C", List.of("A", "B", "C")),
                Arguments.of("a\\\\ b", List.of("a\\", "b")),
                Arguments.of("a\\ b", List.of("a b")),
                Arguments.of("a\\ ", List.of("a ")),
                Arguments.of("x a\\ ", List.of("x", "a ")),
                Arguments.of("trailing\\", List.of("trailing\\")),
                Arguments.of("a\\\\", List.of("a\\")),
                Arguments.of("\\q\\u\\o", List.of("quo")),
                Arguments.of("A  B", List.of("A", "", "B")),
                Arguments.of("A ", List.of("A", "")),
                Arguments.of(" A", List.of("", "A")),
                Arguments.of("", List.of("")),
                Arguments.of("k=ssh-rsa\\ AAAA\\ me@host", List.of("k=ssh-rsa AAAA me@host")),
                Arguments.of("e\\\nf", List.of("e\nf")),
                Arguments.of("nul\u0000inside", List.of("nul\u0000inside")),
                Arguments.of("ünï\\ cödé", List.of("ünï cödé")));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void splitsOnEverySingleUnescapedSpace(String line, List<String> args) {
        assertThat(GahpCodec.split(line)).isEqualTo(args);
    }

    static Stream<List<String>> roundTrips() {
        return Stream.of(
                List.of("a\\", "b"),
                List.of("", "", ""),
                List.of("x "),
                List.of(" "),
                List.of("\\"),
                List.of("\\\\ \\", "\r\n", "end\\"),
                List.of("4", "QuotaExceeded: line1\nline2\r"),
                List.of("☃ 😀", "NULL"));
    }

    @ParameterizedTest
    @MethodSource("roundTrips")
    void joinThenSplitGivesTheArgumentsBack(List<String> args) {
        String line = GahpCodec.join(args);
        assertThat(line).doesNotContain("\n\n");
        assertThat(GahpCodec.split(line)).isEqualTo(args);
    }

    @Test
    void joinedLinesNeverContainAnUnescapedLineEnd() {
        String line = GahpCodec.join("id", "err\nwith\rbreaks");
        assertThat(line).isEqualTo("id err\\\nwith\\\rbreaks");
        assertThat(line.replace("\\\n", "").replace("\\\r", "")).doesNotContain("\n").doesNotContain("\r");
    }

    @Test
    void nullArgumentIsWrittenNull() {
        assertThat(GahpCodec.join(java.util.Arrays.asList("3", null))).isEqualTo("3 NULL");
        assertThat(GahpCodec.escape(null)).isEqualTo("NULL");
        assertThat(GahpCodec.split(null)).containsExactly("");
    }

    @Test
    void utf8LengthCountsBytes() {
        for (String s : List.of("", "abc", "\u00fc", "\u2603", "\ud83d\ude00", "a\ud83d\ude00b\u2603", "\uD800")) {
            int expected = s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (!s.equals("\uD800")) {
                assertThat(GahpCodec.utf8Length(s)).as(s).isEqualTo(expected);
            } else {
                assertThat(GahpCodec.utf8Length(s)).as("a lone surrogate: an upper bound").isEqualTo(3);
            }
        }
    }
}
