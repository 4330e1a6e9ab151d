package org.azuregahp.domain.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.azuregahp.domain.client.ResultLine;
import org.azuregahp.domain.client.ReturnLine;
import org.azuregahp.domain.codec.GahpCodec;
import org.azuregahp.ports.AdminCredential;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.LocalFiles;
import org.azuregahp.ports.MachineSpec;
import org.azuregahp.ports.ResourceRef;
import org.azuregahp.ports.ScaleSetSpec;
import org.azuregahp.ports.ScaleSetStatus;
import org.azuregahp.ports.ScheduledDeletion;
import org.azuregahp.ports.VaultSecretRef;
import org.azuregahp.ports.VmQuery;
import org.azuregahp.ports.VmStatus;
import org.junit.jupiter.api.Test;

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

    // ---- banner and session commands ------------------------------------------------------------------------

    @Test
    void bannerIsShortAndWellFormed() {
        try (Conversation c = new Conversation(new StubCloud())) {
            assertThat(c.engine.banner()).isEqualTo("$GahpVersion: 1.0.0 Nov 27 2026 azure-gahp\\ (Java) $");
            assertThat(c.engine.banner().getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThan(150);
            c.engine.start();
            c.expect(c.engine.banner());
        }
        EngineConfig tooLong = new EngineConfig("1.0.0", "Nov 27 2026", "x".repeat(140), 10, Duration.ofSeconds(1),
                1000);
        assertThatThrownBy(() -> new GahpEngine(tooLong, new StubCloud(), LocalFiles.NONE,
                java.time.Clock.systemUTC(), l -> { })).isInstanceOf(IllegalArgumentException.class);
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
    void resultsComeInCompletionOrder() throws Exception {
        StubCloud cloud = new StubCloud();
        Map<ResourceRef, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
        cloud.on("vm.delete", ref -> pending.computeIfAbsent((ResourceRef) ref, k -> new CompletableFuture<>()));
        try (Conversation c = started(cloud)) {
            for (int i = 1; i <= 5; i++) {
                c.send("AZURE_VM_DELETE " + i + H + " vm" + i).expect("S");
            }
            for (int i = 0; i < 5; i++) {
                cloud.nextCall();
            }
            for (int i : new int[] {4, 2, 5, 1, 3}) {
                pending.computeIfAbsent(ResourceRef.named("vm" + i), k -> new CompletableFuture<>()).complete(null);
                c.awaitResults(1);
            }
            assertThat(results(c, "")).containsExactly("4 NULL", "2 NULL", "5 NULL", "1 NULL", "3 NULL");
        }
    }

    @Test
    void cloudWorkNeverRunsOnTheCallersThread() throws Exception {
        StubCloud cloud = new StubCloud();
        try (Conversation c = started(cloud)) {
            c.send("AZURE_PING 1" + H).expect("S");
            assertThat(cloud.nextCall().thread()).startsWith("gahp-engine-worker");
        }
    }

    @Test
    void atMostMaxInFlightRunAndTheRestWait() throws Exception {
        StubCloud cloud = new StubCloud();
        java.util.concurrent.BlockingQueue<CompletableFuture<Void>> started = new java.util.concurrent.LinkedBlockingQueue<>();
        cloud.on("ping", x -> {
            CompletableFuture<Void> f = new CompletableFuture<>();
            started.add(f);
            return f;
        });
        try (Conversation c = started(cloud, EngineConfig.defaults().withMaxInFlight(2), LocalFiles.NONE)) {
            for (int i = 1; i <= 5; i++) {
                c.send("AZURE_PING " + i + H).expect("S");
            }
            CompletableFuture<Void> first = started.poll(5, TimeUnit.SECONDS);
            CompletableFuture<Void> second = started.poll(5, TimeUnit.SECONDS);
            assertThat(second).isNotNull();
            assertThat(started.poll(50, TimeUnit.MILLISECONDS)).as("a third running").isNull();
            EngineStatistics s = c.engine.statistics();
            assertThat(s.received()).isEqualTo(5);
            assertThat(s.inFlight()).isEqualTo(2);
            assertThat(s.queued()).isEqualTo(3);
            assertThat(c.engine.inFlight()).extracting(InFlightRequest::requestId).containsExactlyInAnyOrder("1", "2");
            assertThat(c.engine.inFlight()).allSatisfy(r -> {
                assertThat(r.command()).isEqualTo("AZURE_PING");
                assertThat(r.started()).isEqualTo(Conversation.NOW);
            });
            first.complete(null);
            c.awaitResults(1);
            CompletableFuture<Void> third = started.poll(5, TimeUnit.SECONDS); // starts only now
            assertThat(third).isNotNull();
            assertThat(started.poll(50, TimeUnit.MILLISECONDS)).isNull();
            second.complete(null);
            third.complete(null);
            for (int i = 0; i < 2; i++) {
                started.poll(5, TimeUnit.SECONDS).complete(null);
            }
            c.awaitResults(4);
            s = c.engine.statistics();
            assertThat(s.inFlight()).isZero();
            assertThat(s.queued()).isZero();
            assertThat(s.succeeded()).isEqualTo(5);
            assertThat(s.resultsWaiting()).isEqualTo(5);
            assertThat(results(c, "")).hasSize(5);
        }
    }

    @Test
    void aTimedOutRequestGetsOneTimeoutResultAndItsLateCompletionIsDropped() throws Exception {
        StubCloud cloud = new StubCloud();
        CompletableFuture<Void> never = new CompletableFuture<>();
        cloud.on("ping", x -> never);
        EngineConfig cfg = EngineConfig.defaults().withRequestTimeout(Duration.ofMillis(100));
        try (Conversation c = started(cloud, cfg, LocalFiles.NONE)) {
            c.send("AZURE_PING 1" + H).expect("S");
            c.awaitResults(1);
            never.complete(null);
            assertThat(c.results.poll(50, TimeUnit.MILLISECONDS)).isNull();
            List<String> r = results(c, "");
            assertThat(r).hasSize(1);
            assertThat(r.get(0)).startsWith("1 OperationTimedOut:\\ AZURE_PING\\ got\\ no\\ answer");
            assertThat(c.engine.statistics().failed()).isEqualTo(1);
            assertThat(c.engine.statistics().inFlight()).isZero();
        }
    }

    @Test
    void shutdownAbandonsWorkPromptlyAndWritesNothingAfterwards() {
        StubCloud cloud = new StubCloud();
        List<CompletableFuture<Void>> futures = new java.util.concurrent.CopyOnWriteArrayList<>();
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
        long t0 = System.nanoTime();
        c.engine.shutdown();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        futures.forEach(f -> f.complete(null));
        assertThat(c.engine.accept("RESULTS")).isFalse();
        assertThat(c.engine.accept("AZURE_PING 99" + H)).isFalse();
        c.engine.rejectOversized(5_000_000);
        c.engine.start();
        c.expectNothing();
        assertThat(c.engine.isShutdown()).isTrue();
        c.engine.shutdown(); // idempotent
    }

    @Test
    void quitWritesSThenEndsTheSession() {
        try (Conversation c = started(new StubCloud())) {
            c.send("RESPONSE_PREFIX GAHP:").expect("S");
            c.send("quit").expect("GAHP:S");
            assertThat(c.lastAccept).isFalse();
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
        }
    }

    @Test
    void aDuplicateIdStillInFlightGetsItsOwnErrorResultAndTheFirstStillFinishes() throws Exception {
        StubCloud cloud = new StubCloud();
        CompletableFuture<Void> slow = new CompletableFuture<>();
        cloud.on("ping", x -> slow);
        try (Conversation c = started(cloud)) {
            c.send("AZURE_PING 7" + H).expect("S");
            cloud.nextCall();
            c.send("AZURE_PING 7" + H).expect("S");
            c.awaitResults(1);
            slow.complete(null);
            c.awaitResults(1);
            List<String> r = results(c, "");
            assertThat(r).hasSize(2);
            assertThat(r.get(0)).startsWith("7 DuplicateRequestId:");
            assertThat(r.get(1)).isEqualTo("7 NULL");
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
    void resultListenersSeeEveryResultLineUnprefixed() throws Exception {
        try (Conversation c = started(new StubCloud())) {
            java.util.concurrent.BlockingQueue<String> seen = new java.util.concurrent.LinkedBlockingQueue<>();
            c.engine.addResultListener(l -> {
                throw new IllegalStateException("a broken listener must not matter");
            });
            c.engine.addResultListener(seen::add);
            c.send("RESPONSE_PREFIX GAHP:").expect("S");
            c.send("AZURE_PING 1" + H).expect("GAHP:S");
            c.send("AZURE_PING 2 c ").expect("GAHP:S");
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                got.add(seen.poll(5, TimeUnit.SECONDS));
            }
            assertThat(got).containsExactlyInAnyOrder("1 NULL",
                    "2 InvalidParameter:\\ the\\ subscription\\ argument\\ is\\ empty");
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
            assertThat(ResultLine.parse(r.get(0)).status()).startsWith("InternalError: RuntimeException");
            assertThat(ResultLine.parse(r.get(1)).status()).startsWith("InternalError: IllegalStateException");
            assertThat(r.get(2)).isEqualTo("3 Conflict:\\ line\\ one\\ line\\ two\\ \\\\\\ end");
            assertThat(ResultLine.parse(r.get(2)).status()).isEqualTo("Conflict: line one line two \\ end");
            assertThat(ResultLine.parse(r.get(2)).fieldCount()).isEqualTo(2);
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
        }
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
        }
    }

    @Test
    void everySimpleCommandReachesItsPortAndAnswersNull() throws Exception {
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
                assertThat(cloud.nextCall().op()).isEqualTo(k[1]);
                c.awaitResults(1);
            }
            assertThat(results(c, "")).containsExactly("1 NULL", "2 NULL", "3 NULL", "4 NULL", "5 NULL", "6 NULL");
        }
    }

    @Test
    void keyFilesAreReadAtExecutionOnAWorker() throws Exception {
        Map<String, String> files = Map.of("/home/a/id.pub", "# my key\nssh-ed25519 AAAAC3Nz a@b\n",
                "/home/a/notakey", "hello", "/init.sh", "#!/bin/sh\necho hi\n");
        List<String> readThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
        LocalFiles local = (path, max) -> {
            readThreads.add(Thread.currentThread().getName());
            return Optional.ofNullable(files.get(path));
        };
        StubCloud cloud = new StubCloud();
        try (Conversation c = started(cloud, EngineConfig.defaults(), local)) {
            c.send("AZURE_VM_CREATE 1" + H + " " + VM + " key=/home/a/id.pub customData=/init.sh").expect("S");
            MachineSpec spec = (MachineSpec) cloud.nextCall().arg();
            assertThat(spec.credential()).isEqualTo(new AdminCredential.SshPublicKey("ssh-ed25519 AAAAC3Nz a@b"));
            assertThat(spec.customData()).isEqualTo("#!/bin/sh\necho hi\n");
            c.awaitResults(1);
            c.send("AZURE_VM_CREATE 2" + H + " " + VM + " key=/secretish/missing customData=/no/such").expect("S");
            c.awaitResults(1);
            c.send("AZURE_VM_CREATE 3" + H + " " + VM + " key=/home/a/notakey").expect("S");
            c.awaitResults(1);
            c.send("AZURE_VM_CREATE 4" + H + " " + VM + " key=Pa55w0rd! customData=/no/such").expect("S");
            MachineSpec spec4 = (MachineSpec) cloud.nextCall().arg();
            assertThat(spec4.credential()).isEqualTo(new AdminCredential.Password("Pa55w0rd!"));
            assertThat(spec4.customData()).isEqualTo("/no/such");
            c.awaitResults(1);
            List<String> r = results(c, "");
            assertThat(r.get(0)).isEqualTo("1 NULL vm-id-vm1 NULL");
            assertThat(r.get(1)).startsWith("2 InvalidParameter:").contains("no\\ such\\ file")
                    .doesNotContain("secretish");
            assertThat(r.get(2)).startsWith("3 InvalidParameter:").contains("does\\ not\\ hold\\ an\\ SSH")
                    .doesNotContain("hello");
            assertThat(r.get(3)).isEqualTo("4 NULL vm-id-vm1 NULL");
            assertThat(readThreads).isNotEmpty().allSatisfy(t -> assertThat(t).startsWith("gahp-engine-worker"));
        }
    }

    @Test
    void vmssCreateChecksTheSecretFirstAndCreatesNothingWhenItIsMissing() throws Exception {
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
    void vmssCreateWithSecretAndDeletionJob() throws Exception {
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
    void whenSchedulingFailsTheNewScaleSetIsDeletedAndTheSchedulingErrorReported() throws Exception {
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
    void aCleanupDeleteThatFailsIsTriedAgainUntilTheScaleSetIsGone() throws Exception {
        StubCloud cloud = new StubCloud();
        cloud.on("schedule", d -> CompletableFuture.failedFuture(new CloudException("AutomationError", "down")));
        java.util.concurrent.atomic.AtomicInteger deletes = new java.util.concurrent.atomic.AtomicInteger();
        cloud.on("vmss.delete", ref -> deletes.incrementAndGet() < 3
                ? CompletableFuture.failedFuture(new CloudException("InternalServerError", "try later"))
                : CompletableFuture.completedFuture(null));
        try (Conversation c = started(cloud)) {
            c.send("AZURE_VMSS_CREATE 1" + H + " " + VMSS + " deletionjob=true schedule=202611281200").expect("S");
            c.awaitResults(1);
            assertThat(results(c, "")).containsExactly("1 AutomationError:\\ down");
            assertThat(deletes.get()).as("two failed deletes, then one that worked").isEqualTo(3);
        }
    }

    @Test
    void aBareWordListsTheVmOfThatNameAndTheVmsTaggedWithIt() throws Exception {
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
    void aBareWordListFailsWhenEitherLookupFails() throws Exception {
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
    void vmssDeleteCancelsTheScheduleAndACancelFailureDoesNotSpoilTheDelete() throws Exception {
        StubCloud cloud = new StubCloud();
        cloud.on("schedule.cancel", g -> CompletableFuture.failedFuture(new CloudException("Boom", "cancel failed")));
        try (Conversation c = started(cloud)) {
            c.send("AZURE_VMSS_DELETE 1" + H + " rg ss1").expect("S");
            c.awaitResults(1);
            assertThat(results(c, "")).containsExactly("1 NULL");
            List<StubCloud.Call> calls = new ArrayList<>(cloud.calls);
            assertThat(calls).extracting(StubCloud.Call::op).containsExactly("vmss.delete", "schedule.cancel");
            assertThat(calls.get(1).arg()).isEqualTo("rg");
        }
    }

    @Test
    void vmssDeleteFailureIsTheResultAndNothingIsCancelled() throws Exception {
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

    @Test
    void aPortAnsweringNullIsAnInternalError() {
        StubCloud cloud = new StubCloud();
        cloud.on("ping", x -> null);
        try (Conversation c = started(cloud)) {
            c.send("AZURE_PING 1" + H).expect("S");
            c.awaitResults(1);
            assertThat(results(c, "").get(0)).startsWith("1 InternalError:\\ IllegalStateException");
        }
    }

    @Test
    void listenerLatchSanity() throws Exception {
        CountDownLatch l = new CountDownLatch(1);
        try (Conversation c = started(new StubCloud())) {
            c.engine.addResultListener(x -> l.countDown());
            c.send("AZURE_PING 1" + H).expect("S");
            assertThat(l.await(5, TimeUnit.SECONDS)).isTrue();
        }
    }
}
