package org.azuregahp.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.azuregahp.azure.AzureWireMock.await;
import static org.azuregahp.azure.AzureWireMock.failure;

import com.azure.resourcemanager.network.fluent.models.SubnetInner;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.azuregahp.ports.AdminCredential;
import org.azuregahp.ports.CloudAccount;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.ImageRef;
import org.azuregahp.ports.MachineSpec;
import org.azuregahp.ports.NetworkRef;
import org.azuregahp.ports.PublicIpChoice;
import org.azuregahp.ports.ResourceRef;
import org.azuregahp.ports.ScaleSetSpec;
import org.azuregahp.ports.ScaleSetStatus;
import org.azuregahp.ports.VmStatus;
import org.azuregahp.ports.VmQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 on the ARM simulator, where the contract cannot look: what the adapter sends (Trusted
 * Launch, plan, single placement group, outbound access), how often it registers a provider, a
 * slow scale-set create held open, and the cause a translated failure keeps.
 */
class RealAzureRulesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = VirtualMachinesTest.KEY;
    private ArmSimulator simulator;
    private AzureWireMock azure;

    @BeforeEach
    void start() {
        simulator = new ArmSimulator(AzureWireMock.SUB, AzureWireMock.TENANT);
        azure = new AzureWireMock(AzureSettings.defaults(), Clock.systemUTC(), simulator);
    }

    @AfterEach
    void stop() {
        azure.close();
    }

    private CloudAccount account() {
        return azure.account();
    }

    static MachineSpec machine(String name, ImageRef image) {
        return new MachineSpec(name, "westeurope", "Standard_B1s", image, "azureuser",
                new AdminCredential.SshPublicKey(KEY), List.of(), null, null, null, Map.of(), null, null);
    }

    static MachineSpec ubuntu(String name) {
        return machine(name, new ImageRef.Marketplace("Canonical", "ubuntu-24_04-lts", "server", "latest"));
    }

    private JsonNode body(String method, String pathEnd) throws Exception {
        List<LoggedRequest> found = azure.armRequests().stream().filter(r -> r.getMethod().getName().equals(method)
                && r.getUrl().replaceAll("\\?.*", "").toLowerCase().endsWith(pathEnd.toLowerCase())).toList();
        assertThat(found).as(method + " ..." + pathEnd).isNotEmpty();
        return JSON.readTree(found.get(found.size() - 1).getBodyAsString());
    }

    // ---------------------------------------------------------------- 1: provider registration

    @Test
    void concurrentWritesMeetingOneUnregisteredProviderShareOneRegistration() throws Exception {
        simulator.unregister("Microsoft.Network", true);
        List<CompletionStage<?>> creates = List.of(account().virtualMachines().create(ubuntu("reg1")),
                account().virtualMachines().create(ubuntu("reg2")), account().virtualMachines().create(ubuntu("reg3")));
        for (CompletionStage<?> c : creates) {
            await(c);
        }
        assertThat(simulator.registerCalls()).isEqualTo(1);
        assertThat(simulator.registered("Microsoft.Network")).isTrue();
        // Polled until Registered, at the poll interval, before the write went again.
        assertThat(azure.armRequests().stream().filter(r -> r.getMethod().getName().equals("GET")
                && r.getUrl().matches("(?i)/subscriptions/[^/]+/providers/Microsoft\\.Network\\?.*"))).isNotEmpty();
        await(account().virtualMachines().create(ubuntu("reg4")));
        assertThat(simulator.registerCalls()).as("once per namespace and subscription per process").isEqualTo(1);
    }

    @Test
    void aPrincipalThatMayNotRegisterGetsTheCommandAnAdministratorRunsAndNoSecret() {
        simulator.unregister("Microsoft.Compute", false);
        CloudException e = failure(account().virtualMachines().create(ubuntu("noreg")));
        assertThat(e.code()).isEqualTo("MissingSubscriptionRegistration");
        assertThat(e.getMessage()).contains("may not register it")
                .contains("az provider register --namespace Microsoft.Compute --subscription " + AzureWireMock.SUB)
                .doesNotContain(AzureWireMock.CLIENT_ID);
        assertThat(e.getCause()).as("the original failure is kept as the cause").isNotNull();
        assertThat(simulator.paths()).noneMatch(p -> p.endsWith("/resourcegroups/noreg"));
    }

    // ---------------------------------------------------------------- 2 and 8: what the image needs

    @Test
    void aTrustedLaunchGalleryImageGetsSecureBootAndVtpmOnVmsAndScaleSets() throws Exception {
        String def = "/subscriptions/" + AzureWireMock.SUB + "/resourceGroups/img/providers/Microsoft.Compute/galleries/g/"
                + "images/tl";
        simulator.seedGalleryImage(def, "TrustedLaunch");
        ImageRef image = new ImageRef.ResourceId(def + "/versions/1.0.0");
        await(account().virtualMachines().create(machine("tlvm", image)));
        await(account().scaleSets().create(new ScaleSetSpec(machine("tlss", image), 2, null)));
        JsonNode vm = body("PUT", "/virtualMachines/tlvm").path("properties").path("securityProfile");
        JsonNode ss = body("PUT", "/virtualMachineScaleSets/tlss").path("properties").path("virtualMachineProfile")
                .path("securityProfile");
        for (JsonNode p : List.of(vm, ss)) {
            assertThat(p.path("securityType").asText()).isEqualTo("TrustedLaunch");
            assertThat(p.path("uefiSettings").path("secureBootEnabled").asBoolean()).isTrue();
            assertThat(p.path("uefiSettings").path("vTpmEnabled").asBoolean()).isTrue();
        }
    }

    @Test
    void aGen1MarketplaceImageGetsNoSecurityProfileAndAGen2OneSoldWithAPlanGetsBoth() throws Exception {
        simulator.seedMarketplaceImage("old", "gen1", "s", false, false, true);
        simulator.seedMarketplaceImage("contoso", "hpc", "pro", true, true, true);
        await(account().virtualMachines().create(machine("g1", new ImageRef.Marketplace("old", "gen1", "s", "latest"))));
        await(account().virtualMachines().create(machine("g2", new ImageRef.Marketplace("contoso", "hpc", "pro",
                "latest"))));
        assertThat(body("PUT", "/virtualMachines/g1").path("properties").has("securityProfile")).isFalse();
        assertThat(body("PUT", "/virtualMachines/g1").has("plan")).isFalse();
        JsonNode g2 = body("PUT", "/virtualMachines/g2");
        assertThat(g2.path("properties").path("securityProfile").path("securityType").asText()).isEqualTo("TrustedLaunch");
        assertThat(g2.path("plan").path("publisher").asText()).isEqualTo("contoso");
        assertThat(g2.path("plan").path("product").asText()).isEqualTo("hpc");
        assertThat(g2.path("plan").path("name").asText()).isEqualTo("pro");
    }

    @Test
    void anImageIsLookedUpOncePerProcess() throws Exception {
        simulator.seedMarketplaceImage("contoso", "hpc", "pro", true, false, true);
        ImageRef image = new ImageRef.Marketplace("contoso", "hpc", "pro", "latest");
        await(account().virtualMachines().create(machine("once1", image)));
        await(account().virtualMachines().create(machine("once2", image)));
        assertThat(azure.armRequests().stream().filter(r -> r.getUrl().toLowerCase().contains("/artifacttypes/vmimage/")))
                .hasSize(2); // the list for "latest", then that version; not again for the second VM
    }

    // ---------------------------------------------------------------- 5: slow scale-set creates, deletes

    @Test
    void aSlowScaleSetCreateIsReportedOnceAcceptedShowsItsProgressAndIsNeverTornDown() throws Exception {
        simulator.holdScaleSetCreates(true);
        await(account().scaleSets().create(new ScaleSetSpec(ubuntu("big"), 1000, null)));
        assertThat(simulator.heldScaleSetCreates()).isEqualTo(1);
        List<ScaleSetStatus> listed = await(account().scaleSets().list("big"));
        assertThat(listed).singleElement().satisfies(s -> {
            assertThat(s.capacity()).isEqualTo(1000);
            assertThat(s.statuses()).first().isEqualTo("ProvisioningState/creating");
        });
        assertThat(azure.armRequests()).noneMatch(r -> r.getMethod().getName().equals("DELETE"));
        assertThat(simulator.paths()).anyMatch(p -> p.endsWith("/resourcegroups/big"));

        simulator.finishScaleSetCreates();
        assertThat(await(account().scaleSets().list("big"))).singleElement()
                .satisfies(s -> assertThat(s.statuses()).first().isEqualTo("ProvisioningState/succeeded"));
    }

    // ---------------------------------------------------------------- 6: outbound access

    @Test
    void theSharedSubnetStatesItsDefaultOutboundAccess() throws Exception {
        await(account().virtualMachines().create(ubuntu("out1")));
        JsonNode subnet = body("PUT", "/virtualNetworks/" + Names.VNET).path("properties").path("subnets").get(0);
        assertThat(subnet.path("properties").path("defaultOutboundAccess").asBoolean(false)).isTrue();
    }

    @Test
    void aVmWithoutPublicIpOnAPrivateSubnetWithoutNatGatewayIsWarnedAbout() {
        MachineSpec noIp = new MachineSpec("priv1", "westeurope", "Standard_B1s",
                new ImageRef.Marketplace("Canonical", "ubuntu-24_04-lts", "server", "latest"), "azureuser",
                new AdminCredential.SshPublicKey(KEY), List.of(), new NetworkRef("hub", "net-rg", "jobs"),
                new PublicIpChoice.None(), null, Map.of(), null, null);
        SubnetInner privateSubnet = new SubnetInner().withName("jobs").withDefaultOutboundAccess(false);
        assertThat(AzureVirtualMachines.outboundWarning(privateSubnet, noIp)).get().asString()
                .contains("priv1").contains("jobs").contains("NAT gateway").contains("call home");
        assertThat(AzureVirtualMachines.outboundWarning(new SubnetInner().withName("jobs"), noIp))
                .as("an older subnet with default outbound access").isEmpty();
        assertThat(AzureVirtualMachines.outboundWarning(privateSubnet.withNatGateway(
                new com.azure.core.management.SubResource().withId("/nat")), noIp)).isEmpty();
        MachineSpec withIp = ubuntu("pub1");
        assertThat(AzureVirtualMachines.outboundWarning(new SubnetInner().withDefaultOutboundAccess(false), withIp))
                .isEmpty();
    }

    // ---------------------------------------------------------------- 10: single placement group

    @Test
    void scaleSetsAreMadeWithoutASinglePlacementGroupAndAnOldOneIsSwitchedOffPast100() throws Exception {
        await(account().scaleSets().create(new ScaleSetSpec(ubuntu("spg"), 2, null)));
        assertThat(body("PUT", "/virtualMachineScaleSets/spg").path("properties").path("singlePlacementGroup")
                .asBoolean(true)).isFalse();
        await(account().scaleSets().scale(ResourceRef.named("spg"), 150));
        assertThat(body("PATCH", "/virtualMachineScaleSets/spg").path("properties").has("singlePlacementGroup"))
                .as("already off: nothing to switch").isFalse();

        // A set made before, with a single placement group: Azure refuses more than 100 in it.
        await(account().scaleSets().scale(ResourceRef.named("spg"), 50));
        simulator.singlePlacementGroup("spg", "spg", true);
        await(account().scaleSets().scale(ResourceRef.named("spg"), 300));
        assertThat(body("PATCH", "/virtualMachineScaleSets/spg").path("properties").path("singlePlacementGroup")
                .asBoolean(true)).isFalse();
        assertThat(await(account().scaleSets().list("spg"))).singleElement()
                .extracting(ScaleSetStatus::capacity).isEqualTo(300);
    }

    // ---------------------------------------------------------------- 9: scheduled deletion's identity

    @Test
    void schedulingOnAnAutomationAccountWithoutASystemIdentityIsRefusedAndWithOneWorks() throws Exception {
        ArmSimulator sim = new ArmSimulator(AzureWireMock.SUB, AzureWireMock.TENANT);
        try (AzureWireMock withAutomation = new AzureWireMock(AzureSettings.defaults().withAutomation("auto1", "auto-rg"),
                Clock.systemUTC(), sim)) {
            sim.seedAutomationAccount("auto-rg", "auto1", false);
            org.azuregahp.ports.ScheduledDeletion deletion = new org.azuregahp.ports.ScheduledDeletion("pool9",
                    "westeurope", java.time.Instant.now().plus(java.time.Duration.ofDays(1)));
            CloudException e = failure(withAutomation.account().deletionSchedules().schedule(deletion));
            assertThat(e.getMessage()).contains("no system-assigned managed identity");
            sim.seedAutomationAccount("auto-rg", "auto1", true);
            await(withAutomation.account().deletionSchedules().schedule(deletion));
            assertThat(sim.paths()).anyMatch(p -> p.endsWith("/schedules/azure-gahp-delete-pool9"));
        }
    }

    // ---------------------------------------------------------------- 4: Key Vault API version

    @Test
    void vaultCallsUseApiVersion20260201() throws Exception {
        simulator.seedSecret("kv9", "kv9", "s");
        await(account().secretVaults().checkSecret(new org.azuregahp.ports.VaultSecretRef("kv9", "kv9", "s")));
        await(account().secretVaults().createVault(new org.azuregahp.ports.VaultSpec("kv10", "westeurope", "standard",
                List.of("0b1f0c3e-aaaa-bbbb-cccc-0000000000aa"))));
        assertThat(azure.armRequests().stream().filter(r -> r.getUrl().toLowerCase().contains("/microsoft.keyvault/")))
                .isNotEmpty().allMatch(r -> r.getUrl().contains("api-version=" + KeyVaultsRest.API));
        assertThat(KeyVaultsRest.API).isGreaterThanOrEqualTo("2026-02-01");
    }

    @Test
    void aListAfterTheCreatesFindsTheVmsByTheSharedNameTag() throws Exception {
        await(account().virtualMachines().create(ubuntu("tagged1")));
        assertThat(await(account().virtualMachines().list(new VmQuery.ByTag("azure-gahp-name", "tagged1"))))
                .extracting(VmStatus::name).containsExactly("tagged1");
    }
}
