package org.azuregahp.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.azuregahp.azure.AzureWireMock.await;
import static org.azuregahp.azure.AzureWireMock.failure;
import static org.azuregahp.azure.AzureWireMock.json;
import static org.azuregahp.azure.AzureWireMock.path;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.azuregahp.ports.AccountRef;
import org.azuregahp.ports.CloudAccount;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.VmQuery;
import org.azuregahp.ports.credentials.Credentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PingAndCredentialsTest {
    private AzureWireMock azure;

    @BeforeEach
    void start() {
        azure = new AzureWireMock();
        azure.stubFor(get(path("/subscriptions/" + AzureWireMock.SUB + "/resourcegroups"))
                .willReturn(json(200, "{\"value\":[{\"id\":\"/subscriptions/" + AzureWireMock.SUB
                        + "/resourceGroups/rg1\",\"name\":\"rg1\",\"location\":\"westeurope\","
                        + "\"properties\":{\"provisioningState\":\"Succeeded\"}}],\"nextLink\":\"https://localhost:1/x\"}")));
    }

    @AfterEach
    void stop() {
        azure.close();
    }

    @Test
    void pingGetsATokenOnceAndReadsOnePageOfOneResourceGroup() throws Exception {
        await(azure.account().ping());
        assertThat(azure.tokenRequests()).hasSize(1);
        assertThat(azure.armRequests()).hasSize(1);
        assertThat(azure.armRequests().get(0).getUrl()).contains("resourcegroups").contains("top=1");
        assertThat(azure.armRequests().get(0).getHeader("Authorization")).isEqualTo("Bearer " + AzureWireMock.TOKEN);
    }

    @Test
    void aWarmPingIsExactlyOneReadAndNoWrites() throws Exception {
        await(azure.account().ping());
        azure.resetJournal();
        await(azure.account().ping());
        assertThat(azure.tokenRequests()).isEmpty();
        assertThat(azure.armRequests()).hasSize(1);
        assertThat(azure.armWrites()).isZero();
    }

    @Test
    void aRejectedSecretIsAnAuthenticationErrorThatNamesNothingFromTheFile() throws Exception {
        azure.stubTokenRejected();
        CloudException e = failure(azure.account().ping());
        assertThat(e.code()).isEqualTo(CloudException.AUTHENTICATION);
        assertThat(e.getMessage()).contains("AADSTS7000215")
                .doesNotContain(AzureWireMock.SECRET).doesNotContain(AzureWireMock.CLIENT_ID)
                .doesNotContain(AzureWireMock.TENANT);
        assertThat(azure.armRequests()).isEmpty();
    }

    @Test
    void aFailingCredentialIsRememberedSoTheIdentityServiceIsNotHammered() throws Exception {
        azure.stubTokenRejected();
        failure(azure.account().ping());
        int tokenCalls = azure.tokenRequests().size();
        for (int i = 0; i < 5; i++) {
            assertThat(failure(azure.account().ping()).code()).isEqualTo(CloudException.AUTHENTICATION);
        }
        assertThat(azure.tokenRequests()).hasSize(tokenCalls);
    }

    @Test
    void aChangedCredentialFileIsPickedUp() throws Exception {
        await(azure.account().ping());
        assertThat(azure.tokenRequests()).hasSize(1);
        azure.writeCredentials("Another-Secret_Value-42");
        await(azure.account().ping());
        assertThat(azure.tokenRequests()).hasSize(2);
        assertThat(azure.tokenRequests().get(1).getBodyAsString()).contains("Another-Secret_Value-42");
    }

    @Test
    void anUnchangedFileKeepsItsClientsAndToken() throws Exception {
        await(azure.account().ping());
        azure.writeCredentials(AzureWireMock.SECRET); // read again: equal credentials, a new object
        await(azure.account().ping());
        assertThat(azure.tokenRequests()).hasSize(1);
    }

    @Test
    void aMissingCredentialFileIsAnErrorNamingTheFile() {
        String missing = azure.dir.resolve("nope.json").toString();
        CloudException e = failure(azure.cloud.account(new AccountRef(missing, AzureWireMock.SUB)).ping());
        assertThat(e.code()).isEqualTo(CloudException.CREDENTIAL_FILE);
        assertThat(e.getMessage()).contains(missing).contains("does not exist");
    }

    @Test
    void whatTheCredentialSourceRefusesIsTheResultUnchanged() {
        CloudException refused = new CloudException(CloudException.CREDENTIAL_FILE,
                "credential file " + azure.credFile + " is not valid JSON (line 1, column 9)");
        azure.credentials.put(azure.credFile, CompletableFuture.failedFuture(refused));
        CloudException e = failure(azure.account().ping());
        assertThat(e.resultText()).isEqualTo(refused.resultText());
        assertThat(azure.tokenRequests()).isEmpty();
        assertThat(azure.armRequests()).isEmpty();
    }

    @Test
    void aCredentialFileThatHangsHoldsUpOnlyTheRequestsThatNameIt() throws Exception {
        Path hung = azure.dir.resolve("on-a-stuck-nfs-mount.json");
        CompletableFuture<Credentials> never = new CompletableFuture<>();
        azure.credentials.put(hung, never);
        CloudAccount stuck = azure.cloud.account(new AccountRef(hung.toString(), AzureWireMock.SUB));
        CompletableFuture<Void> stuckPing = stuck.ping().toCompletableFuture();
        CompletableFuture<Void> stuckList = stuck.virtualMachines().list(new VmQuery.All()).thenApply(l -> (Void) null)
                .toCompletableFuture();
        for (int i = 0; i < 10; i++) {
            await(azure.account().ping()); // every other file keeps being served
        }
        assertThat(stuckPing).isNotDone();
        assertThat(stuckList).isNotDone();
        never.complete(TestCredentials.secret(AzureWireMock.CLIENT_ID, AzureWireMock.SECRET, AzureWireMock.TENANT,
                azure.base, Map.of()));
        await(stuckPing);
    }

    @Test
    void theEarlierServersTextFormWorksToo() throws Exception {
        // What the CLI's source makes of client_id, secret, tenant_id, authority, resource_manager_endpoint
        // and automation_account lines.
        azure.credentials.put(azure.credFile, TestCredentials.secret(AzureWireMock.CLIENT_ID, AzureWireMock.SECRET,
                AzureWireMock.TENANT, azure.base, Map.of("automation_account", "my-automation")));
        await(azure.account().ping());
        assertThat(azure.tokenRequests()).hasSize(1);
        assertThat(azure.armRequests()).hasSize(1);
    }

    @Test
    void noRequestToResourceManagerCarriesCredentialMaterial() throws Exception {
        await(azure.account().ping());
        await(azure.account().ping());
        for (var r : azure.armRequests()) {
            String all = r.getUrl() + r.getHeaders() + r.getBodyAsString();
            assertThat(all).doesNotContain(AzureWireMock.SECRET).doesNotContain(AzureWireMock.CLIENT_ID);
        }
        assertThat(azure.armRequests()).isNotEmpty();
    }

    @Test
    void creatingTheCloudSendsNothing() {
        // Creating the cloud is instant because it does nothing: no token, no request, no client until the
        // first operation (start-up time itself is measured in -Pbench: AzureFootprintBench, BenchLauncherTest).
        java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
        com.azure.core.http.HttpClient counting = request -> {
            sent.incrementAndGet();
            return reactor.core.publisher.Mono.error(new IllegalStateException("no request was expected"));
        };
        try (AzureCloud c = AzureCloud.create(AzureSettings.defaults(),
                org.azuregahp.ports.credentials.CredentialSource.NONE, counting, System::nanoTime,
                java.time.Clock.systemUTC())) {
            assertThat(c.statistics().throttledRetries()).isZero();
        }
        assertThat(sent).as("requests sent by creating and closing the cloud").hasValue(0);
    }
}
