package org.azuregahp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.azuregahp.it.BenchReport.f;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fake cloud's state file with 100,000 VMs (a realistic document, about 2 KB a VM, written
 * directly): time to start, the cost of saving every change before its result is delivered, how long
 * the document takes to rewrite and how far it lags, and the time from EOF, QUIT and SIGTERM (right
 * after results were read) to exit, with every delivered result checked in the file afterwards (and
 * after SIGKILL).
 */
@Tag("bench")
class BenchStateFileTest {
    static final int VMS = 100_000;
    static final int RUNS = 3;
    static final Duration PATIENCE = Duration.ofMinutes(10);
    private static final Pattern WRITTEN = Pattern.compile(
            "^(\\S+) DEBUG .*fake cloud state document written: (\\d+) resource groups, (\\d+) bytes in (\\d+) ms");

    @TempDir
    Path dir;

    private final Set<String> exist = new HashSet<>();
    private int nextDelete;
    private int id = 2;

    private record Started(GahpProcess gahp, GahpSession session, double startMs) {
    }

    private Started start(Path state, Path log, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--cloud", "fake", "--log", log.toString(), "--log-level", "debug"));
        if (state != null) {
            args.addAll(List.of("--fake-state", state.toString()));
        }
        args.addAll(List.of(extra));
        long t0 = System.nanoTime();
        GahpProcess gahp = GahpProcess.start(args.toArray(String[]::new));
        gahp.nextLine(PATIENCE);
        gahp.send("VERSION");
        assertThat(gahp.nextLine(PATIENCE)).startsWith("S ");
        return new Started(gahp, new GahpSession(gahp), (System.nanoTime() - t0) / 1e6);
    }

    /** Sends {@code n} creates in one write; returns ms until every result was read. */
    private double creates(GahpSession s, String prefix, int n, Map<String, String> created) throws Exception {
        List<String> lines = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        for (int i = 0; i < n; i++) {
            names.put(String.valueOf(id), prefix + i);
            lines.add(LauncherTestSupport.vmCreate(id++, prefix + i, ""));
        }
        long t0 = System.nanoTime();
        LauncherTestSupport.sendAllAccepted(s, lines);
        Map<String, List<String>> results = LauncherTestSupport.resultsById(s, n, PATIENCE);
        double ms = (System.nanoTime() - t0) / 1e6;
        results.forEach((rid, r) -> {
            assertThat(r).as("create result").hasSize(4);
            created.put(names.get(rid), r.get(2));
        });
        return ms;
    }

    @Test
    void stateFileAtAHundredThousandVms() throws Exception {
        Path state = dir.resolve("state.json");
        long t0 = System.nanoTime();
        LargeState.write(state, VMS, true);
        double genMs = (System.nanoTime() - t0) / 1e6;
        long docBytes = Files.size(state);
        for (int i = 0; i < VMS; i++) {
            exist.add(LargeState.name(i));
        }
        Map<String, String> ids = new HashMap<>();
        List<List<String>> rows = new ArrayList<>();

        // 1. Start-up, a burst of creates (every result waits for its save), and the document rewrites after it.
        Path log = dir.resolve("burst.log");
        Started st = start(state, log);
        double burstMs = creates(st.session(), "burst", 1000, ids);
        Instant lastResult = Instant.now();
        exist.addAll(ids.keySet());
        // Let the saver rewrite the document (it does so in the background once the journal has grown).
        long wait = System.nanoTime() + PATIENCE.toNanos();
        List<long[]> writes = List.of();
        while (System.nanoTime() < wait) {
            writes = documentWrites(log, lastResult);
            if (!writes.isEmpty()) {
                break;
            }
            Thread.sleep(200);
        }
        st.gahp().send("QUIT");
        assertThat(st.gahp().waitFor(PATIENCE)).isTrue();
        assertThat(writes).as("a document rewrite after the burst").isNotEmpty();
        long[] first = writes.get(0);
        double lagMs = first[0] - lastResult.toEpochMilli();
        List<long[]> all = documentWrites(log, Instant.EPOCH);
        double writeMs = all.stream().mapToLong(w -> w[2]).max().orElse(0);
        rows.add(List.of("start-up at 100,000 VMs (document " + f("%,d", docBytes / 1_000_000) + " MB)",
                f("%.1f s", st.startMs() / 1000), "exec to the first answer"));

        Started mem = start(null, dir.resolve("mem.log"));
        Map<String, String> ignored = new HashMap<>();
        double memMs = creates(mem.session(), "mem", 1000, ignored);
        mem.gahp().send("QUIT");
        assertThat(mem.gahp().waitFor(PATIENCE)).isTrue();
        rows.add(List.of("1,000 creates in one write, all results read", f("%.0f ms", burstMs),
                f("in memory (no state file): %.0f ms", memMs)));
        rows.add(List.of("rewriting the whole document (" + f("%,d", first[1]) + " groups)",
                f("%,d ms", (long) writeMs), "in the background, from each group's saved bytes"));
        rows.add(List.of("document lag after the burst's last result", f("%.1f s", lagMs / 1000),
                "the journal holds every change before its result; the document follows"));

        // 2. Exit right after results were read: time to exit, and every delivered result in the file.
        for (String how : List.of("EOF", "QUIT", "SIGTERM")) {
            List<Double> ms = new ArrayList<>();
            int current = 0;
            for (int run = 0; run < RUNS; run++) {
                ms.add(stopRun(state, how, ids));
                current += journals(state) == 0 ? 1 : 0;
            }
            rows.add(List.of("exit after " + how + " at 100,000 VMs (10 creates + 10 deletes just answered)",
                    f("median %.0f ms, max %.0f ms", BenchReport.median(ms),
                            ms.stream().mapToDouble(Double::doubleValue).max().orElse(0)),
                    f("all results in the file in %d of %d runs; document current at exit in %d", RUNS, RUNS, current)));
        }
        stopRun(state, "SIGKILL", ids);
        rows.add(List.of("SIGKILL right after results were read", "-",
                "all results in the file (document plus journal)"));

        BenchReport.write("Fake cloud state file at 100,000 VMs",
                List.of("measure", "result", "note"), rows,
                List.of(f("A %,d-VM document (%,d bytes) generated in %.1f s. Each exit run is a new process on the"
                        + " same file: start, 10 creates and 10 deletes, their results read, then the stop; the file"
                        + " (document plus journal) then holds exactly the VMs that exist. The close gives the"
                        + " document rewrite 450 ms; when it does not fit, the journal keeps the last changes and"
                        + " the next start folds them in.", VMS, docBytes, genMs / 1000)));
    }

