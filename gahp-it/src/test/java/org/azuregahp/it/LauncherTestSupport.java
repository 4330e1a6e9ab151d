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

    /**
     * The state a fake cloud started on {@code file} would load: the document with its journal folded
     * in (after a clean exit the document alone usually holds everything; after a kill, or when the
     * exit had no time to rewrite a large document, the journal holds the latest changes).
     */
    static JsonNode readState(Path file) throws IOException {
        return JSON.readTree(org.azuregahp.fake.FakeCloud.storedState(file));
    }

    /**
     * The VMs (name to vmId) a state file holds, read straight from its files as its documentation
     * describes them, without the fake cloud's own loader: the document (streamed, one resource group
     * at a time) and then every journal record after the document's {@code "journal"} mark
     * ({@code {"group": ...}} replaces a group, {@code {"removed": ...}} removes one; an unfinished
     * last line is ignored). Cheap enough for 100,000 VMs.
     */
    static Map<String, String> storedVms(Path file) throws IOException {
        Map<String, String> vms = new java.util.HashMap<>();
        int journal = Integer.MAX_VALUE;
        long offset = 0;
        try (com.fasterxml.jackson.core.JsonParser p = JSON.getFactory().createParser(file.toFile())) {
            assertThat(p.nextToken()).isEqualTo(com.fasterxml.jackson.core.JsonToken.START_OBJECT);
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("resourceGroups")) {
                    while (p.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                        putVms(vms, JSON.readTree(p));
                    }
                } else if (field.equals("journal")) {
                    JsonNode j = JSON.readTree(p);
                    journal = j.path("number").asInt();
                    offset = j.path("bytesIncluded").asLong();
                } else {
                    p.skipChildren();
                }
            }
        }
        java.util.TreeMap<Integer, Path> journals = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> files = Files.list(file.toAbsolutePath().getParent())) {
            String prefix = file.getFileName() + ".journal-";
            files.filter(f -> f.getFileName().toString().startsWith(prefix)).forEach(f -> journals.put(
                    Integer.parseInt(f.getFileName().toString().substring(prefix.length())), f));
        }
        for (Map.Entry<Integer, Path> j : journals.tailMap(journal, true).entrySet()) {
            byte[] bytes = Files.readAllBytes(j.getValue());
            int start = j.getKey() == journal ? (int) offset : 0;
            while (start < bytes.length) {
                int end = start;
                while (end < bytes.length && bytes[end] != '\n') {
                    end++;
                }
                if (end == bytes.length) {
                    break;
                }
                JsonNode record = JSON.readTree(bytes, start, end - start);
                if (record.has("group")) {
                    String name = record.get("group").path("name").asText();
                    vms.remove(name);
                    putVms(vms, record.get("group"));
                } else if (record.has("removed")) {
                    vms.remove(record.get("removed").path("name").asText());
                }
                start = end + 1;
            }
        }
        return vms;
    }

    private static void putVms(Map<String, String> vms, JsonNode group) {
        for (JsonNode r : group.path("resources")) {
            if (r.path("type").asText().equals(VM)) {
                vms.put(r.path("name").asText(), r.path("vmId").asText());
            }
        }
    }

    /** Every byte the state file keeps: the document and its journal files, as written (for secret checks). */
    static String stateText(Path file) throws IOException {
        StringBuilder b = new StringBuilder(Files.exists(file) ? Files.readString(file) : "");
        try (java.util.stream.Stream<Path> files = Files.list(file.toAbsolutePath().getParent())) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith(file.getFileName() + ".journal-"))
                    .toList()) {
                b.append('\n').append(Files.readString(p));
            }
        }
        return b.toString();
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
