package org.azuregahp.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.azuregahp.azure.AzureWireMock.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.azuregahp.ports.CloudAccount;
import org.azuregahp.ports.ImageRef;
import org.azuregahp.ports.ResourceRef;
import org.azuregahp.ports.ScaleSetSpec;
import org.azuregahp.ports.ScheduledDeletion;
import org.azuregahp.ports.VaultSecretRef;
import org.azuregahp.ports.VaultSpec;
import org.azuregahp.ports.VmQuery;
import org.junit.jupiter.api.Test;

/**
 * The API version of each resource type, read from what the adapter sends while it does every
 * command against the ARM simulator: the table in the adapter's README is this test's expectation,
 * so a dependency upgrade that changes a version fails here until the README says so.
 */
class ApiVersionsSentTest {
    private static final Pattern VERSION = Pattern.compile("[?&]api-version=([0-9a-z.-]+)");

    /** The resource type a request is about (the type after its last {@code /providers/}, or a name for the others). */
    static String typeOf(String url) {
        String p = url.replaceAll("\\?.*", "");
        String l = p.toLowerCase();
        if (l.contains("/artifacttypes/vmimage/")) {
            return "Microsoft.Compute/locations/publishers/artifacttypes/vmimage (marketplace images)";
        }
        if (l.matches("/subscriptions/[^/]+")) {
            return "Microsoft.Resources/subscriptions";
        }
        if (l.matches("/subscriptions/[^/]+/resourcegroups(/[^/]+)?")) {
            return "Microsoft.Resources/resourceGroups";
        }
        if (l.matches("/subscriptions/[^/]+/providers/[^/]+(/register)?")) {
            return "Microsoft.Resources/providers (registration)";
        }
        int at = l.lastIndexOf("/providers/");
        String[] s = p.substring(at + "/providers/".length()).split("/");
        if (s[0].equalsIgnoreCase("Microsoft.Compute") && s.length > 3 && s[1].equalsIgnoreCase("galleries")) {
            return "Microsoft.Compute/galleries/images";
        }
        if (s[0].equalsIgnoreCase("Microsoft.KeyVault") && s.length > 3 && s[1].equalsIgnoreCase("locations")) {
            return "Microsoft.KeyVault/deletedVaults";
        }
        if (s[0].equalsIgnoreCase("Microsoft.Automation")) {
            return "Microsoft.Automation/automationAccounts (and its runbooks, schedules, jobSchedules)";
        }
        return s[0] + "/" + s[1];
    }

    @Test
    void everyResourceTypeIsSentTheVersionTheReadmeSays() throws Exception {
        ArmSimulator simulator = new ArmSimulator(AzureWireMock.SUB, AzureWireMock.TENANT);
        try (AzureWireMock azure = new AzureWireMock(AzureSettings.defaults().withAutomation("gahp-auto", "automation-rg"),
                Clock.systemUTC(), simulator)) {
            simulator.seedAutomationAccount("automation-rg", "gahp-auto");
            simulator.seedSecret("kv1", "secrets-rg", "pool-secret", true);
            String def = "/subscriptions/" + AzureWireMock.SUB + "/resourceGroups/img/providers/Microsoft.Compute/"
                    + "galleries/g/images/tl";
            simulator.seedGalleryImage(def, "TrustedLaunch");
            simulator.seedMarketplaceImage("Canonical", "ubuntu-24_04-lts", "server", true, false, true);
            simulator.unregister("Microsoft.Compute", true);
            CloudAccount a = azure.account();

            await(a.ping());
            await(a.virtualMachines().create(RealAzureRulesTest.ubuntu("v1")));
            await(a.virtualMachines().create(RealAzureRulesTest.machine("v2", new ImageRef.ResourceId(def))));
            await(a.virtualMachines().list(VmQuery.all()));
            await(a.virtualMachines().delete(ResourceRef.named("v2")));
            await(a.scaleSets().create(new ScaleSetSpec(RealAzureRulesTest.ubuntu("s1"), 2,
                    new VaultSecretRef("kv1", "secrets-rg", "pool-secret"))));
            await(a.scaleSets().scale(ResourceRef.named("s1"), 3));
            await(a.scaleSets().stop(ResourceRef.named("s1")));
            await(a.scaleSets().list(null));
            await(a.deletionSchedules().schedule(new ScheduledDeletion("s1", "westeurope",
                    Instant.now().plus(Duration.ofDays(1)))));
            await(a.scaleSets().delete(ResourceRef.named("s1")));
            await(a.secretVaults().createVault(new VaultSpec("kv2", "westeurope", "standard",
                    List.of("0b1f0c3e-aaaa-bbbb-cccc-0000000000aa"))));

            Map<String, TreeSet<String>> sent = new TreeMap<>();
            azure.armRequests().forEach(r -> {
                Matcher m = VERSION.matcher(r.getUrl());
                String version = m.find() ? m.group(1) : "(none)";
                if (!r.getUrl().startsWith("/secrets/")) {
                    sent.computeIfAbsent(typeOf(r.getUrl()), k -> new TreeSet<>()).add(version);
                }
            });
            StringBuilder table = new StringBuilder();
            sent.forEach((type, versions) -> table.append("| `").append(type).append("` | ")
                    .append(String.join(", ", versions)).append(" |\n"));
            System.out.println(table);
            assertThat(sent).isEqualTo(EXPECTED);
            assertThat(azure.armRequests().stream().filter(r -> r.getUrl().startsWith("/secrets/"))
                    .map(r -> {
                        Matcher m = VERSION.matcher(r.getUrl());
                        return m.find() ? m.group(1) : "(none)";
                    }).distinct()).as("Key Vault data plane (secrets)").containsExactly("7.6");
        }
    }

    /** The README's table, "API versions sent". */
    static final Map<String, TreeSet<String>> EXPECTED = new TreeMap<>();

    static {
        for (String[] row : new String[][] {
                {"Microsoft.Authorization/roleAssignments", "2022-04-01"},
                {"Microsoft.Automation/automationAccounts (and its runbooks, schedules, jobSchedules)", "2023-11-01"},
                {"Microsoft.Compute/galleries/images", ImageProfiles.GALLERY_API},
                {"Microsoft.Compute/locations/publishers/artifacttypes/vmimage (marketplace images)", "2025-04-01"},
                {"Microsoft.Compute/virtualMachineScaleSets", "2025-04-01"},
                {"Microsoft.Compute/virtualMachines", "2025-04-01"},
                {"Microsoft.KeyVault/deletedVaults", KeyVaultsRest.API},
                {"Microsoft.KeyVault/vaults", KeyVaultsRest.API},
                {"Microsoft.ManagedIdentity/userAssignedIdentities", "2024-11-30"},
                {"Microsoft.Network/networkInterfaces", "2025-03-01"},
                {"Microsoft.Network/networkSecurityGroups", "2025-03-01"},
                {"Microsoft.Network/publicIPAddresses", "2025-03-01"},
                {"Microsoft.Network/virtualNetworks", "2025-03-01"},
                {"Microsoft.Resources/providers (registration)", ProviderRegistrations.API},
                {"Microsoft.Resources/resourceGroups", "2025-04-01"}}) {
            EXPECTED.put(row[0], new TreeSet<>(List.of(row[1])));
        }
    }
}
