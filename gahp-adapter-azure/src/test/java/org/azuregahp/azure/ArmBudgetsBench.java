package org.azuregahp.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.azuregahp.ports.AccountRef;
import org.azuregahp.ports.AdminCredential;
import org.azuregahp.ports.ImageRef;
import org.azuregahp.ports.MachineSpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12.1's benchmark: 10,000 VM creates across 4 regions on the ARM simulator with Azure's budgets
 * and realistic latencies (answers in 80 ms to 1.5 s, public IPs and NICs provisioning in 1-4 s, VMs
 * in 45-90 s), by one server and by three servers sharing the subscription (the same service
 * principal: they share its buckets), each an {@link AzureCloud} of its own with nothing shared but
 * the simulator. Time runs {@code bench.timeScale} (default 10) times faster than the wall clock for
 * everything (the simulator's buckets and latencies, the adapter's pacing, Reactor's timers, so the
 * SDK's polling and retry waits): figures are in simulated seconds.
 *
 * <p>The bound the budgets allow: for each bucket the creates use, (tokens needed - bucket size) /
 * refill rate; the largest of those, plus one create's own duration on an idle simulator (its last VM
 * must still provision after its last write). The writes per create are counted, not assumed.
 *
 * <p>Through real HTTP the simulator must serve about 20 calls per create, 10 times faster than Azure
 * would: on the 2-core build machine it falls behind at 10,000 creates (a real second of lag is ten
 * simulated ones, and creates then pass their 540 s deadline), so issue 12's figures come from
 * {@link ArmBudgetsSimBench}, the same pacing and budgets in a discrete-event run. This one checks the
 * whole pipeline (SDK, retry policy, pacing policy, HTTP) at smaller counts ({@code -Dbench.creates}).
 *
 * <p>{@code mvn -B -ntp test -pl gahp-adapter-azure -Pbench -Dtest=ArmBudgetsBench} (options
 * {@code -Dbench.creates=10000 -Dbench.timeScale=10 -Dbench.runs=1}); figures to stdout and appended
 * to {@code target/bench-report.md} ({@code -Dbench.report=FILE}).
 */
@Tag("bench")
class ArmBudgetsBench {
    static final String SUB = AzureWireMock.SUB;
    static final String TENANT = AzureWireMock.TENANT;
    static final List<String> REGIONS = List.of("westeurope", "northeurope", "eastus", "westus2");
    static final String CLIENT = "c11e47a1-aaaa-bbbb-cccc-000000000001";

    @TempDir
    Path dir;

    record Result(String scenario, int creates, int servers, double seconds, double bound, String binding,
            int throttled, int throttledAfterMinute, double writesPerCreate, double readsPerCreate, int failed,
            long adapterRetries) {
    }

    @Test
    void tenThousandCreatesAcrossFourRegionsOneServerAndThreeSharingThePrincipal() throws Exception {
        int creates = Integer.getInteger("bench.creates", 10_000);
        double scale = Double.parseDouble(System.getProperty("bench.timeScale", "10"));
        int runs = Integer.getInteger("bench.runs", 1);
        ScaledTime time = new ScaledTime(scale);
        time.installInReactor();
        try {
            double single = singleCreateSeconds(time);
            List<Result> results = new ArrayList<>();
            for (int run = 0; run < runs; run++) {
                results.add(run(time, "one server", creates, 1, 1, 400, single));
                results.add(run(time, "three servers, one principal", creates, 3, 1, 150, single));
                results.add(run(time, "three servers, three principals", creates, 3, 3, 200, single));
            }
            report(results, single, scale);
            for (Result r : results) {
                assertThat(r.failed()).as(r.scenario() + " failed creates").isZero();
            }
        } finally {
            ScaledTime.uninstallFromReactor();
        }
    }

    /**
     * One create on an idle simulator, after a first that warms the JVM and makes the region's shared
     * network: the part of a create no budget can shorten (the median of three).
     */
    private double singleCreateSeconds(ScaledTime time) throws Exception {
        List<Double> took = new ArrayList<>();
        try (Stand s = new Stand(time, 1, 1, 10)) {
            for (int i = 0; i < 4; i++) {
                long t0 = time.getAsLong();
                s.clouds.get(0).account(s.ref(0)).virtualMachines().create(spec("solo" + i, REGIONS.get(0)))
                        .toCompletableFuture().get(10, TimeUnit.MINUTES);
                if (i > 0) {
                    took.add((time.getAsLong() - t0) / 1e9);
                }
            }
        }
        Collections.sort(took);
        return took.get(1);
    }

