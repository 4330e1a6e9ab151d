package org.azuregahp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A result is matched to its request by the id, so the id must come back byte for byte. One that is
 * not valid UTF-8 cannot (the protocol is text; a result could only carry a changed id that matches
 * nothing), so such a line is refused at once with {@code E}; a NUL or any valid text comes back
 * exactly. Bad bytes anywhere else are a value's problem: {@code S} and an error result.
 */
class RequestIdBytesTest {
    static final String SUB = LauncherTestSupport.SUB;
    static final Duration WAIT = Duration.ofSeconds(60);

    static byte[] line(Object... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof Integer i) {
                b.write(i);
            } else {
                b.writeBytes(p.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return b.toByteArray();
    }

    @Test
    void anIdThatIsNotUtf8IsRefusedAndNulOrAnyTextComesBackExactly() throws Exception {
        try (GahpProcess gahp = GahpProcess.start("--cloud", "fake")) {
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            gahp.sendRaw(line("AZURE_PING 7", 0xFF, "x NULL ", SUB));
            assertThat(s.returnLine()).isEqualTo("E request\\ id\\ is\\ not\\ valid\\ UTF-8");
            gahp.sendRaw(line("AZURE_VM_DELETE ", 0xE2, 0x82, " NULL ", SUB, " vm1"));
            assertThat(s.returnLine()).isEqualTo("E request\\ id\\ is\\ not\\ valid\\ UTF-8");

            gahp.sendRaw(line("AZURE_PING a", 0, "b NULL ", SUB));
            assertThat(s.returnLine()).isEqualTo("S");
            gahp.sendRaw(line("AZURE_PING \u00e9\u2603\ud83d\ude00 NULL ", SUB));
            assertThat(s.returnLine()).isEqualTo("S");
            gahp.sendRaw(line("AZURE_VM_LIST 9 NULL ", SUB, " vm", 0xFF));
            assertThat(s.returnLine()).isEqualTo("S");
            Map<String, List<String>> byId = LauncherTestSupport.resultsById(s, 3, WAIT);
            assertThat(byId).containsOnlyKeys("a\u0000b", "\u00e9\u2603\ud83d\ude00", "9");
            assertThat(byId.get("a\u0000b")).containsExactly("a\u0000b", "NULL");
            assertThat(byId.get("\u00e9\u2603\ud83d\ude00")).containsExactly("\u00e9\u2603\ud83d\ude00", "NULL");
            assertThat(byId.get("9").get(1)).as("a bad byte in a value is the value's problem").isEqualTo("NULL");

            List<String> raw = gahp.allStdout();
            assertThat(String.join("\n", raw)).as("the stdout bytes, decoded strictly, hold no replacement character")
                    .doesNotContain("\uFFFD").contains("GAHP:a\u0000b NULL");
            LauncherTestSupport.assertNoStackTraces(gahp.stderr());
        }
    }
}
