package org.azuregahp.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.credentials.CredentialSource;
import org.azuregahp.ports.credentials.Credentials;
import org.azuregahp.ports.credentials.Secret;

/**
 * Credential sources for the adapter's tests. The adapter reads no file itself: the CLI's source does
 * (and is tested there); here the credentials a path stands for are set directly.
 */
final class TestCredentials implements CredentialSource {
    private final Map<String, CompletionStage<Credentials>> byPath = new ConcurrentHashMap<>();

    /** From now on {@code path} stands for {@code credentials}. */
    void put(Path path, Credentials credentials) {
        byPath.put(path.toString(), CompletableFuture.completedFuture(credentials));
    }

    /** From now on requests naming {@code path} wait for {@code answer}. */
    void put(Path path, CompletionStage<Credentials> answer) {
        byPath.put(path.toString(), answer);
    }

    @Override
    public CompletionStage<Credentials> credentials(String path) {
        CompletionStage<Credentials> c = byPath.get(path);
        return c != null ? c : CompletableFuture.failedFuture(
                new CloudException(CloudException.CREDENTIAL_FILE, "credential file " + path + " does not exist"));
    }

    /** A service principal with a client secret, endpoints at {@code base} (as a {@code --sdk-auth} file). */
    static Credentials secret(String clientId, String secret, String tenant, String base, Map<String, String> settings) {
        return new Credentials(clientId, new Secret(secret), null, null, tenant, null, base,
                base == null ? null : base + "/", settings);
    }

    /** For the live test only: the fields of an {@code az ad sp create-for-rbac --sdk-auth} file. */
    static Credentials sdkAuthFile(Path file) throws IOException {
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        Map<String, String> settings = new LinkedHashMap<>();
        json.properties().forEach(e -> {
            if (e.getValue().isTextual()) {
                settings.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText());
            }
        });
        return new Credentials(settings.remove("clientid"), new Secret(settings.remove("clientsecret")), null, null,
                settings.remove("tenantid"), settings.remove("subscriptionid"),
                settings.remove("activedirectoryendpointurl"), settings.remove("resourcemanagerendpointurl"),
                settings);
    }
}
