package org.azuregahp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.azuregahp.it.LauncherTestSupport.SUB;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.azuregahp.ports.testing.GridmanagerReading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTCondor's bulk status poll, an unfiltered {@code AZURE_VM_LIST}, over a subscription holding 20,000
 * VMs (seeded through a {@code --fake-state} document): the result line is read exactly as the
 * gridmanager reads it (field count {@code 3 + 2·count}, names lower-cased, the state after the last
 * {@code /}), and every VM's state comes through. In full, such a list takes 1.26 MB; with bare states
 * 480 KB, one line within the 500,000 bytes a compact list may take (a full result line: 400,000).
 */
class VmListsPastTheLineLimitTest {
    static final String PREFIX = "GAHP:";
    /** HTCondor's gridmanager reads into a buffer of this many bytes (1024 * 500 in gahp-client.cpp). */
    static final int GRIDMANAGER_BUFFER = GridmanagerReading.BUFFER;

    @TempDir
    Path dir;

    /** 4,000 submits of 5 jobs each, cluster ids of 6 digits, every seventh VM deallocated. */
    static List<LargeState.Seeded> htcondorVms(int clusters, int procs) {
        List<LargeState.Seeded> vms = new ArrayList<>();
        for (int c = 0; c < clusters; c++) {
            for (int p = 0; p < procs; p++) {
                vms.add(new LargeState.Seeded("condorc" + (123_456 + c) + "p" + p, true,
                        vms.size() % 7 == 3 ? "deallocated" : "running"));
            }
        }
        return vms;
    }

    /** The gridmanager's reading of a VM list result line ({@link GridmanagerReading}): name → state. */
    static Map<String, String> gridmanagerReads(String line, String requestId) {
        GridmanagerReading.VmList read = GridmanagerReading.vmList(line, PREFIX);
        assertThat(read.requestId()).isEqualTo(requestId);
        return read.states();
    }

    /**
     * Handshakes as the gridmanager (async mode on), sends the bulk poll, waits for the {@code R} notice
     * (no polling) and reads the one result line: the raw line, prefix included.
     */
    static String listThrough(GahpProcess gahp) throws Exception {
        GahpSession s = new GahpSession(gahp);
        s.handshake();
        assertThat(s.command("AZURE_VM_LIST 7 NULL " + SUB)).containsExactly("S");
        // A liveness bound only (a stuck server fails the test instead of hanging it), not a timing.
        Duration stuck = Duration.ofMinutes(2);
        assertThat(gahp.nextLine(stuck)).isEqualTo(PREFIX + "R");
        assertThat(s.command("RESULTS")).containsExactly("S", "1");
        return gahp.nextLine(stuck);
    }

    static Map<String, String> expected(List<LargeState.Seeded> vms) {
        Map<String, String> m = new LinkedHashMap<>();
        vms.stream().filter(LargeState.Seeded::created).forEach(v -> m.put(v.group(), v.powerState()));
        return m;
    }

    /** Runs the launcher on the fake cloud seeded with {@code vms}; the list's raw result line and stderr. */
    String[] listAndStderr(List<LargeState.Seeded> vms) throws Exception {
        Path state = dir.resolve("fake.json");
        LargeState.write(state, vms);
        try (GahpProcess gahp = GahpProcess.start("--cloud", "fake", "--fake-state", state.toString())) {
            String line = listThrough(gahp);
            gahp.closeStdin();
            assertThat(gahp.waitFor(Duration.ofSeconds(30))).isTrue();
            return new String[] {line, gahp.stderr()};
        }
    }

    @Test
    void twentyThousandHtcondorVmsComeInOneLineUnderTheGridmanagersBufferWithBareStates() throws Exception {
        List<LargeState.Seeded> vms = htcondorVms(4_000, 5);
        String[] got = listAndStderr(vms);
        int bytes = got[0].getBytes(StandardCharsets.UTF_8).length;
        // 24 bytes a VM ("condorc123456p0 running "): past the 400,000 of a full result line, within the
        // 500,000 a compact list may take.
        assertThat(bytes).isGreaterThan(400_000).isLessThanOrEqualTo(500_000).isLessThan(GRIDMANAGER_BUFFER);
        Map<String, String> read = gridmanagerReads(got[0], "7");
        assertThat(read).hasSize(20_000).isEqualTo(expected(vms));
        assertThat(got[0]).startsWith(PREFIX + "7 NULL 20000 condorc123456p0 running ");
        assertThat(got[1]).as("nothing left out, nothing to warn about").doesNotContain("WARN");
        LauncherTestSupport.assertNoStackTraces(got[1]);
    }

    @Test
    void vmsThisServerDidNotCreateAreLeftOutOnlyAsTheLastResortAndTheLogSaysSo() throws Exception {
        // 20,000 of HTCondor's VMs and 4,000 made by other means (no name tag: named by their group).
        List<LargeState.Seeded> vms = new ArrayList<>(htcondorVms(4_000, 5));
        for (int i = 0; i < 4_000; i++) {
            vms.add(new LargeState.Seeded("batch-pool-" + i, false, "running"));
        }
        String[] got = listAndStderr(vms);
        assertThat(got[0].getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(500_000);
        Map<String, String> read = gridmanagerReads(got[0], "7");
        assertThat(read).hasSize(20_000).isEqualTo(expected(vms));
        assertThat(got[1]).as("a warning on stderr").contains("WARN").contains("leaves out 4000 of 24000 VMs")
                .contains("not created by this server");
        LauncherTestSupport.assertNoStackTraces(got[1]);
    }
}
