package org.azuregahp.domain.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.azuregahp.domain.client.ResultLine;
import org.azuregahp.domain.client.ReturnLine;
import org.azuregahp.domain.codec.GahpCodec;
import org.azuregahp.domain.result.Outcome;
import org.azuregahp.domain.result.Result;
import org.azuregahp.ports.AdminCredential;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.LocalFiles;
import org.azuregahp.ports.MachineSpec;
import org.azuregahp.ports.ResourceRef;
import org.azuregahp.ports.ScaleSetSpec;
import org.azuregahp.ports.ScaleSetStatus;
import org.azuregahp.ports.ScheduledDeletion;
import org.azuregahp.ports.VaultSecretRef;
import org.azuregahp.ports.VmCreated;
import org.azuregahp.ports.VmQuery;
import org.azuregahp.ports.VmStatus;
import org.junit.jupiter.api.Test;

/**
 * The engine in conversation, on {@link ManualTime}: nothing runs until the test lets it, and time
 * moves only when the test advances it, so timeouts, retries, the in-flight limit and ordering are
 * checked exactly, in milliseconds of real time.
 */
class GahpEngineTest {

    static final String H = " /cred.json sub-1";
    static final String VM = "name=vm1 location=westeurope image=linux-ubuntu-latest size=Standard_B1s";
    static final String VMSS = "name=ss1 location=westeurope image=linux-ubuntu-latest size=Standard_B1s";

    static Conversation started(StubCloud cloud) {
        Conversation c = new Conversation(cloud);
        c.engine.start();
        c.next();
        return c;
    }

    static Conversation started(StubCloud cloud, EngineConfig cfg, LocalFiles files) {
        Conversation c = new Conversation(cfg, cloud, files);
        c.engine.start();
        c.next();
        return c;
    }

