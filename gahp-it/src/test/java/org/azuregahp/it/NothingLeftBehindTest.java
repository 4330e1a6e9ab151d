package org.azuregahp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.azuregahp.it.LauncherTestSupport.DISK;
import static org.azuregahp.it.LauncherTestSupport.LB;
import static org.azuregahp.it.LauncherTestSupport.NIC;
import static org.azuregahp.it.LauncherTestSupport.NSG;
import static org.azuregahp.it.LauncherTestSupport.PIP;
import static org.azuregahp.it.LauncherTestSupport.SUB;
import static org.azuregahp.it.LauncherTestSupport.VM;
import static org.azuregahp.it.LauncherTestSupport.VMSS;
import static org.azuregahp.it.LauncherTestSupport.VNET;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Create/delete cycles of VMs and scale sets with half of all operations failing at a random step,
 * each cycle a new process on the same {@code --fake-state} file. After each process ends, the state
 * document holds exactly the VMs and scale sets whose create succeeded and whose delete has not,
 * each complete (no orphan NIC, IP, disk, network...); after everything is deleted, no resource
 * group remains.
 */
class NothingLeftBehindTest {
    static final int VMS_PER_CYCLE = 30;
    static final int SETS_PER_CYCLE = 10;

    @TempDir
    Path dir;

    /** What the test expects to exist: name to data-disk count (VMs) or -1 (scale sets). */
    private final Map<String, Integer> live = new TreeMap<>();
    private int nextId = 2;
    private int createsFailed;
    private int createsSucceeded;
    private int deletesFailed;

    @Test
    void failedCreatesAndDeletesLeaveNoOrphanedResources() throws Exception {
        Path state = dir.resolve("state.json");
        List<String> previous = List.of();
        long[] seeds = {21, 22, 23};
        for (int cycle = 0; cycle < seeds.length; cycle++) {
            String why = "cycle " + cycle + ", fake seed " + seeds[cycle];
            List<String> made = new ArrayList<>();
            Map<String, String> lines = new LinkedHashMap<>();
            for (int i = 0; i < VMS_PER_CYCLE; i++) {
                String name = "c" + cycle + "vm" + i;
                made.add(name);
                lines.put(name, LauncherTestSupport.vmCreate(nextId++, name, i % 2 == 0 ? "dataDisks=8,16" : ""));
            }
            for (int i = 0; i < SETS_PER_CYCLE; i++) {
                String name = "c" + cycle + "ss" + i;
                made.add(name);
                lines.put(name, LauncherTestSupport.vmssCreate(nextId++, name, 2));
            }
            for (String old : previous) {
                lines.put("delete " + old, delete(old, nextId++));
            }
            try (GahpProcess gahp = start(state, seeds[cycle])) {
                run(new GahpSession(gahp), lines, why);
                finish(gahp, why);
            }
            assertStateMatches(state, why);
            previous = made;
        }

        // Delete everything still there, retrying deletes that hit an injected fault.
        try (GahpProcess gahp = start(state, 99)) {
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            for (int round = 0; round < 40 && !live.isEmpty(); round++) {
                Map<String, String> lines = new LinkedHashMap<>();
                for (String name : List.copyOf(live.keySet())) {
                    lines.put("delete " + name, delete(name, nextId++));
                }
                exchange(s, lines, "final deletes, round " + round);
            }
            assertThat(live).as("deleted within 40 rounds").isEmpty();
            finish(gahp, "final deletes");
        }
        assertThat(LauncherTestSupport.groups(LauncherTestSupport.readState(state))).as("resource groups left").isEmpty();
        // The faults really struck both creates and deletes.
        assertThat(createsFailed).isGreaterThan(10);
        assertThat(createsSucceeded).isGreaterThan(10);
        assertThat(deletesFailed).isGreaterThan(5);
    }

    private GahpProcess start(Path state, long seed) throws Exception {
        return GahpProcess.start("--cloud", "fake", "--fake-state", state.toString(), "--fake-failure-rate", "0.5",
                "--fake-seed", String.valueOf(seed), "--fake-latency", "5ms");
    }

