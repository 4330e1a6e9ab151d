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
 * 12 item 3): resident set ({@code VmRSS}, and its peak {@code VmHWM}), private memory
 * ({@code Private_Clean + Private_Dirty} of {@code /proc/<pid>/smaps_rollup}) and live threads, at the
 * handshake, after the first ping, after 50 creates and after 1,000 more creates (all written at once,
 * as a gridmanager with a full queue sends them, spread over 4 regions; measured once every result
 * arrived). The simulator enforces Azure's request budgets in real time, and the adapter keeps to
 * them: the principal's 10 writes a second (4 per create) make a run take about 7 minutes. In one
 * region ({@code -Dbench.regions=1}) Compute's PutVM3Min (240 VM PUTs per 3 minutes per region) lets
 * about 1.33 creates a second through, and the last of 1,000 creates would end past the 590 s request
 * deadline. Fresh servers ({@code -Dbench.runs} per variant, default 3), each against its own
 * simulator, all at once (they spend their time waiting on the budgets, not on the CPU); the table
 * gives the median and range. Variants of JVM options to compare in one run:
 * {@code -Dbench.variants="A;B"} (each appended to the trust-store options in {@code JAVA_OPTS}; an
 * empty one is the launcher's defaults; leading {@code NAME=value} words set environment variables,
 * such as {@code MALLOC_ARENA_MAX=1}); {@code -Dbench.javaOpts="..."} is one variant.
 * {@code -Dbench.diagnose=true} prints smaps by mapping and {@code jcmd}'s answers (add
 * {@code -XX:NativeMemoryTracking=summary} to a variant for the native-memory summary; it costs memory
 * itself). Also start-up on {@code --cloud azure} against a bare JVM. Run with
 * {@code mvn -B -ntp test -pl gahp-it -Pbench -Dtest=AzureFootprintBench} after installing.
 */
@Tag("bench")
class AzureFootprintBench {
    static final String SUB = AzureStandIn.SUB;
    static final String CANARY = "canary-ClientSecret_footprint~never.shown";
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(600);
    static final List<String> REGIONS = List.of("westeurope", "northeurope", "eastus", "westus2");
    static final String[] STAGES = {"idle after the handshake", "after the first AZURE_PING", "after 50 creates",
        f("after %,d creates", Integer.getInteger("bench.creates", 1000))};
    /** The goal, 120 MB, in bytes (114.4 MiB). */
    static final long GOAL_BYTES = 120_000_000L;
    static final int GOAL_THREADS = 24;
    /** The creates after the first 50: 1,000 (fewer only to try the bench out; the table then says so). */
    static final int CREATES = Integer.getInteger("bench.creates", 1000);

    @TempDir
    Path tmp;

    record Sample(long rssKib, long hwmKib, long privateKib, int threads) {
    }

    /** One server's samples by stage, what it printed for diagnosis, and how long its 1,000 creates took. */
    record Run(String variant, Map<String, Sample> samples, String notes, double createSeconds) {
    }

