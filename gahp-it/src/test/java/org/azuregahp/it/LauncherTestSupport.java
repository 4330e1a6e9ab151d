package org.azuregahp.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.azuregahp.domain.codec.GahpCodec;

/** Shared pieces of the robustness tests and benchmarks (request lines, state document, stderr checks). */
final class LauncherTestSupport {
    static final String SUB = "00000000-0000-0000-0000-000000000001";
    static final String SSH_KEY = "ssh-rsa\\ AAAAB3NzaC1yc2EAAAADAQABAAABAQCstubkey\\ alice@laptop";

    static final String VM = "Microsoft.Compute/virtualMachines";
    static final String VMSS = "Microsoft.Compute/virtualMachineScaleSets";
    static final String DISK = "Microsoft.Compute/disks";
    static final String NIC = "Microsoft.Network/networkInterfaces";
    static final String PIP = "Microsoft.Network/publicIPAddresses";
    static final String VNET = "Microsoft.Network/virtualNetworks";
    static final String NSG = "Microsoft.Network/networkSecurityGroups";
    static final String LB = "Microsoft.Network/loadBalancers";

    private static final ObjectMapper JSON = new ObjectMapper();

    private LauncherTestSupport() {
    }

    static String vmCreate(Object id, String name, String extra) {
        return "AZURE_VM_CREATE " + id + " NULL " + SUB + " name=" + name + " location=westeurope"
                + " image=Canonical:UbuntuServer:18.04-LTS:latest size=Standard_B1s adminUsername=azureuser key="
                + SSH_KEY + (extra.isEmpty() ? "" : " " + extra);
    }

    static String vmssCreate(Object id, String name, int nodes) {
        return "AZURE_VMSS_CREATE " + id + " NULL " + SUB + " name=" + name + " location=westeurope"
                + " image=linux-ubuntu-latest size=Standard_B1s adminUsername=azureuser key=" + SSH_KEY
                + " nodecount=" + nodes;
    }

    static byte[] crlf(List<String> lines) {
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            b.append(l).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Sends the lines in one write, and asserts each gets the return line {@code S}. */
    static void sendAllAccepted(GahpSession s, List<String> lines) throws Exception {
        s.process().sendRaw(crlf(lines));
        for (String l : lines) {
            assertThat(s.returnLine()).as("return line of %s", l).isEqualTo("S");
        }
    }

    /** Collects {@code n} results keyed by request id, asserting no id is answered twice. */
    static Map<String, List<String>> resultsById(GahpSession s, int n, java.time.Duration wait) throws Exception {
        Map<String, List<String>> byId = new LinkedHashMap<>();
        for (List<String> r : s.results(n, wait)) {
            assertThat(byId.put(r.get(0), r)).as("a second result for id %s", r.get(0)).isNull();
        }
        return byId;
    }

    /** The stderr of a run must hold no Java stack trace or uncaught exception. */
    static void assertNoStackTraces(String stderr) {
        assertThat(stderr).as("stderr").doesNotContainPattern("(?m)^\\s+at [\\w$.]+\\(")
                .doesNotContain("Exception in thread").doesNotContain("Caused by:");
    }

    static JsonNode readState(Path file) throws IOException {
        return JSON.readTree(Files.readAllBytes(file));
    }

    /** Resource groups of the test subscription in a state document: name to resource list. */
    static Map<String, List<JsonNode>> groups(JsonNode state) {
        Map<String, List<JsonNode>> out = new LinkedHashMap<>();
        for (JsonNode g : state.path("resourceGroups")) {
            assertThat(g.path("subscription").asText()).isEqualTo(SUB);
            List<JsonNode> rs = new ArrayList<>();
            g.path("resources").forEach(rs::add);
            out.put(g.path("name").asText(), rs);
        }
        return out;
    }

    /** How many resources of each type a group holds. */
    static Map<String, Integer> typeCounts(List<JsonNode> resources) {
        Map<String, Integer> m = new java.util.TreeMap<>();
        for (JsonNode r : resources) {
            m.merge(r.path("type").asText(), 1, Integer::sum);
        }
        return m;
    }

    static List<String> split(String line) {
        return GahpCodec.split(line);
    }
}