    private String delete(String name, int id) {
        String cmd = name.contains("ss") ? "AZURE_VMSS_DELETE " : "AZURE_VM_DELETE ";
        return cmd + id + " NULL " + SUB + " " + name;
    }

    private void run(GahpSession s, Map<String, String> lines, String why) throws Exception {
        s.handshake();
        exchange(s, lines, why);
    }

    /** Sends the lines (keyed by the VM or set name, or "delete NAME"), applies the results to {@link #live}. */
    private void exchange(GahpSession s, Map<String, String> lines, String why) throws Exception {
        Map<String, String> keyById = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : lines.entrySet()) {
            keyById.put(e.getValue().split(" ")[1], e.getKey());
        }
        Map<String, List<String>> results = LauncherTestSupport.resultsOfAll(s, List.copyOf(lines.values()),
                Duration.ofSeconds(60));
        assertThat(results.keySet()).as(why).containsExactlyInAnyOrderElementsOf(keyById.keySet());
        for (Map.Entry<String, List<String>> e : results.entrySet()) {
            String key = keyById.get(e.getKey());
            List<String> r = e.getValue();
            boolean ok = r.get(1).equals("NULL");
            if (key.startsWith("delete ")) {
                String name = key.substring(7);
                if (ok) {
                    assertThat(live).as("%s: %s deleted but never made", why, name).containsKey(name);
                    live.remove(name);
                } else if (r.get(1).contains("could not be found")) {
                    assertThat(live).as("%s: %s said missing: %s", why, name, r.get(1)).doesNotContainKey(name);
                } else {
                    deletesFailed++;
                }
            } else if (ok) {
                createsSucceeded++;
                live.put(key, key.contains("ss") ? -1 : (lines.get(key).contains("dataDisks") ? 2 : 0));
            } else {
                createsFailed++;
            }
        }
    }

    private static void finish(GahpProcess gahp, String why) throws Exception {
        gahp.closeStdin();
        assertThat(gahp.waitFor(Duration.ofSeconds(10))).as(why).isTrue();
        assertThat(gahp.exitValue()).as("%s exit status; stderr:%n%s", why, gahp.stderr()).isZero();
        LauncherTestSupport.assertNoStackTraces(gahp.stderr());
    }

    private void assertStateMatches(Path state, String why) throws Exception {
        Map<String, List<JsonNode>> groups = LauncherTestSupport.groups(LauncherTestSupport.readState(state));
        assertThat(groups.keySet()).as("%s: resource groups are exactly the live VMs and scale sets", why)
                .containsExactlyInAnyOrderElementsOf(live.keySet());
        for (Map.Entry<String, List<JsonNode>> g : groups.entrySet()) {
            int disks = live.get(g.getKey());
            Map<String, Integer> counts = LauncherTestSupport.typeCounts(g.getValue());
            String what = why + ": group " + g.getKey();
            if (disks < 0) {
                assertThat(counts).as(what).isEqualTo(Map.of(VMSS, 1, VNET, 1, NSG, 1, LB, 1, PIP, 1));
                JsonNode set = find(g.getValue(), VMSS);
                assertThat(set.path("provisioningState").asText()).as(what).isEqualTo("succeeded");
                assertThat(set.path("instances")).as(what).hasSize(set.path("capacity").asInt());
            } else {
                assertThat(counts).as(what).isEqualTo(Map.of(VM, 1, NIC, 1, PIP, 1, VNET, 1, NSG, 1, DISK, 1 + disks));
                JsonNode vm = find(g.getValue(), VM);
                assertThat(vm.path("provisioningState").asText()).as(what).isEqualTo("succeeded");
                assertThat(vm.path("powerState").asText()).as(what).isEqualTo("running");
                assertThat(find(g.getValue(), NIC).path("name").asText()).as(what)
                        .isEqualTo(vm.path("networkInterface").asText());
                assertThat(g.getValue()).as(what).anyMatch(r -> r.path("type").asText().equals(DISK)
                        && r.path("name").asText().equals(vm.path("osDisk").asText()));
            }
        }
    }

    private static JsonNode find(List<JsonNode> resources, String type) {
        return resources.stream().filter(r -> r.path("type").asText().equals(type)).findFirst().orElseThrow();
    }
}