    @Test
    void memoryAndThreadsAfterAThousandCreates() throws Exception {
        int runs = Integer.getInteger("bench.runs", 3);
        int regions = Integer.getInteger("bench.regions", REGIONS.size());
        List<String> variants = List.of(System.getProperty("bench.variants", System.getProperty("bench.javaOpts", ""))
                .split(";", -1));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                Integer.getInteger("bench.parallel", variants.size() * runs));
        List<java.util.concurrent.Future<Run>> futures = new ArrayList<>();
        try {
            for (int run = 0; run < runs; run++) {
                for (int v = 0; v < variants.size(); v++) {
                    String extra = variants.get(v).trim();
                    Path dir = Files.createDirectories(tmp.resolve("v" + v + "run" + run));
                    futures.add(pool.submit(() -> oneServer(dir, extra, regions)));
                }
            }
            List<Run> done = new ArrayList<>();
            for (var f : futures) {
                done.add(f.get());
            }
            for (Run r : done) {
                System.out.print(r.notes());
            }
            report(variants, done, runs, regions);
        } finally {
            pool.shutdownNow();
        }
    }

    private Run oneServer(Path dir, String extra, int regions) throws Exception {
        StringBuilder notes = new StringBuilder();
        Map<String, Sample> samples = new LinkedHashMap<>();
        double seconds;
        try (AzureStandIn azure = new AzureStandIn(dir, CANARY)) {
            Map<String, String> env = new HashMap<>(azure.env());
            // Leading NAME=value words of a variant are environment variables (MALLOC_ARENA_MAX=1), the rest JVM options.
            List<String> opts = new ArrayList<>();
            for (String w : extra.isBlank() ? new String[0] : extra.split("\\s+")) {
                if (opts.isEmpty() && w.matches("[A-Z_][A-Z0-9_]*=.*")) {
                    env.put(w.substring(0, w.indexOf('=')), w.substring(w.indexOf('=') + 1));
                } else {
                    opts.add(w);
                }
            }
            env.put("JAVA_OPTS", env.get("JAVA_OPTS") + (opts.isEmpty() ? "" : " " + String.join(" ", opts)));
            Path log = dir.resolve("gahp.log");
            try (GahpProcess gahp = GahpProcess.start(env, "--cloud", "azure", "--azure-poll-interval", "10ms",
                    "--log", log.toString())) {
                notes.append("---- server ").append(gahp.pid()).append(", extra JAVA_OPTS: `").append(extra).append("`\n");
                GahpSession s = new GahpSession(gahp);
                s.handshake();
                String h = " " + azure.credFile + " " + SUB;
                samples.put(STAGES[0], sample(gahp, notes));
                assertThat(AzureWireMockBench.run(s, "AZURE_PING 1" + h)).containsExactly("1", "NULL");
                samples.put(STAGES[1], sample(gahp, notes));
                createAll(s, h, 0, 50, regions);
                samples.put(STAGES[2], sample(gahp, notes));
                long t0 = System.nanoTime();
                createAll(s, h, 50, 50 + CREATES, regions);
                seconds = (System.nanoTime() - t0) / 1e9;
                samples.put(STAGES[3], sample(gahp, notes));
                if (Boolean.getBoolean("bench.diagnose")) {
                    diagnose(gahp.pid(), notes);
                }
                assertThat(s.command("QUIT")).containsExactly("S");
                assertThat(gahp.waitFor(Duration.ofSeconds(20))).isTrue();
            }
            long vms = azure.simulator.paths().stream()
                    .filter(p -> p.matches(".*/providers/microsoft\\.compute/virtualmachines/condorc\\d+p0")).count();
            assertThat(vms).as("VMs the simulator holds").isEqualTo(50 + CREATES);
            notes.append(f("%,d creates in %.0f s; simulator: %s%n", CREATES, seconds, azure.simulator.budgetCounters()));
            assertThat(azure.watch.secretElsewhere()).isEmpty();
        }
        return new Run(extra, samples, notes.toString(), seconds);
    }

    private static void report(List<String> variants, List<Run> done, int runs, int regions) {
        List<List<String>> rows = new ArrayList<>();
        List<String> verdicts = new ArrayList<>();
        for (String variant : variants) {
            List<Run> mine = done.stream().filter(r -> r.variant().equals(variant.trim())).toList();
            String label = variant.isBlank() ? "launcher defaults" : "`" + variant.trim() + "`";
            for (String stage : STAGES) {
                List<Sample> xs = mine.stream().map(r -> r.samples().get(stage)).toList();
                rows.add(List.of(label, stage, mib(xs.stream().map(Sample::rssKib).toList()),
                        mib(xs.stream().map(Sample::hwmKib).toList()),
                        mib(xs.stream().map(Sample::privateKib).toList()),
                        range(xs.stream().map(x -> (long) x.threads()).toList(), "")));
            }
            List<Sample> last = mine.stream().map(r -> r.samples().get(STAGES[3])).toList();
            double rssBytes = BenchReport.median(last.stream().map(x -> x.rssKib() * 1024.0).toList());
            double threads = BenchReport.median(last.stream().map(x -> (double) x.threads()).toList());
            double secs = BenchReport.median(mine.stream().map(Run::createSeconds).toList());
            verdicts.add(f("%s: after %,d creates median RSS %,.0f bytes (goal ≤ %,d: %s), %.0f threads (goal ≤ %d: %s);"
                    + " the creates took %.0f s (median)", label, CREATES, rssBytes, GOAL_BYTES,
                    rssBytes <= GOAL_BYTES ? "met" : "missed", threads, GOAL_THREADS,
                    threads <= GOAL_THREADS ? "met" : "missed", secs));
        }
        List<String> notes = new ArrayList<>();
        notes.add(f("%d fresh servers per variant, all at once, each against its own stand-in;"
                + " `--cloud azure --azure-poll-interval 10ms` against WireMock (HTTPS) with the adapter's ArmSimulator"
                + " (synchronous answers, Azure's request budgets enforced in real time); 50 creates, then %,d written at"
                + " once, over %d region(s), measured once every result arrived (every create succeeded and the"
                + " simulator holds all %,d VMs). Private = Private_Clean + Private_Dirty of /proc/<pid>/smaps_rollup;"
                + " VmHWM is the peak RSS so far.", runs, CREATES, regions, 50 + CREATES));
        notes.addAll(verdicts);
        BenchReport.write("Azure adapter through the launcher: memory and threads (ARM simulator)",
                List.of("JVM options", "stage", "VmRSS MiB (median, range)", "VmHWM MiB (median, range)",
                        "private MiB (median, range)", "threads (median, range)"), rows, notes);
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
    private static void diagnose(long pid, StringBuilder out) throws Exception {
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
        byMapping.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(20)
                .forEach(e -> out.append("smaps " + e.getValue()[0] + " kB rss, " + e.getValue()[1]
                        + " kB private: " + e.getKey() + "\n"));
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        for (String what : List.of(System.getProperty("bench.jcmd", "VM.native_memory summary;GC.heap_info;Thread.print").split(";"))) {
            List<String> cmd = new ArrayList<>(List.of(jcmd, Long.toString(pid)));
            cmd.addAll(List.of(what.split(" ")));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            out.append("---- jcmd " + what + "\n" + new String(p.getInputStream().readAllBytes()) + "\n");
            p.waitFor();
        }
    }

    private static void createAll(GahpSession s, String h, int from, int to, int regions) throws Exception {
        for (int i = from; i < to; i++) {
            assertThat(s.command("AZURE_VM_CREATE " + (1000 + i) + h + " name=condorc" + i + "p0 location="
                    + REGIONS.get(i % regions) + " image=linux-ubuntu-latest size=Standard_B1s adminUsername=azureuser"
                    + " key=ssh-rsa\\ AAAAB3NzaC1yc2EAAAADAQABAAABAQCstubkey\\ bench@host")).containsExactly("S");
        }
        Map<String, List<String>> created = AzureWireMockBench.collect(s, to - from);
        assertThat(created.values()).allSatisfy(r -> assertThat(r).hasSize(4).element(1).isEqualTo("NULL"));
    }

    static Sample sample(GahpProcess gahp, StringBuilder notes) throws IOException {
        long pid = gahp.pid();
        long rss = 0;
        long hwm = 0;
        int threads = 0;
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmRSS:")) {
                rss = kib(l.substring(6));
            } else if (l.startsWith("VmHWM:")) {
                hwm = kib(l.substring(6));
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
            notes.append("threads at sample: ").append(names).append('\n');
        }
        return new Sample(rss, hwm, priv, threads);
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
