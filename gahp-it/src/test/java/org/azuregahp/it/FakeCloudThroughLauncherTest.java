package org.azuregahp.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fake cloud through the real launcher: a seed repeats a batch of
 * concurrent requests, SIGTERM mid-create leaves no half-made group in the state file, and a VM
 * joining another's network gets a security group and keeps that network from being deleted.
 */
class FakeCloudThroughLauncherTest {
    static final String SUB = "00000000-0000-0000-0000-0000000000b2";
    static final String H = " NULL " + SUB;
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    static List<String> run(GahpSession s, String line) throws Exception {
        assertThat(s.command(line)).as(line).containsExactly("S");
        return s.result(WAIT);
    }

    static JsonNode groups(Path state) throws Exception {
        JsonNode doc = LauncherTestSupport.readState(state);
        com.fasterxml.jackson.databind.node.ArrayNode out = new ObjectMapper().createArrayNode();
        for (JsonNode g : doc.path("resourceGroups")) {
            if (g.path("subscription").asText().equals(SUB)) {
                out.add(g);
            }
        }
        return out;
    }

    /** 30 creates, then deletes and a list, each batch written in one go; the result lines sorted by id. */
    static List<String> batch(String seed) throws Exception {
        try (GahpProcess gahp = GahpProcess.start("--cloud", "fake", "--fake-failure-rate", "0.3", "--fake-seed",
                seed, "--fake-latency", "50ms")) {
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            StringBuilder creates = new StringBuilder();
            for (int i = 0; i < 30; i++) {
                creates.append("AZURE_VM_CREATE ").append(100 + i).append(H).append(" name=condorc").append(i)
                        .append("p0 location=westeurope image=linux-ubuntu-latest size=Standard_B1s\n");
            }
            gahp.sendRaw(creates.toString().getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 30; i++) {
                assertThat(s.returnLine()).isEqualTo("S");
            }
            List<List<String>> results = new ArrayList<>(s.results(30, WAIT));
            StringBuilder deletes = new StringBuilder();
            for (int i = 0; i < 30; i += 2) {
                deletes.append("AZURE_VM_DELETE ").append(200 + i).append(H).append(" condorc").append(i).append("p0\n");
            }
            gahp.sendRaw(deletes.toString().getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 15; i++) {
                assertThat(s.returnLine()).isEqualTo("S");
            }
            results.addAll(s.results(15, WAIT));
            // After the deletes have answered (a list running beside them would see them half done).
            results.add(run(s, "AZURE_VM_LIST 300" + H));
            results.sort(Comparator.comparingInt(r -> Integer.parseInt(r.get(0))));
            List<String> out = new ArrayList<>();
            for (List<String> r : results) {
                // Which of two creates that drew the same free address gets it depends on which comes
                // first, so a created VM's address is shown by its form only; everything else (faults,
                // vmIds, lists) must repeat exactly.
                if (r.size() == 4 && r.get(1).equals("NULL")) {
                    assertThat(r.get(3)).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
                    r = List.of(r.get(0), r.get(1), r.get(2), "<address>");
                }
                out.add(String.join(" ", r));
            }
            return out;
        }
    }

    @Test
    void theSameSeedRepeatsEveryResultOfABatchOfConcurrentRequests() throws Exception {
        List<String> first = batch("42");
        assertThat(first).hasSize(46);
        assertThat(first).anyMatch(r -> r.split(" ")[1].equals("NULL")).anyMatch(r -> !r.split(" ")[1].equals("NULL"));
        assertThat(batch("42")).isEqualTo(first);
        assertThat(batch("43")).isNotEqualTo(first);
    }

