package org.azuregahp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.azuregahp.it.BenchReport.f;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory and threads of the real launcher on {@code --cloud azure} against the ARM simulator (issue
 * 12 item 3): resident set ({@code VmRSS}), private memory ({@code Private_Clean + Private_Dirty} of
 * {@code /proc/<pid>/smaps_rollup}) and live threads, at the handshake, after the first ping, after
 * 50 creates and after 1,000 creates (all in flight at once, as a gridmanager with a full queue sends
 * them). Several fresh servers in one session ({@code -Dbench.runs}, default 5); the table gives the
 * median and range. Extra JVM options for experiments: {@code -Dbench.javaOpts="..."} (appended to
 * the trust-store options in {@code JAVA_OPTS}). Also start-up on
 * {@code --cloud azure} against a bare JVM. Run with
 * {@code mvn -B -ntp test -pl gahp-it -Pbench -Dtest=AzureFootprintBench} after installing.
 */
@Tag("bench")
class AzureFootprintBench {
    static final String SUB = AzureStandIn.SUB;
    static final String CANARY = "canary-ClientSecret_footprint~never.shown";
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(600);

    @TempDir
    Path tmp;

    record Sample(long rssKib, long privateKib, int threads) {
    }

    @Test
    void memoryAndThreadsAfterAThousandCreates() throws Exception {
        int runs = Integer.getInteger("bench.runs", 5);
        String extra = System.getProperty("bench.javaOpts", "");
        Map<String, List<Sample>> byStage = new LinkedHashMap<>();
        for (int run = 0; run < runs; run++) {
            Path dir = Files.createDirectories(tmp.resolve("run" + run));
            try (AzureStandIn azure = new AzureStandIn(dir, CANARY)) {
                Map<String, String> env = new HashMap<>(azure.env());
                env.put("JAVA_OPTS", env.get("JAVA_OPTS") + (extra.isBlank() ? "" : " " + extra));
                try (GahpProcess gahp = GahpProcess.start(env, "--cloud", "azure", "--azure-poll-interval", "10ms",
                        "--log", dir.resolve("gahp.log").toString())) {
                    GahpSession s = new GahpSession(gahp);
                    s.handshake();
                    String h = " " + azure.credFile + " " + SUB;
                    add(byStage, "idle after the handshake", sample(gahp));
                    assertThat(AzureWireMockBench.run(s, "AZURE_PING 1" + h)).containsExactly("1", "NULL");
                    add(byStage, "after the first AZURE_PING", sample(gahp));
                    createAll(s, h, 0, 50);
                    add(byStage, "after 50 creates", sample(gahp));
                    createAll(s, h, 50, 1000);
                    add(byStage, "after 1,000 creates", sample(gahp));
                    if (Boolean.getBoolean("bench.diagnose")) {
                        diagnose(gahp.pid());
                    }
                    assertThat(s.command("QUIT")).containsExactly("S");
                    assertThat(gahp.waitFor(Duration.ofSeconds(20))).isTrue();
                }
                assertThat(azure.watch.secretElsewhere()).isEmpty();
            }
        }
        List<List<String>> rows = new ArrayList<>();
        byStage.forEach((stage, samples) -> rows.add(List.of(stage,
                mib(samples.stream().map(Sample::rssKib).toList()),
                mib(samples.stream().map(Sample::privateKib).toList()),
                range(samples.stream().map(x -> (long) x.threads()).toList(), ""))));
        BenchReport.write("Azure adapter through the launcher: memory and threads (ARM simulator)",
                List.of("stage", "VmRSS MiB (median, range)", "private MiB (median, range)", "threads (median, range)"),
                rows, List.of(f("%d fresh servers, one after another; `--cloud azure --azure-poll-interval 10ms`"
                        + " against WireMock (HTTPS) with the adapter's ArmSimulator (synchronous answers); creates"
                        + " all written at once, measured once every result arrived. Private = Private_Clean +"
                        + " Private_Dirty of /proc/<pid>/smaps_rollup.%s", runs,
                        extra.isBlank() ? "" : " Extra JAVA_OPTS: `" + extra + "`.")));
    }

