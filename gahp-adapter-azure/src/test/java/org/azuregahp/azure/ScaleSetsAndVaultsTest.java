package org.azuregahp.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.azuregahp.azure.AzureWireMock.SUB;
import static org.azuregahp.azure.AzureWireMock.await;
import static org.azuregahp.azure.AzureWireMock.error;
import static org.azuregahp.azure.AzureWireMock.failure;
import static org.azuregahp.azure.AzureWireMock.json;
import static org.azuregahp.azure.AzureWireMock.path;
import static org.azuregahp.azure.AzureWireMock.providerPath;
import static org.azuregahp.azure.AzureWireMock.rgPath;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.List;
import java.util.Map;
import org.azuregahp.ports.AdminCredential;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.ImageRef;
import org.azuregahp.ports.MachineSpec;
import org.azuregahp.ports.ResourceRef;
import org.azuregahp.ports.ScaleSetSpec;
import org.azuregahp.ports.ScaleSetStatus;
import org.azuregahp.ports.VaultSecretRef;
import org.azuregahp.ports.VaultSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ScaleSetsAndVaultsTest {
    static final String VAULT_TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private AzureWireMock azure;

    @BeforeEach
    void start() {
        azure = new AzureWireMock();
    }

    @AfterEach
    void stop() {
        azure.close();
    }

    static MachineSpec machine(String name) {
        return new MachineSpec(name, "westeurope", "Standard_B1s",
                new ImageRef.Marketplace("Canonical", "ubuntu-24_04-lts", "server", "latest"), "azureuser",
                new AdminCredential.SshPublicKey(VirtualMachinesTest.KEY), List.of(), null, null, null, Map.of(), null,
                null);
    }

    static String vmss(String group, String name, int capacity, String tagName) {
        return "{\"name\":\"" + name + "\",\"id\":\"" + providerPath(group, "Microsoft.Compute", "virtualMachineScaleSets", name)
                + "\",\"location\":\"westeurope\",\"sku\":{\"name\":\"Standard_B1s\",\"tier\":\"Standard\",\"capacity\":"
                + capacity + "}," + (tagName == null ? "" : "\"tags\":{\"azure-gahp\":\"vmss\",\"azure-gahp-name\":\""
                + tagName + "\"},") + "\"properties\":{\"provisioningState\":\"Succeeded\",\"orchestrationMode\":\"Uniform\"}}";
    }

    private String vaultPath(String group, String name) {
        return providerPath(group, "Microsoft.KeyVault", "vaults", name);
    }

    private void vaultExists(String group, String name, boolean rbac) {
        azure.stubFor(get(path(vaultPath(group, name))).willReturn(json(200, "{\"id\":\"" + vaultPath(group, name)
                + "\",\"name\":\"" + name + "\",\"location\":\"westeurope\",\"properties\":{\"tenantId\":\"" + VAULT_TENANT
                + "\",\"sku\":{\"family\":\"A\",\"name\":\"standard\"},\"accessPolicies\":[],\"enableRbacAuthorization\":"
                + rbac + ",\"vaultUri\":\"" + azure.base + "/\"}}")));
    }

    /** The Key Vault data plane: a 401 challenge without a token (as recorded), then the secret's versions. */
    private void secretVersions(String secret, boolean exists) {
        azure.stubFor(get(urlPathEqualTo("/secrets/" + secret + "/versions")).withHeader("Authorization", absent())
                .willReturn(json(401, "{\"error\":{\"code\":\"Unauthorized\",\"message\":\"AKV10000: Request is missing a "
                        + "Bearer or PoP token.\"}}").withHeader("WWW-Authenticate", "Bearer authorization=\""
                        + azure.base + "/" + AzureWireMock.TENANT + "\", resource=\"https://vault.azure.net\"")));
        azure.stubFor(get(urlPathEqualTo("/secrets/" + secret + "/versions")).withHeader("Authorization", matching("Bearer .*"))
                .willReturn(exists
                        ? json(200, "{\"value\":[{\"id\":\"" + azure.base + "/secrets/" + secret + "/abf29ece620f46ea8e\","
                                + "\"attributes\":{\"enabled\":true,\"created\":1680566638,\"updated\":1680566638}}],\"nextLink\":null}")
                        : json(404, "{\"error\":{\"code\":\"SecretNotFound\",\"message\":\"A secret with (name/id) " + secret
                                + " was not found in this key vault.\"}}")));
    }

    private List<LoggedRequest> writes() {
        return azure.armRequests().stream().filter(r -> !r.getMethod().getName().equals("GET")).toList();
    }

    @Test
    void createMakesTheGroupAndOneScaleSetWithTheRequestedCapacity() throws Exception {
        azure.sharedNetworkExists("westeurope");
        azure.groupMissing("pool1");
        azure.groupPutOk("pool1");
        String p = providerPath("pool1", "Microsoft.Compute", "virtualMachineScaleSets", "pool1");
        azure.lroPut(p, vmss("pool1", "pool1", 1000, "pool1").replace("Succeeded", "Creating"),
                vmss("pool1", "pool1", 1000, "pool1"), null);

        await(azure.account().scaleSets().create(new ScaleSetSpec(machine("pool1"), 1000, null)));

        assertThat(writes()).hasSize(2);
        String body = writes().get(1).getBodyAsString();
        assertThat(body).contains("\"capacity\":1000").contains("\"singlePlacementGroup\":false")
                .contains(Names.NSG_SSH).contains("\"orchestrationMode\":\"Uniform\"").doesNotContain("extensionProfile");
    }

    @Test
    void moreThanAThousandInstancesIsRefusedBeforeAnyCall() {
        CloudException e = failure(azure.account().scaleSets().create(new ScaleSetSpec(machine("big"), 1001, null)));
        assertThat(e.code()).isEqualTo(CloudException.INVALID_PARAMETER);
        assertThat(azure.armRequests()).isEmpty();
    }

    @Test
    void aVaultSecretIsCheckedThenAnIdentityGetsReadAccessAndEachVmInstallsIt() throws Exception {
        azure.sharedNetworkExists("westeurope");
        vaultExists("secrets-rg", "kv1", false);
        secretVersions("db-password", true);
        azure.groupMissing("pool2");
        azure.groupPutOk("pool2");
        String identity = providerPath("pool2", "Microsoft.ManagedIdentity", "userAssignedIdentities", "pool2-identity");
        azure.stubFor(put(path(identity)).willReturn(json(201, "{\"id\":\"" + identity + "\",\"name\":\"pool2-identity\","
                + "\"location\":\"westeurope\",\"properties\":{\"tenantId\":\"" + VAULT_TENANT + "\",\"principalId\":"
                + "\"25cc1ee4-1111-2222-3333-444455556666\",\"clientId\":\"9d4c2a1e-1111-2222-3333-444455556666\"}}")));
        azure.stubFor(put(path(vaultPath("secrets-rg", "kv1") + "/accessPolicies/add")).willReturn(json(200,
                "{\"properties\":{\"accessPolicies\":[]}}")));
        String p = providerPath("pool2", "Microsoft.Compute", "virtualMachineScaleSets", "pool2");
        azure.lroPut(p, vmss("pool2", "pool2", 2, "pool2"), vmss("pool2", "pool2", 2, "pool2"), null);

        await(azure.account().scaleSets().create(new ScaleSetSpec(machine("pool2"), 2,
                new VaultSecretRef("kv1", "secrets-rg", "db-password"))));

        assertThat(writes()).extracting(r -> r.getMethod().getName() + " " + r.getUrl().replaceAll("\\?.*", ""))
                .containsExactly("PUT " + rgPath("pool2"), "PUT " + identity,
                        "PUT " + vaultPath("secrets-rg", "kv1") + "/accessPolicies/add", "PUT " + p);
        assertThat(writes().get(2).getBodyAsString()).contains("25cc1ee4-1111-2222-3333-444455556666").contains("\"get\"")
                .doesNotContain("\"list\"");
        String vmssBody = writes().get(3).getBodyAsString();
        assertThat(vmssBody).contains("UserAssigned").contains(identity).contains("CustomScript")
                .contains("client_id=9d4c2a1e-1111-2222-3333-444455556666").contains("secrets/db-password")
                .contains(SecretInstall.LINUX_DIR).contains("chmod 600");
    }

    @Test
    void aMissingSecretStopsTheCreateBeforeAnythingIsMade() {
        vaultExists("secrets-rg", "kv1", false);
        secretVersions("nope", false);
        CloudException e = failure(azure.account().scaleSets().create(new ScaleSetSpec(machine("pool3"), 2,
                new VaultSecretRef("kv1", "secrets-rg", "nope"))));
        assertThat(e.code()).isEqualTo(CloudException.NOT_FOUND);
        assertThat(e.getMessage()).contains("nope").contains("kv1");
        assertThat(writes()).isEmpty();
    }

    @Test
    void checkSecretFindsAnExistingSecretWithoutReadingItsValue() throws Exception {
        vaultExists("secrets-rg", "kv1", false);
        secretVersions("db-password", true);
        await(azure.account().secretVaults().checkSecret(new VaultSecretRef("kv1", "secrets-rg", "db-password")));
        assertThat(azure.server.findAll(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                urlPathEqualTo("/secrets/db-password")))).isEmpty();
    }

    @Test
    void checkSecretOfAMissingVaultSaysSo() {
        azure.stubFor(get(path(vaultPath("secrets-rg", "gone"))).willReturn(error(404, "ResourceNotFound", "nope")));
        CloudException e = failure(azure.account().secretVaults().checkSecret(new VaultSecretRef("gone", "secrets-rg", "x")));
        assertThat(e.code()).isEqualTo(CloudException.NOT_FOUND);
        assertThat(e.getMessage()).contains("Vault 'gone' could not be found");
    }

    @Test
    void aScaleSetThatFailsIsCleanedUp() {
        azure.sharedNetworkExists("westeurope");
        azure.groupMissing("pool4");
        azure.groupPutOk("pool4");
        azure.groupDeleteOk("pool4");
        azure.stubFor(put(path(providerPath("pool4", "Microsoft.Compute", "virtualMachineScaleSets", "pool4")))
                .willReturn(error(409, "OperationNotAllowed", "exceeding approved Total Regional Cores quota")));
        CloudException e = failure(azure.account().scaleSets().create(new ScaleSetSpec(machine("pool4"), 50, null)));
        assertThat(e.code()).isEqualTo("OperationNotAllowed");
        azure.server.verify(1, deleteRequestedFor(path(rgPath("pool4"))));
    }

    @Test
    void startStopRestartArePollingPosts() throws Exception {
        String p = providerPath("pool5", "Microsoft.Compute", "virtualMachineScaleSets", "pool5");
        azure.stubFor(get(path(p)).willReturn(json(200, vmss("pool5", "pool5", 3, "pool5"))));
        azure.lroPost(p + "/start");
        azure.lroPost(p + "/deallocate");
        azure.lroPost(p + "/restart");
        await(azure.account().scaleSets().start(ResourceRef.named("pool5")));
        await(azure.account().scaleSets().stop(ResourceRef.named("pool5")));
        await(azure.account().scaleSets().restart(ResourceRef.named("pool5")));
        assertThat(writes()).extracting(r -> r.getUrl().replaceAll("\\?.*", "").replaceAll(".*/", ""))
                .containsExactly("start", "deallocate", "restart");
    }

    @Test
    void powerActionsOnAnUnknownScaleSetSayCouldNotBeFound() {
        azure.stubFor(get(path(providerPath("ghost", "Microsoft.Compute", "virtualMachineScaleSets", "ghost")))
                .willReturn(error(404, "ResourceNotFound", "not found")));
        assertThat(failure(azure.account().scaleSets().stop(ResourceRef.named("ghost"))).getMessage())
                .contains("could not be found");
        assertThat(failure(azure.account().scaleSets().delete(ResourceRef.named("ghost"))).getMessage())
                .contains("could not be found");
    }

    @Test
    void scalePatchesTheCapacityKeepingTheSku() throws Exception {
        String p = providerPath("pool6", "Microsoft.Compute", "virtualMachineScaleSets", "pool6");
        azure.stubFor(get(path(p)).willReturn(json(200, vmss("pool6", "pool6", 3, "pool6"))));
        azure.stubFor(patch(path(p)).willReturn(json(200, vmss("pool6", "pool6", 6, "pool6"))));
        await(azure.account().scaleSets().scale(ResourceRef.named("pool6"), 6));
        assertThat(writes()).hasSize(1);
        assertThat(writes().get(0).getBodyAsString()).contains("\"capacity\":6").contains("Standard_B1s");
    }

    @Test
    void deleteRemovesOurGroupAndAnyPendingScheduleIsHarmlessWithoutAutomation() throws Exception {
        String p = providerPath("pool7", "Microsoft.Compute", "virtualMachineScaleSets", "pool7");
        azure.stubFor(get(path(p)).willReturn(json(200, vmss("pool7", "pool7", 3, "pool7"))));
        azure.groupExists("pool7", "{\"azure-gahp\":\"vmss\",\"azure-gahp-name\":\"pool7\"}");
        azure.groupDeleteOk("pool7");
        await(azure.account().scaleSets().delete(ResourceRef.named("pool7")));
        azure.server.verify(1, deleteRequestedFor(path(rgPath("pool7"))));
    }

    @Test
    void listReportsCapacityAndOnePowerStateLast() throws Exception {
        azure.stubFor(get(path("/subscriptions/" + SUB + "/providers/Microsoft.Compute/virtualMachineScaleSets"))
                .willReturn(json(200, "{\"value\":[" + vmss("POOL8", "pool8", 3, "pool8") + ","
                        + vmss("empty", "empty", 0, null) + "]}")));
        azure.stubFor(get(path(providerPath("POOL8", "Microsoft.Compute", "virtualMachineScaleSets", "pool8") + "/instanceView"))
                .willReturn(json(200, "{\"virtualMachine\":{\"statusesSummary\":[{\"code\":\"ProvisioningState/succeeded\","
                        + "\"count\":3},{\"code\":\"PowerState/deallocated\",\"count\":1},{\"code\":\"PowerState/running\","
                        + "\"count\":2}]},\"statuses\":[]}")));
        List<ScaleSetStatus> list = await(azure.account().scaleSets().list(null));
        assertThat(list).containsExactly(
                new ScaleSetStatus("pool8", 3, List.of("ProvisioningState/succeeded", "PowerState/running")),
                new ScaleSetStatus("empty", 0, List.of("ProvisioningState/succeeded", "PowerState/deallocated")));
        assertThat(await(azure.account().scaleSets().list("POOL8"))).extracting(ScaleSetStatus::name).containsExactly("pool8");
    }

    @Test
    void createVaultMakesGroupAndVaultWithSecretAccessForTheListedPrincipals() throws Exception {
        azure.stubFor(get(path(vaultPath("kvnew", "kvnew")))
                .willReturn(error(404, "ResourceNotFound", "The Resource 'Microsoft.KeyVault/vaults/kvnew' was not found")));
        azure.groupMissing("kvnew");
        azure.groupPutOk("kvnew");
        azure.stubFor(put(path(vaultPath("kvnew", "kvnew"))).willReturn(json(200, "{\"id\":\"" + vaultPath("kvnew", "kvnew")
                + "\",\"name\":\"kvnew\",\"location\":\"westeurope\",\"properties\":{\"tenantId\":\"" + VAULT_TENANT
                + "\",\"sku\":{\"family\":\"A\",\"name\":\"standard\"},\"accessPolicies\":[],\"provisioningState\":"
                + "\"Succeeded\",\"vaultUri\":\"https://kvnew.vault.azure.net/\"}}")));
        await(azure.account().secretVaults().createVault(new VaultSpec("kvnew", "westeurope", "standard",
                List.of("0b1f0c3e-aaaa-bbbb-cccc-000000000001", "0b1f0c3e-aaaa-bbbb-cccc-000000000002"))));
        assertThat(writes()).hasSize(2);
        String body = writes().get(1).getBodyAsString();
        assertThat(body).contains("0b1f0c3e-aaaa-bbbb-cccc-000000000001").contains("0b1f0c3e-aaaa-bbbb-cccc-000000000002")
                .contains(AzureWireMock.TENANT).contains("\"set\"");
    }

    @Test
    void createVaultReusesAnExistingVaultAndAddsAccess() throws Exception {
        vaultExists("kv2", "kv2", false);
        azure.stubFor(put(path(vaultPath("kv2", "kv2") + "/accessPolicies/add"))
                .willReturn(json(200, "{\"properties\":{\"accessPolicies\":[]}}")));
        await(azure.account().secretVaults().createVault(new VaultSpec("kv2", "westeurope", null,
                List.of("0b1f0c3e-aaaa-bbbb-cccc-000000000003"))));
        assertThat(writes()).extracting(r -> r.getUrl().replaceAll("\\?.*", "")).containsExactly(
                vaultPath("kv2", "kv2") + "/accessPolicies/add");
    }

    @Test
    void aBadVaultNameIsRefusedBeforeAnyCall() {
        assertThat(failure(azure.account().secretVaults().createVault(new VaultSpec("9bad_name", "westeurope", null,
                List.of()))).code()).isEqualTo(CloudException.INVALID_PARAMETER);
        assertThat(azure.armRequests()).isEmpty();
    }
}