    @Test
    void sigtermMidCreateLeavesNoHalfMadeGroupAndARestartedServerCanDeleteTheVm() throws Exception {
        Path state = tmp.resolve("state.json");
        try (GahpProcess gahp = GahpProcess.start("--cloud", "fake", "--fake-state", state.toString(),
                "--fake-latency", "60s")) {
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            assertThat(s.command("AZURE_VM_CREATE 2" + H + " name=condorc7p0 location=westeurope"
                    + " image=linux-ubuntu-latest size=Standard_B1s")).containsExactly("S");
            // Until the create reaches the fake cloud (the periodic write shows its VM "creating").
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!(Files.exists(state) && Files.readString(state).contains("\"creating\""))) {
                assertThat(System.nanoTime()).as("the create shows in the state file").isLessThan(deadline);
                Thread.sleep(20);
            }
            gahp.process().destroy(); // SIGTERM, as the gridmanager stops us
            assertThat(gahp.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        JsonNode groups = groups(state);
        assertThat(groups).hasSize(1);
        List<String> made = new ArrayList<>();
        String vmState = null;
        for (JsonNode r : groups.get(0).path("resources")) {
            made.add(r.path("type").asText());
            if (r.path("type").asText().equals("Microsoft.Compute/virtualMachines")) {
                vmState = r.path("provisioningState").asText() + "/" + r.path("powerState").asText();
            }
        }
        assertThat(made).contains("Microsoft.Compute/virtualMachines", "Microsoft.Network/networkInterfaces");
        assertThat(vmState).isEqualTo("succeeded/running");
        try (GahpProcess gahp = GahpProcess.start("--cloud", "fake", "--fake-state", state.toString())) {
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            assertThat(run(s, "AZURE_VM_LIST 3" + H)).containsExactly("3", "NULL", "1", "condorc7p0",
                    "ProvisioningState/succeeded,PowerState/running");
            assertThat(run(s, "AZURE_VM_DELETE 4" + H + " condorc7p0")).containsExactly("4", "NULL");
        }
        assertThat(groups(state)).isEmpty();
    }

    @Test
    void aVmJoiningAnotherVmsNetworkGetsASecurityGroupAndTheNetworkCannotGoFirst() throws Exception {
        Path state = tmp.resolve("state.json");
        try (GahpProcess gahp = GahpProcess.start("--cloud", "fake", "--fake-state", state.toString())) {
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            assertThat(run(s, "AZURE_VM_CREATE 2" + H + " name=hub location=westeurope image=linux-ubuntu-latest"
                    + " size=Standard_B1s publicIPAddress=none")).hasSize(4);
            List<String> spoke = run(s, "AZURE_VM_CREATE 3" + H + " name=spoke location=westeurope"
                    + " image=linux-ubuntu-latest size=Standard_B1s vnetName=hub-vnet vnetRGName=hub subnetName=default");
            assertThat(spoke).hasSize(4);
            assertThat(spoke.get(3)).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");

            List<String> refused = run(s, "AZURE_VM_DELETE 4" + H + " hub");
            assertThat(refused).hasSize(2);
            assertThat(refused.get(1)).startsWith("InUseSubnetCannotBeDeleted:").doesNotContain("could not be found");
            assertThat(run(s, "AZURE_VM_LIST 5" + H)).containsExactly("5", "NULL", "2",
                    "hub", "ProvisioningState/succeeded,PowerState/running",
                    "spoke", "ProvisioningState/succeeded,PowerState/running");

            assertThat(run(s, "AZURE_VM_DELETE 6" + H + " spoke")).containsExactly("6", "NULL");
            assertThat(run(s, "AZURE_VM_DELETE 7" + H + " hub")).containsExactly("7", "NULL");
            s.process().closeStdin();
            assertThat(s.process().waitFor(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(groups(state)).isEmpty();
    }

    @Test
    void aJoinedVmsNicHasASecurityGroupInTheStateDocument() throws Exception {
        Path state = tmp.resolve("state.json");
        try (GahpProcess gahp = GahpProcess.start("--cloud", "fake", "--fake-state", state.toString())) {
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            run(s, "AZURE_VM_CREATE 2" + H + " name=hub location=westeurope image=linux-ubuntu-latest size=Standard_B1s");
            run(s, "AZURE_VM_CREATE 3" + H + " name=spoke location=westeurope image=linux-ubuntu-latest"
                    + " size=Standard_B1s vnetName=hub-vnet vnetRGName=hub");
            s.process().closeStdin();
            assertThat(s.process().waitFor(Duration.ofSeconds(10))).isTrue();
        }
        for (JsonNode g : groups(state)) {
            if (!g.path("name").asText().equals("spoke")) {
                continue;
            }
            String nsg = null;
            String nicNsg = null;
            for (JsonNode r : g.path("resources")) {
                if (r.path("type").asText().equals("Microsoft.Network/networkSecurityGroups")) {
                    nsg = r.path("name").asText();
                }
                if (r.path("type").asText().equals("Microsoft.Network/networkInterfaces")) {
                    nicNsg = r.path("networkSecurityGroup").asText();
                    assertThat(r.path("publicIpAddress").asText()).isNotEmpty();
                }
            }
            assertThat(nsg).isNotNull();
            assertThat(nicNsg).endsWith("/networkSecurityGroups/" + nsg);
            return;
        }
        throw new AssertionError("no group spoke in the state document");
    }
}
