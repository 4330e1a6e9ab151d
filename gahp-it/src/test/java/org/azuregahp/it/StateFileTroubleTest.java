package org.azuregahp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A state file that cannot be written, through the launcher: the server backs off and logs the
 * condition once (and once when it ends) instead of at every attempt, {@code STATISTICS} shows it, and
 * the results say what happened to the changes. Two root-proof ways to break the file: a file-size
 * limit on the process (prlimit, as a full disk or a quota would: the journal cannot grow, so changes
 * cannot be saved and later changes are refused), and the state directory replaced by a plain file
 * (the document cannot be rewritten, but every change still goes into the journal already open).
 * Conditions are polled, never timed: the waits are only guards against a hang.
 */
class StateFileTroubleTest {
    static final Duration PATIENCE = Duration.ofMinutes(2);
    static final String H = " NULL " + LauncherTestSupport.SUB;

    @TempDir
    Path dir;

    private static String statistics(GahpSession s) throws Exception {
        List<String> ret = s.command("STATISTICS");
        assertThat(ret.get(0)).isEqualTo("S");
        return String.join(" ", ret);
    }

    /** Polls until {@code ok} holds (the server retries on its own schedule), failing after PATIENCE. */
    private static void await(String what, java.util.concurrent.Callable<Boolean> ok) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!ok.call()) {
            assertThat(System.nanoTime()).as("still waiting for: " + what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static long lines(Path log, Predicate<String> p) throws Exception {
        return Files.exists(log) ? Files.readAllLines(log).stream().filter(p).count() : 0;
    }

    private static long lines(GahpProcess gahp, Predicate<String> p) {
        return gahp.stderr().lines().filter(p).count();
    }

    private static String create(int id, String name) {
        return "AZURE_VM_CREATE " + id + H + " name=" + name + " location=westeurope size=Standard_B1s"
                + " image=linux-ubuntu-latest";
    }

    @Test
    void whenChangesCannotBeSavedLaterChangesAreRefusedUntilTheyCanAndNothingDeliveredIsLost() throws Exception {
        Path prlimit = Path.of("/usr/bin/prlimit");
        assumeTrue(Files.isExecutable(prlimit), "needs prlimit (util-linux) to limit and then lift the file size");
        Path state = dir.resolve("state.json");
        List<String> saved = new ArrayList<>();
        // The log goes to stderr, a pipe: the file-size limit would stop a log file too.
        String stderr;
        try (GahpProcess gahp = GahpProcess.startUnder(List.of(prlimit.toString(), "--fsize=262144:unlimited"), Map.of(),
                "--cloud", "fake", "--fake-state", state.toString(), "--log-level", "debug")) {
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            assertThat(statistics(s)).endsWith(" state_file=ok");

            // Create VMs one at a time until the journal reaches the size limit: that create's change
            // cannot be saved, so its result is not delivered.
            int id = 2;
            String pending = null;
            while (pending == null) {
                String name = "vm" + id;
                assertThat(s.command(create(id++, name))).containsExactly("S");
                long deadline = System.nanoTime() + PATIENCE.toNanos();
                while (true) {
                    assertThat(System.nanoTime()).as("the result of " + name + " or not_saving").isLessThan(deadline);
                    List<String> ret = s.command("RESULTS");
                    int n = Integer.parseInt(ret.get(1));
                    if (n == 1) {
                        List<String> result = LauncherTestSupport.split(gahp.nextLine().substring(GahpSession.PREFIX.length()));
                        assertThat(result).as("create result").hasSize(4);
                        saved.add(name);
                        break;
                    }
                    // Only this create changes the cloud now, so not_saving means its change is the one waiting.
                    if (statistics(s).endsWith(" state_file=not_saving")) {
                        pending = name;
                        break;
                    }
                    Thread.sleep(20);
                }
                assertThat(saved.size()).as("the limit is reached").isLessThan(1000);
            }

            // A later change is refused at once, saying why.
            assertThat(s.command(create(id, "refused"))).containsExactly("S");
            List<String> refused = s.result(PATIENCE);
            assertThat(refused).hasSize(2);
            assertThat(refused.get(0)).isEqualTo(String.valueOf(id++));
            assertThat(refused.get(1)).startsWith("StateFileNotWritable: ").contains(state.toString())
                    .contains("File too large");
            // Reads still answer.
            assertThat(s.command("AZURE_VM_LIST " + id++ + H)).containsExactly("S");
            assertThat(s.result(PATIENCE).get(1)).isEqualTo("NULL");

            // It keeps trying, with back-off, but says so once.
            await("three failed attempts", () -> lines(gahp, l -> l.contains("attempt 3 to save")) > 0);
            assertThat(lines(gahp, l -> l.contains(" WARN ") && l.contains("cannot save"))).isEqualTo(1);

            // The limit goes: the change is saved at the next attempt and its result delivered.
            Process lift = new ProcessBuilder(prlimit.toString(), "--pid", String.valueOf(gahp.pid()),
                    "--fsize=unlimited").inheritIO().start();
            assertThat(lift.waitFor()).isZero();
            List<String> late = s.result(PATIENCE);
            assertThat(late).as("the waiting create's result").hasSize(4);
            assertThat(late.get(1)).isEqualTo("NULL");
            saved.add(pending);
            await("state_file=ok", () -> statistics(s).endsWith(" state_file=ok"));
            assertThat(s.command(create(id, "after"))).containsExactly("S");
            assertThat(s.result(PATIENCE)).hasSize(4);
            saved.add("after");

            gahp.send("QUIT");
            assertThat(gahp.waitFor(PATIENCE)).isTrue();
            assertThat(gahp.exitValue()).isZero();
            stderr = gahp.stderr();
            LauncherTestSupport.assertNoStackTraces(stderr);
        }
        assertThat(LauncherTestSupport.storedVms(state).keySet()).containsExactlyInAnyOrderElementsOf(saved);
        assertThat(stderr.lines().filter(l -> l.contains(" WARN ") && l.contains("cannot save"))).hasSize(1);
        assertThat(stderr.lines().filter(l -> l.contains(" INFO ") && l.contains("saved to") && l.contains("again")))
                .hasSize(1);
    }

    @Test
    void whenTheStateDirectoryCannotBeWrittenChangesGoOnIntoTheJournalAndTheDocumentCatchesUp() throws Exception {
        Path sub = dir.resolve("state");
        Path away = dir.resolve("state.away");
        Path state = sub.resolve("fake.json");
        Path log = dir.resolve("gahp.log");
        try (GahpProcess gahp = GahpProcess.start("--cloud", "fake", "--fake-state", state.toString(), "--log",
                log.toString(), "--log-level", "debug")) {
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            assertThat(s.command(create(2, "first"))).containsExactly("S");
            assertThat(s.result(PATIENCE)).hasSize(4);

            // The directory goes away and a plain file takes its name: nothing new can be made there.
            Files.move(sub, away);
            Files.writeString(sub, "not a directory");
            assertThat(s.command(create(3, "second"))).containsExactly("S");
            assertThat(s.result(PATIENCE)).as("the change is saved in the journal already open").hasSize(4);
            await("state_file=journal_only", () -> statistics(s).endsWith(" state_file=journal_only"));
            await("three failed attempts", () -> lines(log, l -> l.contains("attempt 3 to rewrite")) > 0);
            assertThat(lines(log, l -> l.contains(" WARN ") && l.contains("cannot rewrite"))).isEqualTo(1);
            assertThat(s.command(create(4, "third"))).containsExactly("S");
            assertThat(s.result(PATIENCE)).hasSize(4);

            // The directory comes back: the document catches up at the next attempt.
            Files.delete(sub);
            Files.move(away, sub);
            await("state_file=ok", () -> statistics(s).endsWith(" state_file=ok"));
            assertThat(LauncherTestSupport.readState(state).toString()).contains("first", "second", "third");
            gahp.send("QUIT");
            assertThat(gahp.waitFor(PATIENCE)).isTrue();
            assertThat(gahp.exitValue()).isZero();
            LauncherTestSupport.assertNoStackTraces(gahp.stderr());
        }
        assertThat(LauncherTestSupport.storedVms(state).keySet()).containsExactlyInAnyOrder("first", "second", "third");
        assertThat(lines(log, l -> l.contains(" WARN ") && l.contains("cannot rewrite"))).isEqualTo(1);
        assertThat(lines(log, l -> l.contains(" INFO ") && l.contains("written again"))).isEqualTo(1);
    }
}
