package org.azuregahp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.jline.reader.CompletingParsedLine;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser.ParseContext;
import org.junit.jupiter.api.Test;

class GahpLineParserTest {
    private final GahpLineParser parser = new GahpLineParser();

    @Test
    void wordsAreSplitOnUnescapedSpacesAndUnescaped() {
        ParsedLine line = parser.parse("AZURE_VM_CREATE key=ssh-rsa\\ AAAA\\ a@b a\\\\ b", 5, ParseContext.COMPLETE);
        assertThat(line.words()).containsExactly("AZURE_VM_CREATE", "key=ssh-rsa AAAA a@b", "a\\", "b");
        assertThat(line.wordIndex()).isZero();
        assertThat(line.line()).isEqualTo("AZURE_VM_CREATE key=ssh-rsa\\ AAAA\\ a@b a\\\\ b");
    }

    @Test
    void theCursorWordAndItsRawExtentAreKnown() {
        String text = "vm_create tag=a\\ b";
        CompletingParsedLine line = (CompletingParsedLine) parser.parse(text, text.length(), ParseContext.COMPLETE);
        assertThat(line.wordIndex()).isEqualTo(1);
        assertThat(line.word()).isEqualTo("tag=a b");
        assertThat(line.wordCursor()).isEqualTo(7);
        assertThat(line.rawWordCursor()).isEqualTo(8);
        assertThat(line.rawWordLength()).isEqualTo(8);
        assertThat(line.escape("x y\\", true).toString()).isEqualTo("x\\ y\\\\");
    }

    @Test
    void aTrailingBackslashNeverAsksForAContinuationLine() {
        ParsedLine line = parser.parse("AZURE_PING 2 NULL sub\\", 22, ParseContext.ACCEPT_LINE);
        assertThat(line.words()).containsExactly("AZURE_PING", "2", "NULL", "sub\\");
        assertThat(parser.isEscapeChar('\\')).isFalse();
    }

    @Test
    void aCursorAfterASpaceStartsANewEmptyWord() {
        ParsedLine line = parser.parse("AZURE_VM_LIST ", 14, ParseContext.COMPLETE);
        assertThat(line.words()).containsExactly("AZURE_VM_LIST", "");
        assertThat(line.wordIndex()).isEqualTo(1);
        assertThat(line.word()).isEmpty();
    }
}
