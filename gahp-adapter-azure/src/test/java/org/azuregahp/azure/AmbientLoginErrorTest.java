package org.azuregahp.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.identity.CredentialUnavailableException;
import java.net.ConnectException;
import java.util.Map;
import org.azuregahp.ports.CloudException;
import org.junit.jupiter.api.Test;

/** The error for the machine's own login ({@code NULL}) says what was tried and what to do, and no secret. */
class AmbientLoginErrorTest {
    private static final String SECRET = "Env-Secret_Canary~42";
    private static final String CLIENT = "c11e47a1-aaaa-bbbb-cccc-canaryclient";

    @Test
    void nothingConfiguredSaysWhatWasTriedAndWhatToDo() {
        CloudException e = AzureErrors.ambientAuthentication(new CredentialUnavailableException(
                "EnvironmentCredential authentication unavailable. ManagedIdentityCredential ..."), Map.of());
        assertThat(e.code()).isEqualTo(CloudException.AUTHENTICATION);
        assertThat(e.getMessage()).isEqualTo("could not get an Azure token for this machine's own login (credential"
                + " NULL): tried the environment variables AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET"
                + " (none is set), workload identity, a managed identity and the Azure CLI's login (az login), and none"
                + " gave a token. To fix it, name a credential file on the request instead of NULL (az ad sp"
                + " create-for-rbac --sdk-auth), set those three variables for the user the GAHP runs as, give this"
                + " machine a managed identity, or run az login as that user");
    }

    @Test
    void variablesAreNamedNeverShownAndOnlyTheAadstsCodeSurvives() {
        Throwable refused = new ClientAuthenticationException("DefaultAzureCredential authentication failed", null,
                new RuntimeException("AADSTS7000215: Invalid client secret provided for app '" + CLIENT + "' ("
                        + SECRET + ")"));
        CloudException e = AzureErrors.ambientAuthentication(refused,
                Map.of("AZURE_CLIENT_ID", CLIENT, "AZURE_TENANT_ID", "t", "AZURE_CLIENT_SECRET", SECRET));
        assertThat(e.getMessage()).contains("(AADSTS7000215)").contains("(all are set)")
                .doesNotContain(SECRET).doesNotContain(CLIENT);

        CloudException partly = AzureErrors.ambientAuthentication(new RuntimeException("x", new ConnectException()),
                Map.of("AZURE_CLIENT_ID", CLIENT, "AZURE_CLIENT_SECRET", SECRET, "AZURE_TENANT_ID", " "));
        assertThat(partly.getMessage()).contains("(only AZURE_CLIENT_ID and AZURE_CLIENT_SECRET set)")
                .contains("the identity service could not be reached").doesNotContain(SECRET).doesNotContain(CLIENT);
    }
}
