package org.azuregahp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Requests naming the same VM or scale set take effect in the order they arrived, whatever each
 * takes in the cloud: a delete sent right behind a create waits for it and then deletes what it
 * made (HTCondor reads "could not be found" as "gone", so a delete that overtook its create would
 * leave a VM running that nobody tracks).
 */
class SameNameArrivalOrderTest {
    static final String SUB = LauncherTestSupport.SUB;
    static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aDeleteSentRightBehindItsCreateWaitsForItAndTheVmIsGoneAfterwards() throws Exception {
        try (GahpProcess gahp = GahpProcess.start("--cloud", "fake", "--fake-latency", "2s")) {
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            LauncherTestSupport.sendAllAccepted(s, List.of(
                    LauncherTestSupport.vmCreate(2, "racevm", ""),
                    "AZURE_VM_DELETE 3 NULL " + SUB + " racevm",
                    // an unrelated name is not held up behind them
                    "AZURE_PING 4 NULL " + SUB));
            Map<String, List<String>> byId = LauncherTestSupport.resultsById(s, 3, WAIT);
            assertThat(byId.get("2")).as("the create").hasSize(4).element(1).isEqualTo("NULL");
            assertThat(byId.get("3")).as("the delete").containsExactly("3", "NULL");
            assertThat(List.copyOf(byId.keySet())).as("results in completion order").containsExactly("4", "2", "3");

            assertThat(s.command("AZURE_VM_LIST 5 NULL " + SUB + " racevm")).containsExactly("S");
            assertThat(s.result(WAIT)).as("nothing named racevm is left").containsExactly("5", "NULL", "0");
        }
    }

    @Test
    void scaleSetCommandsOnOneNameRunOneAfterAnotherInArrivalOrder() throws Exception {
        try (GahpProcess gahp = GahpProcess.start("--cloud", "fake", "--fake-latency", "300ms")) {
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            LauncherTestSupport.sendAllAccepted(s, List.of(
                    LauncherTestSupport.vmssCreate(2, "racepool", 2),
                    "AZURE_VMSS_SCALE 3 NULL " + SUB + " name=racepool nodecount=3",
                    "AZURE_VMSS_STOP 4 NULL " + SUB + " racepool racepool",
                    "AZURE_VMSS_DELETE 5 NULL " + SUB + " racepool"));
            Map<String, List<String>> byId = LauncherTestSupport.resultsById(s, 4, WAIT);
            assertThat(byId.values()).as("every step succeeds").allSatisfy(r -> assertThat(r.get(1)).isEqualTo("NULL"));
            assertThat(List.copyOf(byId.keySet())).containsExactly("2", "3", "4", "5");

            assertThat(s.command("AZURE_VMSS_LIST 6 NULL " + SUB + " racepool")).containsExactly("S");
            assertThat(s.result(WAIT)).containsExactly("6", "NULL", "0");
        }
    }
}
