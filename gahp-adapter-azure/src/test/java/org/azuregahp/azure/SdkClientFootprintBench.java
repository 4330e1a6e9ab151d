package org.azuregahp.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.authorization.AuthorizationManager;
import com.azure.resourcemanager.authorization.implementation.AuthorizationManagementClientBuilder;
import com.azure.resourcemanager.compute.ComputeManager;
import com.azure.resourcemanager.compute.fluent.ComputeManagementClient;
import com.azure.resourcemanager.compute.implementation.ComputeManagementClientBuilder;
import com.azure.resourcemanager.msi.MsiManager;
import com.azure.resourcemanager.msi.implementation.ManagedServiceIdentityClientBuilder;
import com.azure.resourcemanager.network.NetworkManager;
import com.azure.resourcemanager.network.implementation.NetworkManagementClientBuilder;
import com.azure.resourcemanager.resources.ResourceManager;
import com.azure.resourcemanager.resources.implementation.ResourceManagementClientBuilder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Why {@code gahp-adapter-azure} has no {@code module-info.java} (issue 11.6): what the SDK's public
 * way to a service client would cost. {@link Clients} builds each service client with its generated
 * builder ({@code *ManagementClientBuilder}), which lives in an {@code implementation} package the
 * SDK's modules do not export, so the adapter cannot be a named module while it does. The only public
 * route to the same clients is {@code XxxManager.authenticate(pipeline, profile).serviceClient()}, and
 * each manager's constructor builds more than its one client: every manager a {@link ResourceManager}
 * (nine service clients), {@link ComputeManager} also a {@code StorageManager}, a {@link NetworkManager}
 * and an {@link AuthorizationManager}, {@link MsiManager} an {@link AuthorizationManager}. Nor can a
 * manager be given a poll interval: its client polls long-running operations every 30 s when Azure
 * sends no {@code Retry-After}, not at {@code --azure-poll-interval}.
 *
 * <p>Each row is a fresh JVM ({@link Probe}) building the service clients a VM session uses (groups,
 * network, compute) or all five, one way or the other, over a pipeline that sends nothing; it reports
 * the classes loaded, metaspace and heap (after a GC) that building them added, and the time it took.
 * Medians of {@code bench.runs} (default 5) runs, interleaved.
 *
 * <p>{@code mvn -B -ntp test -pl gahp-adapter-azure -Pbench -Dtest=SdkClientFootprintBench}; figures to
 * stdout and appended to {@code target/bench-report.md} ({@code -Dbench.report=FILE}).
 */
@Tag("bench")
class SdkClientFootprintBench {
    static final List<String> VM_SESSION = List.of("resources", "network", "compute");
    static final List<String> ALL = List.of("resources", "network", "compute", "msi", "authorization");

    record Sample(long classes, long metaspaceKb, long heapKb, double millis, String computePoll) {
    }

