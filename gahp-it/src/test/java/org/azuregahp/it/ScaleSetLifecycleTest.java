package org.azuregahp.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scale sets, vault secrets and scheduled deletion through the real launcher on the fake cloud. */
class ScaleSetLifecycleTest {
    static final String SUB = "00000000-0000-0000-0000-000000000001";
    static final String H = " NULL " + SUB;
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String SECRET_VALUE = "canary-vault-secret-7Hq2";

    @TempDir
    Path tmp;

    /**
     * A state file holding a vault {@code condorvault} (resource group {@code vaults}) with one secret,
     * written in the document's version-1 layout (groups under their subscription), which still loads.
     */
    Path seededState() throws Exception {
        Path state = tmp.resolve("state.json");
        Files.writeString(state, """
                {"version": 1, "subscriptions": [{"id": "%s", "resourceGroups": [
                  {"name": "vaults", "location": "westeurope", "tags": {}, "resources": [
                    {"type": "Microsoft.KeyVault/vaults", "name": "condorvault", "location": "westeurope",
                     "sku": "standard", "secrets": [{"name": "pool-token", "value": "%s"}]}]}]}],
                 "deletionSchedules": []}
                """.formatted(SUB, SECRET_VALUE));
        return state;
    }

    static List<String> groupNames(Path state) throws Exception {
        JsonNode doc = LauncherTestSupport.readState(state);
        List<String> names = new ArrayList<>();
        for (JsonNode g : doc.path("resourceGroups")) {
            names.add(g.path("name").asText());
        }
        return names;
    }

    static List<String> run(GahpSession s, String line) throws Exception {
        assertThat(s.command(line)).as(line).containsExactly("S");
        return s.result(WAIT);
    }

    @Test
    void aScaleSetWithAVaultSecretScalesStopsStartsRestartsAndIsDeletedLeavingNothing() throws Exception {
        Path state = seededState();
        try (GahpProcess gahp = GahpProcess.start("--cloud", "fake", "--fake-state", state.toString())) {
            GahpSession s = new GahpSession(gahp);
            assertThat(s.handshake()).contains("AZURE_VMSS_CREATE", "AZURE_VMSS_DELETE", "AZURE_VMSS_START",
                    "AZURE_VMSS_STOP", "AZURE_VMSS_RESTART", "AZURE_VMSS_SCALE", "AZURE_VMSS_LIST",
                    "AZURE_KEYVAULT_CREATE");

            assertThat(run(s, "AZURE_VMSS_CREATE 2" + H + " name=pool1 location=westeurope size=Standard_B1s"
                    + " image=linux-ubuntu-latest nodecount=3 adminUsername=azureuser"
                    + " key=ssh-rsa\\ AAAAB3NzaC1yc2EAAAADAQABAAABAQCstubkey\\ alice@laptop"
                    + " keyvaultname=condorvault keyvaultrg=vaults vaultkey=pool-token")).containsExactly("2", "NULL");

            List<String> listed = run(s, "AZURE_VMSS_LIST 3" + H);
            assertThat(listed).hasSize(6);
            assertThat(listed.subList(0, 5)).containsExactly("3", "NULL", "1", "pool1", "3");
            assertThat(listed.get(5)).endsWith("PowerState/running");

            assertThat(run(s, "AZURE_VMSS_SCALE 4" + H + " name=pool1 nodecount=0")).containsExactly("4", "NULL");
            assertThat(run(s, "AZURE_VMSS_LIST 5" + H + " pool1").subList(0, 5))
                    .containsExactly("5", "NULL", "1", "pool1", "0");
            // the earlier server's positional form
            assertThat(run(s, "AZURE_VMSS_SCALE 6" + H + " pool1 pool1 2")).containsExactly("6", "NULL");
            assertThat(run(s, "AZURE_VMSS_LIST 7" + H + " pool1").subList(0, 5))
                    .containsExactly("7", "NULL", "1", "pool1", "2");

            assertThat(run(s, "AZURE_VMSS_STOP 8" + H + " pool1")).containsExactly("8", "NULL");
            assertThat(run(s, "AZURE_VMSS_LIST 9" + H + " pool1").get(5)).endsWith("PowerState/deallocated");
            assertThat(run(s, "AZURE_VMSS_START 10" + H + " pool1 pool1")).containsExactly("10", "NULL");
            assertThat(run(s, "AZURE_VMSS_LIST 11" + H + " pool1").get(5)).endsWith("PowerState/running");
            assertThat(run(s, "AZURE_VMSS_RESTART 12" + H + " pool1")).containsExactly("12", "NULL");

            GridmanagerSessionTest.awaitState(state, t -> t.contains("\"pool1\""));
            assertThat(run(s, "AZURE_VMSS_DELETE 13" + H + " pool1")).containsExactly("13", "NULL");
            assertThat(run(s, "AZURE_VMSS_LIST 14" + H)).containsExactly("14", "NULL", "0");
            List<String> again = run(s, "AZURE_VMSS_DELETE 15" + H + " pool1");
            assertThat(again).hasSize(2);
            assertThat(again.get(1)).contains("could not be found");

            gahp.closeStdin();
            assertThat(gahp.waitFor(Duration.ofSeconds(5))).isTrue();
            assertThat(gahp.exitValue()).isZero();
            assertThat(groupNames(state)).containsExactly("vaults");
            String all = String.join("\n", gahp.allStdout()) + gahp.stderr() + LauncherTestSupport.stateText(state);
            assertThat(all).doesNotContain(SECRET_VALUE);
        }
    }

