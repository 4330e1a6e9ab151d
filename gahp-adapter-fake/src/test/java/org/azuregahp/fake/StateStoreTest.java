package org.azuregahp.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.azuregahp.fake.Support.SUB;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.azuregahp.ports.AccountRef;
import org.azuregahp.ports.CloudAccount;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.PublicIpChoice;
import org.azuregahp.ports.ResourceRef;
import org.azuregahp.ports.ScaleSetSpec;
import org.azuregahp.ports.ScheduledDeletion;
import org.azuregahp.ports.VaultSecretRef;
import org.azuregahp.ports.VmCreated;
import org.azuregahp.ports.VmQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state file: a result is delivered only once its change is saved (so it survives the process
 * ending in any way, SIGKILL too), failing writes back off, are logged once and refuse later changes,
 * and the file heals what a killed process left. Time is moved by hand and saving is done on the test
 * thread ({@link FakeCloud#saveStateNow}); no wall clock.
 */
class StateStoreTest {
    @TempDir
    Path dir;

    private Path file;
    private ManualTimer timer;
    private final List<LogRecord> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (logged) {
                logged.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void setUp() {
        file = dir.resolve("state.json");
        timer = new ManualTimer();
        Logger.getLogger(StateStore.class.getName()).addHandler(capture);
    }

    @AfterEach
    void tearDown() {
        Logger.getLogger(StateStore.class.getName()).removeHandler(capture);
    }

    /** A cloud on the state file that saves only when the test says so. */
    private FakeCloud cloud(StateStore.WriteCheck check) {
        return FakeCloud.builder().stateFile(file).timer(timer).writeCheck(check).seed(5).build();
    }

    private static CloudAccount account(FakeCloud c) {
        return c.account(new AccountRef(null, SUB));
    }

    private List<String> warnings() {
        synchronized (logged) {
            return logged.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                    .map(LogRecord::getMessage).toList();
        }
    }

    private List<String> infos() {
        synchronized (logged) {
            return logged.stream().filter(r -> r.getLevel() == Level.INFO).map(LogRecord::getMessage).toList();
        }
    }

    /** The groups a start on the file would load: name to group. */
    private Map<String, JsonNode> stored() throws IOException {
        Map<String, JsonNode> out = new TreeMap<>();
        for (JsonNode g : Support.JSON.readTree(FakeCloud.storedState(file)).get("resourceGroups")) {
            out.put(g.get("subscription").asText() + "/" + g.get("name").asText(), g);
        }
        return out;
    }

    private static Map<String, JsonNode> groupsOf(String stateJson) throws IOException {
        Map<String, JsonNode> out = new TreeMap<>();
        for (JsonNode g : Support.JSON.readTree(stateJson).get("resourceGroups")) {
            out.put(g.get("subscription").asText() + "/" + g.get("name").asText(), g);
        }
        return out;
    }

    private static <T> T done(CompletionStage<T> stage) {
        CompletableFuture<T> f = stage.toCompletableFuture();
        assertThat(f).as("delivered").isDone();
        return f.join();
    }

    @Test
    void aChangeIsDeliveredOnlyOnceItIsSavedAndThenSurvivesTheProcessBeingKilled() throws Exception {
        VmCreated kept;
        FakeCloud c = cloud(null);
        // Killed, not closed: nothing is written at exit, as with SIGKILL.
        CloudAccount a = account(c);
        CompletableFuture<VmCreated> create = a.virtualMachines().create(Support.vm("kept")).toCompletableFuture();
        CompletableFuture<VmCreated> gone = a.virtualMachines().create(Support.vm("gone")).toCompletableFuture();
        assertThat(create).as("not delivered before it is saved").isNotDone();
        assertThat(a.ping().toCompletableFuture()).as("a request that changes nothing waits for nothing").isDone();
        c.saveStateNow();
        kept = done(create);
        done(gone);
        CompletableFuture<Void> delete = a.virtualMachines().delete(ResourceRef.named("gone")).toCompletableFuture();
        assertThat(delete).isNotDone();
        c.saveStateNow();
        done(delete);
        CompletableFuture<Void> schedule = a.deletionSchedules().schedule(
                new ScheduledDeletion("kept", "westeurope", Instant.parse("2030-01-01T00:00:00Z"))).toCompletableFuture();
        c.saveStateNow();
        done(schedule);

        assertThat(stored()).containsOnlyKeys(SUB + "/kept");
        try (FakeCloud again = FakeCloud.builder().stateFile(file).build()) {
            assertThat(Support.await(account(again).virtualMachines().create(Support.vm("kept")))).isEqualTo(kept);
            assertThat(again.vmNames()).containsExactly("kept");
            assertThat(Support.state(again).get("deletionSchedules")).hasSize(1);
        }
        // The start folded the journal into the document and removed it; the close left it whole.
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
        assertThat(Support.groups(Support.JSON.readTree(file.toFile()), SUB)).hasSize(1);
    }

    @Test
    void theSavedStateIsTheCloudsStateAfterEveryOperationEvenWithFaults() throws Exception {
        // Catches a change that forgets to mark its group: the saved bytes are compared with the cloud.
        FakeCloud c = FakeCloud.builder().stateFile(file).timer(timer).failureRate(0.3).seed(11).build();
        c.seedSecret(SUB, "vaults", "pool-kv", "westeurope", "token", "never-saved");
        CloudAccount a = account(c);
        List<CompletionStage<?>> ops = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ops.add(a.virtualMachines().create(Support.vm("vm" + i, new PublicIpChoice.New())));
            ops.add(a.scaleSets().create(new ScaleSetSpec(Support.vm("ss" + i), 2,
                    i % 2 == 0 ? new VaultSecretRef("pool-kv", "vaults", "token") : null)));
            ops.add(a.scaleSets().stop(ResourceRef.named("ss" + i)));
            ops.add(a.scaleSets().scale(ResourceRef.named("ss" + i), 3));
            ops.add(a.deletionSchedules().schedule(new ScheduledDeletion("ss" + i, "westeurope",
                    Instant.parse("2030-01-01T00:00:00Z"))));
            if (i % 3 == 0) {
                ops.add(a.virtualMachines().delete(ResourceRef.named("vm" + i)));
                ops.add(a.scaleSets().delete(ResourceRef.named("ss" + i)));
                ops.add(a.deletionSchedules().cancel("ss" + i));
            }
            c.saveStateNow();
            assertThat(stored()).as("after round " + i).isEqualTo(groupsOf(c.stateJson()));
            assertThat(Support.JSON.readTree(FakeCloud.storedState(file)).get("deletionSchedules"))
                    .isEqualTo(Support.state(c).get("deletionSchedules"));
        }
        c.deallocate(c.vmNames().iterator().next());
        c.saveStateNow();
        assertThat(stored()).isEqualTo(groupsOf(c.stateJson()));
        for (CompletionStage<?> op : ops) {
            assertThat(op.toCompletableFuture()).isDone();
        }
        assertThat(Files.readString(file) + journalText()).doesNotContain("never-saved");
        c.close();
    }

    private String journalText() throws IOException {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith("state.json.journal-")).toList()) {
                b.append(Files.readString(p));
            }
        }
        return b.toString();
    }

    @Test
    void whileChangesCannotBeSavedLaterChangesAreRefusedAndTheFailureIsLoggedOnceWithBackOff() throws Exception {
        boolean[] failing = {false};
        List<Long> attempts = new ArrayList<>();
        StateStore.WriteCheck check = f -> {
            if (f.getFileName().toString().contains(".journal-") && failing[0]) {
                attempts.add(timer.nanoTime());
                throw new IOException("No space left on device");
            }
        };
        FakeCloud c = cloud(check);
        CloudAccount a = account(c);
        assertThat(c.statistics().stateFile()).isEqualTo("ok");

        failing[0] = true;
        CompletableFuture<VmCreated> before = a.virtualMachines().create(Support.vm("before")).toCompletableFuture();
        c.saveStateNow();
        assertThat(before).as("waits while its change is not saved").isNotDone();
        assertThat(c.statistics().stateFile()).isEqualTo("not_saving");

        CloudException refused = Support.failure(a.virtualMachines().create(Support.vm("later")));
        assertThat(refused.code()).isEqualTo(StateStore.REFUSED);
        assertThat(refused.getMessage()).contains(file.toString()).contains("No space left on device")
                .contains("log");
        assertThat(Support.failure(a.virtualMachines().delete(ResourceRef.named("before"))).code())
                .isEqualTo(StateStore.REFUSED);
        assertThat(c.vmNames()).containsExactly("before");
        assertThat(a.ping().toCompletableFuture()).as("reads still answer").isDone();

        // Tries again after 250 ms, 500 ms, 1 s, ... at most 30 s apart; never sooner. The saver is
        // asked every 50 ms of (hand-moved) time, as a busy server would.
        for (int i = 0; i < 2400; i++) {
            timer.advance(Duration.ofMillis(50));
            c.saveStateNow();
        }
        List<Long> gapsMillis = new ArrayList<>();
        for (int i = 1; i < attempts.size(); i++) {
            gapsMillis.add((attempts.get(i) - attempts.get(i - 1)) / 1_000_000);
        }
        List<Long> expected = List.of(250L, 500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L);
        assertThat(gapsMillis).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(gapsMillis.get(i)).as("gap %d", i).isBetween(expected.get(i), expected.get(i) + 50);
        }
        assertThat(warnings()).as("one warning for the whole failure").hasSize(1);
        assertThat(warnings().get(0)).contains("No space left on device").contains("refused");

        failing[0] = false;
        timer.advance(Duration.ofSeconds(31));
        c.saveStateNow();
        assertThat(done(before).vmId()).isNotBlank();
        assertThat(c.statistics().stateFile()).isEqualTo("ok");
        assertThat(warnings()).hasSize(1);
        assertThat(infos()).anySatisfy(m -> assertThat(m).contains("again"));
        CompletableFuture<VmCreated> after = a.virtualMachines().create(Support.vm("after")).toCompletableFuture();
        c.saveStateNow();
        done(after);
        c.close();
        assertThat(stored()).containsOnlyKeys(SUB + "/before", SUB + "/after");
    }

    @Test
    void whenOnlyTheDocumentCannotBeRewrittenChangesGoOnIntoTheJournal() throws Exception {
        boolean[] failing = {false};
        StateStore.WriteCheck check = f -> {
            if (f.getFileName().toString().equals("state.json") && failing[0]) {
                throw new IOException("Read-only file system");
            }
        };
        FakeCloud c = cloud(check);
        CloudAccount a = account(c);
        failing[0] = true;
        for (int i = 0; i < 5; i++) {
            CompletableFuture<VmCreated> f = a.virtualMachines().create(Support.vm("j" + i)).toCompletableFuture();
            c.saveStateNow();
            done(f);
            timer.advance(Duration.ofSeconds(40));
            c.saveStateNow();
        }
        assertThat(c.statistics().stateFile()).isEqualTo("journal_only");
        assertThat(warnings()).hasSize(1);
        assertThat(warnings().get(0)).contains("Read-only file system").contains("journal");
        assertThat(stored()).hasSize(5);
        assertThat(Support.groups(Support.JSON.readTree(file.toFile()), SUB)).as("the document lags").isEmpty();

        failing[0] = false;
        timer.advance(Duration.ofSeconds(40));
        c.saveStateNow();
        assertThat(c.statistics().stateFile()).isEqualTo("ok");
        assertThat(Support.groups(Support.JSON.readTree(file.toFile()), SUB)).hasSize(5);
        c.close();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void ourTemporaryFilesLeftByAKilledWriteAreRemovedAtStartAndNothingElse() throws Exception {
        Path ours = dir.resolve(".state.json.8123456789.tmp");
        Path oursToo = dir.resolve(".state.json.7.tmp");
        List<Path> others = List.of(dir.resolve(".other.json.8123456789.tmp"), dir.resolve("state.json.bak"),
                dir.resolve(".state.json.tmp"), dir.resolve(".state.json.12x.tmp"), dir.resolve("x.state.json.1.tmp"));
        Files.writeString(ours, "{\"half");
        Files.writeString(oursToo, "");
        for (Path p : others) {
            Files.writeString(p, "keep");
        }
        try (FakeCloud c = FakeCloud.builder().stateFile(file).build()) {
            assertThat(ours).doesNotExist();
            assertThat(oursToo).doesNotExist();
            for (Path p : others) {
                assertThat(p).exists();
            }
        }
    }

    @Test
    void aJournalIsReplayedFromWhereTheDocumentEndsAndATornLastRecordIsIgnored() throws Exception {
        FakeCloud c = cloud(null);
        CloudAccount a = account(c);
        CompletableFuture<VmCreated> one = a.virtualMachines().create(Support.vm("one")).toCompletableFuture();
        c.saveStateNow();
        done(one);
        CompletableFuture<VmCreated> two = a.virtualMachines().create(Support.vm("two")).toCompletableFuture();
        c.saveStateNow();
        done(two);
        // Killed; the last write was cut short (no newline): it was never acknowledged, so it is ignored.
        Path journal;
        try (Stream<Path> files = Files.list(dir)) {
            journal = files.filter(p -> p.getFileName().toString().startsWith("state.json.journal-")).findFirst()
                    .orElseThrow();
        }
        Files.write(journal, "{\"removed\":{\"subscription\":\"x\",\"na".getBytes(StandardCharsets.UTF_8),
                java.nio.file.StandardOpenOption.APPEND);
        assertThat(stored()).containsOnlyKeys(SUB + "/one", SUB + "/two");

        // A damaged record before the end is refused, naming the journal.
        Files.writeString(journal, "{\"group\": nonsense}\n" + Files.readString(journal));
        assertThatThrownBy(() -> FakeCloud.builder().stateFile(file).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(journal.toString()).hasMessageContaining("record 1");
    }

    @Test
    void journalFilesOfAnotherDocumentAreNotReplayed() throws Exception {
        // A hand-written document (no "journal" mark) put in place of ours: old journal files do not apply.
        Files.writeString(dir.resolve("state.json.journal-3"), "{\"group\":{\"subscription\":\"" + SUB
                + "\",\"name\":\"ghost\",\"location\":\"westeurope\",\"tags\":{},\"resources\":[]}}\n");
        Files.writeString(file, "{\"version\": 2, \"resourceGroups\": [], \"deletionSchedules\": []}");
        try (FakeCloud c = FakeCloud.builder().stateFile(file).build()) {
            assertThat(Support.groups(Support.state(c), SUB)).isEmpty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aStateFileThatCannotBeWrittenIsRefusedAtBuildAndByTheEarlyCheck() throws IOException {
        Path notADir = dir.resolve("plain-file");
        Files.writeString(notADir, "x");
        Path inside = notADir.resolve("state.json");
        assertThatThrownBy(() -> FakeCloud.checkStateFile(inside)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is not a directory");
        assertThatThrownBy(() -> FakeCloud.builder().stateFile(inside).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(inside.toString());
        assertThatThrownBy(() -> FakeCloud.checkStateFile(dir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is a directory");
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"resourceGroups\": [ Secret-Token-9 ]}");
        assertThatThrownBy(() -> FakeCloud.checkStateFile(broken)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not valid JSON").hasMessageNotContaining("Secret-Token-9");
        FakeCloud.checkStateFile(dir.resolve("new/sub/state.json"));
        assertThatThrownBy(() -> FakeCloud.builder().stateFile(file).writeCheck(f -> {
            throw new IOException("Read-only file system");
        }).build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot be written")
                .hasMessageContaining("Read-only file system");
    }

    @Test
    void manyConcurrentChangesAreAllDeliveredBySavesOnTheSaverThread() throws Exception {
        // The saver thread and the threads delivering results must never wait on each other's locks.
        Map<String, String> expected = new java.util.concurrent.ConcurrentHashMap<>();
        List<CompletableFuture<?>> all = java.util.Collections.synchronizedList(new ArrayList<>());
        try (FakeCloud c = FakeCloud.builder().stateFile(file).seed(3).build()) {
            CloudAccount a = account(c);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
            for (int t = 0; t < 8; t++) {
                int thread = t;
                pool.execute(() -> {
                    for (int i = 0; i < 300; i++) {
                        String name = "t" + thread + "n" + i;
                        CompletableFuture<VmCreated> f = a.virtualMachines().create(
                                Support.vm(name, new PublicIpChoice.None())).toCompletableFuture();
                        all.add(f.thenAccept(v -> expected.put(name, v.vmId())));
                        if (i % 3 == 2) {
                            String gone = "t" + thread + "n" + (i - 1);
                            all.add(f.thenCompose(v -> a.virtualMachines().delete(ResourceRef.named(gone)))
                                    .thenRun(() -> expected.remove(gone)));
                        }
                    }
                });
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(2, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
            // Only a guard against a hang: every result is delivered once its change is saved.
            CompletableFuture.allOf(all.toArray(CompletableFuture<?>[]::new)).get(2, java.util.concurrent.TimeUnit.MINUTES);
        }
        Map<String, String> vms = new TreeMap<>();
        for (JsonNode g : stored().values()) {
            for (JsonNode r : g.get("resources")) {
                if (r.get("type").asText().equals(Model.VM)) {
                    vms.put(r.get("name").asText(), r.get("vmId").asText());
                }
            }
        }
        assertThat(vms).isEqualTo(new TreeMap<>(expected));
    }

    @Test
    void aListIsAnsweredWithoutWaitingForASave() {
        FakeCloud c = cloud(null);
        assertThat(account(c).virtualMachines().list(VmQuery.all()).toCompletableFuture()).isDone();
        c.close();
    }
}