    @Test
    void buildersAgainstTheManagersPublicRoute() throws Exception {
        int runs = Integer.getInteger("bench.runs", 5);
        List<List<String>> sets = List.of(VM_SESSION, ALL);
        List<String> routes = List.of("builder", "manager");
        Map<String, List<Sample>> samples = new HashMap<>();
        for (int run = 0; run < runs; run++) {
            for (List<String> set : sets) {
                for (String route : routes) {
                    samples.computeIfAbsent(route + " " + set, k -> new ArrayList<>()).add(probe(route, set));
                }
            }
        }
        StringBuilder b = new StringBuilder();
        b.append("\n### Azure adapter: SDK service clients by builder and by the managers' public route\n\n");
        b.append("- Date: ").append(ZonedDateTime.now(ZoneOffset.UTC).withNano(0)
                .format(DateTimeFormatter.ISO_LOCAL_DATE_TIME)).append(" UTC\n");
        b.append("- Command: `mvn -B -ntp test -pl gahp-adapter-azure -Pbench -Dtest=SdkClientFootprintBench`\n");
        b.append(String.format(Locale.ROOT, "- Java %s; medians of %d fresh JVMs per row%n%n",
                System.getProperty("java.version"), runs));
        b.append("| clients | route | classes loaded | metaspace | heap after GC | time | compute client's poll interval |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (List<String> set : sets) {
            for (String route : routes) {
                List<Sample> s = samples.get(route + " " + set);
                b.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,d KiB | %,d KiB | %.0f ms | %s |%n",
                        String.join(" + ", set), route.equals("builder") ? "`*ClientBuilder` (as now)"
                                : "`*Manager.authenticate(pipeline, profile)`",
                        median(s, Sample::classes), median(s, Sample::metaspaceKb), median(s, Sample::heapKb),
                        medianDouble(s), s.get(0).computePoll()));
            }
        }
        System.out.print(b);
        Path file = Path.of(System.getProperty("bench.report", "target/bench-report.md"));
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, b.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private static Sample probe(String route, List<String> set) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Probe.class.getName(), route));
        command.addAll(set);
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        String[] f = out.lines().reduce((a, c) -> c).orElseThrow().split(" ");
        assertThat(Integer.parseInt(f[5])).as(out).isEqualTo(set.size());
        return new Sample(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]),
                Double.parseDouble(f[3]), f[4]);
    }

    private static long median(List<Sample> s, ToLongFunction<Sample> f) {
        List<Long> v = new ArrayList<>(s.stream().map(f::applyAsLong).toList());
        Collections.sort(v);
        return v.get(v.size() / 2);
    }

    private static double medianDouble(List<Sample> s) {
        List<Double> v = new ArrayList<>(s.stream().map(Sample::millis).toList());
        Collections.sort(v);
        return v.get(v.size() / 2);
    }

    /**
     * One row's JVM: {@code builder|manager service...}; prints {@code classes metaspaceKiB heapKiB
     * millis computePollInterval clientsBuilt} on its last line.
     */
    static final class Probe {
        private Probe() {
        }

        public static void main(String[] args) throws Exception {
            boolean manager = args[0].equals("manager");
            String endpoint = "https://management.azure.com";
            String subscription = AzureWireMock.SUB;
            Duration poll = Duration.ofSeconds(5);
            HttpPipeline pipeline = new HttpPipelineBuilder().build();
            Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
            endpoints.put("resourceManagerEndpointUrl", endpoint);
            AzureProfile profile = new AzureProfile(AzureWireMock.TENANT, subscription, new AzureEnvironment(endpoints));
            System.gc();
            long heap0 = heapUsed();
            long meta0 = metaspaceUsed();
            long classes0 = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
            long t0 = System.nanoTime();
            List<Object> built = new ArrayList<>();
            String computePoll = "-";
            for (int i = 1; i < args.length; i++) {
                switch (args[i]) {
                    case "resources" -> built.add(manager
                            ? ResourceManager.authenticate(pipeline, profile).withSubscription(subscription).serviceClient()
                            : new ResourceManagementClientBuilder().pipeline(pipeline).endpoint(endpoint)
                                    .subscriptionId(subscription).defaultPollInterval(poll).buildClient());
                    case "network" -> built.add(manager
                            ? NetworkManager.authenticate(pipeline, profile).serviceClient()
                            : new NetworkManagementClientBuilder().pipeline(pipeline).endpoint(endpoint)
                                    .subscriptionId(subscription).defaultPollInterval(poll).buildClient());
                    case "compute" -> {
                        ComputeManagementClient c = manager
                                ? ComputeManager.authenticate(pipeline, profile).serviceClient()
                                : new ComputeManagementClientBuilder().pipeline(pipeline).endpoint(endpoint)
                                        .subscriptionId(subscription).defaultPollInterval(poll).buildClient();
                        computePoll = c.getDefaultPollInterval().toString();
                        built.add(c);
                    }
                    case "msi" -> built.add(manager
                            ? MsiManager.authenticate(pipeline, profile).serviceClient()
                            : new ManagedServiceIdentityClientBuilder().pipeline(pipeline).endpoint(endpoint)
                                    .subscriptionId(subscription).defaultPollInterval(poll).buildClient());
                    case "authorization" -> built.add(manager
                            ? AuthorizationManager.authenticate(pipeline, profile).roleServiceClient()
                            : new AuthorizationManagementClientBuilder().pipeline(pipeline).endpoint(endpoint)
                                    .subscriptionId(subscription).defaultPollInterval(poll).buildClient());
                    default -> throw new IllegalArgumentException(args[i]);
                }
            }
            double millis = (System.nanoTime() - t0) / 1e6;
            System.gc();
            long heap = heapUsed() - heap0;
            long meta = metaspaceUsed() - meta0;
            long classes = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount() - classes0;
            // The clients stay reachable until here: the last field.
            System.out.printf(Locale.ROOT, "%d %d %d %.1f %s %d%n", classes, meta / 1024, heap / 1024, millis,
                    computePoll, built.size());
        }

        private static long heapUsed() {
            Runtime r = Runtime.getRuntime();
            return r.totalMemory() - r.freeMemory();
        }

        private static long metaspaceUsed() {
            long used = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getName().equals("Metaspace")) {
                    used += pool.getUsage().getUsed();
                }
            }
            return used;
        }
    }
}
