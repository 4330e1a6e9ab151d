package org.azuregahp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.azuregahp.it.BenchReport.f;
import static org.azuregahp.it.LauncherTestSupport.SUB;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.azuregahp.domain.codec.GahpCodec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lockstep speed (issue 12, item 4): a client that writes one request line, waits for its return line,
 * then writes the next, as HTCondor's gridmanager does. Against (a) {@link EchoLineServer}, the least a
 * JVM line server can do, started with the launcher's own JVM flags, and (b) the real launcher on the
 * fake cloud, through the same kind of pipes from the same client, runs interleaved (echo, server,
 * echo, server, ...); the ratio of the two rates is taken within each pair and its median reported.
 * After every server run the results are collected with {@code RESULTS} and checked: every cloud
 * request got exactly one result, a success.
 *
 * <p>Sizes: {@code -Dlockstep.requests=N} per run (default 10,000), {@code -Dlockstep.runs=N} pairs
 * (default 7), {@code -Dlockstep.warmup=N} requests before the first run (default 20,000),
 * {@code -Dlockstep.only=WORD} only the kinds whose name contains it, and
 * {@code -Dlockstep.javaOpts=...} the launcher's {@code JAVA_OPTS}, {@code -Dlockstep.jfr=FILE} a flight
 * recording of the server's measured runs (one file per kind).
 */
@Tag("bench")
class BenchLockstepTest {
    private static final int REQUESTS = Integer.getInteger("lockstep.requests", 10_000);
    private static final int RUNS = Integer.getInteger("lockstep.runs", 7);
    private static final int WARM_UP = Integer.getInteger("lockstep.warmup", 20_000);

    @TempDir
    Path dir;

    /** A child process answering lines on its stdout; read here byte by byte from a buffer of our own. */
    static final class LineServer implements AutoCloseable {
        final Process process;
        final OutputStream in;
        final InputStream out;
        final byte[] buf = new byte[1 << 16];
        int pos;
        int end;
        final StringBuilder line = new StringBuilder();

