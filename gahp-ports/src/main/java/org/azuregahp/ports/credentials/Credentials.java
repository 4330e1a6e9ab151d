package org.azuregahp.ports.credentials;

import java.util.Map;
import java.util.Optional;

/**
 * A service principal read from a credential file, in either format the GAHP accepts: the JSON of
 * {@code az ad sp create-for-rbac --sdk-auth}, or the earlier server's {@code key value} text.
 *
 * @param clientId            the application (client) id
 * @param clientSecret        the client secret, or null when a certificate is used
 * @param certificatePath     a client certificate (PEM or PFX) path, or null
 * @param certificatePassword the certificate's password, or null
 * @param tenantId            the directory (tenant) id
 * @param subscriptionId      the subscription the file names, or null
 * @param activeDirectoryEndpoint the authority host, e.g. {@code https://login.microsoftonline.com/}, or null for public Azure
 * @param resourceManagerEndpoint the ARM endpoint, e.g. {@code https://management.azure.com/}, or null for public Azure
 * @param settings            every other key in the file, keys lower-cased (e.g. {@code automation_account}); values are not secret
 */
public record Credentials(
        String clientId,
        Secret clientSecret,
        String certificatePath,
        Secret certificatePassword,
        String tenantId,
        String subscriptionId,
        String activeDirectoryEndpoint,
        String resourceManagerEndpoint,
        Map<String, String> settings) {

    public Credentials {
        settings = Map.copyOf(settings);
    }

    public Optional<String> setting(String key) {
        return Optional.ofNullable(settings.get(key.toLowerCase(java.util.Locale.ROOT)));
    }

    @Override
    public String toString() {
        return "Credentials[clientId=" + clientId + ", tenantId=" + tenantId + ", subscriptionId=" + subscriptionId
                + ", secret=" + (clientSecret == null ? "none" : "***")
                + ", certificate=" + (certificatePath == null ? "none" : certificatePath)
                + ", activeDirectoryEndpoint=" + activeDirectoryEndpoint
                + ", resourceManagerEndpoint=" + resourceManagerEndpoint + "]";
    }
}
