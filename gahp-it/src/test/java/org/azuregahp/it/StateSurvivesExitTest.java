package org.azuregahp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every result delivered before the server stops is in the state file afterwards, with a large state
 * (100,000 VMs, written directly): creates and deletes through the launcher, their results read, and
 * at once SIGTERM (how HTCondor stops us), QUIT, end of input, or SIGKILL (which can follow SIGTERM at
 * any moment when HTCondor's schedd goes away). Each stop is a new process on the same file; after it,
 * the state file (document and journal, read as documented) holds exactly the VMs that exist. Timings
 * are in {@code BenchStateFileTest} (-Pbench), never asserted here.
 */
class StateSurvivesExitTest {
    static final int VMS = 100_000;
    static final int EACH = 10;
    /** Only a guard against a hung process: loading 100,000 VMs takes seconds on a busy machine. */
    static final Duration PATIENCE = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    @Test
    void resultsReadBeforeTheServerStopsAreInTheStateAfterwardsAtAHundredThousandVms() throws Exception {
        Path state = dir.resolve("state.json");
        LargeState.write(state, VMS, false);
        // What a server killed while writing the document leaves behind: removed at the next start.
        Path leftover = dir.resolve(".state.json.4711.tmp");
        Files.writeString(leftover, "{\"version\": 2, \"resourceGroups\": [");
        Set<String> exist = new HashSet<>();
        for (int i = 0; i < VMS; i++) {
            exist.add(LargeState.name(i));
        }
        Map<String, String> vmIds = new HashMap<>();
        int nextDelete = 0;
        int id = 2;
        for (String how : List.of("SIGTERM", "QUIT", "EOF", "SIGKILL")) {
            Map<String, String> created = new HashMap<>();
            List<String> deleted = new ArrayList<>();
            try (GahpProcess gahp = GahpProcess.start("--cloud", "fake", "--fake-state", state.toString())) {
                gahp.nextLine(PATIENCE); // the banner
                gahp.send("VERSION");
                assertThat(gahp.nextLine(PATIENCE)).as("answered once the state is loaded").startsWith("S ");
                assertThat(leftover).as("a temporary file of an earlier, killed write").doesNotExist();
                List<String> lines = new ArrayList<>();
                Map<String, String> nameById = new HashMap<>();
                for (int i = 0; i < EACH; i++) {
                    String name = "keep" + how.toLowerCase() + i;
                    nameById.put(String.valueOf(id), name);
                    lines.add(LauncherTestSupport.vmCreate(id++, name, ""));
                    String victim = LargeState.name(nextDelete++);
                    deleted.add(victim);
                    lines.add("AZURE_VM_DELETE " + id++ + " NULL " + LauncherTestSupport.SUB + " " + victim);
                }
                GahpSession s = new GahpSession(gahp);
                LauncherTestSupport.sendAllAccepted(s, lines);
                Map<String, List<String>> results = LauncherTestSupport.resultsById(s, lines.size(), PATIENCE);
                // Stop at once: the results were delivered, so their changes must already be saved.
                switch (how) {
                    case "SIGTERM" -> gahp.process().destroy();
                    case "QUIT" -> gahp.send("QUIT");
                    case "EOF" -> gahp.closeStdin();
                    default -> gahp.process().destroyForcibly();
                }
                assertThat(gahp.waitFor(PATIENCE)).as(how + ": exited").isTrue();
                if (!how.equals("SIGKILL")) {
                    assertThat(gahp.exitValue()).as(how + ": exit status; stderr:%n%s", gahp.stderr()).isZero();
                }
                LauncherTestSupport.assertNoStackTraces(gahp.stderr());
                for (Map.Entry<String, List<String>> r : results.entrySet()) {
                    String name = nameById.get(r.getKey());
                    if (name != null) {
                        assertThat(r.getValue()).as(how + ": create result %s", r.getValue()).hasSize(4);
                        assertThat(r.getValue().get(1)).isEqualTo("NULL");
                        created.put(name, r.getValue().get(2));
                    } else {
                        assertThat(r.getValue()).as(how + ": delete result").containsExactly(r.getKey(), "NULL");
                    }
                }
            }
            exist.addAll(created.keySet());
            deleted.forEach(exist::remove);
            vmIds.putAll(created);
            Map<String, String> storedIds = LauncherTestSupport.storedVms(state);
            Set<String> names = storedIds.keySet();
            assertThat(names).as(how + ": the state after exit holds exactly the VMs that exist").hasSize(exist.size());
            assertThat(names.containsAll(exist)).as(how + ": every VM created is there, none deleted missing").isTrue();
            for (String d : deleted) {
                assertThat(names).as(how + ": a reported delete does not come back").doesNotContain(d);
            }
            for (Map.Entry<String, String> c : vmIds.entrySet()) {
                assertThat(storedIds.get(c.getKey())).as(how + ": " + c.getKey() + "'s id").isEqualTo(c.getValue());
            }
        }
    }
}
