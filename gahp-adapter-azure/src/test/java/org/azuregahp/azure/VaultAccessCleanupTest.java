package org.azuregahp.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.azuregahp.azure.AzureWireMock.SUB;
import static org.azuregahp.azure.AzureWireMock.await;
import static org.azuregahp.azure.AzureWireMock.error;
import static org.azuregahp.azure.AzureWireMock.failure;
import static org.azuregahp.azure.AzureWireMock.json;
import static org.azuregahp.azure.AzureWireMock.path;
import static org.azuregahp.azure.AzureWireMock.providerPath;
import static org.azuregahp.azure.AzureWireMock.rgPath;
import static org.azuregahp.azure.ScaleSetsAndVaultsTest.VAULT_TENANT;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.List;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.ResourceRef;
import org.azuregahp.ports.ScaleSetSpec;
import org.azuregahp.ports.VaultSecretRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A scale set made with a vault secret leaves the vault as it was once it is deleted or its create
 * fails: its identity's access policy (or role assignment, on an RBAC vault) is taken out again.
 */
class VaultAccessCleanupTest {
    static final String PRINCIPAL = "25cc1ee4-1111-2222-3333-444455556666";
    static final String CLIENT = "9d4c2a1e-1111-2222-3333-444455556666";
    static final String VAULT = providerPath("secrets-rg", "Microsoft.KeyVault", "vaults", "kv1");
    private AzureWireMock azure;

    @BeforeEach
    void start() {
        azure = new AzureWireMock();
    }

    @AfterEach
    void stop() {
        azure.close();
    }

    private void vault(boolean rbac, String policyObjectId) {
        azure.stubFor(get(path(VAULT)).willReturn(json(200, vaultBody(rbac, policyObjectId))));
    }

    private static String identityPath(String group) {
        return providerPath(group, "Microsoft.ManagedIdentity", "userAssignedIdentities", group + "-identity");
    }

    /** A scale set made with a secret in kv1: tagged with the vault, with its identity attached. */
    private void scaleSetWithSecret(String name) {
        String p = providerPath(name, "Microsoft.Compute", "virtualMachineScaleSets", name);
        azure.stubFor(get(path(p)).willReturn(json(200, "{\"name\":\"" + name + "\",\"id\":\"" + p + "\",\"location\":"
                + "\"westeurope\",\"sku\":{\"name\":\"Standard_B1s\",\"tier\":\"Standard\",\"capacity\":2},"
                + "\"tags\":{\"azure-gahp\":\"vmss\",\"azure-gahp-name\":\"" + name + "\",\"azure-gahp-vault\":\"" + VAULT
                + "\"},\"identity\":{\"type\":\"UserAssigned\",\"userAssignedIdentities\":{\"" + identityPath(name)
                + "\":{\"principalId\":\"" + PRINCIPAL + "\",\"clientId\":\"" + CLIENT + "\"}}},"
                + "\"properties\":{\"provisioningState\":\"Succeeded\",\"orchestrationMode\":\"Uniform\"}}")));
        azure.groupExists(name, "{\"azure-gahp\":\"vmss\",\"azure-gahp-name\":\"" + name + "\",\"azure-gahp-vault\":\""
                + VAULT + "\"}");
        azure.groupDeleteOk(name);
    }

    private List<String> writes() {
        return azure.armRequests().stream().filter(r -> !r.getMethod().getName().equals("GET"))
                .map(r -> r.getMethod().getName() + " " + r.getUrl().replaceAll("\\?.*", "")).toList();
    }