    /**
     * Start-up of the launcher as a gridmanager starts it for Azure ({@code --cloud azure}, the trust
     * store in {@code JAVA_OPTS} as for the memory figures), from exec to the banner, against a bare JVM
     * printing one line; interleaved runs in one session ({@code -Dbench.startRuns}, default 15), medians.
     */
    @Test
    void startUpOnAzureAgainstABareJvm() throws Exception {
        int runs = Integer.getInteger("bench.startRuns", 15);
        Path classes = Files.createDirectories(tmp.resolve("hello"));
        Path src = tmp.resolve("Hello.java");
        Files.writeString(src, "public class Hello { public static void main(String[] a) {"
                + " System.out.println(\"hello\"); } }");
        assertThat(javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
                src.toString())).isZero();
        List<String> bareCmd = List.of(BenchReport.javaBin(), "-cp", classes.toString(), "Hello");
        List<String> gahpCmd = List.of(GahpProcess.launcher().toString(), "--cloud", "azure");
        List<Double> gahp = new ArrayList<>();
        List<Double> bare = new ArrayList<>();
        try (AzureStandIn azure = new AzureStandIn(Files.createDirectories(tmp.resolve("start")), CANARY)) {
            Map<String, String> env = azure.env();
            firstLineMillis(gahpCmd, env); // warm the page cache
            firstLineMillis(bareCmd, Map.of());
            for (int run = 0; run < runs; run++) {
                gahp.add(firstLineMillis(gahpCmd, env));
                bare.add(firstLineMillis(bareCmd, Map.of()));
            }
        }
        double g = BenchReport.median(gahp);
        double b = BenchReport.median(bare);
        double ratio = g / b;
        BenchReport.write(f("Start-up on Azure: exec to banner, `azure-gahp --cloud azure` vs a bare JVM (%d interleaved"
                        + " runs each)", runs),
                List.of("program", "median", "min", "max", "ratio", "goal", "verdict"),
                List.of(List.of("azure-gahp --cloud azure (banner)", f("%.1f ms", g), f("%.1f ms", min(gahp)),
                                f("%.1f ms", max(gahp)), f("%.2f×", ratio), "≤ 2×",
                                ratio <= 2 ? "met" : f("missed (%.2f×)", ratio)),
                        List.of("java -cp dir Hello", f("%.1f ms", b), f("%.1f ms", min(bare)), f("%.1f ms", max(bare)),
                                "1.00×", "", "")),
                List.of("Time from ProcessBuilder.start() to the first stdout line read; both on the JVM at "
                        + System.getProperty("java.home") + ". Each process is ended (stdin closed) and awaited"
                        + " before the next."));
        assertThat(ratio).isPositive();
    }

    private static double firstLineMillis(List<String> cmd, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().keySet().removeIf(k -> k.startsWith("AZURE_GAHP_"));
        pb.environment().remove("JAVA_OPTS");
        pb.environment().putAll(env);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        long t0 = System.nanoTime();
        Process p = pb.start();
        java.io.InputStream out = p.getInputStream();
        int c;
        while ((c = out.read()) != -1 && c != '\n') {
            // up to the end of the first line
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        assertThat(c).as("a first line from %s", cmd).isEqualTo('\n');
        p.getOutputStream().close();
        out.transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return ms;
    }

    private static double min(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    }

    private static double max(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    /** Prints what the JVM says of its memory and threads (for looking into a figure, not for the table). */
    private static void diagnose(long pid) throws Exception {
        Map<String, long[]> byMapping = new java.util.TreeMap<>();
        String mapping = "";
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/smaps"))) {
            String[] f = l.trim().split("\\s+");
            if (l.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                mapping = f.length >= 6 ? f[5] : "[anon]";
            } else if (f[0].equals("Rss:")) {
                byMapping.computeIfAbsent(mapping, k -> new long[2])[0] += Long.parseLong(f[1]);
            } else if (f[0].startsWith("Private_")) {
                byMapping.computeIfAbsent(mapping, k -> new long[2])[1] += Long.parseLong(f[1]);
            }
        }
        byMapping.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(15)
                .forEach(e -> System.out.println("smaps " + e.getValue()[0] + " kB rss, " + e.getValue()[1]
                        + " kB private: " + e.getKey()));
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        for (String what : List.of(System.getProperty("bench.jcmd", "VM.native_memory summary;GC.heap_info;Thread.print").split(";"))) {
            List<String> cmd = new ArrayList<>(List.of(jcmd, Long.toString(pid)));
            cmd.addAll(List.of(what.split(" ")));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            System.out.println("---- jcmd " + what + "\n" + new String(p.getInputStream().readAllBytes()));
            p.waitFor();
        }
    }

    private static void createAll(GahpSession s, String h, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            assertThat(s.command(AzureWireMockBench.create(1000 + i, h, "condorc" + i + "p0"))).containsExactly("S");
        }
        Map<String, List<String>> created = AzureWireMockBench.collect(s, to - from);
        assertThat(created.values()).allSatisfy(r -> assertThat(r).hasSize(4).element(1).isEqualTo("NULL"));
    }

    private static void add(Map<String, List<Sample>> m, String stage, Sample s) {
        m.computeIfAbsent(stage, k -> new ArrayList<>()).add(s);
    }

    static Sample sample(GahpProcess gahp) throws IOException {
        long pid = gahp.pid();
        long rss = 0;
        int threads = 0;
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmRSS:")) {
                rss = kib(l.substring(6));
            } else if (l.startsWith("Threads:")) {
                threads = Integer.parseInt(l.substring(8).trim());
            }
        }
        long priv = 0;
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
            if (l.startsWith("Private_Clean:") || l.startsWith("Private_Dirty:")) {
                priv += kib(l.substring(l.indexOf(':') + 1));
            }
        }
        if (Boolean.getBoolean("bench.diagnose")) {
            List<String> names = new ArrayList<>();
            try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                for (Path t : (Iterable<Path>) tasks::iterator) {
                    names.add(Files.readString(t.resolve("comm")).trim());
                }
            }
            names.sort(null);
            System.out.println("threads at sample: " + names);
        }
        return new Sample(rss, priv, threads);
    }

    private static long kib(String v) {
        return Long.parseLong(v.replace("kB", "").trim());
    }

    private static String mib(List<Long> kib) {
        List<Double> m = kib.stream().map(k -> k / 1024.0).toList();
        double lo = m.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double hi = m.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        return f("%.1f (%.1f–%.1f)", BenchReport.median(m), lo, hi);
    }

    private static String range(List<Long> xs, String unit) {
        List<Double> d = xs.stream().map(Long::doubleValue).toList();
        return f("%.0f%s (%d–%d)", BenchReport.median(d), unit, xs.stream().mapToLong(Long::longValue).min().orElse(0),
                xs.stream().mapToLong(Long::longValue).max().orElse(0));
    }
}