    /** Sends RESULTS and answers the result lines it returned (unprefixed). */
    static List<String> results(Conversation c, String prefix) {
        c.send("RESULTS");
        ReturnLine head = ReturnLine.parse(c.next(), prefix);
        assertThat(head.kind()).isEqualTo("S");
        int n = Integer.parseInt(head.fields().get(0));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String l = c.next();
            assertThat(l).startsWith(prefix);
            out.add(l.substring(prefix.length()));
        }
        return out;
    }

    /** A stub port call that waits until the test completes it, per argument. */
    static final class Pending<T> {
        final Map<Object, CompletableFuture<T>> byArg = new ConcurrentHashMap<>();

        CompletableFuture<T> of(Object arg) {
            return byArg.computeIfAbsent(arg, k -> new CompletableFuture<>());
        }
    }

    // ---- banner and session commands ------------------------------------------------------------------------

    @Test
    void bannerIsShortAndWellFormed() {
        try (Conversation c = new Conversation(new StubCloud())) {
            assertThat(c.engine.banner()).isEqualTo("$GahpVersion: 1.0.0 Nov 27 2026 azure-gahp\\ (Java) $");
            assertThat(c.engine.banner().getBytes(StandardCharsets.UTF_8).length).isLessThan(150);
            c.engine.start();
            c.expect(c.engine.banner());
        }
        EngineConfig tooLong = new EngineConfig("1.0.0", "Nov 27 2026", "x".repeat(140), 10, Duration.ofSeconds(1),
                1000);
        assertThatThrownBy(() -> GahpEngine.builder(new StubCloud()).config(tooLong).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownCommandsAndTooFewArgumentsGetE() {
        try (Conversation c = started(new StubCloud())) {
            c.send("FOO").expect("E unknown\\ command");
            c.send("AZURE_PING 2 /cred.json").next();
            c.send("AZURE_VM_DELETE 2 /cred.json sub");
            assertThat(c.next()).startsWith("E too\\ few\\ arguments");
            c.send("").expect("E empty\\ command");
            assertThat(c.engine.statistics().received()).isZero();
            assertThat(c.refused).hasSize(4).first().isEqualTo("unknown command");
        }
    }

    @Test
    void badValuesGetSAndAnErrorResultNeverE() {
        try (Conversation c = started(new StubCloud())) {
            c.send("AZURE_VM_CREATE 5" + H + " name=vm1 location=westeurope size=Standard_B1s image=bogus")
                    .expect("S");
            c.awaitResults(1);
            List<String> r = results(c, "");
            assertThat(r).hasSize(1);
            ResultLine res = ResultLine.parse(r.get(0));
            assertThat(res.requestId()).isEqualTo("5");
            assertThat(res.success()).isFalse();
            assertThat(res.status()).startsWith("InvalidParameter: image 'bogus'");
            assertThat(res.fieldCount()).isEqualTo(2);
            assertThat(c.cloud.calls).isEmpty();
            assertThat(c.diagnosed).as("bad input is not a bug").isEmpty();
        }
    }

    @Test
    void prefixAppliesToEveryLineIncludingRAndResultsAndCanBeTurnedOff() {
        try (Conversation c = started(new StubCloud())) {
            c.send("RESPONSE_PREFIX GAHP:").expect("S");
            c.send("ASYNC_MODE_ON").expect("GAHP:S");
            c.send("FOO").expect("GAHP:E unknown\\ command");
            c.send("AZURE_PING 2" + H).expect("GAHP:S").expect("GAHP:R");
            c.awaitResults(1);
            c.send("RESULTS").expect("GAHP:S 1").expect("GAHP:2 NULL");
            c.send("STATISTICS");
            assertThat(c.next()).startsWith("GAHP:S received=1 ");
            c.send("RESPONSE_PREFIX ").expect("GAHP:S");
            c.send("RESULTS").expect("S 0");
            c.send("RESPONSE_PREFIX a\\ b").expect("S");
            c.send("COMMANDS");
            assertThat(c.next()).startsWith("a bS AZURE_PING ");
        }
    }

    @Test
    void versionCommandsAnswerTheBannerTextAsOneFieldAndKeepTheCallersVersion() {
        try (Conversation c = started(new StubCloud())) {
            c.send("VERSION").expect("S $GahpVersion:\\ 1.0.0\\ Nov\\ 27\\ 2026\\ azure-gahp\\ (Java)\\ $");
            assertThat(c.engine.callerVersion()).isNull();
            c.send("CONDOR_VERSION $CondorVersion:\\ 25.14.0\\ $")
                    .expect("S $GahpVersion:\\ 1.0.0\\ Nov\\ 27\\ 2026\\ azure-gahp\\ (Java)\\ $");
            assertThat(c.engine.callerVersion()).isEqualTo("$CondorVersion: 25.14.0 $");
            c.send("COMMANDS").expect("S " + String.join(" ", c.engine.commandTable().names()));
        }
    }

    @Test
    void oneRUntilTheNextResultsAndNoneWithoutAsyncMode() {
        StubCloud cloud = new StubCloud();
        try (Conversation c = started(cloud)) {
            c.send("AZURE_PING 1" + H).expect("S");
            c.awaitResults(1).expectNothing(); // async mode off: no R
            c.send("ASYNC_MODE_ON").expect("S").expect("R"); // a result already waits
            c.send("AZURE_PING 2" + H).expect("S");
            c.awaitResults(1).expectNothing(); // already notified
            assertThat(results(c, "")).containsExactly("1 NULL", "2 NULL");
            c.send("RESULTS").expect("S 0");
            c.send("AZURE_PING 3" + H).expect("S").expect("R");
            c.awaitResults(1);
            c.send("AZURE_PING 4" + H).expect("S");
            c.awaitResults(1).expectNothing();
            c.send("ASYNC_MODE_OFF").expect("S");
            assertThat(results(c, "")).containsExactly("3 NULL", "4 NULL");
            c.send("AZURE_PING 5" + H).expect("S");
            c.awaitResults(1).expectNothing();
        }
    }

    @Test
    void resultsComeInCompletionOrder() {
        StubCloud cloud = new StubCloud();
        Pending<Void> pending = new Pending<>();
        cloud.on("vm.delete", pending::of);
        try (Conversation c = started(cloud)) {
            for (int i = 1; i <= 5; i++) {
                c.send("AZURE_VM_DELETE " + i + H + " vm" + i).expect("S");
            }
            c.time.runReady();
            assertThat(cloud.calls).hasSize(5);
            for (int i : new int[] {4, 2, 5, 1, 3}) {
                pending.of(ResourceRef.named("vm" + i)).complete(null);
                c.awaitResults(1);
            }
            assertThat(results(c, "")).containsExactly("4 NULL", "2 NULL", "5 NULL", "1 NULL", "3 NULL");
        }
    }

    @Test
    void cloudWorkRunsOnTheEnginesExecutorNeverOnTheCallersThread() {
        StubCloud cloud = new StubCloud();
        try (Conversation c = started(cloud)) {
            c.send("AZURE_PING 1" + H).expect("S");
            assertThat(cloud.calls).as("nothing ran on the reader's thread").isEmpty();
            assertThat(c.time.executor.size()).isEqualTo(1);
            c.time.runReady();
            assertThat(cloud.calls).extracting(StubCloud.Call::op).containsExactly("ping");
        }
    }

    @Test
    void atMostMaxInFlightRunAndTheRestWait() {
        StubCloud cloud = new StubCloud();
        List<CompletableFuture<Void>> started = new ArrayList<>();
        cloud.on("ping", x -> {
            CompletableFuture<Void> f = new CompletableFuture<>();
            started.add(f);
            return f;
        });
        try (Conversation c = started(cloud, EngineConfig.defaults().withMaxInFlight(2), LocalFiles.NONE)) {
            for (int i = 1; i <= 5; i++) {
                c.send("AZURE_PING " + i + H).expect("S");
            }
            c.time.runReady();
            assertThat(started).as("two running, no third").hasSize(2);
            EngineStatistics s = c.engine.statistics();
            assertThat(s.received()).isEqualTo(5);
            assertThat(s.inFlight()).isEqualTo(2);
            assertThat(s.queued()).isEqualTo(3);
            assertThat(c.engine.inFlight()).extracting(InFlightRequest::requestId).containsExactly("1", "2");
            assertThat(c.engine.inFlight()).allSatisfy(r -> {
                assertThat(r.command()).isEqualTo("AZURE_PING");
                assertThat(r.started()).isEqualTo(Conversation.NOW);
            });
            started.get(0).complete(null);
            c.awaitResults(1);
            assertThat(started).as("the third starts only now").hasSize(3);
            started.get(1).complete(null);
            started.get(2).complete(null);
            c.time.runReady();
            assertThat(started).hasSize(5);
            started.get(3).complete(null);
            started.get(4).complete(null);
            c.awaitResults(4);
            s = c.engine.statistics();
            assertThat(s.inFlight()).isZero();
            assertThat(s.queued()).isZero();
            assertThat(s.succeeded()).isEqualTo(5);
            assertThat(s.resultsWaiting()).isEqualTo(5);
            assertThat(results(c, "")).containsExactly("1 NULL", "2 NULL", "3 NULL", "4 NULL", "5 NULL");
        }
    }

    @Test
    void aTimedOutRequestGetsOneTimeoutResultAndItsLateCompletionIsDropped() {
        StubCloud cloud = new StubCloud();
        CompletableFuture<Void> never = new CompletableFuture<>();
        cloud.on("ping", x -> never);
        EngineConfig cfg = EngineConfig.defaults().withRequestTimeout(Duration.ofSeconds(100));
        try (Conversation c = started(cloud, cfg, LocalFiles.NONE)) {
            c.send("AZURE_PING 1" + H).expect("S");
            c.time.advance(Duration.ofSeconds(100).minusMillis(1));
            assertThat(c.results).as("not a millisecond early").isEmpty();
            assertThat(c.engine.statistics().inFlight()).isEqualTo(1);
            c.time.advance(Duration.ofMillis(1));
            c.awaitResults(1);
            never.complete(null);
            c.time.advance(Duration.ofHours(1));
            assertThat(c.results).as("the late completion adds nothing").isEmpty();
            List<String> r = results(c, "");
            assertThat(r).containsExactly(
                    "1 OperationTimedOut:\\ AZURE_PING\\ got\\ no\\ answer\\ from\\ the\\ cloud\\ within\\ 100\\ s");
            assertThat(c.engine.statistics().failed()).isEqualTo(1);
            assertThat(c.engine.statistics().inFlight()).isZero();
            assertThat(c.time.scheduler.size()).as("no deadline left behind").isZero();
        }
    }

    @Test
    void theDeadlineStartsWhenARequestStartsRunningNotWhenItArrives() {
        StubCloud cloud = new StubCloud();
        List<CompletableFuture<Void>> started = new ArrayList<>();
        cloud.on("ping", x -> {
            CompletableFuture<Void> f = new CompletableFuture<>();
            started.add(f);
            return f;
        });
        EngineConfig cfg = EngineConfig.defaults().withMaxInFlight(1).withRequestTimeout(Duration.ofSeconds(10));
        try (Conversation c = started(cloud, cfg, LocalFiles.NONE)) {
            c.send("AZURE_PING 1" + H).expect("S");
            c.send("AZURE_PING 2" + H).expect("S");
            c.time.advance(Duration.ofSeconds(8));
            started.get(0).complete(null); // 1 answers at 8 s: 2 starts now, its deadline is at 18 s
            c.awaitResults(1);
            c.time.advance(Duration.ofSeconds(9));
            assertThat(c.results).isEmpty();
            c.time.advance(Duration.ofSeconds(1));
            c.awaitResults(1);
            assertThat(results(c, "")).containsExactly("1 NULL",
                    "2 OperationTimedOut:\\ AZURE_PING\\ got\\ no\\ answer\\ from\\ the\\ cloud\\ within\\ 10\\ s");
        }
    }

    @Test
    void shutdownAbandonsWorkAtOnceAndWritesNothingAfterwards() {
        StubCloud cloud = new StubCloud();
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        cloud.on("ping", x -> {
            CompletableFuture<Void> f = new CompletableFuture<>();
            futures.add(f);
            return f;
        });
        Conversation c = started(cloud, EngineConfig.defaults().withMaxInFlight(3), LocalFiles.NONE);
        c.send("ASYNC_MODE_ON").expect("S");
        for (int i = 1; i <= 10; i++) {
            c.send("AZURE_PING " + i + H).expect("S");
        }
        c.time.runReady();
        assertThat(futures).hasSize(3);
        c.engine.shutdown(); // returns with three running and seven waiting: nothing is waited for
        assertThat(futures).noneMatch(CompletableFuture::isDone);
        futures.forEach(f -> f.complete(null));
        c.time.advance(Duration.ofHours(1));
        assertThat(futures).as("nothing waiting was started").hasSize(3);
        assertThat(c.engine.accept("RESULTS")).isFalse();
        assertThat(c.engine.accept("AZURE_PING 99" + H)).isFalse();
        c.engine.rejectOversized(5_000_000);
        c.engine.start();
        c.expectNothing();
        assertThat(c.allResults).isEmpty();
        assertThat(c.engine.isShutdown()).isTrue();
        c.engine.shutdown(); // idempotent
    }

    @Test
    void quitWritesSThenEndsTheSession() {
        try (Conversation c = started(new StubCloud())) {
            c.send("RESPONSE_PREFIX GAHP:").expect("S");
            c.send("quit").expect("GAHP:S");
            assertThat(c.lastAccept).isFalse();
            assertThat(c.engine.isShutdown()).isTrue();
            c.send("COMMANDS").expectNothing();
        }
    }

    @Test
    void anOversizedRequestLineGetsEAndTheSessionGoesOn() {
        try (Conversation c = started(new StubCloud())) {
            c.engine.rejectOversized(2_000_000);
            c.expect("E request\\ line\\ too\\ long\\ (2000000\\ bytes)");
            c.send("RESULTS").expect("S 0");
        }
    }

    @Test
    void aResultTooLongForOneLineBecomesAnErrorResult() {
        StubCloud cloud = new StubCloud();
        List<VmStatus> many = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            many.add(new VmStatus("vm-number-" + i, List.of("ProvisioningState/succeeded", "PowerState/running")));
        }
        cloud.on("vm.list", q -> CompletableFuture.completedFuture(many));
        try (Conversation c = started(cloud)) {
            c.send("RESPONSE_PREFIX GAHP:").expect("S");
            c.send("AZURE_VM_LIST 3" + H).expect("GAHP:S");
            c.awaitResults(1);
            List<String> r = results(c, "GAHP:");
            ResultLine res = ResultLine.parse(r.get(0));
            assertThat(res.fieldCount()).isEqualTo(2);
            assertThat(res.status()).startsWith("ResultTooLarge: the AZURE_VM_LIST result has 50000 entries");
            assertThat(r.get(0).length()).isLessThan(400_000);
            assertThat(c.allResults.get(0).outcome()).as("listeners hear what was sent")
                    .isInstanceOf(Outcome.Failed.class);
            assertThat(c.engine.statistics().failed()).isEqualTo(1);
        }
    }

    @Test
    void aDuplicateIdStillInFlightGetsItsOwnErrorResultAndTheFirstStillFinishes() {
        StubCloud cloud = new StubCloud();
        CompletableFuture<Void> slow = new CompletableFuture<>();
        cloud.on("ping", x -> slow);
        try (Conversation c = started(cloud)) {
            c.send("AZURE_PING 7" + H).expect("S");
            c.time.runReady();
            c.send("AZURE_PING 7" + H).expect("S");
            c.awaitResults(1);
            slow.complete(null);
            c.awaitResults(1);
            List<String> r = results(c, "");
            assertThat(r).hasSize(2);
            assertThat(r.get(0)).startsWith("7 DuplicateRequestId:");
            assertThat(r.get(1)).isEqualTo("7 NULL");
            cloud.behaviour.remove("ping");
            c.send("AZURE_PING 7" + H).expect("S"); // free again
            c.awaitResults(1);
            assertThat(results(c, "")).containsExactly("7 NULL");
        }
    }

    @Test
    void statisticsReportCounts() {
        StubCloud cloud = new StubCloud();
        cloud.throttled.set(3);
        cloud.on("vm.delete", x -> CompletableFuture.failedFuture(CloudException.notFound("vm x could not be found")));
        try (Conversation c = started(cloud)) {
            c.send("AZURE_PING 1" + H).expect("S");
            c.send("AZURE_VM_DELETE 2" + H + " x").expect("S");
            c.send("AZURE_VM_CREATE 3" + H).expect("S");
            c.awaitResults(3);
            c.send("STATISTICS").expect("S received=3 in_flight=0 queued=0 succeeded=1 failed=2 throttled_retries=3"
                    + " results_waiting=3");
            assertThat(GahpCodec.split("S received=3 in_flight=0 queued=0 succeeded=1 failed=2 throttled_retries=3"))
                    .hasSize(7);
        }
    }

    @Test
    void statisticsSayWhetherTheCloudsStateIsSavedWhenItKeepsAStateFile() {
        StubCloud cloud = new StubCloud();
        try (Conversation c = started(cloud)) {
            cloud.stateFile = "ok";
            c.send("STATISTICS").expect("S received=0 in_flight=0 queued=0 succeeded=0 failed=0 throttled_retries=0"
                    + " results_waiting=0 state_file=ok");
            cloud.stateFile = "not_saving";
            c.send("STATISTICS").expect("S received=0 in_flight=0 queued=0 succeeded=0 failed=0 throttled_retries=0"
                    + " results_waiting=0 state_file=not_saving");
        }
    }

    @Test
    void listenersHearEveryRequestAndTypedResultAndABrokenOneIsReportedNotFelt() {
        try (Conversation c = started(new StubCloud())) {
            List<String> received = new ArrayList<>();
            LinkedBlockingQueue<Result> seen = new LinkedBlockingQueue<>();
            c.engine.addListener(new EngineListener() {
                @Override
                public void completed(Result result) {
                    throw new IllegalStateException("a broken listener must not matter");
                }
            });
            c.engine.addListener(new EngineListener() {
                @Override
                public void received(String command, String requestId) {
                    received.add(command + " " + requestId);
                }

                @Override
                public void completed(Result result) {
                    seen.add(result);
                }
            });
            c.send("RESPONSE_PREFIX GAHP:").expect("S");
            c.send("AZURE_PING 1" + H).expect("GAHP:S");
            c.send("AZURE_PING 2 c ").expect("GAHP:S");
            c.time.runReady();
            assertThat(received).containsExactly("RESPONSE_PREFIX null", "AZURE_PING 1", "AZURE_PING 2");
            assertThat(seen).extracting(Result::requestId, Result::command, Result::outcome, Result::accepted)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("1", "AZURE_PING", Outcome.done(), Conversation.NOW),
                            org.assertj.core.groups.Tuple.tuple("2", "AZURE_PING",
                                    new Outcome.Failed("InvalidParameter: the subscription argument is empty"),
                                    Conversation.NOW));
            assertThat(seen).extracting(Result::line).contains("1 NULL",
                    "2 InvalidParameter:\\ the\\ subscription\\ argument\\ is\\ empty");
            assertThat(c.diagnosed).containsExactly("an engine listener", "an engine listener");
            assertThat(results(c, "GAHP:")).hasSize(2);
        }
    }

    // ---- errors ------------------------------------------------------------------------------------------

    @Test
    void errorTextsAreOneEscapedArgumentAndForeignExceptionsShowNoMessage() {
        StubCloud cloud = new StubCloud();
        cloud.on("ping", x -> CompletableFuture.failedFuture(new RuntimeException("password=hunter2")));
        cloud.on("vm.delete", x -> {
            throw new IllegalStateException("secret=abc");
        });
        cloud.on("vm.list", x -> CompletableFuture.failedFuture(
                new CloudException("Conflict", "line one\nline two \\ end")));
        try (Conversation c = started(cloud)) {
            c.send("AZURE_PING 1" + H).expect("S");
            c.awaitResults(1);
            c.send("AZURE_VM_DELETE 2" + H + " vm").expect("S");
            c.awaitResults(1);
            c.send("AZURE_VM_LIST 3" + H).expect("S");
            c.awaitResults(1);
            List<String> r = results(c, "");
            assertThat(String.join("|", r)).doesNotContain("hunter2").doesNotContain("abc");
            assertThat(ResultLine.parse(r.get(0)).status()).isEqualTo("InternalError: RuntimeException (an unexpected"
                    + " failure in AZURE_PING; the GAHP log may say more)");
            assertThat(ResultLine.parse(r.get(1)).status()).startsWith("InternalError: IllegalStateException");
            assertThat(r.get(2)).isEqualTo("3 Conflict:\\ line\\ one\\ line\\ two\\ \\\\\\ end");
            assertThat(ResultLine.parse(r.get(2)).status()).isEqualTo("Conflict: line one line two \\ end");
            assertThat(ResultLine.parse(r.get(2)).fieldCount()).isEqualTo(2);
        }
    }

    @Test
    void anUnexpectedExceptionIsReportedWithItsStackTraceAndACloudExceptionIsNot() {
        StubCloud cloud = new StubCloud();
        RuntimeException boom = new IllegalStateException("adapter bug");
        cloud.on("ping", x -> CompletableFuture.failedFuture(new CompletionException(boom)));
        cloud.on("vm.delete", x -> {
            throw boom;
        });
        cloud.on("vm.list", x -> CompletableFuture.failedFuture(new CompletionException(new ExecutionException(
                new CloudException("Conflict", "exists")))));
        try (Conversation c = started(cloud)) {
            c.send("AZURE_PING 1" + H).expect("S");
            c.send("AZURE_VM_DELETE 2" + H + " vm").expect("S");
            c.send("AZURE_VM_LIST 3" + H).expect("S");
            c.awaitResults(3);
            assertThat(c.diagnosed).containsExactly("AZURE_PING request 1", "AZURE_VM_DELETE request 2");
            assertThat(c.diagnosedProblems).containsExactly(boom, boom);
            assertThat(results(c, "")).extracting(l -> ResultLine.parse(l).status()).containsExactly(
                    "InternalError: IllegalStateException (an unexpected failure in AZURE_PING; the GAHP log may say"
                            + " more)",
                    "InternalError: IllegalStateException (an unexpected failure in AZURE_VM_DELETE; the GAHP log may"
                            + " say more)",
                    "Conflict: exists");
        }
    }

    @Test
    void aJvmErrorNeverBecomesAResultTheEngineStopsAndTheHostHearsOfIt() {
        StubCloud cloud = new StubCloud();
        List<String> fatal = new ArrayList<>();
        cloud.on("ping", x -> CompletableFuture.failedFuture(new OutOfMemoryError("Java heap space")));
        try (Conversation c = new Conversation(EngineConfig.defaults(), cloud, LocalFiles.NONE)) {
            GahpEngine engine = GahpEngine.builder(cloud).clock(c.time.clock).executor(c.time.executor)
                    .scheduler(c.time.scheduler).output(c.pending::add)
                    .diagnostics(new Diagnostics() {
                        @Override
                        public void unexpected(String context, Throwable problem) {
                            fatal.add("unexpected " + context);
                        }

                        @Override
                        public void fatal(String context, Error error) {
                            fatal.add("fatal " + context + " " + error.getMessage());
                        }
                    }).build();
            engine.accept("AZURE_PING 1" + H);
            engine.accept("AZURE_PING 2" + H);
            assertThat(c.pending).containsExactly("S", "S");
            c.pending.clear();
            c.time.runReady();
            assertThat(fatal).containsExactly("fatal AZURE_PING request 1 Java heap space");
            assertThat(engine.isShutdown()).isTrue();
            assertThat(engine.accept("RESULTS")).isFalse();
            assertThat(c.pending).as("no result line, no R, nothing").isEmpty();

            // thrown on the worker rather than failing the stage: it propagates (to the thread's
            // uncaught-exception handler, which in the CLI ends the process), and still no result
            StubCloud throwing = new StubCloud();
            throwing.on("ping", x -> {
                throw new StackOverflowError();
            });
            List<String> out = new ArrayList<>();
            List<Error> heard = new ArrayList<>();
            GahpEngine second = GahpEngine.builder(throwing).executor(c.time.executor).scheduler(c.time.scheduler)
                    .output(out::add).diagnostics(new Diagnostics() {
                        @Override
                        public void unexpected(String context, Throwable problem) {
                        }

                        @Override
                        public void fatal(String context, Error error) {
                            heard.add(error);
                        }
                    }).build();
            second.accept("AZURE_PING 3" + H);
            assertThatThrownBy(c.time::runReady).isInstanceOf(StackOverflowError.class);
            assertThat(heard).hasSize(1);
            assertThat(second.isShutdown()).isTrue();
            assertThat(out).containsExactly("S");
        }
    }

    @Test
    void anAccountThatCannotBeOpenedIsAnErrorResult() {
        StubCloud cloud = new StubCloud();
        cloud.accountHook = ref -> {
            throw new CloudException(CloudException.CREDENTIAL_FILE, "credential file /cred.json does not exist");
        };
        try (Conversation c = started(cloud)) {
            c.send("AZURE_PING 1" + H).expect("S");
            c.awaitResults(1);
            assertThat(results(c, "")).containsExactly(
                    "1 CredentialFileError:\\ credential\\ file\\ /cred.json\\ does\\ not\\ exist");
            assertThat(c.diagnosed).isEmpty();
        }
    }

    @Test
    void aPortAnsweringNullIsAnInternalError() {
        StubCloud cloud = new StubCloud();
        cloud.on("ping", x -> null);
        try (Conversation c = started(cloud)) {
            c.send("AZURE_PING 1" + H).expect("S");
            c.awaitResults(1);
            assertThat(results(c, "").get(0)).startsWith("1 InternalError:\\ IllegalStateException");
            assertThat(c.diagnosedProblems).singleElement().extracting(Throwable::getMessage)
                    .isEqualTo("a cloud port answered no stage");
        }
    }

    // ---- request ids that no result could echo --------------------------------------------------------

    @Test
    void aRequestIdThatIsNotValidUtf8IsRefusedWithEAndOtherBadBytesAreAValuesProblem() {
        try (Conversation c = started(new StubCloud())) {
            c.sendBytes(bytes("AZURE_PING 7", 0xFF, "x" + H + "\r\n")).expect("E request\\ id\\ is\\ not\\ valid\\ UTF-8");
            c.sendBytes(bytes("AZURE_VM_CREATE ", 0xC3, H + " bogus\r\n"))
                    .expect("E request\\ id\\ is\\ not\\ valid\\ UTF-8");
            assertThat(c.engine.statistics().received()).isZero();
            // in a value: S and an error result naming it with U+FFFD
            c.sendBytes(bytes("AZURE_VM_LIST 8" + H + " ", 0xFF, "vm\r\n")).expect("S");
            c.awaitResults(1);
            assertThat(c.cloud.calls).extracting(StubCloud.Call::arg).containsExactly(new VmQuery.ByName("\uFFFDvm"),
                    new VmQuery.ByTag("\uFFFDvm", null));
            // a session command's argument too
            c.sendBytes(bytes("RESPONSE_PREFIX ", 0xFE, ":\r\n")).expect("S");
            c.send("RESULTS").expect("\uFFFD:S 1").expect("\uFFFD:8 NULL 0");
        }
    }

    @Test
    void aRequestIdWithNulOrAnyValidTextComesBackExactly() {
        try (Conversation c = started(new StubCloud())) {
            c.send("AZURE_PING a\u0000b" + H).expect("S");
            c.send("AZURE_PING \u00e9\ud83d\ude00\\ \\\\" + H).expect("S");
            c.send("AZURE_VM_CREATE c\u0000d" + H + " bogus").expect("S");
            c.awaitResults(3);
            List<String> r = results(c, "");
            // the invalid one is answered at once, the pings when they have run
            assertThat(ResultLine.parse(r.get(0)).requestId()).isEqualTo("c\u0000d");
            assertThat(r.get(1)).isEqualTo("a\u0000b NULL");
            assertThat(r.get(2)).isEqualTo("\u00e9\ud83d\ude00\\ \\\\ NULL");
        }
    }

    static byte[] bytes(String before, int bad, String after) {
        byte[] a = before.getBytes(StandardCharsets.UTF_8);
        byte[] b = after.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[a.length + 1 + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        out[a.length] = (byte) bad;
        System.arraycopy(b, 0, out, a.length + 1, b.length);
        return out;
    }

    // ---- handlers ----------------------------------------------------------------------------------------

    @Test
    void vmCreateAnswersVmIdAndIpOrNull() {
        StubCloud cloud = new StubCloud();
        try (Conversation c = started(cloud)) {
            c.send("AZURE_VM_CREATE 1" + H + " " + VM).expect("S");
            c.awaitResults(1);
            ResultLine r = ResultLine.parse(results(c, "").get(0));
            assertThat(r.fieldCount()).isEqualTo(4);
            assertThat(r.fields()).containsExactly("vm-id-vm1", "NULL");
            assertThat(c.allResults.get(0).outcome()).isEqualTo(new Outcome.CreatedVm("vm-id-vm1", null));
        }
    }

    @Test
    void vmListHasThreePlusTwoNFieldsAndVmssListThreePlusThreeN() {
        StubCloud cloud = new StubCloud();
        cloud.on("vm.list", q -> CompletableFuture.completedFuture(List.of(
                new VmStatus("a", List.of("ProvisioningState/succeeded", "PowerState/running")),
                new VmStatus("b c", List.of()))));
        cloud.on("vmss.list", q -> CompletableFuture.completedFuture(List.of(
                new ScaleSetStatus("s1", 3, List.of("ProvisioningState/succeeded", "PowerState/running")),
                new ScaleSetStatus("s2", 0, List.of("PowerState/deallocated")))));
        try (Conversation c = started(cloud)) {
            c.send("AZURE_VM_LIST 1" + H).expect("S");
            c.awaitResults(1);
            c.send("AZURE_VMSS_LIST 2" + H + " ").expect("S");
            c.awaitResults(1);
            List<String> r = results(c, "");
            ResultLine vm = ResultLine.parse(r.get(0));
            assertThat(vm.fieldCount()).isEqualTo(3 + 2 * 2);
            assertThat(vm.fields()).containsExactly("2", "a", "ProvisioningState/succeeded,PowerState/running", "b c",
                    "NULL");
            ResultLine ss = ResultLine.parse(r.get(1));
            assertThat(ss.fieldCount()).isEqualTo(3 + 3 * 2);
            assertThat(ss.fields()).containsExactly("2", "s1", "3", "ProvisioningState/succeeded,PowerState/running",
                    "s2", "0", "PowerState/deallocated");
            assertThat(c.allResults.get(1).outcome()).isInstanceOf(Outcome.ScaleSetList.class);
        }
    }

    @Test
    void everySimpleCommandReachesItsPortAndAnswersNull() {
        StubCloud cloud = new StubCloud();
        try (Conversation c = started(cloud)) {
            String[][] cases = {
                {"AZURE_VMSS_START 1" + H + " ss1", "vmss.start"},
                {"AZURE_VMSS_STOP 2" + H + " rg ss1", "vmss.stop"},
                {"AZURE_VMSS_RESTART 3" + H + " ss1", "vmss.restart"},
                {"AZURE_VMSS_SCALE 4" + H + " name=ss1 nodecount=4", "vmss.scale"},
                {"AZURE_KEYVAULT_CREATE 5" + H + " name=kv location=westeurope", "vault.create"},
                {"AZURE_VM_DELETE 6" + H + " rg vm", "vm.delete"},
            };
            for (String[] k : cases) {
                c.send(k[0]).expect("S");
                c.awaitResults(1);
                assertThat(cloud.calls.poll()).extracting(StubCloud.Call::op).isEqualTo(k[1]);
            }
            assertThat(results(c, "")).containsExactly("1 NULL", "2 NULL", "3 NULL", "4 NULL", "5 NULL", "6 NULL");
        }
    }

    @Test
    void keyFilesAreReadAtExecutionThroughTheFilePort() {
        Map<String, String> files = Map.of("/home/a/id.pub", "# my key\nssh-ed25519 AAAAC3Nz a@b\n",
                "/home/a/notakey", "hello", "/init.sh", "#!/bin/sh\necho hi\n");
        List<String> reads = new ArrayList<>();
        LocalFiles local = (path, max) -> {
            reads.add(path);
            return CompletableFuture.completedFuture(Optional.ofNullable(files.get(path)));
        };
        StubCloud cloud = new StubCloud();
        try (Conversation c = started(cloud, EngineConfig.defaults(), local)) {
            c.send("AZURE_VM_CREATE 1" + H + " " + VM + " key=/home/a/id.pub customData=/init.sh").expect("S");
            assertThat(reads).as("nothing read on the reader's thread").isEmpty();
            c.awaitResults(1);
            assertThat(reads).containsExactlyInAnyOrder("/home/a/id.pub", "/init.sh");
            MachineSpec spec = (MachineSpec) cloud.calls.poll().arg();
            assertThat(spec.credential()).isEqualTo(new AdminCredential.SshPublicKey("ssh-ed25519 AAAAC3Nz a@b"));
            assertThat(spec.customData()).isEqualTo("#!/bin/sh\necho hi\n");
            c.send("AZURE_VM_CREATE 2" + H + " " + VM + " key=/secretish/missing customData=/no/such").expect("S");
            c.awaitResults(1);
            c.send("AZURE_VM_CREATE 3" + H + " " + VM + " key=/home/a/notakey").expect("S");
            c.awaitResults(1);
            c.send("AZURE_VM_CREATE 4" + H + " " + VM + " key=Pa55w0rd! customData=/no/such").expect("S");
            c.awaitResults(1);
            MachineSpec spec4 = (MachineSpec) cloud.calls.poll().arg();
            assertThat(spec4.credential()).isEqualTo(new AdminCredential.Password("Pa55w0rd!"));
            assertThat(spec4.customData()).isEqualTo("/no/such");
            List<String> r = results(c, "");
            assertThat(r.get(0)).isEqualTo("1 NULL vm-id-vm1 NULL");
            assertThat(r.get(1)).startsWith("2 InvalidParameter:").contains("no\\ such\\ file")
                    .doesNotContain("secretish");
            assertThat(r.get(2)).startsWith("3 InvalidParameter:").contains("does\\ not\\ hold\\ an\\ SSH")
                    .doesNotContain("hello");
            assertThat(r.get(3)).isEqualTo("4 NULL vm-id-vm1 NULL");
        }
    }

    @Test
    void aFileThatNeverAnswersCostsOnlyItsOwnRequestAndTheWorkGoesOnOnTheEnginesThreads() {
        CompletableFuture<Optional<String>> fifo = new CompletableFuture<>();
        CompletableFuture<Optional<String>> slowDisk = new CompletableFuture<>();
        LocalFiles local = (path, max) -> path.equals("/fifo") ? fifo : slowDisk;
        StubCloud cloud = new StubCloud();
        EngineConfig cfg = EngineConfig.defaults().withMaxInFlight(2).withRequestTimeout(Duration.ofSeconds(60));
        try (Conversation c = started(cloud, cfg, local)) {
            c.send("AZURE_VM_CREATE 1" + H + " " + VM + " key=/fifo").expect("S");
            c.send("AZURE_VM_CREATE 2" + H + " name=vm2 location=westeurope image=linux-ubuntu-latest"
                    + " size=Standard_B1s key=/home/a/id.pub").expect("S");
            c.send("AZURE_PING 3" + H).expect("S");
            c.awaitResults(0);
            assertThat(c.results).isEmpty();
            // the disk answers (on the file port's own thread, here the test's): the create continues only
            // when the engine's executor runs it
            slowDisk.complete(Optional.of("ssh-ed25519 AAAAC3Nz a@b"));
            assertThat(cloud.calls).isEmpty();
            c.awaitResults(1);
            assertThat(cloud.calls).extracting(StubCloud.Call::op).containsExactly("vm.create", "ping");
            c.time.advance(Duration.ofSeconds(60));
            c.awaitResults(1);
            assertThat(results(c, "")).containsExactly("2 NULL vm-id-vm2 NULL", "3 NULL",
                    "1 OperationTimedOut:\\ AZURE_VM_CREATE\\ got\\ no\\ answer\\ from\\ the\\ cloud\\ within\\ 60\\ s");
        }
    }

    @Test
    void vmssCreateChecksTheSecretFirstAndCreatesNothingWhenItIsMissing() {
        StubCloud cloud = new StubCloud();
        cloud.on("vault.check", s -> CompletableFuture.failedFuture(
                CloudException.notFound("secret pw in vault kv could not be found")));
        try (Conversation c = started(cloud)) {
            c.send("AZURE_VMSS_CREATE 1" + H + " " + VMSS + " keyvaultname=kv keyvaultrg=kvrg vaultkey=pw")
                    .expect("S");
            c.awaitResults(1);
            assertThat(results(c, "")).containsExactly(
                    "1 ResourceNotFound:\\ secret\\ pw\\ in\\ vault\\ kv\\ could\\ not\\ be\\ found");
            assertThat(cloud.calls).extracting(StubCloud.Call::op).containsExactly("vault.check");
        }
    }

    @Test
    void vmssCreateWithSecretAndDeletionJob() {
        StubCloud cloud = new StubCloud();
        try (Conversation c = started(cloud)) {
            c.send("AZURE_VMSS_CREATE 1" + H + " " + VMSS + " nodecount=3 keyvaultname=kv keyvaultrg=kvrg "
                    + "vaultkey=pw deletionjob schedule=202611281200").expect("S");
            c.awaitResults(1);
            assertThat(results(c, "")).containsExactly("1 NULL");
            List<StubCloud.Call> calls = new ArrayList<>(cloud.calls);
            assertThat(calls).extracting(StubCloud.Call::op).containsExactly("vault.check", "vmss.create", "schedule");
            assertThat(calls.get(0).arg()).isEqualTo(new VaultSecretRef("kv", "kvrg", "pw"));
            ScaleSetSpec spec = (ScaleSetSpec) calls.get(1).arg();
            assertThat(spec.capacity()).isEqualTo(3);
            assertThat(spec.secret()).isEqualTo(new VaultSecretRef("kv", "kvrg", "pw"));
            assertThat(calls.get(2).arg()).isEqualTo(
                    new ScheduledDeletion("ss1", "westeurope", Instant.parse("2026-11-28T12:00:00Z")));
        }
    }

    @Test
    void whenSchedulingFailsTheNewScaleSetIsDeletedAndTheSchedulingErrorReported() {
        StubCloud cloud = new StubCloud();
        cloud.on("schedule", d -> CompletableFuture.failedFuture(
                new CloudException("AutomationError", "no automation account")));
        try (Conversation c = started(cloud)) {
            c.send("AZURE_VMSS_CREATE 1" + H + " " + VMSS + " deletionjob=true schedule=202611281200").expect("S");
            c.awaitResults(1);
            assertThat(results(c, "")).containsExactly("1 AutomationError:\\ no\\ automation\\ account");
            assertThat(cloud.calls).extracting(StubCloud.Call::op)
                    .containsExactly("vmss.create", "schedule", "vmss.delete");
            assertThat(new ArrayList<>(cloud.calls).get(2).arg()).isEqualTo(ResourceRef.named("ss1"));
        }
    }

    @Test
    void aCleanupDeleteThatFailsIsTriedAgainAfterHalfASecondThenOneSecondUntilTheScaleSetIsGone() {
        StubCloud cloud = new StubCloud();
        cloud.on("schedule", d -> CompletableFuture.failedFuture(new CloudException("AutomationError", "down")));
        AtomicInteger deletes = new AtomicInteger();
        cloud.on("vmss.delete", ref -> deletes.incrementAndGet() < 3
                ? CompletableFuture.failedFuture(new CloudException("InternalServerError", "try later"))
                : CompletableFuture.completedFuture(null));
        try (Conversation c = started(cloud)) {
            c.send("AZURE_VMSS_CREATE 1" + H + " " + VMSS + " deletionjob=true schedule=202611281200").expect("S");
            c.time.runReady();
            assertThat(deletes.get()).isEqualTo(1);
            c.time.advance(Duration.ofMillis(499));
            assertThat(deletes.get()).as("the retry waits 0.5 s").isEqualTo(1);
            c.time.advance(Duration.ofMillis(1));
            assertThat(deletes.get()).isEqualTo(2);
            c.time.advance(Duration.ofMillis(999));
            assertThat(deletes.get()).as("then 1 s").isEqualTo(2);
            assertThat(c.results).as("the result waits for the clean-up").isEmpty();
            c.time.advance(Duration.ofMillis(1));
            assertThat(deletes.get()).as("two failed deletes, then one that worked").isEqualTo(3);
            c.awaitResults(1);
            assertThat(results(c, "")).containsExactly("1 AutomationError:\\ down");
            c.time.advance(Duration.ofMinutes(1));
            assertThat(deletes.get()).isEqualTo(3);
            assertThat(c.diagnosed).isEmpty();
        }
    }

    @Test
    void aCleanupDeleteThatNeverWorksIsTriedFiveTimesOverSevenAndAHalfSecondsAndReported() {
        StubCloud cloud = new StubCloud();
        cloud.on("schedule", d -> CompletableFuture.failedFuture(new CloudException("AutomationError", "down")));
        AtomicInteger deletes = new AtomicInteger();
        cloud.on("vmss.delete", ref -> {
            deletes.incrementAndGet();
            return CompletableFuture.failedFuture(new CloudException("InternalServerError", "try later"));
        });
        try (Conversation c = started(cloud)) {
            c.send("AZURE_VMSS_CREATE 1" + H + " " + VMSS + " deletionjob=true schedule=202611281200").expect("S");
            c.time.advance(Duration.ofMillis(7499));
            assertThat(deletes.get()).isEqualTo(4);
            assertThat(c.results).isEmpty();
            c.time.advance(Duration.ofMillis(1));
            assertThat(deletes.get()).isEqualTo(5);
            c.awaitResults(1);
            assertThat(results(c, "")).containsExactly("1 AutomationError:\\ down");
            assertThat(c.diagnosed).singleElement().asString().startsWith("AZURE_VMSS_CREATE request 1: scale set ss1"
                    + " could not be deleted").contains("may be left running");
            assertThat(c.diagnosedProblems).singleElement().isInstanceOf(CloudException.class);
        }
    }

    @Test
    void aBareWordListsTheVmOfThatNameAndTheVmsTaggedWithIt() {
        StubCloud cloud = new StubCloud();
        cloud.on("vm.list", q -> {
            if (q instanceof VmQuery.ByName n) {
                return CompletableFuture.completedFuture(n.name().equals("pool")
                        ? List.of(new VmStatus("pool", List.of("PowerState/running"))) : List.of());
            }
            VmQuery.ByTag t = (VmQuery.ByTag) q;
            assertThat(t.tagValue()).isNull();
            return CompletableFuture.completedFuture(List.of(new VmStatus("w1", List.of("PowerState/running")),
                    new VmStatus("pool", List.of("PowerState/running"))));
        });
        try (Conversation c = started(cloud)) {
            c.send("AZURE_VM_LIST 1" + H + " pool").expect("S");
            c.awaitResults(1);
            ResultLine r = ResultLine.parse(results(c, "").get(0));
            assertThat(r.fields()).containsExactly("2", "pool", "PowerState/running", "w1", "PowerState/running");
        }
    }

    @Test
    void aBareWordListFailsWhenEitherLookupFails() {
        StubCloud cloud = new StubCloud();
        cloud.on("vm.list", q -> q instanceof VmQuery.ByTag
                ? CompletableFuture.failedFuture(new CloudException("InternalServerError", "page 2 failed"))
                : CompletableFuture.completedFuture(List.of(new VmStatus("pool", List.of("PowerState/running")))));
        try (Conversation c = started(cloud)) {
            c.send("AZURE_VM_LIST 1" + H + " pool").expect("S");
            c.awaitResults(1);
            assertThat(results(c, "")).containsExactly("1 InternalServerError:\\ page\\ 2\\ failed");
        }
    }

    @Test
    void vmssDeleteCancelsTheScheduleAndACancelFailureDoesNotSpoilTheDeleteButIsReported() {
        StubCloud cloud = new StubCloud();
        cloud.on("schedule.cancel", g -> CompletableFuture.failedFuture(new CloudException("Boom", "cancel failed")));
        try (Conversation c = started(cloud)) {
            c.send("AZURE_VMSS_DELETE 1" + H + " rg ss1").expect("S");
            c.awaitResults(1);
            assertThat(results(c, "")).containsExactly("1 NULL");
            List<StubCloud.Call> calls = new ArrayList<>(cloud.calls);
            assertThat(calls).extracting(StubCloud.Call::op).containsExactly("vmss.delete", "schedule.cancel");
            assertThat(calls.get(1).arg()).isEqualTo("rg");
            assertThat(c.diagnosed).singleElement().asString().startsWith("AZURE_VMSS_DELETE request 1: the scheduled"
                    + " deletion of resource group rg could not be cancelled");
        }
    }

    @Test
    void vmssDeleteFailureIsTheResultAndNothingIsCancelled() {
        StubCloud cloud = new StubCloud();
        cloud.on("vmss.delete", g -> CompletableFuture.failedFuture(
                CloudException.notFound("scale set ss1 could not be found")));
        try (Conversation c = started(cloud)) {
            c.send("AZURE_VMSS_DELETE 1" + H + " ss1").expect("S");
            c.awaitResults(1);
            assertThat(results(c, "").get(0)).contains("could\\ not\\ be\\ found");
            assertThat(cloud.calls).extracting(StubCloud.Call::op).containsExactly("vmss.delete");
        }
    }

    // ---- one name, arrival order -------------------------------------------------------------------------

    static final String CREATE_RACEVM = "AZURE_VM_CREATE 2" + H
            + " name=racevm location=westeurope image=linux-ubuntu-latest size=Standard_B1s";

    @Test
    void aDeleteRightBehindItsCreateWaitsForItThenDeletesWhatItMade() {
        StubCloud cloud = new StubCloud();
        CompletableFuture<VmCreated> create = new CompletableFuture<>();
        cloud.on("vm.create", spec -> create);
        try (Conversation c = started(cloud)) {
            c.send(CREATE_RACEVM).expect("S");
            c.send("AZURE_VM_DELETE 3" + H + " racevm").expect("S");
            c.time.advance(Duration.ofSeconds(2));
            assertThat(cloud.calls).extracting(StubCloud.Call::op).as("the delete waits").containsExactly("vm.create");
            EngineStatistics s = c.engine.statistics();
            assertThat(s.inFlight()).isEqualTo(1);
            assertThat(s.queued()).isEqualTo(1);
            create.complete(new VmCreated("id-racevm", "203.0.113.4"));
            c.awaitResults(2);
            assertThat(cloud.calls).extracting(StubCloud.Call::op).containsExactly("vm.create", "vm.delete");
            assertThat(results(c, "")).containsExactly("2 NULL id-racevm 203.0.113.4", "3 NULL");
        }
    }

    @Test
    void requestsOnOneNameRunInArrivalOrderWhileOtherNamesAndListsRunBesideThem() {
        StubCloud cloud = new StubCloud();
        Pending<Void> scaleSets = new Pending<>();
        AtomicInteger creates = new AtomicInteger();
        cloud.on("vmss.create", spec -> scaleSets.of("create " + creates.incrementAndGet()));
        cloud.on("vmss.scale", a -> scaleSets.of("scale"));
        cloud.on("vmss.stop", a -> scaleSets.of("stop"));
        cloud.on("vmss.delete", a -> scaleSets.of("delete"));
        try (Conversation c = started(cloud)) {
            c.send("AZURE_VMSS_CREATE 1" + H + " " + VMSS).expect("S");
            c.send("AZURE_VMSS_SCALE 2" + H + " name=SS1 nodecount=3").expect("S"); // names compare case-insensitively
            c.send("AZURE_VMSS_STOP 3" + H + " rg ss1").expect("S"); // the <resource-group> <name> form
            c.send("AZURE_VMSS_DELETE 4" + H + " ss1").expect("S");
            c.send("AZURE_VMSS_CREATE 5" + H + " name=other location=westeurope image=linux-ubuntu-latest"
                    + " size=Standard_B1s").expect("S");
            c.send("AZURE_VMSS_CREATE 6 /cred.json sub-2 " + VMSS).expect("S"); // another subscription
            c.send("AZURE_VMSS_LIST 7" + H).expect("S");
            c.send("AZURE_VM_LIST 8" + H + " ss1").expect("S");
            c.time.runReady();
            assertThat(cloud.calls).extracting(StubCloud.Call::op).containsExactly("vmss.create", "vmss.create",
                    "vmss.create", "vmss.list", "vm.list", "vm.list");
            assertThat(c.engine.statistics().queued()).isEqualTo(3);
            cloud.calls.clear();
            for (String step : List.of("create 1", "scale", "stop")) {
                scaleSets.of(step).complete(null);
                c.time.runReady();
            }
            assertThat(cloud.calls).extracting(StubCloud.Call::op).containsExactly("vmss.scale", "vmss.stop",
                    "vmss.delete");
            scaleSets.of("delete").complete(null);
            scaleSets.of("create 2").complete(null);
            scaleSets.of("create 3").complete(null);
            c.time.runReady();
            assertThat(results(c, "")).containsExactly("7 NULL 0", "8 NULL 0", "1 NULL", "2 NULL", "3 NULL",
                    "4 NULL", "5 NULL", "6 NULL");
        }
    }

    @Test
    void aRequestWaitingForItsNameHoldsNoInFlightSlotAndGetsItsTurnBeforeLaterArrivals() {
        StubCloud cloud = new StubCloud();
        Pending<Void> deletes = new Pending<>();
        CompletableFuture<VmCreated> create = new CompletableFuture<>();
        cloud.on("vm.create", spec -> create);
        cloud.on("vm.delete", ref -> deletes.of(((ResourceRef) ref).name()));
        try (Conversation c = started(cloud, EngineConfig.defaults().withMaxInFlight(2), LocalFiles.NONE)) {
            c.send(CREATE_RACEVM).expect("S");
            c.send("AZURE_VM_DELETE 3" + H + " racevm").expect("S");
            c.send("AZURE_VM_DELETE 4" + H + " b").expect("S");
            c.send("AZURE_VM_DELETE 5" + H + " c").expect("S");
            c.time.runReady();
            assertThat(cloud.calls).extracting(StubCloud.Call::op).as("b runs beside the create: 3 holds no slot")
                    .containsExactly("vm.create", "vm.delete");
            assertThat(new ArrayList<>(cloud.calls).get(1).arg()).isEqualTo(ResourceRef.named("b"));
            assertThat(c.engine.inFlight()).extracting(InFlightRequest::requestId).containsExactly("2", "4");
            cloud.calls.clear();
            create.complete(new VmCreated("id", null));
            c.time.runReady();
            assertThat(cloud.calls).extracting(StubCloud.Call::arg).as("3 arrived before 5, so it goes first")
                    .containsExactly(ResourceRef.named("racevm"));
        }
    }

    @Test
    void aTimedOutRequestReleasesItsNameAndTheNextOnesDeadlineStartsWhenItRuns() {
        StubCloud cloud = new StubCloud();
        cloud.on("vm.create", spec -> new CompletableFuture<>());
        CompletableFuture<Void> delete = new CompletableFuture<>();
        cloud.on("vm.delete", ref -> delete);
        EngineConfig cfg = EngineConfig.defaults().withRequestTimeout(Duration.ofSeconds(30));
        try (Conversation c = started(cloud, cfg, LocalFiles.NONE)) {
            c.send(CREATE_RACEVM).expect("S");
            c.time.advance(Duration.ofSeconds(20));
            c.send("AZURE_VM_DELETE 3" + H + " racevm").expect("S");
            c.time.advance(Duration.ofSeconds(10));
            c.awaitResults(1);
            assertThat(cloud.calls).extracting(StubCloud.Call::op).containsExactly("vm.create", "vm.delete");
            c.time.advance(Duration.ofSeconds(29));
            assertThat(c.results).as("the delete has its own 30 s from when it started").isEmpty();
            delete.complete(null);
            c.awaitResults(1);
            assertThat(results(c, "")).containsExactly(
                    "2 OperationTimedOut:\\ AZURE_VM_CREATE\\ got\\ no\\ answer\\ from\\ the\\ cloud\\ within\\ 30\\ s",
                    "3 NULL");
        }
    }

    @Test
    void aFailedRequestReleasesItsNameAndADuplicateIdWaitingForANameIsStillADuplicate() {
        StubCloud cloud = new StubCloud();
        CompletableFuture<VmCreated> create = new CompletableFuture<>();
        cloud.on("vm.create", spec -> create);
        try (Conversation c = started(cloud)) {
            c.send(CREATE_RACEVM).expect("S");
            c.send("AZURE_VM_DELETE 3" + H + " racevm").expect("S");
            c.send("AZURE_VM_DELETE 3" + H + " racevm").expect("S");
            c.awaitResults(1);
            create.completeExceptionally(new CloudException("QuotaExceeded", "no cores left"));
            c.awaitResults(2);
            assertThat(results(c, "")).containsExactly(
                    "3 DuplicateRequestId:\\ request\\ 3\\ is\\ still\\ in\\ progress;\\ this\\ second\\ request\\ with"
                            + "\\ the\\ same\\ id\\ was\\ not\\ run",
                    "2 QuotaExceeded:\\ no\\ cores\\ left", "3 NULL");
        }
    }

    @Test
    void shutdownDropsRequestsWaitingForTheirName() {
        StubCloud cloud = new StubCloud();
        CompletableFuture<VmCreated> create = new CompletableFuture<>();
        cloud.on("vm.create", spec -> create);
        try (Conversation c = started(cloud)) {
            c.send(CREATE_RACEVM).expect("S");
            c.send("AZURE_VM_DELETE 3" + H + " racevm").expect("S");
            c.time.runReady();
            c.engine.shutdown();
            create.complete(new VmCreated("id", null));
            c.time.advance(Duration.ofHours(1));
            assertThat(cloud.calls).extracting(StubCloud.Call::op).containsExactly("vm.create");
            assertThat(c.allResults).isEmpty();
            c.expectNothing();
        }
    }
}