    /**
     * {@code creates} spread over the servers and regions; each server keeps {@code window} in flight
     * (as a gridmanager does: the next request when a result comes back), so none waits long enough in
     * the server for its deadline.
     */
    private Result run(ScaledTime time, String scenario, int creates, int servers, int principals, int window,
            double single) throws Exception {
        try (Stand s = new Stand(time, servers, principals, window)) {
            long start = time.getAsLong();
            AtomicInteger failed = new AtomicInteger();
            long[] last = {start};
            List<java.util.concurrent.Semaphore> slots = new ArrayList<>();
            for (int i = 0; i < servers; i++) {
                slots.add(new java.util.concurrent.Semaphore(window));
            }
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(creates);
            List<Double> took = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.Map<Integer, Double> slowest = java.util.Collections.synchronizedMap(new java.util.TreeMap<>());
            for (int i = 0; i < creates; i++) {
                int server = i % servers;
                int index = i;
                slots.get(server).acquire();
                long began = time.getAsLong();
                s.clouds.get(server).account(s.ref(server)).virtualMachines()
                        .create(spec("condorc" + i + "p0", REGIONS.get(i % REGIONS.size()))).toCompletableFuture()
                        .whenComplete((v, e) -> {
                            if (e != null && failed.getAndIncrement() < 5) {
                                System.out.println("create failed: " + e);
                            }
                            synchronized (last) {
                                last[0] = Math.max(last[0], time.getAsLong());
                            }
                            double d = (time.getAsLong() - began) / 1e9;
                            took.add(d);
                            if (d > 400) {
                                slowest.put(index, d);
                            }
                            slots.get(server).release();
                            done.countDown();
                        });
            }
            assertThat(done.await(6, TimeUnit.HOURS)).isTrue();
            double seconds = (last[0] - start) / 1e9;
            ArmThrottling t = s.simulator.throttling();
            Map<String, Long> admitted = t.admitted();
            long writes = admitted.getOrDefault("writes", 0L);
            long reads = admitted.getOrDefault("reads", 0L);
            int throttled = t.refusals();
            int afterMinute = (int) t.refusalTimes().stream().filter(x -> x - start > 60_000_000_000L).count();
            long retries = s.clouds.stream().mapToLong(c -> c.statistics().throttledRetries()).sum();
            String[] binding = new String[1];
            double bound = bound(admitted, creates, principals, binding) + single;
            System.out.println(scenario + ": " + admitted + "; refused by " + t.refusedBy());
            if (Boolean.getBoolean("bench.timeline")) {
                t.vmPuts().forEach((region, times) -> {
                    StringBuilder line = new StringBuilder("VM PUTs per 300 s, " + region + ":");
                    int[] per = new int[(int) (seconds / 300) + 2];
                    for (long x : times) {
                        per[(int) Math.max(0, (x - start) / 300_000_000_000L)]++;
                    }
                    for (int n : per) {
                        line.append(' ').append(n);
                    }
                    System.out.println(line);
                });
                List<Double> durations = new ArrayList<>(took);
                Collections.sort(durations);
                System.out.println("create durations: median " + durations.get(durations.size() / 2) + " s, p99 "
                        + durations.get((int) (durations.size() * 0.99)) + " s, max " + durations.get(durations.size() - 1)
                        + " s; slowest: " + slowest);
            }
            return new Result(scenario, creates, servers, seconds, bound, binding[0], throttled, afterMinute,
                    writes / (double) creates, reads / (double) creates, failed.get(), retries);
        }
    }

    /**
     * The longest any bucket needs to hand out the tokens the run took: (taken - size) / refill, for
     * the principal's writes (one principal here), the Network writes and Compute's PutVM policies
     * of each region; with the name of the one that binds.
     */
    static double bound(Map<String, Long> admitted, int creates, int principals, String[] binding) {
        ArmThrottling.Budgets b = ArmThrottling.Budgets.azure();
        double best = 0;
        String why = "";
        long writes = admitted.getOrDefault("writes", 0L) / principals;
        double w = Math.max(0, (writes - b.writes()) / b.writesPerSecond());
        if (w > best) {
            best = w;
            why = "writes per principal: " + writes + " at 10/s after 200";
        }
        long network = admitted.entrySet().stream().filter(e -> e.getKey().startsWith("PUT microsoft.network/"))
                .mapToLong(Map.Entry::getValue).sum();
        double perRegion = network / (double) REGIONS.size();
        double n = Math.max(0, (perRegion - b.networkWrites()) / (b.networkWrites() / b.networkWindowSeconds()));
        if (n > best) {
            best = n;
            why = "Network writes per region: " + (long) perRegion + " at 1,000/5 min";
        }
        double vms = creates / (double) REGIONS.size();
        for (ArmThrottling.Policy p : ArmThrottling.computePolicies("PUT", "virtualmachines/{}")) {
            double c = Math.max(0, (vms - p.size()) / (p.size() / p.windowSeconds()));
            if (c > best) {
                best = c;
                why = "Compute " + p.name() + " per region: " + (long) vms + " at " + (long) p.size() + "/"
                        + (long) (p.windowSeconds() / 60) + " min";
            }
        }
        binding[0] = why;
        return best;
    }

