package org.azuregahp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Operator mistakes are refused before the banner, as {@code --help} promises (a message on stderr
 * saying what is wrong, exit 2, nothing on stdout, so the gridmanager sees a GAHP that failed to
 * start): fake-cloud options without the fake cloud (they used to start the real Azure cloud), an
 * {@code AZURE_GAHP_*} variable that names no option, and a {@code --fake-state} file that cannot be
 * used. And SIGHUP ends the server like SIGTERM, with status 0 (it was 129).
 */
class StartupErrorsAndSignalsTest {

    @TempDir
    Path dir;

    /** Runs the launcher to its end and checks the usage-error contract; returns stderr. */
    private static String refused(Map<String, String> env, String... args) throws Exception {
        GahpProcess gahp = GahpProcess.start(env, args);
        gahp.close(); // end of input, then waits for the exit and for stdout to be read to its end
        assertThat(gahp.waitFor(Duration.ofSeconds(20))).isTrue();
        assertThat(gahp.exitValue()).as("exit status; stderr: %s", gahp.stderr()).isEqualTo(2);
        assertThat(gahp.allStdout()).as("stdout stays empty").isEmpty();
        LauncherTestSupport.assertNoStackTraces(gahp.stderr());
        return gahp.stderr();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"--fake-latency, 2s", "--fake-state, /tmp/never-written.json", "--fake-failure-rate, 0.5",
        "--fake-seed, 3", "--fake-vm-lifetime, 2m", "--fake-time-scale, 60"})
    void aFakeCloudOptionWithoutTheFakeCloudDoesNotStartAzure(String flag, String value) throws Exception {
        assertThat(refused(Map.of(), flag, value)).contains(flag).contains("add --cloud fake");
        String variable = "AZURE_GAHP_" + flag.substring(2).toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        assertThat(refused(Map.of(variable, value))).contains(variable).contains("add --cloud fake");
    }

    @Test
    void aMisspelledVariableDoesNotStartAzure() throws Exception {
        assertThat(refused(Map.of("AZURE_GAHP_CLUOD", "fake"))).contains("AZURE_GAHP_CLUOD names no option")
                .contains("did you mean AZURE_GAHP_CLOUD?");
        assertThat(refused(Map.of("AZURE_GAHP_CLOUD", "fake", "AZURE_GAHP_FAKE_LATENCYY", "2s")))
                .contains("AZURE_GAHP_FAKE_LATENCYY").contains("AZURE_GAHP_FAKE_LATENCY?");
    }

    @Test
    void aFakeStateFileThatCannotBeUsedIsRefusedBeforeTheBanner() throws Exception {
        assertThat(refused(Map.of(), "--cloud", "fake", "--fake-state", dir.toString()))
                .contains("--fake-state " + dir + " is a directory");
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"version\": 2,\n  \"resourceGroups\": [\n");
        assertThat(refused(Map.of(), "--cloud", "fake", "--fake-state", broken.toString()))
                .contains("--fake-state " + broken + " is not valid JSON (line 3, column 1)");
        try (UnwritableDirectory ro = new UnwritableDirectory(dir.resolve("ro"))) {
            Path state = ro.path.resolve("state.json");
            assertThat(refused(Map.of("AZURE_GAHP_CLOUD", "fake", "AZURE_GAHP_FAKE_STATE", state.toString())))
                    .contains("--fake-state " + state + ": parent is not writable");
        }
    }

    @Test
    void sighupEndsTheServerWithStatusZeroLikeSigterm() throws Exception {
        try (GahpProcess gahp = GahpProcess.start("--cloud", "fake", "--fake-latency", "30s")) {
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            LauncherTestSupport.sendAllAccepted(s, List.of(LauncherTestSupport.vmCreate(2, "hupvm", "")));
            Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(gahp.pid())).inheritIO().start();
            assertThat(kill.waitFor()).isZero();
            assertThat(gahp.waitFor(Duration.ofSeconds(20))).isTrue();
            assertThat(gahp.exitValue()).isZero();
            LauncherTestSupport.assertNoStackTraces(gahp.stderr());
        }
    }
}