    private double stopRun(Path state, String how, Map<String, String> ids) throws Exception {
        Started st = start(state, dir.resolve("run.log"));
        GahpSession s = st.session();
        List<String> lines = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        List<String> deleted = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String name = "run" + id;
            names.put(String.valueOf(id), name);
            lines.add(LauncherTestSupport.vmCreate(id++, name, ""));
            String victim = LargeState.name(nextDelete++);
            deleted.add(victim);
            lines.add("AZURE_VM_DELETE " + id++ + " NULL " + LauncherTestSupport.SUB + " " + victim);
        }
        LauncherTestSupport.sendAllAccepted(s, lines);
        Map<String, List<String>> results = LauncherTestSupport.resultsById(s, lines.size(), PATIENCE);
        long t0 = System.nanoTime();
        switch (how) {
            case "EOF" -> st.gahp().closeStdin();
            case "QUIT" -> st.gahp().send("QUIT");
            case "SIGTERM" -> st.gahp().process().destroy();
            default -> st.gahp().process().destroyForcibly();
        }
        assertThat(st.gahp().waitFor(PATIENCE)).isTrue();
        double ms = (System.nanoTime() - t0) / 1e6;
        results.forEach((rid, r) -> {
            if (names.containsKey(rid)) {
                assertThat(r).hasSize(4);
                ids.put(names.get(rid), r.get(2));
                exist.add(names.get(rid));
            } else {
                assertThat(r).containsExactly(rid, "NULL");
            }
        });
        deleted.forEach(exist::remove);
        Map<String, String> stored = LauncherTestSupport.storedVms(state);
        assertThat(stored.keySet()).as(how).hasSize(exist.size());
        assertThat(stored.keySet().containsAll(exist)).as(how).isTrue();
        ids.forEach((name, vmId) -> assertThat(stored.get(name)).as(how + " " + name).isEqualTo(vmId));
        return ms;
    }

    private static int journals(Path state) throws Exception {
        try (Stream<Path> files = Files.list(state.getParent())) {
            return (int) files.filter(p -> p.getFileName().toString().startsWith(state.getFileName() + ".journal-"))
                    .count();
        }
    }

    /** The document writes logged after {@code since}: [epoch ms, groups, duration ms]. */
    private static List<long[]> documentWrites(Path log, Instant since) throws Exception {
        List<long[]> out = new ArrayList<>();
        if (!Files.exists(log)) {
            return out;
        }
        for (String l : Files.readAllLines(log)) {
            Matcher m = WRITTEN.matcher(l);
            if (m.find()) {
                long at = Instant.parse(m.group(1)).toEpochMilli();
                if (at >= since.toEpochMilli()) {
                    out.add(new long[] {at, Long.parseLong(m.group(2)), Long.parseLong(m.group(4))});
                }
            }
        }
        return out;
    }
}