        LineServer(List<String> cmd, Path err, String javaOpts) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("AZURE_GAHP_"));
            if (javaOpts == null || javaOpts.isBlank()) {
                pb.environment().remove("JAVA_OPTS");
            } else {
                pb.environment().put("JAVA_OPTS", javaOpts);
            }
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            process = pb.start();
            in = process.getOutputStream();
            out = process.getInputStream();
        }

        /** The next line (without its LF), or null at the end of output. */
        String readLine() throws IOException {
            line.setLength(0);
            while (true) {
                if (pos == end) {
                    end = out.read(buf);
                    pos = 0;
                    if (end <= 0) {
                        end = 0;
                        return null;
                    }
                }
                byte b = buf[pos++];
                if (b == '\n') {
                    return line.toString();
                }
                line.append((char) (b & 0xff));
            }
        }

        /** The first byte of the next line, the rest skipped (the lockstep loop's cheap read). */
        int readFirstByteOfLine() throws IOException {
            int first = -1;
            while (true) {
                if (pos == end) {
                    end = out.read(buf);
                    pos = 0;
                    if (end <= 0) {
                        end = 0;
                        return -1;
                    }
                }
                byte b = buf[pos++];
                if (b == '\n') {
                    return first;
                }
                if (first < 0) {
                    first = b;
                }
            }
        }

        void send(byte[] bytes) throws IOException {
            in.write(bytes);
            in.flush();
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException ignored) {
                // gone already
            }
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the server stopped", e);
            }
        }
    }

    /** One kind of request: its lines (by sequence number, so request ids never repeat) and the answer expected. */
    record Kind(String name, IntFunction<String> line, char answer, boolean cloud) {
    }

    /** The JVM flags of the launcher's plain {@code exec} and its {@code jvm_footprint} (the echo server gets the same). */
    static List<String> launcherJvmFlags() throws IOException {
        String script = Files.readString(GahpProcess.launcher());
        int at = script.lastIndexOf("exec \"$java\"");
        assertThat(at).as("the launcher's exec line").isNotNegative();
        String command = script.substring(at).replace("\\\n", " ");
        command = command.substring(0, command.indexOf('\n') < 0 ? command.length() : command.indexOf('\n'));
        List<String> flags = new ArrayList<>();
        for (String token : command.split("\\s+")) {
            if (token.startsWith("-X") && !token.contains("$") && !token.contains("\"")) {
                flags.add(token);
            }
        }
        assertThat(flags).as("JVM flags in the launcher's exec line").isNotEmpty();
        // And those it passes through $jvm_footprint (heap sizing, compiler threads and thresholds).
        int footprint = script.indexOf("jvm_footprint=\"");
        assertThat(footprint).as("the launcher's jvm_footprint").isNotNegative();
        int from = footprint + "jvm_footprint=\"".length();
        for (String token : script.substring(from, script.indexOf('"', from)).replace("\\\n", " ").split("\\s+")) {
            if (token.startsWith("-X")) {
                flags.add(token);
            }
        }
        return flags;
    }

    LineServer echo() throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(BenchReport.javaBin());
        cmd.addAll(launcherJvmFlags());
        cmd.add("-cp");
        try {
            cmd.add(Path.of(EchoLineServer.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        cmd.add(EchoLineServer.class.getName());
        LineServer s = new LineServer(cmd, dir.resolve("echo.err"), null);
        assertThat(s.readLine()).startsWith("$GahpVersion");
        return s;
    }

    LineServer gahp() throws IOException {
        LineServer s = new LineServer(List.of(GahpProcess.launcher().toString(), "--cloud", "fake", "--stdio"),
                dir.resolve("gahp.err"), System.getProperty("lockstep.javaOpts"));
        assertThat(s.readLine()).startsWith("$GahpVersion");
        return s;
    }

    /**
     * With {@code -Dlockstep.jfr=FILE}, starts a flight recording in the server (through jcmd: the
     * {@code -XX:StartFlightRecording} flag prints a line on stdout, which is the protocol).
     */
    private static void startRecording(LineServer gahp) throws Exception {
        if (System.getProperty("lockstep.jfr") != null) {
            jcmd(gahp, "JFR.start", "name=lockstep", "settings=profile");
        }
    }

    /** Writes the server's flight recording (the launcher halts at exit, so JFR cannot dump it then). */
    private static void dumpRecording(LineServer gahp, Kind kind) throws Exception {
        String jfr = System.getProperty("lockstep.jfr");
        if (jfr != null) {
            jcmd(gahp, "JFR.dump", "name=lockstep", "filename=" + jfr.replace(".jfr", "") + "-"
                    + kind.name().replaceAll("[^A-Za-z]+", "-") + ".jfr");
        }
    }

    private static void jcmd(LineServer gahp, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        cmd.add(Long.toString(gahp.process.pid()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        System.out.println(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        p.waitFor();
    }

    /**
     * Sends {@code n} lines in lockstep; the nanoseconds it took. Asserts every return line starts with
     * {@code answer} (the echo server always answers {@code S}).
     */
    static long lockstep(LineServer s, Kind kind, char answer, int first, int n) throws IOException {
        byte[][] lines = new byte[n][];
        for (int i = 0; i < n; i++) {
            lines[i] = (kind.line().apply(first + i) + "\r\n").getBytes(StandardCharsets.UTF_8);
        }
        int wrong = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            s.send(lines[i]);
            if (s.readFirstByteOfLine() != answer) {
                wrong++;
            }
        }
        long took = System.nanoTime() - t0;
        assertThat(wrong).as("return lines of %s that were not %s", kind.name(), answer).isZero();
        return took;
    }

    /**
     * Collects the results of requests {@code first .. first+n-1} with {@code RESULTS}: each exactly once and a
     * success. Gives up (failing) after 60 s.
     */
    static void collectResults(LineServer s, int first, int n) throws IOException {
        Set<String> want = new HashSet<>();
        for (int i = 0; i < n; i++) {
            want.add(Integer.toString(first + i));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int got = 0;
        while (got < n) {
            assertThat(System.nanoTime()).as("%d of %d results", got, n).isLessThan(deadline);
            s.send("RESULTS\r\n".getBytes(StandardCharsets.US_ASCII));
            String head = s.readLine();
            assertThat(head).startsWith("S ");
            int count = Integer.parseInt(head.substring(2));
            for (int i = 0; i < count; i++) {
                List<String> fields = GahpCodec.split(s.readLine());
                assertThat(want.remove(fields.get(0))).as("a result for request %s, and only one", fields.get(0))
                        .isTrue();
                assertThat(fields).as("result of %s", fields.get(0)).hasSize(2).element(1).isEqualTo("NULL");
            }
            got += count;
            if (count == 0) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
        }
        assertThat(want).isEmpty();
    }

    record Figures(Kind kind, List<Double> echoRates, List<Double> gahpRates, List<Double> ratios) {
    }

    Figures measure(Kind kind) throws Exception {
        List<Double> echoRates = new ArrayList<>();
        List<Double> gahpRates = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        try (LineServer echo = echo(); LineServer gahp = gahp()) {
            int seq = 2;
            lockstep(echo, kind, 'S', seq, WARM_UP);
            lockstep(gahp, kind, kind.answer(), seq, WARM_UP);
            if (kind.cloud()) {
                collectResults(gahp, seq, WARM_UP);
            }
            seq += WARM_UP;
            startRecording(gahp);
            for (int run = 0; run < RUNS; run++) {
                double e = REQUESTS / (lockstep(echo, kind, 'S', seq, REQUESTS) / 1e9);
                double g = REQUESTS / (lockstep(gahp, kind, kind.answer(), seq, REQUESTS) / 1e9);
                if (kind.cloud()) {
                    collectResults(gahp, seq, REQUESTS);
                }
                seq += REQUESTS;
                echoRates.add(e);
                gahpRates.add(g);
                ratios.add(g / e);
            }
            dumpRecording(gahp, kind);
        }
        return new Figures(kind, echoRates, gahpRates, ratios);
    }

    @Test
    void lockstepAgainstAnEchoServer() throws Exception {
        Path cred = dir.resolve("azure_auth.json");
        Files.writeString(cred, "{\"clientId\": \"11111111-1111-1111-1111-111111111111\", \"clientSecret\": \"bench-secret\","
                + " \"tenantId\": \"22222222-2222-2222-2222-222222222222\", \"subscriptionId\": \"" + SUB + "\"}\n");
        Files.setPosixFilePermissions(cred, PosixFilePermissions.fromString("rw-------"));
        List<Kind> kinds = List.of(
                new Kind("AZURE_PING with a credential file", i -> "AZURE_PING " + i + " " + cred + " " + SUB, 'S', true),
                new Kind("AZURE_PING NULL", i -> "AZURE_PING " + i + " NULL " + SUB, 'S', true),
                new Kind("COMMANDS", i -> "COMMANDS", 'S', false),
                new Kind("an unknown command", i -> "NO_SUCH_COMMAND " + i, 'E', false));
        List<List<String>> rows = new ArrayList<>();
        String only = System.getProperty("lockstep.only", "");
        for (Kind kind : kinds) {
            if (!kind.name().contains(only)) {
                continue;
            }
            Figures fig = measure(kind);
            double ratio = BenchReport.median(fig.ratios());
            boolean ping = kind.name().startsWith("AZURE_PING");
            rows.add(List.of(kind.name(), f("%,.0f /s", BenchReport.median(fig.echoRates())),
                    f("%,.0f /s", BenchReport.median(fig.gahpRates())), f("%.2f", ratio),
                    f("%.2f–%.2f", min(fig.ratios()), max(fig.ratios())), ping ? "≥ 1.0" : "",
                    ping ? (ratio >= 1.0 ? "met" : f("missed (%.2f)", ratio)) : ""));
        }
        BenchReport.write(f("Lockstep requests per second: the launcher (--cloud fake) against an echo server (%d runs"
                + " of %,d requests each, interleaved)", RUNS, REQUESTS),
                List.of("request", "echo server", "azure-gahp", "ratio (median of pairs)", "ratio range", "target",
                        "verdict"),
                rows,
                List.of("Each request is written (with CR LF) and flushed, and the next one only after its return"
                        + " line has been read, as the gridmanager does. The echo server is a JVM that answers S to"
                        + " every line (EchoLineServer), started with the launcher's JVM flags (" + String.join(" ",
                                launcherJvmFlagsQuietly()) + "); both are child processes of the same client on pipes."
                        + " Each pair of runs (echo, then server) gives one ratio. " + f("%,d", WARM_UP) + " requests warm"
                        + " each process up first. After each server run every request's result is collected with"
                        + " RESULTS: each exactly once, each a success."));
    }

    private static List<String> launcherJvmFlagsQuietly() {
        try {
            return launcherJvmFlags();
        } catch (IOException e) {
            return List.of("?");
        }
    }

    private static double min(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    }

    private static double max(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }
}
