package org.azuregahp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.azuregahp.it.LauncherTestSupport.SUB;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Thousands of mixed requests (VM create/delete/list, scale-set create/scale/stop/start/delete/list,
 * ping, vault create) with 10% injected faults: every accepted request id gets exactly one result,
 * none twice, none unknown, each with the field count the gridmanager checks.
 */
class ExactlyOnceResultsTest {

    static List<String> mixedRequests(Random r, int n, Map<String, String> commandOf) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = String.valueOf(2 + i);
            String vm = "vm" + r.nextInt(150);
            String ss = "ss" + r.nextInt(40);
            String line;
            int k = r.nextInt(100);
            if (k < 30) {
                line = LauncherTestSupport.vmCreate(id, vm, r.nextInt(4) == 0 ? "dataDisks=8,16" : "");
            } else if (k < 45) {
                line = "AZURE_VM_DELETE " + id + " NULL " + SUB + " " + vm;
            } else if (k < 50) {
                line = "AZURE_VM_LIST " + id + " NULL " + SUB + (r.nextBoolean() ? "" : " " + vm);
            } else if (k < 60) {
                line = LauncherTestSupport.vmssCreate(id, ss, 1 + r.nextInt(5));
            } else if (k < 66) {
                line = "AZURE_VMSS_SCALE " + id + " NULL " + SUB + " name=" + ss + " nodecount=" + r.nextInt(8);
            } else if (k < 71) {
                line = "AZURE_VMSS_STOP " + id + " NULL " + SUB + " " + ss;
            } else if (k < 76) {
                line = "AZURE_VMSS_START " + id + " NULL " + SUB + " " + ss;
            } else if (k < 80) {
                line = "AZURE_VMSS_RESTART " + id + " NULL " + SUB + " " + ss;
            } else if (k < 86) {
                line = "AZURE_VMSS_DELETE " + id + " NULL " + SUB + " " + ss;
            } else if (k < 89) {
                line = "AZURE_VMSS_LIST " + id + " NULL " + SUB;
            } else if (k < 96) {
                line = "AZURE_PING " + id + " NULL " + SUB;
            } else {
                line = "AZURE_KEYVAULT_CREATE " + id + " NULL " + SUB + " name=kv" + r.nextInt(5)
                        + " location=westeurope";
            }
            commandOf.put(id, line.substring(0, line.indexOf(' ')));
            lines.add(line);
        }
        return lines;
    }

    @ParameterizedTest(name = "fake seed {0}, latency {1}")
    @CsvSource({"5, 0", "6, 15ms"})
    void everyAcceptedIdGetsExactlyOneResultUnderTenPercentFaults(long seed, String latency) throws Exception {
        int n = 3000;
        String why = "fake seed " + seed + ", latency " + latency;
        Map<String, String> commandOf = new HashMap<>();
        List<String> lines = mixedRequests(new Random(seed), n, commandOf);
        try (GahpProcess gahp = GahpProcess.start("--cloud", "fake", "--fake-failure-rate", "0.1", "--fake-seed",
                String.valueOf(seed), "--fake-latency", latency)) {
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            LauncherTestSupport.sendAllAccepted(s, lines);
            Map<String, List<String>> byId = LauncherTestSupport.resultsById(s, n, Duration.ofSeconds(60));
            assertThat(byId.keySet()).as(why).containsExactlyInAnyOrderElementsOf(commandOf.keySet());
            int injected = 0;
            int succeeded = 0;
            for (List<String> r : byId.values()) {
                FuzzedInputTest.assertResultShape(r, commandOf.get(r.get(0)), why);
                if (r.get(1).equals("NULL")) {
                    succeeded++;
                } else if (r.get(1).matches("(?s).*(InternalServerError|TooManyRequests|QuotaExceeded|AllocationFailed).*")) {
                    injected++;
                }
            }
            assertThat(injected).as("%s: injected faults seen", why).isBetween(n / 20, n / 5);
            assertThat(succeeded).as(why).isGreaterThan(n / 3);

            // Nothing more arrives: a last ping is the only result left to collect.
            assertThat(s.command("AZURE_PING 99999 NULL " + SUB)).containsExactly("S");
            // (The ping is subject to the injected faults too, so it may be answered by one.)
            List<List<String>> last = s.results(1, Duration.ofSeconds(20));
            assertThat(last).as(why).hasSize(1);
            assertThat(last.get(0)).as(why).hasSize(2).first().isEqualTo("99999");
            assertThat(s.command("RESULTS")).containsExactly("S", "0");
            gahp.closeStdin();
            assertThat(gahp.waitFor(Duration.ofSeconds(10))).isTrue();
            assertThat(gahp.exitValue()).isZero();
            LauncherTestSupport.assertNoStackTraces(gahp.stderr());
        }
    }
}