    private LoggedRequest only(String method, String pathPart) {
        List<LoggedRequest> found = azure.armRequests().stream()
                .filter(r -> r.getMethod().getName().equals(method) && r.getUrl().contains(pathPart)).toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    @Test
    void deletingTheScaleSetTakesItsIdentitysAccessPolicyOutOfTheVaultBeforeTheGroupGoes() throws Exception {
        scaleSetWithSecret("pool1");
        vault(false, PRINCIPAL);
        azure.stubFor(put(path(VAULT + "/accessPolicies/remove")).willReturn(json(200,
                "{\"properties\":{\"accessPolicies\":[]}}")));

        await(azure.account().scaleSets().delete(ResourceRef.named("pool1")));

        // First, so that no deadline can skip it once the delete is under way.
        assertThat(writes()).containsExactly("PUT " + VAULT + "/accessPolicies/remove", "DELETE " + rgPath("pool1"));
        assertThat(only("PUT", "/accessPolicies/remove").getBodyAsString()).contains(PRINCIPAL).contains(VAULT_TENANT);
    }

    @Test
    void aVaultThatNoLongerHoldsThePolicyIsLeftAlone() throws Exception {
        scaleSetWithSecret("pool2");
        vault(false, "0b1f0c3e-aaaa-bbbb-cccc-000000000001");
        await(azure.account().scaleSets().delete(ResourceRef.named("pool2")));
        assertThat(writes()).containsExactly("DELETE " + rgPath("pool2"));
    }

    @Test
    void onAnRbacVaultTheRoleAssignmentsOfTheIdentityUnderTheVaultAreDeleted() throws Exception {
        scaleSetWithSecret("pool3");
        vault(true, null);
        String mine = VAULT + "/secrets/db-password/providers/Microsoft.Authorization/roleAssignments/"
                + "0f6a8a35-0000-4000-8000-000000000001";
        String above = "/subscriptions/" + SUB + "/providers/Microsoft.Authorization/roleAssignments/"
                + "0f6a8a35-0000-4000-8000-000000000002";
        azure.stubFor(get(path(VAULT + "/providers/Microsoft.Authorization/roleAssignments"))
                .withQueryParam("$filter", WireMock.equalTo("principalId eq '" + PRINCIPAL + "'"))
                .willReturn(json(200, "{\"value\":[" + assignment(mine, VAULT + "/secrets/db-password") + ","
                        + assignment(above, "/subscriptions/" + SUB) + "]}")));
        azure.stubFor(delete(path(mine)).willReturn(json(200, assignment(mine, VAULT + "/secrets/db-password"))));

        await(azure.account().scaleSets().delete(ResourceRef.named("pool3")));

        assertThat(writes()).containsExactly("DELETE " + mine, "DELETE " + rgPath("pool3"));
    }

    private static String assignment(String id, String scope) {
        return "{\"id\":\"" + id + "\",\"name\":\"" + id.substring(id.lastIndexOf('/') + 1) + "\",\"type\":"
                + "\"Microsoft.Authorization/roleAssignments\",\"properties\":{\"roleDefinitionId\":\"/subscriptions/"
                + SUB + "/providers/Microsoft.Authorization/roleDefinitions/" + VaultAccess.SECRETS_USER_ROLE
                + "\",\"principalId\":\"" + PRINCIPAL + "\",\"principalType\":\"ServicePrincipal\",\"scope\":\"" + scope
                + "\"}}";
    }

    @Test
    void aVaultThatRefusesTheRemovalDoesNotTurnTheDeleteIntoAnError() throws Exception {
        scaleSetWithSecret("pool4");
        vault(false, PRINCIPAL);
        azure.stubFor(put(path(VAULT + "/accessPolicies/remove")).willReturn(error(403, "AuthorizationFailed",
                "The client does not have authorization to perform action 'Microsoft.KeyVault/vaults/accessPolicies/write'")));
        await(azure.account().scaleSets().delete(ResourceRef.named("pool4")));
        azure.server.verify(1, deleteRequestedFor(path(rgPath("pool4"))));
        azure.server.verify(1, putRequestedFor(path(VAULT + "/accessPolicies/remove")));
    }

    @Test
    void aScaleSetWithoutAVaultTagTouchesNoVault() throws Exception {
        String p = providerPath("pool5", "Microsoft.Compute", "virtualMachineScaleSets", "pool5");
        azure.stubFor(get(path(p)).willReturn(json(200, ScaleSetsAndVaultsTest.vmss("pool5", "pool5", 1, "pool5"))));
        azure.groupExists("pool5", "{\"azure-gahp\":\"vmss\",\"azure-gahp-name\":\"pool5\"}");
        azure.groupDeleteOk("pool5");
        await(azure.account().scaleSets().delete(ResourceRef.named("pool5")));
        assertThat(writes()).containsExactly("DELETE " + rgPath("pool5"));
        assertThat(azure.armRequests()).noneMatch(r -> r.getUrl().contains("Microsoft.KeyVault"));
    }

    @Test
    void aCreateThatFailsAfterTheGrantTakesThePolicyOutAgainAndTagsTheGroupWithTheVault() {
        azure.sharedNetworkExists("westeurope");
        secretExists("db-password");
        azure.groupMissing("pool6");
        azure.groupPutOk("pool6");
        azure.groupDeleteOk("pool6");
        azure.stubFor(put(path(identityPath("pool6"))).willReturn(json(201, "{\"id\":\"" + identityPath("pool6")
                + "\",\"name\":\"pool6-identity\",\"location\":\"westeurope\",\"properties\":{\"tenantId\":\""
                + VAULT_TENANT + "\",\"principalId\":\"" + PRINCIPAL + "\",\"clientId\":\"" + CLIENT + "\"}}")));
        azure.stubFor(put(path(VAULT + "/accessPolicies/add")).willReturn(json(200, "{\"properties\":{\"accessPolicies\":[]}}")));
        azure.stubFor(put(path(VAULT + "/accessPolicies/remove")).willReturn(json(200, "{\"properties\":{\"accessPolicies\":[]}}")));
        // The vault as read before the grant holds no policy; as read after, it holds the identity's.
        azure.stubFor(get(path(VAULT)).inScenario("grant").whenScenarioStateIs(
                com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED).willSetStateTo("granted")
                .willReturn(json(200, vaultBody(false, null))));
        azure.stubFor(get(path(VAULT)).inScenario("grant").whenScenarioStateIs("granted")
                .willReturn(json(200, vaultBody(false, PRINCIPAL))));
        azure.stubFor(put(path(providerPath("pool6", "Microsoft.Compute", "virtualMachineScaleSets", "pool6")))
                .willReturn(error(409, "OperationNotAllowed", "exceeding approved Total Regional Cores quota")));

        CloudException e = failure(azure.account().scaleSets().create(new ScaleSetSpec(
                ScaleSetsAndVaultsTest.machine("pool6"), 2, new VaultSecretRef("kv1", "secrets-rg", "db-password"))));

        assertThat(e.code()).isEqualTo("OperationNotAllowed");
        assertThat(writes()).containsSubsequence("PUT " + VAULT + "/accessPolicies/add", "DELETE " + rgPath("pool6"),
                "PUT " + VAULT + "/accessPolicies/remove");
        assertThat(only("PUT", "/accessPolicies/remove").getBodyAsString()).contains(PRINCIPAL);
        assertThat(azure.armRequests().stream().filter(r -> r.getMethod().getName().equals("PUT")
                && r.getUrl().replaceAll("\\?.*", "").equalsIgnoreCase(rgPath("pool6"))).findFirst().orElseThrow()
                .getBodyAsString()).contains("\"azure-gahp-vault\":\"" + VAULT + "\"");
    }

    private String vaultBody(boolean rbac, String policyObjectId) {
        String policies = policyObjectId == null ? "[]" : "[{\"tenantId\":\"" + VAULT_TENANT + "\",\"objectId\":\""
                + policyObjectId + "\",\"permissions\":{\"secrets\":[\"get\"]}}]";
        return "{\"id\":\"" + VAULT + "\",\"name\":\"kv1\",\"location\":\"westeurope\",\"properties\":{\"tenantId\":\""
                + VAULT_TENANT + "\",\"sku\":{\"family\":\"A\",\"name\":\"standard\"},\"accessPolicies\":" + policies
                + ",\"enableRbacAuthorization\":" + rbac + ",\"vaultUri\":\"" + azure.base + "/\"}}";
    }

    private void secretExists(String secret) {
        azure.stubFor(get(WireMock.urlPathEqualTo("/secrets/" + secret + "/versions"))
                .withHeader("Authorization", WireMock.absent())
                .willReturn(json(401, "{\"error\":{\"code\":\"Unauthorized\",\"message\":\"AKV10000: Request is missing "
                        + "a Bearer or PoP token.\"}}").withHeader("WWW-Authenticate", "Bearer authorization=\""
                        + azure.base + "/" + AzureWireMock.TENANT + "\", resource=\"https://vault.azure.net\"")));
        azure.stubFor(get(WireMock.urlPathEqualTo("/secrets/" + secret + "/versions"))
                .withHeader("Authorization", WireMock.matching("Bearer .*"))
                .willReturn(json(200, "{\"value\":[{\"id\":\"" + azure.base + "/secrets/" + secret + "/abf29ece620f46ea8e\","
                        + "\"attributes\":{\"enabled\":true}}],\"nextLink\":null}")));
    }
}
