package org.azuregahp.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Path;
import org.azuregahp.ports.AccountRef;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The adapter as the launcher runs it: no test hook, only the JVM's standard trust-store options
 * (surefire's {@code jvm-truststore} execution sets {@code javax.net.ssl.trustStore} to
 * {@code tls/test-truststore.p12}), talking to WireMock serving {@code tls/test-keystore.p12}. The
 * identity client (MSAL) and Resource Manager both go through the default HTTP client.
 */
@Tag("jvm-truststore")
class JvmTrustStoreTest {

    @Test
    void theDefaultHttpClientTrustsWhatTheJvmTrustStoreTrusts() throws Exception {
        assertThat(System.getProperty("javax.net.ssl.trustStore")).as("run by the jvm-truststore execution").isNotBlank();
        Path keystore = Path.of(getClass().getResource("/tls/test-keystore.p12").toURI());
        WireMockServer server = new WireMockServer(options().dynamicHttpsPort().httpDisabled(true)
                .keystorePath(keystore.toString()).keystoreType("PKCS12").keystorePassword("changeit")
                .keyManagerPassword("changeit"));
        server.start();
        Path cred = Path.of("/nonexistent/cred.json");
        TestCredentials credentials = new TestCredentials();
        try (AzureCloud cloud = AzureCloud.create(AzureSettings.defaults(), credentials)) {
            String base = "https://localhost:" + server.httpsPort();
            server.stubFor(post(urlPathMatching("/" + AzureWireMock.TENANT + "/oauth2/v2.0/token")).willReturn(
                    AzureWireMock.json(200, "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"t\"}")));
            server.stubFor(get(AzureWireMock.path("/subscriptions/" + AzureWireMock.SUB + "/resourcegroups"))
                    .willReturn(AzureWireMock.json(200, "{\"value\":[]}")));
            credentials.put(cred, TestCredentials.secret(AzureWireMock.CLIENT_ID, "s3cret-value-x", AzureWireMock.TENANT,
                    base, java.util.Map.of()));
            AzureWireMock.await(cloud.account(new AccountRef(cred.toString(), AzureWireMock.SUB)).ping());
            assertThat(server.getAllServeEvents()).hasSize(2);
        } finally {
            server.stop();
        }
    }
}
