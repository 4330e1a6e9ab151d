package org.azuregahp.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.azuregahp.azure.AzureWireMock.await;
import static org.azuregahp.azure.AzureWireMock.failure;
import static org.azuregahp.azure.AzureWireMock.json;
import static org.azuregahp.azure.AzureWireMock.path;

import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.azuregahp.ports.AccountRef;
import org.azuregahp.ports.CloudException;
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
        Files.setLastModifiedTime(azure.credFile, FileTime.from(Instant.now().plusSeconds(5)));
        await(azure.account().ping());
        assertThat(azure.tokenRequests()).hasSize(2);
        assertThat(azure.tokenRequests().get(1).getBodyAsString()).contains("Another-Secret_Value-42");
    }

    @Test
    void anUnchangedFileKeepsItsClientsAndToken() throws Exception {
        await(azure.account().ping());
        Files.setLastModifiedTime(azure.credFile, FileTime.from(Instant.now().plusSeconds(5)));
        await(azure.account().ping());
        assertThat(azure.tokenRequests()).hasSize(1);
    }

    @Test
    void aMissingCredentialFileIsAnErrorNamingTheFile() {
        String missing = azure.dir.resolve("nope.json").toString();
        CloudException e = failure(java.util.concurrent.CompletableFuture.supplyAsync(
                () -> azure.cloud.account(new AccountRef(missing, AzureWireMock.SUB))));
        assertThat(e.code()).isEqualTo(CloudException.CREDENTIAL_FILE);
        assertThat(e.getMessage()).contains(missing).contains("does not exist");
    }

    @Test
    void aMalformedCredentialFileIsAnErrorThatNeverRepeatsItsContents() throws Exception {
        Files.writeString(azure.credFile, "{\"clientId\": \"" + AzureWireMock.CLIENT_ID + "\", \"clientSecret\": \""
                + AzureWireMock.SECRET + "\"");
        CloudException e = failure(java.util.concurrent.CompletableFuture.supplyAsync(() -> azure.account()));
        assertThat(e.code()).isEqualTo(CloudException.CREDENTIAL_FILE);
        assertThat(e.getMessage()).contains(azure.credFile.toString()).doesNotContain(AzureWireMock.SECRET);
    }

    @Test
    void theEarlierServersTextFormWorksToo() throws Exception {
        Files.writeString(azure.credFile, "client_id " + AzureWireMock.CLIENT_ID + "\nsecret " + AzureWireMock.SECRET
                + "\ntenant_id " + AzureWireMock.TENANT + "\nauthority " + azure.base + "\nresource_manager_endpoint "
                + azure.base + "/\nautomation_account my-automation\n");
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
    void creatingTheCloudIsInstant() {
        long start = System.nanoTime();
        try (AzureCloud c = AzureCloud.create(AzureSettings.defaults())) {
            assertThat(c.statistics().throttledRetries()).isZero();
        }
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(200);
    }
}
