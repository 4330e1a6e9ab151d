package org.azuregahp.domain.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.azuregahp.domain.client.ResultLine;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.LocalFiles;
import org.azuregahp.ports.ResourceRef;
import org.junit.jupiter.api.Test;

/** Many requests completing on many threads: exactly one result each, and clean output framing. */
class EngineConcurrencyTest {

    static final int N = 5_000;

    @Test
    void fiveThousandRequestsWithRandomFailuresAndTimeoutsGetExactlyOneResultEach() throws Exception {
        ExecutorService completers = Executors.newFixedThreadPool(8);
        StubCloud cloud = new StubCloud();
        List<CompletableFuture<Void>> late = new java.util.concurrent.CopyOnWriteArrayList<>();
        cloud.on("vm.delete", ref -> {
            int roll = ThreadLocalRandom.current().nextInt(100);
            CompletableFuture<Void> f = new CompletableFuture<>();
            if (roll < 75) {
                completers.execute(() -> f.complete(null));
            } else if (roll < 87) {
                completers.execute(() -> f.completeExceptionally(
                        CloudException.notFound("vm " + ((ResourceRef) ref).name() + " could not be found")));
            } else if (roll < 92) {
                throw new IllegalStateException("synchronous failure");
            } else if (roll < 96) {
                // too late: the engine times out first; this completion (or failure) must be dropped
                late.add(f);
                CompletableFuture.delayedExecutor(1500, TimeUnit.MILLISECONDS, completers)
                        .execute(() -> f.complete(null));
            } else {
                late.add(f); // completed by the test once every result is in
            }
            return f;
        });
        // The timeout leaves prompt completions a wide margin on a loaded two-core machine, so only the
        // deliberately late ones time out.
        EngineConfig cfg = EngineConfig.defaults().withMaxInFlight(300).withRequestTimeout(Duration.ofMillis(1000));
        try (Conversation c = new Conversation(cfg, cloud, LocalFiles.NONE)) {
            java.util.concurrent.CountDownLatch all = new java.util.concurrent.CountDownLatch(N);
            c.engine.addResultListener(r -> all.countDown());
            c.engine.start();
            c.send("RESPONSE_PREFIX GAHP:");
            c.send("ASYNC_MODE_ON");
            for (int i = 1; i <= N; i++) {
                c.send("AZURE_VM_DELETE " + i + " /cred.json sub vm" + i);
                if (i % 250 == 0) {
                    c.send("RESULTS");
                }
            }
            assertThat(all.await(30, TimeUnit.SECONDS)).as("every result within 30 s").isTrue();
            assertThat(c.results).hasSize(N);
            // now every late completion arrives (or fails); none may add a result
            late.forEach(f -> f.completeExceptionally(new CloudException("Late", "too late")));
            CompletableFuture.allOf(late.toArray(new CompletableFuture<?>[0])).handle((x, e) -> null)
                    .get(5, TimeUnit.SECONDS);
            completers.shutdown();
            assertThat(completers.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            assertThat(c.results).hasSize(N);
            c.send("RESULTS");
            c.send("STATISTICS");

            List<String> lines = new ArrayList<>(c.all);
            assertThat(lines.get(0)).isEqualTo(c.engine.banner());
            Map<String, Integer> seen = new HashMap<>();
            int i = 1;
            int rSinceResults = 0;
            int sCount = 0;
            int timedOut = 0;
            String stats = null;
            while (i < lines.size()) {
                String l = lines.get(i++);
                if (i == 2) {
                    assertThat(l).isEqualTo("S"); // the RESPONSE_PREFIX reply
                    continue;
                }
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
            EngineStatistics s = c.engine.statistics();
            assertThat(s.received()).isEqualTo(N);
            assertThat(s.succeeded() + s.failed()).isEqualTo(N);
            assertThat(s.inFlight()).isZero();
            assertThat(s.queued()).isZero();
            assertThat(s.failed()).isPositive();
            assertThat(late).isNotEmpty();
            assertThat(timedOut).isEqualTo(late.size());
            assertThat(stats).isEqualTo("S " + s.protocolText());
        } finally {
            completers.shutdownNow();
        }
    }
}
