package org.azuregahp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built launcher script as HTCondor and administrators start it. Runs in {@code verify}. */
class LauncherIT {
    private static final Path LAUNCHER = Path.of("target", "azure-gahp").toAbsolutePath();
    private static final String SUB = "00000000-0000-0000-0000-000000000001";

    private static Process start(Path cwd, Path launcher, List<String> args, String javaOpts) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(launcher.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        if (javaOpts != null) {
            pb.environment().put("JAVA_OPTS", javaOpts);
        }
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return pb.start();
    }

    @Test
    void throughASymlinkFromAnotherDirectoryStdoutCarriesOnlyProtocolLines(@TempDir Path dir) throws Exception {
        Path link = dir.resolve("bin").resolve("gahp");
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, LAUNCHER);
        // JVM diagnostics and debug logging must all land on stderr
        Process p = start(dir, link, List.of("--cloud", "fake", "--log-level", "debug"),
                "-XX:+PrintFlagsFinal -Xlog:gc");
        try (OutputStream in = p.getOutputStream()) {
            in.write(("COMMANDS\r\nAZURE_PING 2 NULL " + SUB + "\r\nQUIT\r\n").getBytes(StandardCharsets.UTF_8));
        }
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        List<String> out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
                .lines().toList();
        assertThat(out.get(0)).startsWith("$GahpVersion: ").endsWith(" $");
        assertThat(out.get(1)).startsWith("S AZURE_PING ");
        assertThat(out).allSatisfy(line -> assertThat(line).matches(
                "\\$GahpVersion: .*|S( .*)?|E( .*)?|R|[0-9]+ .*"));
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(err).contains("UseSerialGC"); // the flags went to stderr
    }

    @Test
    void sigtermWithTenThousandRequestsInFlightExitsPromptlyWithStatusZero(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state.json");
        Process p = start(dir, LAUNCHER, List.of("--cloud", "fake", "--fake-latency", "30s", "--fake-state",
                state.toString()), null);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).startsWith("$GahpVersion:");
        StringBuilder requests = new StringBuilder();
        for (int i = 2; i < 10_002; i++) {
            requests.append("AZURE_PING ").append(i).append(" NULL ").append(SUB).append("\r\n");
        }
        OutputStream in = p.getOutputStream();
        Thread writer = new Thread(() -> {
            try {
                in.write(requests.toString().getBytes(StandardCharsets.UTF_8));
                in.flush();
            } catch (java.io.IOException e) {
                // the process ended
            }
        });
        writer.start();
        for (int i = 0; i < 10_000; i++) {
            assertThat(out.readLine()).isEqualTo("S");
        }
        p.toHandle().destroy(); // SIGTERM, as the gridmanager stops us
        // The target is one second; 5 s leaves a loaded two-core CI five times that (each ping takes 30 s,
        // so an exit that waited for them would not make it). BenchShutdownTest measures the figure.
        assertThat(p.waitFor(5, TimeUnit.SECONDS)).as("exited within 5 s of SIGTERM").isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(out.readLine()).isNull();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(err).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(Files.readString(state)).contains("resourceGroups");
        in.close();
    }

    @Test
    void versionAndHelpGoToStdoutAndBadOptionsExitTwo(@TempDir Path dir) throws Exception {
        Process version = start(dir, LAUNCHER, List.of("--version"), null);
        assertThat(version.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(version.exitValue()).isZero();
        assertThat(new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .matches("azure-gahp \\d+\\.\\d+\\.\\d+ \\(built [A-Z][a-z]{2} \\d{1,2} \\d{4}\\)\\n");

        Process bad = start(dir, LAUNCHER, List.of("--cloud", "aws"), null);
        assertThat(bad.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(bad.exitValue()).isEqualTo(2);
        assertThat(bad.getInputStream().readAllBytes()).isEmpty();
        assertThat(new String(bad.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("allowed values: azure, fake");
    }
}
