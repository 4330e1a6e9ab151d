package org.azuregahp.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.management.exception.ManagementError;
import com.azure.core.management.exception.ManagementException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.azuregahp.ports.CloudException;
import org.junit.jupiter.api.Test;

/** Issue 10.7: a translated failure keeps the original as its cause; its message stays free of secrets. */
class AzureErrorsTest {
    static final String CLIENT = "c11e47a1-aaaa-bbbb-cccc-ddddeeeeffff";
    static final Redactor REDACTOR = new Redactor(List.of(CLIENT));

    @Test
    void anAzureErrorKeepsItsCodeItsScrubbedMessageAndTheOriginalAsCause() {
        ManagementException original = new ManagementException("Status code 403", null, new ManagementError(
                "AuthorizationFailed", "The client '" + CLIENT + "' does not have authorization to perform action"));
        CloudException e = AzureErrors.translate(new CompletionException(original), REDACTOR);
        assertThat(e.code()).isEqualTo("AuthorizationFailed");
        assertThat(e.getMessage()).doesNotContain(CLIENT).contains("***");
        assertThat(e.getCause()).isSameAs(original);
    }

    @Test
    void anIoFailureIsKeptAsCauseToo() {
        IOException original = new IOException("connection reset");
        CloudException e = AzureErrors.translate(original, REDACTOR);
        assertThat(e.code()).isEqualTo(CloudException.NOT_AVAILABLE);
        assertThat(e.getCause()).isSameAs(original);
    }

    @Test
    void anIdentityFailureKeepsOnlyItsAadstsCodeAndNoCause() {
        RuntimeException msal = new com.azure.core.exception.ClientAuthenticationException("AADSTS7000215: Invalid client"
                + " secret provided for app '" + CLIENT + "'", null);
        CloudException e = AzureErrors.translate(msal, REDACTOR);
        assertThat(e.code()).isEqualTo(CloudException.AUTHENTICATION);
        assertThat(e.getMessage()).contains("AADSTS7000215").doesNotContain(CLIENT);
        assertThat(e.getCause()).as("MSAL's text names the client").isNull();
    }
}