    @Test
    void aMissingVaultOrSecretFailsBeforeAnythingIsCreated() throws Exception {
        Path state = seededState();
        try (GahpProcess gahp = GahpProcess.start("--cloud", "fake", "--fake-state", state.toString())) {
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            List<String> noVault = run(s, "AZURE_VMSS_CREATE 2" + H + " name=pool2 location=westeurope"
                    + " size=Standard_B1s image=linux-ubuntu-latest keyvaultname=novault keyvaultrg=vaults"
                    + " vaultkey=pool-token");
            assertThat(noVault).hasSize(2);
            assertThat(noVault.get(1)).contains("novault");
            List<String> noSecret = run(s, "AZURE_VMSS_CREATE 3" + H + " name=pool2 location=westeurope"
                    + " size=Standard_B1s image=linux-ubuntu-latest keyvaultname=condorvault keyvaultrg=vaults"
                    + " vaultkey=nosuchsecret");
            assertThat(noSecret).hasSize(2);
            assertThat(noSecret.get(1)).contains("nosuchsecret");
            List<String> partial = run(s, "AZURE_VMSS_CREATE 4" + H + " name=pool2 location=westeurope"
                    + " size=Standard_B1s image=linux-ubuntu-latest keyvaultname=condorvault");
            assertThat(partial).hasSize(2);
            assertThat(partial.get(1)).isNotEqualTo("NULL");
            gahp.closeStdin();
            assertThat(gahp.waitFor(Duration.ofSeconds(5))).isTrue();
            assertThat(groupNames(state)).containsExactly("vaults");
        }
    }

    @Test
    void badCountsSchedulesAndUnknownSetsAreErrorResults() throws Exception {
        try (GahpProcess gahp = GahpProcess.start("--cloud", "fake")) {
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            String base = " name=pool3 location=westeurope size=Standard_B1s image=linux-ubuntu-latest";
            assertThat(run(s, "AZURE_VMSS_CREATE 2" + H + base + " nodecount=1001").get(1)).isNotEqualTo("NULL");
            assertThat(run(s, "AZURE_VMSS_CREATE 3" + H + base + " nodecount=many").get(1)).isNotEqualTo("NULL");
            assertThat(run(s, "AZURE_VMSS_CREATE 4" + H + base + " deletionjob schedule=200001010000").get(1))
                    .isNotEqualTo("NULL");
            assertThat(run(s, "AZURE_VMSS_CREATE 5" + H + base + " deletionjob schedule=2026-12-01").get(1))
                    .isNotEqualTo("NULL");
            assertThat(run(s, "AZURE_VMSS_SCALE 6" + H + " name=nosuch nodecount=2").get(1))
                    .contains("could not be found");
            assertThat(run(s, "AZURE_VMSS_START 7" + H + " nosuch").get(1)).contains("could not be found");
            assertThat(run(s, "AZURE_VMSS_LIST 8" + H)).containsExactly("8", "NULL", "0");
        }
    }

    @Test
    void aScheduledDeletionIsRecordedAndRemovedWithTheScaleSet() throws Exception {
        Path state = tmp.resolve("sched.json");
        String when = ZonedDateTime.now(ZoneOffset.UTC).plusDays(2).format(DateTimeFormatter.ofPattern("yyyyMMddHHmm"));
        try (GahpProcess gahp = GahpProcess.start("--cloud", "fake", "--fake-state", state.toString())) {
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            assertThat(run(s, "AZURE_VMSS_CREATE 2" + H + " name=pool4 location=westeurope size=Standard_B1s"
                    + " image=linux-ubuntu-latest nodecount=2 deletionjob schedule=" + when))
                    .containsExactly("2", "NULL");
            JsonNode doc = new ObjectMapper().readTree(
                    GridmanagerSessionTest.awaitState(state, t -> t.contains("pool4") && t.contains("deletionSchedules")));
            assertThat(doc.path("deletionSchedules").toString()).contains("pool4");
            assertThat(run(s, "AZURE_VMSS_DELETE 3" + H + " pool4")).containsExactly("3", "NULL");
            gahp.closeStdin();
            assertThat(gahp.waitFor(Duration.ofSeconds(5))).isTrue();
            doc = LauncherTestSupport.readState(state);
            assertThat(doc.path("deletionSchedules").toString()).doesNotContain("pool4");
            assertThat(groupNames(state)).isEmpty();
        }
    }

    @Test
    void aScheduledDeletionFiresAtItsTime() throws Exception {
        Path state = tmp.resolve("fire.json");
        // The fake clock runs 60x: every real second is a fake minute.
        String when = ZonedDateTime.now(ZoneOffset.UTC).plusMinutes(3).format(DateTimeFormatter.ofPattern("yyyyMMddHHmm"));
        try (GahpProcess gahp = GahpProcess.start("--cloud", "fake", "--fake-state", state.toString(),
                "--fake-time-scale", "60")) {
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            assertThat(run(s, "AZURE_VMSS_CREATE 2" + H + " name=pool5 location=westeurope size=Standard_B1s"
                    + " image=linux-ubuntu-latest nodecount=2 deletionjob=true schedule=" + when))
                    .containsExactly("2", "NULL");
            assertThat(run(s, "AZURE_VMSS_LIST 3" + H).subList(0, 4)).containsExactly("3", "NULL", "1", "pool5");
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            List<String> listed;
            int id = 4;
            do {
                Thread.sleep(250);
                listed = run(s, "AZURE_VMSS_LIST " + id++ + H);
            } while (!listed.get(2).equals("0") && System.nanoTime() < deadline);
            assertThat(listed.subList(1, 3)).as("the scale set is gone once its time came").containsExactly("NULL", "0");
            gahp.closeStdin();
            assertThat(gahp.waitFor(Duration.ofSeconds(5))).isTrue();
            assertThat(groupNames(state)).isEmpty();
            assertThat(LauncherTestSupport.readState(state).path("deletionSchedules").size()).isZero();
        }
    }
}
