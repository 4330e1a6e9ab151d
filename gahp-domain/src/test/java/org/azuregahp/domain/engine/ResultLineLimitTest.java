package org.azuregahp.domain.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.azuregahp.domain.client.ResultLine;
import org.azuregahp.domain.codec.GahpCodec;
import org.azuregahp.ports.CloudException;
import org.azuregahp.domain.result.ResultEncoder;
import org.azuregahp.ports.LocalFiles;
import org.junit.jupiter.api.Test;

/**
 * protocol.md section 1: never write a line longer than 400,000 bytes; the gridmanager reads lines
 * into a ~500 KB buffer and aborts on a longer one. That holds for error results too, whose texts
 * may quote a request's (up to 1 MiB long) arguments.
 */
class ResultLineLimitTest {

    static final String H = " /cred.json sub-1";
    static final int MAX = EngineConfig.defaults().maxResultLineBytes();

    static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void aHugeErrorTextIsShortenedInTheMiddleKeepingItsCodeAndItsEnd() {
        String name = "n".repeat(300_000) + " ü😀\\";
        StubCloud cloud = new StubCloud();
        cloud.on("vm.delete", x -> CompletableFuture.failedFuture(CloudException.notFound(
                "The Resource '" + name + "' under resource group '" + name + "' was not found: the virtual machine '"
                        + name + "' could not be found.")));
        try (Conversation c = GahpEngineTest.started(cloud)) {
            c.send("RESPONSE_PREFIX GAHP:").expect("S");
            c.send("AZURE_VM_DELETE 5" + H + " vm1").expect("GAHP:S");
            c.awaitResults(1);
            List<String> r = GahpEngineTest.results(c, "GAHP:");
            assertThat(bytes("GAHP:" + r.get(0))).isLessThanOrEqualTo(MAX);
            ResultLine res = ResultLine.parse(r.get(0));
            assertThat(res.requestId()).isEqualTo("5");
            assertThat(res.fieldCount()).isEqualTo(2);
            assertThat(res.status()).startsWith("ResourceNotFound: The Resource 'nnn").endsWith("could not be found.")
                    .contains("bytes left out");
        }
    }

    @Test
    void aBadValueQuotedInAnInvalidParameterResultIsShortenedToo() {
        try (Conversation c = GahpEngineTest.started(new StubCloud())) {
            c.send("AZURE_VM_CREATE 6" + H + " " + "g".repeat(600_000)).expect("S");
            c.awaitResults(1);
            List<String> r = GahpEngineTest.results(c, "");
            assertThat(bytes(r.get(0))).isLessThanOrEqualTo(MAX);
            assertThat(ResultLine.parse(r.get(0)).fieldCount()).isEqualTo(2);
            assertThat(r.get(0)).startsWith("6 InvalidParameter:");
        }
    }

    @Test
    void anEscapedTextIsMeasuredAfterEscaping() {
        String line = ResultEncoder.error("7", "Conflict: " + "\\ ".repeat(150_000) + "end", 1000);
        assertThat(bytes(line)).isLessThanOrEqualTo(1000);
        List<String> f = GahpCodec.split(line);
        assertThat(f).hasSize(2);
        assertThat(f.get(1)).startsWith("Conflict: \\ \\ ").endsWith("\\ end");
        // a text that fits is untouched
        assertThat(ResultEncoder.error("7", "Conflict: exists", 1000)).isEqualTo("7 Conflict:\\ exists");
    }

    @Test
    void aRequestIdTooLongForAnyResultLineIsRefusedWithE() {
        try (Conversation c = new Conversation(EngineConfig.defaults(), new StubCloud(), LocalFiles.NONE)) {
            c.engine.start();
            c.next();
            c.send("AZURE_PING " + "i".repeat(MAX) + H).expect("E request\\ id\\ too\\ long\\ (" + MAX + "\\ bytes)");
            c.send("AZURE_VM_CREATE " + "j".repeat(MAX) + H + " bad").expect("E request\\ id\\ too\\ long\\ ("
                    + MAX + "\\ bytes)");
            // a long id that still leaves room for a result is fine
            String id = "k".repeat(10_000);
            c.send("AZURE_PING " + id + H).expect("S");
            c.awaitResults(1);
            assertThat(GahpEngineTest.results(c, "")).containsExactly(id + " NULL");
        }
    }
}