    static MachineSpec spec(String name, String region) {
        return new MachineSpec(name, region, "Standard_B1s",
                new ImageRef.Marketplace("Canonical", "ubuntu-24_04-lts", "server", "latest"), "azureuser",
                new AdminCredential.SshPublicKey(VirtualMachinesTest.KEY), List.of(), null, null, null, Map.of(), null,
                null);
    }

    /** WireMock (HTTPS) with the simulator on scaled time, and {@code servers} adapters of {@code principals} principals. */
    final class Stand implements AutoCloseable {
        final ArmSimulator simulator = new ArmSimulator(SUB, TENANT);
        final WireMockServer server;
        final List<AzureCloud> clouds = new ArrayList<>();
        final List<Path> credentials = new ArrayList<>();

        Stand(ScaledTime time, int servers, int principals, int concurrentPerServer) throws IOException {
            simulator.throttling(time, ArmThrottling.Budgets.azure());
            simulator.latencies(ArmSimulator.Latencies.azure(), time.factor());
            server = new WireMockServer(options().dynamicHttpsPort().httpDisabled(true).containerThreads(64)
                    .jettyAcceptors(2).asynchronousResponseEnabled(true).asynchronousResponseThreads(16)
                    .disableRequestJournal().keystorePath(AzureWireMock.resource("/tls/test-keystore.p12"))
                    .keystoreType("PKCS12").keystorePassword("changeit").keyManagerPassword("changeit")
                    .extensions(simulator));
            server.start();
            String base = "https://localhost:" + server.httpsPort();
            simulator.base(base);
            server.stubFor(any(anyUrl()).willReturn(aResponse().withTransformers(ArmSimulator.NAME)));
            for (int i = 0; i < servers; i++) {
                Path cred = dir.resolve("cred-" + i + ".json");
                TestCredentials source = new TestCredentials();
                source.put(cred, TestCredentials.secret(CLIENT.substring(0, CLIENT.length() - 1) + (i % principals),
                        "bench-secret-" + i, TENANT, base, Map.of()));
                credentials.add(cred);
                clouds.add(AzureCloud.create(AzureSettings.defaults().withMaxConcurrentPerSubscription(concurrentPerServer),
                        source, AzureWireMock.trustingClient(), time, time.clock(),
                        () -> reactor.core.scheduler.Schedulers.parallel()));
            }
        }

        AccountRef ref(int server) {
            return new AccountRef(credentials.get(server).toString(), SUB);
        }

        @Override
        public void close() {
            clouds.forEach(AzureCloud::close);
            server.stop();
        }
    }

    private static void report(List<Result> results, double single, double scale) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("\n### Azure adapter on the ARM simulator: VM creates against Azure's request budgets\n\n");
        b.append("- Date: ").append(ZonedDateTime.now(ZoneOffset.UTC).withNano(0)
                .format(DateTimeFormatter.ISO_LOCAL_DATE_TIME)).append(" UTC\n");
        b.append("- Command: `mvn -B -ntp test -pl gahp-adapter-azure -Pbench -Dtest=ArmBudgetsBench`\n");
        b.append(String.format(Locale.ROOT, "- Time scale: %.0fx (all figures in simulated seconds); one create alone"
                + " on an idle simulator: %.1f s%n%n", scale, single));
        b.append("| scenario | creates | time until all running | bound (binding budget) | ratio | 429s (after the"
                + " first minute) | writes / reads per create | adapter's 429 retries |\n|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            b.append(String.format(Locale.ROOT, "| %s | %,d | %.0f s | %.0f s (%s) | %.3f | %d (%d) | %.2f / %.2f | %d |%n",
                    r.scenario(), r.creates(), r.seconds(), r.bound(), r.binding(), r.seconds() / r.bound(),
                    r.throttled(), r.throttledAfterMinute(), r.writesPerCreate(), r.readsPerCreate(),
                    r.adapterRetries()));
        }
        System.out.print(b);
        Path file = Path.of(System.getProperty("bench.report", "target/bench-report.md"));
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, b.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

}
