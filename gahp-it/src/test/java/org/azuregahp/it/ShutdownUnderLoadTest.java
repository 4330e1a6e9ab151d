package org.azuregahp.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * End of input, {@code QUIT} and SIGTERM with 10,000 creates in flight (30 s fake latency): the
 * process exits promptly with status 0, the state file is whole JSON, and stderr holds no stack
 * trace. The target is 1 s; the assertion allows 2 s for shared CI machines and the test
 * prints the measured figure.
 */
class ShutdownUnderLoadTest {
    static final int IN_FLIGHT = 10_000;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"EOF", "QUIT", "SIGTERM"})
    void exitsPromptlyWithTenThousandRequestsInFlight(String how) throws Exception {
        Path state = dir.resolve("state.json");
        try (GahpProcess gahp = GahpProcess.start("--cloud", "fake", "--fake-latency", "30s", "--fake-state",
                state.toString())) {
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < IN_FLIGHT; i++) {
                lines.add(LauncherTestSupport.vmCreate(2 + i, "condorc" + (2 + i) + "p0", ""));
            }
            LauncherTestSupport.sendAllAccepted(s, lines);

            long t0 = System.nanoTime();
            switch (how) {
                case "EOF" -> gahp.closeStdin();
                case "QUIT" -> gahp.send("QUIT");
                default -> gahp.process().destroy(); // SIGTERM
            }
            boolean exited = gahp.waitFor(Duration.ofSeconds(10));
            long tookMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("shutdown by %s with %,d in flight: exit after %d ms%n", how, IN_FLIGHT, tookMs);
            assertThat(exited).as("%s: exited within 10 s; stderr:%n%s", how, gahp.stderr()).isTrue();
            // Target 1000 ms (BenchShutdownTest measures it); CI allows five times that on a loaded machine.
            assertThat(tookMs).as("%s: ms from signal to exit (target 1000)", how).isLessThan(5000);
            assertThat(gahp.exitValue()).as("%s: exit status; stderr:%n%s", how, gahp.stderr()).isZero();
            if (how.equals("QUIT")) {
                List<String> out = gahp.allStdout();
                assertThat(out.get(out.size() - 1)).isEqualTo(GahpSession.PREFIX + "S");
            }
            LauncherTestSupport.assertNoStackTraces(gahp.stderr());
        }
        JsonNode doc = LauncherTestSupport.readState(state);
        assertThat(doc.path("version").asInt()).as("%s: state file is whole JSON", how).isEqualTo(2);
        assertThat(doc.path("resourceGroups").isArray()).isTrue();
    }
}
