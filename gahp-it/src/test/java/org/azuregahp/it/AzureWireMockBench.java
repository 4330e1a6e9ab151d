package org.azuregahp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ARM traffic through the real launcher with {@code --cloud azure} against WireMock standing in for
 * Azure (the adapter's stateful simulator): requests per VM create, per {@code AZURE_VM_LIST} of 500
 * VMs and per warm {@code AZURE_PING}; then the same commands while 30% of Resource Manager calls
 * answer 429 with {@code Retry-After: 1}. Run with
 * {@code mvn -B -ntp test -pl gahp-it -Pbench -Dtest=AzureWireMockBench} (after packaging the
 * launcher); figures go to stdout and are appended to {@code -Dbench.report} (default
 * {@code target/bench-report.md}).
 */
@Tag("bench")
class AzureWireMockBench {
    static final String SUB = AzureStandIn.SUB;
    static final String CANARY = "canary-ClientSecret_bench~never.shown";
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(600);
    static final int VMS = 500;
    static final int PINGS = 20;
    static final int LISTS = 5;
    static final int THROTTLED_VMS = 100;
    static final int LONG_RUNNING_VMS = 100;

    @TempDir
    Path tmp;

    @Test
    void armRequestsPerCreateListAndWarmPing() throws Exception {
        Path log = tmp.resolve("gahp.log");
        List<List<String>> rows = new ArrayList<>();
        try (AzureStandIn azure = new AzureStandIn(tmp, CANARY); GahpProcess gahp = azure.launch("--log", log.toString())) {
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            String h = " " + azure.credFile + " " + SUB;
            assertThat(run(s, "AZURE_PING 1" + h)).containsExactly("1", "NULL");

            // The first create makes the shared network (reported apart).
            azure.gate.clear();
            long t0 = System.nanoTime();
            assertThat(run(s, create(2, h, "condorc0p0"))).hasSize(4);
            double firstMs = ms(System.nanoTime() - t0);
            List<AzureStandIn.Gate.Call> first = azure.gate.calls();
            rows.add(row("first VM create (makes the shared network)", first.size(), writes(first), "1", "",
                    fmt(firstMs) + " ms"));

            // Warm pings, one at a time.
            azure.gate.clear();
            List<Double> pingMs = new ArrayList<>();
            for (int i = 0; i < PINGS; i++) {
                long p0 = System.nanoTime();
                assertThat(run(s, "AZURE_PING " + (100 + i) + h)).containsExactly(Integer.toString(100 + i), "NULL");
                pingMs.add(ms(System.nanoTime() - p0));
            }
            List<AzureStandIn.Gate.Call> pings = azure.gate.calls();
            rows.add(row("warm AZURE_PING", per(pings.size(), PINGS), per(writes(pings), PINGS), Integer.toString(PINGS),
                    "", "median " + fmt(median(pingMs)) + " ms"));
            assertThat(writes(pings)).isZero();

            // VMS - 1 more creates, all in flight at once.
            azure.gate.clear();
            int n = VMS - 1;
            long c0 = System.nanoTime();
            for (int i = 1; i <= n; i++) {
                assertThat(s.command(create(1000 + i, h, "condorc" + i + "p0"))).containsExactly("S");
            }
            Map<String, List<String>> created = collect(s, n);
            double createWall = ms(System.nanoTime() - c0);
            assertThat(created.values()).allSatisfy(r -> assertThat(r).hasSize(4).element(1).isEqualTo("NULL"));
            List<AzureStandIn.Gate.Call> creates = azure.gate.calls();
            Map<String, Integer> writesPerGroup = writesPerGroup(creates);
            int maxWrites = Collections.max(writesPerGroup.values());
            rows.add(row("VM create, shared network in place", per(creates.size(), n), per(writes(creates), n),
                    Integer.toString(n), "max " + maxWrites + " writes for one VM",
                    fmt(createWall / 1000) + " s wall for all, " + fmt(n / (createWall / 1000)) + " creates/s"));
            assertThat(maxWrites).isLessThanOrEqualTo(4);

            // Lists of VMS VMs, one at a time.
            azure.gate.clear();
            List<Double> listMs = new ArrayList<>();
            int listBytes = 0;
            for (int i = 0; i < LISTS; i++) {
                long l0 = System.nanoTime();
                List<String> listed = run(s, "AZURE_VM_LIST " + (3000 + i) + h);
                listMs.add(ms(System.nanoTime() - l0));
                assertThat(listed).hasSize(3 + 2 * VMS);
                assertThat(listed.get(2)).isEqualTo(Integer.toString(VMS));
                listBytes = String.join(" ", listed).getBytes(StandardCharsets.UTF_8).length;
            }
            List<AzureStandIn.Gate.Call> lists = azure.gate.calls();
            rows.add(row("AZURE_VM_LIST of " + VMS + " VMs", per(lists.size(), LISTS), per(writes(lists), LISTS),
                    Integer.toString(LISTS), "result line ~" + listBytes + " bytes (one simulator page)",
                    "median " + fmt(median(listMs)) + " ms"));

            // Deletes, all in flight at once.
            azure.gate.clear();
            long d0 = System.nanoTime();
            for (int i = 0; i < VMS; i++) {
                assertThat(s.command("AZURE_VM_DELETE " + (4000 + i) + h + " condorc" + i + "p0")).containsExactly("S");
            }
            Map<String, List<String>> deleted = collect(s, VMS);
            double deleteWall = ms(System.nanoTime() - d0);
            assertThat(deleted.values()).allSatisfy(r -> assertThat(r).hasSize(2).element(1).isEqualTo("NULL"));
            List<AzureStandIn.Gate.Call> deletes = azure.gate.calls();
            rows.add(row("VM delete", per(deletes.size(), VMS), per(writes(deletes), VMS), Integer.toString(VMS), "",
                    fmt(deleteWall / 1000) + " s wall for all"));
            assertThat(run(s, "AZURE_VM_LIST 9" + h)).containsExactly("9", "NULL", "0");

            // As Azure answers: long-running PUTs and deletes, each polled (in progress once, then done).
            azure.gate.longRunning(true);
            azure.gate.clear();
            int m = LONG_RUNNING_VMS;
            long lc0 = System.nanoTime();
            for (int i = 0; i < m; i++) {
                assertThat(s.command(create(5000 + i, h, "condorl" + i + "p0"))).containsExactly("S");
            }
            assertThat(collect(s, m).values()).allSatisfy(r -> assertThat(r).hasSize(4).element(1).isEqualTo("NULL"));
            double lroCreateWall = ms(System.nanoTime() - lc0);
            List<AzureStandIn.Gate.Call> lroCreates = azure.gate.calls();
            rows.add(row("VM create, long-running answers", per(lroCreates.size(), m), per(writes(lroCreates), m),
                    Integer.toString(m), "max " + Collections.max(writesPerGroup(lroCreates).values())
                            + " writes for one VM; reads include one in-progress poll per operation",
                    fmt(lroCreateWall / 1000) + " s wall for all"));
            azure.gate.clear();
            long ld0 = System.nanoTime();
            for (int i = 0; i < m; i++) {
                assertThat(s.command("AZURE_VM_DELETE " + (6000 + i) + h + " condorl" + i + "p0")).containsExactly("S");
            }
            assertThat(collect(s, m).values()).allSatisfy(r -> assertThat(r).containsExactly(r.get(0), "NULL"));
            double lroDeleteWall = ms(System.nanoTime() - ld0);
            List<AzureStandIn.Gate.Call> lroDeletes = azure.gate.calls();
            rows.add(row("VM delete, long-running answers", per(lroDeletes.size(), m), per(writes(lroDeletes), m),
                    Integer.toString(m), "", fmt(lroDeleteWall / 1000) + " s wall for all"));
            assertThat(Collections.max(writesPerGroup(lroCreates).values())).isLessThanOrEqualTo(4);
            assertThat(run(s, "AZURE_VM_LIST 10" + h)).containsExactly("10", "NULL", "0");

            assertThat(s.command("QUIT")).containsExactly("S");
            assertThat(gahp.waitFor(Duration.ofSeconds(10))).isTrue();
            assertThat(azure.watch.secretElsewhere()).isEmpty();
            assertThat(Files.readString(log)).doesNotContain(CANARY);
        }
        report("Azure adapter on WireMock: ARM requests per command (through the launcher)",
                List.of("command", "ARM requests each", "ARM writes each", "samples", "notes", "time"), rows,
                List.of("Launcher `--cloud azure --azure-poll-interval 10ms`, WireMock over HTTPS with the adapter's"
                        + " ArmSimulator (synchronous answers unless marked long-running; one page per list);"
                        + " token requests not counted (one per process)."));
    }

    @Test
    void thirtyPercentOfArmCallsThrottled() throws Exception {
        Path log = tmp.resolve("gahp.log");
        List<List<String>> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        try (AzureStandIn azure = new AzureStandIn(tmp, CANARY); GahpProcess gahp = azure.launch("--log", log.toString())) {
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            String h = " " + azure.credFile + " " + SUB;
            assertThat(run(s, "AZURE_PING 1" + h)).containsExactly("1", "NULL");
            assertThat(run(s, create(2, h, "condorc0p0"))).hasSize(4);

            azure.gate.clear();
            azure.gate.throttle(0.30, 42, 4, 1);
            long t0 = System.nanoTime();
            Map<String, Long> sent = new HashMap<>();
            Map<String, Long> done = new HashMap<>();
            Map<String, List<String>> results = new LinkedHashMap<>();

            // Creates with a list and a ping in flight beside them.
            for (int i = 1; i <= THROTTLED_VMS; i++) {
                send(s, sent, (1000 + i) + "", create(1000 + i, h, "condorc" + i + "p0"));
            }
            send(s, sent, "5000", "AZURE_VM_LIST 5000" + h);
            send(s, sent, "5001", "AZURE_PING 5001" + h);
            collect(s, THROTTLED_VMS + 2, results, done);
            // Deletes likewise.
            for (int i = 1; i <= THROTTLED_VMS; i++) {
                send(s, sent, (2000 + i) + "", "AZURE_VM_DELETE " + (2000 + i) + h + " condorc" + i + "p0");
            }
            send(s, sent, "5002", "AZURE_VM_LIST 5002" + h);
            send(s, sent, "5003", "AZURE_PING 5003" + h);
            collect(s, THROTTLED_VMS + 2, results, done);
            // Pings and lists one at a time.
            for (int i = 0; i < 10; i++) {
                send(s, sent, (6000 + i) + "", "AZURE_PING " + (6000 + i) + h);
                collect(s, 1, results, done);
            }
            for (int i = 0; i < 5; i++) {
                send(s, sent, (7000 + i) + "", "AZURE_VM_LIST " + (7000 + i) + h);
                collect(s, 1, results, done);
            }
            double totalS = ms(System.nanoTime() - t0) / 1000;
            azure.gate.throttle(0, 1, 0, 1);

            int ops = sent.size();
            long ok = results.values().stream().filter(r -> r.size() > 1 && r.get(1).equals("NULL")).count();
            List<String> errors = results.values().stream().filter(r -> r.size() < 2 || !r.get(1).equals("NULL"))
                    .map(r -> String.join(" ", r)).toList();
            List<AzureStandIn.Gate.Call> calls = azure.gate.calls();
            long throttled = calls.stream().filter(AzureStandIn.Gate.Call::throttled).count();
            Gaps gaps = gapsAfterThrottling(calls);
            List<Double> latencies = new ArrayList<>();
            sent.forEach((id, at) -> latencies.add(ms(done.get(id) - at)));
            Collections.sort(latencies);
            double maxLatency = latencies.get(latencies.size() - 1);

            rows.add(List.of("operations sent / with a result / succeeded", ops + " / " + results.size() + " / " + ok));
            rows.add(List.of("ARM calls / answered 429 (each retried)", calls.size() + " / " + throttled + " ("
                    + fmt(100.0 * throttled / calls.size()) + "%)"));
            rows.add(List.of("calls to a throttled URL path within 1 s after its 429", gaps.violations + " (min gap "
                    + fmt(gaps.minGapMs) + " ms over " + gaps.checked + " 429s)"));
            rows.add(List.of("operation latency p50 / max", fmt(latencies.get(latencies.size() / 2) / 1000) + " s / "
                    + fmt(maxLatency / 1000) + " s (call timeout 600 s)"));
            rows.add(List.of("total time (" + THROTTLED_VMS + " creates + " + THROTTLED_VMS
                    + " deletes + 7 lists + 12 pings)", fmt(totalS) + " s"));
            notes.add("3 in every 10 Resource Manager calls (phase from seed 42) answered `429 TooManyRequests`, `Retry-After: 1`, at most"
                    + " 4 in a row for one method and URL (the adapter retries 5 times); token requests never throttled."
                    + " 100 creates, a list and a ping in flight together, then 100 deletes likewise, then 10 pings and"
                    + " 5 lists one at a time." + (errors.isEmpty() ? "" : " Errors: " + errors));

            assertThat(results).hasSize(ops);
            assertThat(errors).isEmpty();
            assertThat(throttled).isPositive();
            assertThat(gaps.violations).isZero();
            assertThat(Duration.ofMillis((long) maxLatency)).isLessThan(CALL_TIMEOUT);
            assertThat(run(s, "AZURE_VM_LIST 9" + h).subList(0, 3)).containsExactly("9", "NULL", "1");
            assertThat(s.command("QUIT")).containsExactly("S");
            assertThat(gahp.waitFor(Duration.ofSeconds(10))).isTrue();
            assertThat(azure.watch.secretElsewhere()).isEmpty();
        }
        report("Azure adapter on WireMock: 30% of ARM calls throttled (429, Retry-After: 1)",
                List.of("measure", "value"), rows, notes);
    }

    // ---------------------------------------------------------------- driving

    static String create(long id, String h, String name) {
        return "AZURE_VM_CREATE " + id + h + " name=" + name + " location=westeurope image=linux-ubuntu-latest"
                + " size=Standard_B1s adminUsername=azureuser"
                + " key=ssh-rsa\\ AAAAB3NzaC1yc2EAAAADAQABAAABAQCstubkey\\ bench@host";
    }

    static List<String> run(GahpSession s, String line) throws Exception {
        assertThat(s.command(line)).as(line).containsExactly("S");
        return s.result(CALL_TIMEOUT);
    }

    static void send(GahpSession s, Map<String, Long> sent, String id, String line) throws Exception {
        sent.put(id, System.nanoTime());
        assertThat(s.command(line)).as(line).containsExactly("S");
    }

    /** Polls RESULTS until {@code n} more results arrived, noting when each arrived (to the poll). */
    static void collect(GahpSession s, int n, Map<String, List<String>> into, Map<String, Long> arrivals)
            throws Exception {
        int got = 0;
        while (got < n) {
            List<List<String>> batch = s.results(1, CALL_TIMEOUT);
            long now = System.nanoTime();
            for (List<String> r : batch) {
                assertThat(into.put(r.get(0), r)).as("one result per id: %s", r.get(0)).isNull();
                arrivals.put(r.get(0), now);
            }
            got += batch.size();
        }
    }

    static Map<String, List<String>> collect(GahpSession s, int n) throws Exception {
        Map<String, List<String>> into = new LinkedHashMap<>();
        collect(s, n, into, new HashMap<>());
        assertThat(into).hasSize(n);
        return into;
    }

    // ---------------------------------------------------------------- figures

    record Gaps(int checked, int violations, double minGapMs) {
    }

    /** For every 429 on a URL path, the next call to that path (any method): how long after. */
    static Gaps gapsAfterThrottling(List<AzureStandIn.Gate.Call> calls) {
        Map<String, List<AzureStandIn.Gate.Call>> byPath = new HashMap<>();
        for (AzureStandIn.Gate.Call c : calls) {
            byPath.computeIfAbsent(c.path(), k -> new ArrayList<>()).add(c);
        }
        int checked = 0;
        int violations = 0;
        double min = Double.MAX_VALUE;
        for (List<AzureStandIn.Gate.Call> l : byPath.values()) {
            l.sort((a, b) -> Long.compare(a.nanos(), b.nanos()));
            for (int i = 0; i < l.size(); i++) {
                if (!l.get(i).throttled()) {
                    continue;
                }
                checked++;
                if (i + 1 < l.size()) {
                    double gap = ms(l.get(i + 1).nanos() - l.get(i).nanos());
                    min = Math.min(min, gap);
                    if (gap < 1000) {
                        violations++;
                    }
                }
            }
        }
        return new Gaps(checked, violations, min == Double.MAX_VALUE ? 0 : min);
    }

    static long writes(List<AzureStandIn.Gate.Call> calls) {
        return calls.stream().filter(c -> !c.method().equals("GET") && !c.method().equals("HEAD")).count();
    }

    /** ARM writes per resource group (= per VM: each VM lives in a group of its name). */
    static Map<String, Integer> writesPerGroup(List<AzureStandIn.Gate.Call> calls) {
        Map<String, Integer> out = new TreeMap<>();
        for (AzureStandIn.Gate.Call c : calls) {
            String[] p = c.path().split("/");
            if (p.length >= 5 && p[3].equals("resourcegroups") && !c.method().equals("GET")) {
                out.merge(p[4], 1, Integer::sum);
            }
        }
        return out;
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    static double median(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        return v.get(v.size() / 2);
    }

    static String per(long total, int count) {
        return fmt((double) total / count);
    }

    static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e9 ? Long.toString((long) d) : String.format(Locale.ROOT, "%.2f", d);
    }

    static List<String> row(String... cells) {
        return List.of(cells);
    }

    static List<String> row(String a, int b, long c, String d, String e, String f) {
        return List.of(a, Integer.toString(b), Long.toString(c), d, e, f);
    }

    /** Prints the figures as Markdown and appends them to {@code bench.report} (with the date and command). */
    static void report(String title, List<String> header, List<List<String>> rows, List<String> notes) {
        BenchReport.write(title, header, rows, notes);
    }
}
