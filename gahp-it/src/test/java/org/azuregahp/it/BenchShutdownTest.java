package org.azuregahp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.azuregahp.it.BenchReport.f;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Time from end of input, QUIT or SIGTERM to process exit with 10,000 creates in flight (5 runs each). */
@Tag("bench")
class BenchShutdownTest {
    @TempDir
    Path dir;

    @Test
    void shutdownWithTenThousandInFlight() throws Exception {
        List<String> creates = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            creates.add(LauncherTestSupport.vmCreate(2 + i, "condorc" + (2 + i) + "p0", ""));
        }
        List<List<String>> rows = new ArrayList<>();
        for (String how : List.of("EOF", "QUIT", "SIGTERM")) {
            List<Double> ms = new ArrayList<>();
            for (int run = 0; run < 5; run++) {
                Path state = dir.resolve(how + run + ".json");
                try (GahpProcess gahp = GahpProcess.start("--cloud", "fake", "--fake-latency", "30s", "--fake-state",
                        state.toString())) {
                    GahpSession s = new GahpSession(gahp);
                    s.handshake();
                    LauncherTestSupport.sendAllAccepted(s, creates);
                    long t0 = System.nanoTime();
                    switch (how) {
                        case "EOF" -> gahp.closeStdin();
                        case "QUIT" -> gahp.send("QUIT");
                        default -> gahp.process().destroy();
                    }
                    assertThat(gahp.waitFor(Duration.ofSeconds(20))).isTrue();
                    ms.add((System.nanoTime() - t0) / 1e6);
                    assertThat(gahp.exitValue()).as(how).isZero();
                }
                assertThat(LauncherTestSupport.readState(state).path("version").asInt()).isEqualTo(2);
            }
            double median = BenchReport.median(ms);
            double max = ms.stream().mapToDouble(Double::doubleValue).max().orElse(0);
            rows.add(List.of(how, f("%.0f ms", median), f("%.0f ms", max), "≤ 1,000 ms",
                    max <= 1000 ? "met" : f("missed (max %.0f ms)", max)));
        }
        BenchReport.write("Shutdown with 10,000 creates in flight (--fake-latency 30s, --fake-state; 5 runs each)",
                List.of("how", "median to exit", "max", "target", "verdict"), rows,
                List.of("From closing stdin / writing QUIT / sending SIGTERM to the process having exited (status 0,"
                        + " state file valid JSON in every run)."));
    }
}
