package org.azuregahp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.azuregahp.domain.client.ResultLine;
import org.junit.jupiter.api.Test;

/**
 * Edge cases of the protocol front end through the real launcher, driven as the gridmanager and a
 * demanding person drive it.
 */
class ProtocolEdgeCasesTest {
    static final String SUB = "00000000-0000-0000-0000-000000000001";
    static final int MAX_LINE = 400_000;

    /** RESULTS until {@code n} result lines arrived; answers them (prefix stripped). */
    static List<String> collect(GahpProcess gahp, int n, String prefix) throws Exception {
        List<String> out = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (out.size() < n && System.nanoTime() < deadline) {
            gahp.send("RESULTS");
            String head = gahp.nextLine();
            while (head.equals(prefix + "R")) { // a result finished since the last RESULTS: its notice
                head = gahp.nextLine();
            }
            assertThat(head).startsWith(prefix + "S ");
            int k = Integer.parseInt(head.substring(prefix.length() + 2));
            for (int i = 0; i < k; i++) {
                String l = gahp.nextLine();
                assertThat(l).startsWith(prefix).as("no R inside RESULTS output").isNotEqualTo(prefix + "R");
                out.add(l.substring(prefix.length()));
            }
            if (out.size() < n) {
                Thread.sleep(20);
            }
        }
        assertThat(out).hasSize(n);
        return out;
    }

    @Test
    void errorResultsQuotingHugeArgumentsStayWithinTheGridmanagersLineLimit() throws Exception {
        try (GahpProcess gahp = GahpProcess.start("--cloud", "fake")) {
            gahp.nextLine();
            gahp.expect("RESPONSE_PREFIX GAHP:", "S");
            gahp.expect("AZURE_VM_DELETE 2 NULL " + SUB + " " + "n".repeat(900_000), "GAHP:S");
            gahp.expect("AZURE_VM_CREATE 3 NULL " + SUB + " " + "\\ ".repeat(400_000), "GAHP:S");
            List<String> results = collect(gahp, 2, "GAHP:");
            for (String r : results) {
                assertThat(("GAHP:" + r).getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(MAX_LINE);
                assertThat(ResultLine.parse(r).fieldCount()).isEqualTo(2);
            }
            ResultLine delete = results.stream().map(ResultLine::parse).filter(x -> x.requestId().equals("2"))
                    .findFirst().orElseThrow();
            assertThat(delete.status()).contains("could not be found");
            ResultLine create = results.stream().map(ResultLine::parse).filter(x -> x.requestId().equals("3"))
                    .findFirst().orElseThrow();
            assertThat(create.status()).startsWith("InvalidParameter:");
            gahp.expect("AZURE_PING 4 NULL " + SUB, "GAHP:S");
            assertThat(collect(gahp, 1, "GAHP:")).containsExactly("4 NULL");
        }
    }

    @Test
    void extraArgumentsNeverGiveEAndEscapesRoundTripByteExactly() throws Exception {
        try (GahpProcess gahp = GahpProcess.start("--cloud", "fake")) {
            gahp.nextLine();
            // session commands ignore extra arguments; names are case-insensitive
            gahp.expect("results x", "S 0");
            gahp.expect("Commands 1", commandsLine());
            gahp.expect("RESPONSE_PREFIX P:", "S");
            gahp.expect("ASYNC_MODE_ON now", "P:S");
            // too many positional arguments to a cloud request: S, then an error result
            gahp.expect("azure_vm_delete 2 NULL " + SUB + " a b c", "P:S");
            assertThat(gahp.nextLine()).isEqualTo("P:R");
            // `a\\ b` is two arguments, `a\` and `b` (here `b ` with its escaped space at the end of the line)
            gahp.expect("AZURE_VM_DELETE 3\\ x NULL " + SUB + " a\\\\ b\\ ", "P:S");
            gahp.expect("RESPONSE_PREFIX ", "P:S");
            List<String> r = collect(gahp, 2, "");
            ResultLine tooMany = ResultLine.parse(r.get(0));
            assertThat(tooMany.requestId()).isEqualTo("2");
            assertThat(tooMany.status()).startsWith("InvalidParameter:");
            ResultLine odd = ResultLine.parse(r.get(1));
            assertThat(odd.requestId()).isEqualTo("3 x");
            assertThat(odd.fieldCount()).isEqualTo(2);
            assertThat(odd.status()).contains("'b '").contains("'a\\'").contains("could not be found");
            assertThat(r.get(1)).startsWith("3\\ x ResourceNotFound:\\ ");
        }
    }

    private static String commandsLine() {
        return "S AZURE_PING AZURE_VM_CREATE AZURE_VM_DELETE AZURE_VM_LIST AZURE_VMSS_CREATE AZURE_VMSS_DELETE"
                + " AZURE_VMSS_START AZURE_VMSS_STOP AZURE_VMSS_RESTART AZURE_VMSS_SCALE AZURE_VMSS_LIST"
                + " AZURE_KEYVAULT_CREATE ASYNC_MODE_ON ASYNC_MODE_OFF COMMANDS CONDOR_VERSION QUIT RESPONSE_PREFIX"
                + " RESULTS STATISTICS VERSION";
    }

    @Test
    void sigtermEndsTheServerPromptlyEvenWhenNobodyReadsItsStdoutAnyMore() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(GahpProcess.launcher().toString(), "--cloud", "fake",
                "--fake-latency", "10s");
        pb.environment().keySet().removeIf(k -> k.startsWith("AZURE_GAHP_"));
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        try {
            // the banner, then stdout is never read again: the pipe fills with return lines
            byte[] banner = new byte[64];
            assertThat(p.getInputStream().read(banner)).isPositive();
            StringBuilder many = new StringBuilder();
            for (int i = 2; i < 60_000; i++) {
                many.append("AZURE_VM_LIST ").append(i).append(" NULL ").append(SUB).append("\r\n");
            }
            byte[] input = many.toString().getBytes(StandardCharsets.US_ASCII);
            Thread writer = new Thread(() -> {
                try (OutputStream in = p.getOutputStream()) {
                    in.write(input);
                } catch (IOException e) {
                    // the server is gone
                }
            });
            writer.setDaemon(true);
            writer.start();
            // wait until the server is stuck writing: its stdin stops draining
            writer.join(3000);
            Thread.sleep(500);

            p.destroy(); // SIGTERM
            // Target one second; five times that for a loaded CI (a shutdown that waited for the blocked
            // writer would never end).
            assertThat(p.waitFor(5, TimeUnit.SECONDS)).as("exited within 5 s of SIGTERM").isTrue();
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
        }
    }
}
