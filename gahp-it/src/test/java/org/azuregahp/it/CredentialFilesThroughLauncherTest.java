package org.azuregahp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.azuregahp.it.LauncherTestSupport.SUB;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credential files that are not regular files, through the real launcher: a FIFO nobody writes to
 * (opening it would block for good), {@code /dev/zero} (never ends), {@code /dev/stdin} (would eat
 * protocol lines), {@code /proc/self/fd/1} (our own stdout) and a directory. Each is refused with an
 * error result naming it, and requests with {@code NULL} and with a good file are still answered:
 * before, four requests on the FIFO blocked every engine worker and everything after them timed out.
 */
class CredentialFilesThroughLauncherTest {

    @TempDir
    Path dir;

    @Test
    void filesThatAreNotRegularFilesAreRefusedAndWedgeNothing() throws Exception {
        Path fifo = dir.resolve("azure_auth.json");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();
        Path linkToFifo = dir.resolve("link.json");
        Files.createSymbolicLink(linkToFifo, fifo);
        Path good = dir.resolve("good.json");
        Files.writeString(good, "{\"clientId\": \"11111111-1111-1111-1111-111111111111\", \"clientSecret\": \"s3cret-x\","
                + " \"tenantId\": \"22222222-2222-2222-2222-222222222222\"}", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(good, PosixFilePermissions.fromString("rw-------"));

        Map<String, String> refused = new LinkedHashMap<>(); // request id -> the path its error must name
        List<String> lines = new ArrayList<>();
        for (int id = 2; id <= 5; id++) { // as many as the engine has workers, and more
            lines.add("AZURE_PING " + id + " " + fifo + " " + SUB);
            refused.put(Integer.toString(id), fifo.toString());
        }
        lines.add(LauncherTestSupport.vmCreate(6, "fifovm", "").replace(" NULL ", " " + fifo + " "));
        refused.put("6", fifo.toString());
        String[][] others = {{"7", linkToFifo.toString()}, {"8", "/dev/zero"}, {"9", "/dev/stdin"},
            {"10", "/proc/self/fd/1"}, {"11", dir.toString()}, {"12", "/dev/null"}};
        for (String[] o : others) {
            lines.add("AZURE_PING " + o[0] + " " + o[1] + " " + SUB);
            refused.put(o[0], o[1]);
        }
        lines.add("AZURE_PING 20 NULL " + SUB);
        lines.add("AZURE_PING 21 " + good + " " + SUB);
        lines.add("AZURE_VM_LIST 22 " + good + " " + SUB);

        try (GahpProcess gahp = GahpProcess.start("--cloud", "fake", "--request-timeout", "3s")) {
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            // One write; every line gets its return line (nothing read /dev/stdin away from the reader).
            LauncherTestSupport.sendAllAccepted(s, lines);
            Map<String, List<String>> results = LauncherTestSupport.resultsById(s, lines.size(), Duration.ofSeconds(60));
            assertThat(results.get("20")).containsExactly("20", "NULL");
            assertThat(results.get("21")).containsExactly("21", "NULL");
            assertThat(results.get("22")).containsExactly("22", "NULL", "0");
            refused.forEach((id, path) -> assertThat(results.get(id)).as("request %s on %s", id, path)
                    .hasSize(2).last().asString()
                    .startsWith("CredentialFileError: credential file " + path + " is ")
                    .endsWith("not a regular file"));
            assertThat(results.get("2").get(1)).contains("FIFO");
            assertThat(results.get("11").get(1)).contains("is a directory");

            // Still serving afterwards.
            assertThat(s.command("AZURE_PING 30 " + good + " " + SUB)).containsExactly("S");
            assertThat(s.result(Duration.ofSeconds(30))).containsExactly("30", "NULL");
            assertThat(s.command("QUIT")).containsExactly("S");
            assertThat(gahp.waitFor(Duration.ofSeconds(10))).isTrue();
            assertThat(gahp.exitValue()).isZero();
            LauncherTestSupport.assertNoStackTraces(gahp.stderr());
        }
    }
}
