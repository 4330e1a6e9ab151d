package org.azuregahp.domain.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.azuregahp.ports.CloudException;
import org.junit.jupiter.api.Test;

class ResultEncoderTest {

    @Test
    void successWritesNullMarkersAndEscapes() {
        assertThat(ResultEncoder.success("4", Arrays.asList("/subscriptions/x/vm", null)))
                .isEqualTo("4 NULL /subscriptions/x/vm NULL");
        assertThat(ResultEncoder.success("2", List.of())).isEqualTo("2 NULL");
        assertThat(ResultEncoder.success("3", List.of("1", "my vm", ""))).isEqualTo("3 NULL 1 my\\ vm ");
    }

    @Test
    void errorIsOneEscapedArgumentAndNeverReadsAsSuccess() {
        assertThat(ResultEncoder.error("4", "QuotaExceeded: a\\b c")).isEqualTo("4 QuotaExceeded:\\ a\\\\b\\ c");
        // Line breaks and control characters become spaces, so the result is one physical line.
        assertThat(ResultEncoder.error("4", "QuotaExceeded: a\r\nb\tc\u0000d")).isEqualTo("4 QuotaExceeded:\\ a\\ \\ b\\ c\\ d");
        assertThat(ResultEncoder.error("4", "NULL")).isEqualTo("4 UnknownError");
        assertThat(ResultEncoder.error("4", "")).isEqualTo("4 UnknownError");
    }

    @Test
    void onlyCloudExceptionMessagesAreShown() {
        CloudException ce = new CloudException("Conflict", "exists");
        assertThat(ResultEncoder.errorText(ce, "AZURE_PING")).isEqualTo("Conflict: exists");
        assertThat(ResultEncoder.errorText(new CompletionException(new ExecutionException(ce)), "AZURE_PING"))
                .isEqualTo("Conflict: exists");
        assertThat(ResultEncoder.errorText(new IllegalArgumentException("secret=x"), "AZURE_PING"))
                .startsWith("InternalError: IllegalArgumentException").doesNotContain("secret");
    }

    @Test
    void utf8LengthCountsBytes() {
        for (String s : List.of("", "abc", "ü", "☃", "😀", "a😀b☃", "\uD800")) {
            int expected = s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (!s.equals("\uD800")) {
                assertThat(ResultEncoder.utf8Length(s)).as(s).isEqualTo(expected);
            } else {
                assertThat(ResultEncoder.utf8Length(s)).isEqualTo(3);
            }
        }
    }
}
