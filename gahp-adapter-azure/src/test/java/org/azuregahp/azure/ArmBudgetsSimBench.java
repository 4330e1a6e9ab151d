package org.azuregahp.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 12.1's benchmark in simulated time (a discrete-event run: no HTTP, no threads, no wall clock):
 * 10,000 VM creates across 4 regions, by one server and by three sharing the subscription. Each server
 * is the adapter's own pacing ({@link ArmBudgets}: one instance per server, the calls' facts taken by
 * {@link ArmPacingPolicy#call} from the requests the adapter sends); Azure is the ARM simulator's own
 * budget enforcement ({@link ArmThrottling}, Azure's sizes), answering each call when it arrives with
 * the remaining counts, or 429 and {@code Retry-After}. A create is the adapter's calls in order: the
 * group's GET, its PUT, the public IP's PUT, the NIC's PUT, the VM's PUT (the region's shared network
 * already exists); each PUT's long-running operation polled every 5 s (the adapter's default poll
 * interval; a poll waits longer when the pacing holds it) until the resource is provisioned, then the
 * resource's final GET. Latencies as {@link ArmSimulator.Latencies#azure()}: answers to reads after
 * 80 ms, writes 300 ms, a VM's PUT 1.5 s; public IPs and NICs provision in 1-4 s, VMs in 45-90 s
 * (uniform, seeded). A 429 is retried after its {@code Retry-After} (the pacing holds the bucket too).
 *
 * <p>The bound the budgets allow: for each bucket, (the calls a create cannot do without x creates -
 * the bucket's size) / its refill rate; the largest, plus one create's own duration on an idle cloud.
 * The calls a create cannot do without: 4 writes (group, public IP, NIC, VM), 2 of them Network's, one
 * Compute PutVM; 7 reads (the group's GET, one poll and one final GET per long-running operation).
 *
 * <p>{@code mvn -B -ntp test -pl gahp-adapter-azure -Pbench -Dtest=ArmBudgetsSimBench} (options
 * {@code -Dbench.creates=10000 -Dbench.window=500 -Dbench.regions=4}); figures to stdout and appended to
 * {@code target/bench-report.md} ({@code -Dbench.report=FILE}).
 */
@Tag("bench")
class ArmBudgetsSimBench {
    static final long S = 1_000_000_000L;
    static final long MS = 1_000_000L;
    static final String SUB = AzureWireMock.SUB;
    /** The regions the creates go to in turn ({@code -Dbench.regions=1} puts them all in the first). */
    static final List<String> REGIONS = List.of("westeurope", "northeurope", "eastus", "westus2")
            .subList(0, Integer.getInteger("bench.regions", 4));
    static final String ARM = "https://management.azure.com/subscriptions/" + SUB;
    static final long POLL = 5 * S;
    static final long DEADLINE = 540 * S;

    record Result(String scenario, int creates, int servers, int principals, int window, double seconds,
            double bound, String binding, int throttled, int throttledAfterMinute, long retries, double reads,
            double writes, double medianCreate, double maxCreate, int overDeadline, int[] perServer) {
    }

    @Test
    void tenThousandCreatesAcrossFourRegionsOneServerAndThreeSharingTheSubscription() throws IOException {
        int creates = Integer.getInteger("bench.creates", 10_000);
        int window = Integer.getInteger("bench.window", 500);
        double single = new Sim(1, 1, 1).run(1).seconds();
        List<Result> results = new ArrayList<>();
        results.add(new Sim(1, 1, window).result("one server", creates, single));
        results.add(new Sim(3, 1, window / 3).result("three servers, one principal", creates, single));
        results.add(new Sim(3, 3, window / 3).result("three servers, three principals", creates, single));
        report(results, single);
        for (Result r : results) {
            assertThat(java.util.Arrays.stream(r.perServer()).sum()).as(r.scenario() + ": creates finished")
                    .isEqualTo(r.creates());
        }
    }

    /** One run: {@code servers} adapters as {@code principals} principals, each keeping {@code window} creates going. */
    static final class Sim {
        record Event(long t, long seq, Runnable action) {
        }

        final PriorityQueue<Event> events = new PriorityQueue<>((a, b) -> a.t != b.t ? Long.compare(a.t, b.t)
                : Long.compare(a.seq, b.seq));
        long seq;
        long now;
        final ArmThrottling azure = new ArmThrottling(() -> now, ArmThrottling.Budgets.azure());
        final List<Server> servers = new ArrayList<>();
        final int window;
        final Random random = new Random(7);
        long retries;
        long start;
        long last;
        final List<Double> durations = new ArrayList<>();
        int overDeadline;

        Sim(int servers, int principals, int window) {
            this.window = window;
            for (int i = 0; i < servers; i++) {
                this.servers.add(new Server(i, "c11e47a1-aaaa-bbbb-cccc-00000000000" + (i % principals)));
            }
        }

        void at(long t, Runnable r) {
            events.add(new Event(t, seq++, r));
        }

        /** Runs {@code creates} (create i by server i mod servers, in region i mod 4) to the end. */
        Sim run(int creates) {
            for (int i = 0; i < creates; i++) {
                servers.get(i % servers.size()).todo.add(i);
            }
            servers.forEach(s -> {
                for (int k = 0; k < window; k++) {
                    s.next();
                }
            });
            while (!events.isEmpty()) {
                Event e = events.poll();
                now = e.t;
                e.action.run();
            }
            return this;
        }

        double seconds() {
            return (last - start) / (double) S;
        }

        Result result(String scenario, int creates, double single) {
            run(creates);
            Map<String, Long> admitted = azure.admitted();
            String[] binding = new String[1];
            int principals = (int) servers.stream().map(s -> s.principal).distinct().count();
            double bound = bound(creates, principals, binding) + single;
            List<Double> d = new ArrayList<>(durations);
            Collections.sort(d);
            int afterMinute = (int) azure.refusalTimes().stream().filter(x -> x - start > 60 * S).count();
            System.out.println(scenario + ": admitted " + admitted + "; refused by " + azure.refusedBy());
            return new Result(scenario, creates, servers.size(), principals, window, seconds(), bound, binding[0],
                    azure.refusals(), afterMinute, retries, admitted.getOrDefault("reads", 0L) / (double) creates,
                    admitted.getOrDefault("writes", 0L) / (double) creates, d.get(d.size() / 2), d.get(d.size() - 1),
                    overDeadline, servers.stream().mapToInt(s -> s.done).toArray());
        }

        /** One adapter: its own pacing, and its own Resource Manager token (the principal). */
        final class Server {
            final int id;
            final String principal;
            final String bearer;
            final ArmBudgets budgets = new ArmBudgets();
            final ArmPacingPolicy facts = new ArmPacingPolicy(new ArmPacer(new ArmBudgets(), () -> 0,
                    reactor.core.scheduler.Schedulers.immediate()), java.time.Clock.systemUTC());
            final ArrayDeque<Integer> todo = new ArrayDeque<>();
            long timerAt = ArmBudgets.NEVER;
            int done;

            Server(int id, String principal) {
                this.id = id;
                this.principal = principal;
                this.bearer = "Bearer " + ArmBudgetsTest.jwt("{\"aud\":\"https://management.azure.com\",\"appid\":\""
                        + principal + "\"}");
            }

            /** Starts the next create of this server's share, if any is left. */
            void next() {
                Integer i = todo.poll();
                if (i != null) {
                    new Create(this, i).begin();
                }
            }

            /** As {@link ArmPacer#pump}: lets go what may go, and sets the timer for the next. */
            void pump() {
                for (ArmBudgets.Ticket t : budgets.release(now)) {
                    ((Call) t.waiter).send();
                }
                long next = budgets.nextRelease(now);
                if (next != ArmBudgets.NEVER && (timerAt <= now || next < timerAt)) {
                    timerAt = next;
                    at(next, () -> {
                        if (timerAt == next) {
                            timerAt = ArmBudgets.NEVER;
                        }
                        pump();
                    });
                }
            }
        }

        /** One Resource Manager call of a create: paced, sent, answered after its latency (retried after a 429). */
        class Call {
            final Server server;
            final HttpRequest request;
            final ArmThrottling.Request azureView;
            final long latency;
            final Runnable onAnswer;
            ArmBudgets.Ticket ticket;

            Call(Server server, HttpMethod method, String path, String body, String namespace, String template,
                    String region, long latency, Runnable onAnswer) {
                this.server = server;
                this.request = new HttpRequest(method, ARM + path + "?api-version=2024-07-01")
                        .setHeader(HttpHeaderName.AUTHORIZATION, server.bearer);
                if (body != null) {
                    request.setBody(body);
                }
                this.azureView = new ArmThrottling.Request(method.name(), SUB, server.principal, namespace, template,
                        region);
                this.latency = latency;
                this.onAnswer = onAnswer;
            }

            void enqueue() {
                ticket = server.budgets.enqueue(server.facts.call(request), now, this);
                server.pump();
            }

            void send() {
                ArmThrottling.Verdict v = azure.admit(azureView);
                at(now + latency, () -> {
                    server.budgets.observe(ticket, v.refused() ? 429 : 200, new ArmBudgets.Headers() {
                        @Override
                        public String get(String name) {
                            return v.headers().get(name.toLowerCase(Locale.ROOT));
                        }

                        @Override
                        public long retryAfterNanos(long t) {
                            return v.retryAfterSeconds() * S;
                        }
                    }, now);
                    if (v.refused()) {
                        retries++;
                        at(now + v.retryAfterSeconds() * S, this::enqueue);
                    } else {
                        onAnswer.run();
                    }
                    server.pump();
                });
            }
        }

        /** One VM create, as the adapter's calls in order. */
        final class Create {
            final Server server;
            final String name;
            final String region;
            final String group;
            final long began;

            Create(Server server, int i) {
                this.server = server;
                this.name = "condorc" + i + "p0";
                this.region = REGIONS.get(i % REGIONS.size());
                this.group = "/resourceGroups/" + name;
                this.began = now;
            }

            void begin() {
                String location = "{\"location\":\"" + region + "\"}";
                call(HttpMethod.GET, group, null, null, "", 80, () ->
                        call(HttpMethod.PUT, group, location, null, "", 300, () ->
                                resource("Microsoft.Network", "publicIPAddresses", "publicipaddresses/{}", 300, 1, 4, () ->
                                        resource("Microsoft.Network", "networkInterfaces", "networkinterfaces/{}", 300, 1, 4,
                                                () -> resource("Microsoft.Compute", "virtualMachines", "virtualmachines/{}",
                                                        1500, 45, 90, this::finished)))));
            }

            void call(HttpMethod method, String path, String body, String namespace, String template, long latencyMs,
                    Runnable then) {
                new Call(server, method, path, body, namespace, template, region, latencyMs * MS, then).enqueue();
            }

            /** PUT, provisioning from when Azure admits it; polled every 5 s until done, then its final GET. */
            void resource(String namespace, String type, String template, long putMs, double minS, double maxS,
                    Runnable then) {
                String path = group + "/providers/" + namespace + "/" + type + "/" + name;
                long[] ready = new long[1];
                String poll = "/providers/" + namespace + "/locations/" + region + "/operations/" + name + "-" + type;
                Runnable[] polling = new Runnable[1];
                polling[0] = () -> at(now + POLL, () -> call(HttpMethod.GET, poll, null, namespace,
                        "locations/{}/operations/{}", 80, () -> {
                            if (now >= ready[0]) {
                                call(HttpMethod.GET, path, null, namespace, template, 80, then);
                            } else {
                                polling[0].run();
                            }
                        }));
                new Call(server, HttpMethod.PUT, path, "{\"location\":\"" + region + "\"}", namespace, template, region,
                        putMs * MS, polling[0]) {
                    @Override
                    void send() {
                        // Provisioning starts when Azure takes the PUT (a refused one is sent again).
                        ready[0] = now + (long) ((minS + random.nextDouble() * (maxS - minS)) * S);
                        super.send();
                    }
                }.enqueue();
            }

            void finished() {
                long took = now - began;
                durations.add(took / (double) S);
                if (took > DEADLINE) {
                    overDeadline++;
                }
                last = Math.max(last, now);
                server.done++;
                server.next();
            }
        }
    }

    /**
     * The budgets' bound: for each bucket, (the calls the creates cannot do without - its size) / its
     * refill; the largest, with the name of the one that binds.
     */
    static double bound(int creates, int principals, String[] binding) {
        ArmThrottling.Budgets b = ArmThrottling.Budgets.azure();
        double best = 0;
        String why = "";
        double[][] buckets = {
            {4.0 * creates / principals, b.writes(), b.writesPerSecond()},
            {4.0 * creates, b.writes() * b.globalFactor(), b.writesPerSecond() * b.globalFactor()},
            {7.0 * creates / principals, b.reads(), b.readsPerSecond()},
            {2.0 * creates / REGIONS.size(), b.networkWrites(), b.networkWrites() / b.networkWindowSeconds()},
        };
        String[] names = {"writes per principal: " + 4 * creates / principals + " at 10/s after 200",
            "global writes: " + 4 * creates + " at 150/s after 3,000",
            "reads per principal: " + 7 * creates / principals + " at 25/s after 250",
            "Network writes per region: " + 2 * creates / REGIONS.size() + " at 1,000/5 min"};
        for (int i = 0; i < buckets.length; i++) {
            double t = Math.max(0, (buckets[i][0] - buckets[i][1]) / buckets[i][2]);
            if (t > best) {
                best = t;
                why = names[i];
            }
        }
        double vms = creates / (double) REGIONS.size();
        for (ArmThrottling.Policy p : ArmThrottling.computePolicies("PUT", "virtualmachines/{}")) {
            double t = Math.max(0, (vms - p.size()) / (p.size() / p.windowSeconds()));
            if (t > best) {
                best = t;
                why = "Compute " + p.name() + " per region: " + (long) vms + " at " + (long) p.size() + "/"
                        + (long) (p.windowSeconds() / 60) + " min";
            }
        }
        binding[0] = why;
        return best;
    }

    private static void report(List<Result> results, double single) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("\n### VM creates against Azure's request budgets (simulated time: the adapter's pacing against the"
                + " simulator's budgets)\n\n");
        b.append("- Command: `mvn -B -ntp test -pl gahp-adapter-azure -Pbench -Dtest=ArmBudgetsSimBench`\n");
        b.append(String.format(Locale.ROOT, "- One create alone on an idle cloud: %.1f s%n%n", single));
        b.append("| scenario | creates | creates in flight per server | time until all running | bound (binding budget)"
                + " | ratio | 429s (after the first minute) | retries | reads / writes per create | create median /"
                + " max | over 540 s | per server |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            b.append(String.format(Locale.ROOT, "| %s | %,d | %d | %.0f s | %.0f s (%s) | %.3f | %d (%d) | %d |"
                    + " %.2f / %.2f | %.0f / %.0f s | %d | %s |%n", r.scenario(), r.creates(), r.window(), r.seconds(),
                    r.bound(), r.binding(), r.seconds() / r.bound(), r.throttled(), r.throttledAfterMinute(),
                    r.retries(), r.reads(), r.writes(), r.medianCreate(), r.maxCreate(), r.overDeadline(),
                    java.util.Arrays.toString(r.perServer())));
        }
        System.out.print(b);
        Path file = Path.of(System.getProperty("bench.report", "target/bench-report.md"));
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, b.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
