package org.azuregahp.domain.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.azuregahp.domain.client.ResultLine;
import org.azuregahp.domain.result.Result;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.ResourceRef;
import org.junit.jupiter.api.Test;

/**
 * Many requests with failures, synchronous throws, late and never-arriving answers: exactly one
 * result each, clean output framing, and exactly the late ones time out. The random choices are
 * seeded (the seed is in every failure message), and time is manual, so every run is the same.
 */
class EngineConcurrencyTest {

    static final int N = 5_000;
    static final long SEED = 20261127L;
    static final Duration TIMEOUT = Duration.ofSeconds(1);

    /** What the stub cloud does with one delete. */
    enum Fate {
        SOON, NOT_FOUND, THROW, LATE
    }

    static Fate fate(Random rnd) {
        int roll = rnd.nextInt(100);
        return roll < 75 ? Fate.SOON : roll < 87 ? Fate.NOT_FOUND : roll < 92 ? Fate.THROW : Fate.LATE;
    }

    @Test
    void fiveThousandRequestsOnManualTimeGetExactlyOneResultEachAndExactlyTheLateOnesTimeOut() {
        Random rnd = new Random(SEED);
        StubCloud cloud = new StubCloud();
        List<CompletableFuture<Void>> soon = new ArrayList<>();
        List<CompletableFuture<Void>> late = new ArrayList<>();
        int[] lateCount = {0};
        cloud.on("vm.delete", ref -> {
            CompletableFuture<Void> f = new CompletableFuture<>();
            switch (fate(rnd)) {
                case SOON -> soon.add(f);
                case NOT_FOUND -> f.completeExceptionally(
                        CloudException.notFound("vm " + ((ResourceRef) ref).name() + " could not be found"));
                case THROW -> throw new IllegalStateException("synchronous failure");
                default -> {
                    late.add(f);
                    lateCount[0]++;
                }
            }
            return f;
        });
        EngineConfig cfg = EngineConfig.defaults().withMaxInFlight(300).withRequestTimeout(TIMEOUT);
        try (Conversation c = new Conversation(cfg, cloud, org.azuregahp.ports.LocalFiles.NONE)) {
            c.engine.start();
            c.send("RESPONSE_PREFIX GAHP:");
            c.send("ASYNC_MODE_ON");
            for (int i = 1; i <= N; i++) {
                c.send("AZURE_VM_DELETE " + i + " /cred.json sub vm" + i);
                if (i % 250 == 0) {
                    c.send("RESULTS");
                }
                if (i % 100 == 0) {
                    step(c, rnd, soon);
                }
            }
            while (c.allResults.size() < N) {
                step(c, rnd, soon);
                List<CompletableFuture<Void>> running = new ArrayList<>(late);
                late.clear();
                c.time.advance(TIMEOUT); // the late ones running now time out (and others start)
                running.forEach(f -> f.complete(null)); // and answer afterwards: dropped
            }
            c.time.advance(Duration.ofMinutes(5));
            assertThat(c.allResults).as("seed %d", SEED).hasSize(N);
            c.send("RESULTS");
            c.send("STATISTICS");
            Check check = check(new ArrayList<>(c.all), c.engine.banner());
            assertThat(check.timedOut).as("seed %d: exactly the late ones time out", SEED).isEqualTo(lateCount[0]);
            assertThat(lateCount[0]).isPositive();
            EngineStatistics s = c.engine.statistics();
            assertThat(s.received()).isEqualTo(N);
            assertThat(s.succeeded() + s.failed()).isEqualTo(N);
            assertThat(s.inFlight()).isZero();
            assertThat(s.queued()).isZero();
            assertThat(s.failed()).isPositive();
            assertThat(check.stats).isEqualTo("S " + s.protocolText());
        }
    }

    /** Runs what is ready and answers the prompt requests running now, in a random order. */
    private static void step(Conversation c, Random rnd, List<CompletableFuture<Void>> soon) {
        c.time.runReady();
        while (!soon.isEmpty()) {
            List<CompletableFuture<Void>> now = new ArrayList<>(soon);
            soon.clear();
            Collections.shuffle(now, rnd);
            now.forEach(f -> f.complete(null));
            c.time.runReady();
        }
    }

    @Test
    void fiveThousandRequestsCompletingOnEightThreadsGetExactlyOneResultEach() throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(4);
        ExecutorService completers = Executors.newFixedThreadPool(8);
        Random rnd = new Random(SEED);
        Map<String, Fate> fates = new HashMap<>();
        for (int i = 1; i <= N; i++) {
            fates.put("vm" + i, fate(rnd));
        }
        List<CompletableFuture<Void>> late = new CopyOnWriteArrayList<>();
        StubCloud cloud = new StubCloud();
        cloud.on("vm.delete", ref -> {
            String name = ((ResourceRef) ref).name();
            CompletableFuture<Void> f = new CompletableFuture<>();
            switch (fates.get(name)) {
                case SOON -> completers.execute(() -> f.complete(null));
                case NOT_FOUND -> completers.execute(() -> f.completeExceptionally(
                        CloudException.notFound("vm " + name + " could not be found")));
                case THROW -> throw new IllegalStateException("synchronous failure");
                default -> late.add(f);
            }
            return f;
        });
        long lateCount = fates.values().stream().filter(f -> f == Fate.LATE).count();
        ManualTime time = new ManualTime(Conversation.NOW);
        List<String> all = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch prompt = new CountDownLatch((int) (N - lateCount));
        CountDownLatch every = new CountDownLatch(N);
        GahpEngine engine = GahpEngine.builder(cloud)
                .config(EngineConfig.defaults().withMaxInFlight(N).withRequestTimeout(TIMEOUT))
                .executor(workers).scheduler(time.scheduler).clock(time.clock).output(all::add)
                .listener(new EngineListener() {
                    @Override
                    public void completed(Result result) {
                        if (!result.outcome().toString().contains("OperationTimedOut")) {
                            prompt.countDown();
                        }
                        every.countDown();
                    }
                }).build();
        try {
            engine.start();
            engine.accept("RESPONSE_PREFIX GAHP:");
            engine.accept("ASYNC_MODE_ON");
            for (int i = 1; i <= N; i++) {
                engine.accept("AZURE_VM_DELETE " + i + " /cred.json sub vm" + i);
                if (i % 250 == 0) {
                    engine.accept("RESULTS");
                }
            }
            // (the waits only guard against a hang; nothing here depends on how long anything takes)
            assertThat(prompt.await(120, TimeUnit.SECONDS)).as("every prompt answer arrives").isTrue();
            time.advance(TIMEOUT);
            assertThat(every.await(120, TimeUnit.SECONDS)).as("and the late ones time out").isTrue();
            late.forEach(f -> f.completeExceptionally(new CloudException("Late", "too late")));
            completers.shutdown();
            assertThat(completers.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
            workers.shutdown();
            assertThat(workers.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
            engine.accept("RESULTS");
            engine.accept("STATISTICS");
            Check check = check(new ArrayList<>(all), engine.banner());
            assertThat(check.timedOut).isEqualTo(lateCount);
            EngineStatistics s = engine.statistics();
            assertThat(s.received()).isEqualTo(N);
            assertThat(s.succeeded() + s.failed()).isEqualTo(N);
            assertThat(s.inFlight()).isZero();
            assertThat(check.stats).isEqualTo("S " + s.protocolText());
        } finally {
            engine.shutdown();
            workers.shutdownNow();
            completers.shutdownNow();
        }
    }

    record Check(int timedOut, String stats) {
    }

    /**
     * Reads the whole output: the banner, the prefix's unprefixed {@code S}, then only prefixed lines;
     * one {@code R} until the next {@code RESULTS}; every request's {@code S}; each id's result exactly
     * once, with two fields.
     */
    static Check check(List<String> lines, String banner) {
        assertThat(lines.get(0)).isEqualTo(banner);
        assertThat(lines.get(1)).isEqualTo("S"); // the RESPONSE_PREFIX reply
        Map<String, Integer> seen = new HashMap<>();
        int i = 2;
        int rSinceResults = 0;
        int sCount = 0;
        int timedOut = 0;
        String stats = null;
        while (i < lines.size()) {
            String l = lines.get(i++);
            assertThat(l).startsWith("GAHP:");
            String body = l.substring("GAHP:".length());
            if (body.equals("R")) {
                rSinceResults++;
                assertThat(rSinceResults).as("one R until the next RESULTS").isEqualTo(1);
            } else if (body.equals("S")) {
                sCount++;
            } else if (body.startsWith("S received=")) {
                stats = body;
            } else if (body.startsWith("S ")) {
                int n = Integer.parseInt(body.substring(2));
                for (int k = 0; k < n; k++) {
                    String r = lines.get(i++);
                    assertThat(r).startsWith("GAHP:");
                    ResultLine res = ResultLine.parse(r.substring(5));
                    assertThat(res.fieldCount()).as(r).isEqualTo(2);
                    seen.merge(res.requestId(), 1, Integer::sum);
                    if (res.status().startsWith("OperationTimedOut: ")) {
                        timedOut++;
                    }
                }
                rSinceResults = 0;
            } else {
                throw new AssertionError("unexpected line " + l);
            }
        }
        assertThat(sCount).isEqualTo(N + 1); // every request, plus ASYNC_MODE_ON
        assertThat(seen).hasSize(N);
        assertThat(seen.values()).allMatch(v -> v == 1);
        return new Check(timedOut, stats);
    }
}
