package org.azuregahp.azure;

import com.azure.resourcemanager.resources.fluent.models.ResourceGroupInner;
import com.azure.security.keyvault.secrets.SecretAsyncClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.SecretVaults;
import org.azuregahp.ports.VaultSecretRef;
import org.azuregahp.ports.VaultSpec;
import reactor.core.publisher.Mono;

/**
 * Key vaults: the vault is found through Resource Manager (which gives its URI, so sovereign clouds
 * and test endpoints work), and a secret's existence is checked with the Key Vault secrets client by
 * listing the secret's versions, which carry no value. Vaults outside the standard domains get their
 * challenge resource accepted.
 */
final class AzureSecretVaults implements SecretVaults {
    static final String KIND_VAULT = "vault";
    private static final Set<String> STANDARD_VAULT_DOMAINS = Set.of("vault.azure.net", "vault.azure.cn",
            "vault.usgovcloudapi.net", "vault.microsoftazure.de", "managedhsm.azure.net");

    private final SdkCalls ops;

    AzureSecretVaults(SdkCalls ops) {
        this.ops = ops;
    }

    @Override
    public CompletionStage<Void> checkSecret(VaultSecretRef ref) {
        return ops.call("check of secret " + ref.secretName() + " in key vault " + ref.vaultName(),
                c -> checkSecret(c, ref).then());
    }

    /** The vault (for its URI and id) once the secret is known to exist and be readable. */
    static Mono<KeyVaultsRest.Vault> checkSecret(Clients c, VaultSecretRef ref) {
        return vault(c, ref.resourceGroup(), ref.vaultName()).flatMap(v -> {
            if (v.vaultUri() == null) {
                return Mono.error(new CloudException(CloudException.NOT_AVAILABLE, "Vault '" + ref.vaultName()
                        + "' has no URI yet (is it still being created?)"));
            }
            SecretAsyncClient secrets = secretClient(c, v.vaultUri());
            return secrets.listPropertiesOfSecretVersions(ref.secretName()).byPage().next()
                    .map(page -> page.getValue().stream().anyMatch(p -> !Boolean.FALSE.equals(p.isEnabled())))
                    .defaultIfEmpty(Boolean.FALSE)
                    .onErrorResume(AzureErrors::isNotFound, e -> Mono.just(Boolean.FALSE))
                    .flatMap(exists -> exists ? Mono.just(v)
                            : Mono.error(CloudException.notFound("Secret '" + ref.secretName()
                                    + "' could not be found in vault '" + ref.vaultName() + "'")));
        });
    }

    static Mono<KeyVaultsRest.Vault> vault(Clients c, String group, String name) {
        return KeyVaultsRest.get(c, group, name).switchIfEmpty(Mono.error(() -> CloudException.notFound("Vault '"
                + name + "' could not be found in resource group '" + group + "'")));
    }

    static SecretAsyncClient secretClient(Clients c, String vaultUri) {
        return c.secrets(vaultUri, uri -> buildSecretClient(c, uri));
    }

    private static SecretAsyncClient buildSecretClient(Clients c, String vaultUri) {
        SecretClientBuilder b = new SecretClientBuilder().vaultUrl(vaultUri)
                .credential(c.connection().tokenCredential())
                .httpClient(c.httpClient());
        if (!isStandardVaultDomain(vaultUri)) {
            b.disableChallengeResourceVerification();
        }
        return b.buildAsyncClient();
    }

    static boolean isStandardVaultDomain(String vaultUri) {
        String host = URI.create(vaultUri).getHost();
        if (host == null) {
            return false;
        }
        host = host.toLowerCase(Locale.ROOT);
        int dot = host.indexOf('.');
        return dot > 0 && STANDARD_VAULT_DOMAINS.contains(host.substring(dot + 1));
    }

    /** The resource a token for this vault is for, e.g. {@code https://vault.azure.net}. */
    static String vaultResource(String vaultUri) {
        String host = URI.create(vaultUri).getHost();
        int dot = host == null ? -1 : host.indexOf('.');
        return dot > 0 ? "https://" + host.substring(dot + 1) : "https://vault.azure.net";
    }

    @Override
    public CompletionStage<Void> createVault(VaultSpec spec) {
        if (!spec.name().matches("[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]")) {
            return CompletableFuture.failedFuture(CloudException.invalid("key vault name '" + spec.name()
                    + "' must be 3-24 letters, digits and hyphens, starting with a letter"));
        }
        String sku = spec.sku().toLowerCase(Locale.ROOT);
        if (!sku.equals("standard") && !sku.equals("premium")) {
            return CompletableFuture.failedFuture(CloudException.invalid("sku '" + spec.sku()
                    + "' is not one of standard, premium"));
        }
        return ops.call("AZURE_KEYVAULT_CREATE " + spec.name(), c -> createVault(c, spec, sku));
    }

    /**
     * The vault {@code <name>} in group {@code <name>}: an existing one gets the principals added (as
     * access policies, or as "Key Vault Secrets Officer" on an RBAC vault, whose access policies Azure
     * ignores); a soft-deleted one that was there is recovered (its name stays reserved for up to 90
     * days); one soft-deleted elsewhere is an error naming it; otherwise a new access-policy vault.
     */
    private Mono<Void> createVault(Clients c, VaultSpec spec, String sku) {
        String group = spec.name();
        List<String> principals = spec.principals();
        return KeyVaultsRest.get(c, group, spec.name())
                .map(Optional::of).defaultIfEmpty(Optional.empty())
                .flatMap(existing -> {
                    if (existing.isPresent()) {
                        return VaultAccess.grantSecretsOfficer(c, existing.get(), principals);
                    }
                    return tenantId(c).flatMap(tenant -> KeyVaultsRest.deleted(c, spec.location(), spec.name())
                            .map(Optional::of).defaultIfEmpty(Optional.empty())
                            .flatMap(deleted -> {
                                if (deleted.isPresent() && !group.equalsIgnoreCase(deleted.get().resourceGroup())) {
                                    return Mono.error(softDeletedElsewhere(spec.name(), deleted.get()));
                                }
                                Mono<Void> ensureGroup = ensureGroup(c, group, spec.location(), spec.name());
                                if (deleted.isPresent()) {
                                    return ensureGroup.then(KeyVaultsRest.put(c, group, spec.name(),
                                                    KeyVaultsRest.recover(deleted.get().location(), tenant.toString(), sku)))
                                            .flatMap(v -> VaultAccess.grantSecretsOfficer(c, v, principals));
                                }
                                return ensureGroup.then(KeyVaultsRest.put(c, group, spec.name(),
                                        KeyVaultsRest.newVault(spec.location(), Map.of(Names.TAG_MANAGED, KIND_VAULT),
                                                tenant.toString(), sku, principals, SECRET_PERMISSIONS))).then();
                            }));
                });
    }

    static final List<String> SECRET_PERMISSIONS = List.of("get", "list", "set");

    private static Mono<Void> ensureGroup(Clients c, String group, String location, String name) {
        return AsyncUtil.orEmptyIfNotFound(c.resources().getResourceGroups().getWithResponseAsync(group))
                .map(r -> r.getValue())
                .switchIfEmpty(Mono.defer(() -> c.resources().getResourceGroups().createOrUpdateAsync(group,
                        new ResourceGroupInner().withLocation(location)
                                .withTags(Map.of(Names.TAG_MANAGED, KIND_VAULT, Names.TAG_NAME, name)))))
                .then();
    }

    static CloudException softDeletedElsewhere(String name, KeyVaultsRest.DeletedVault d) {
        return new CloudException(CloudException.CONFLICT, "the key vault name '" + name + "' is held by a"
                + " soft-deleted vault (it was in resource group " + d.resourceGroup() + ", " + d.location()
                + (d.deletionDate() == null ? "" : ", deleted " + d.deletionDate())
                + (d.purgeDate() == null ? "" : ", to be purged " + d.purgeDate()) + "); recover it where it was"
                + " (az keyvault recover --name " + name + "), purge it (az keyvault purge --name " + name
                + "), or choose another name");
    }

    /** The directory of the subscription: from the credential file, else from the subscription itself. */
    static Mono<UUID> tenantId(Clients c) {
        String known = c.connection().tenantId();
        if (known != null) {
            try {
                return Mono.just(UUID.fromString(known));
            } catch (IllegalArgumentException e) {
                // a domain name: ask the subscription
            }
        }
        return new ArmRest(c).get("/subscriptions/" + c.subscription(), "2022-12-01").map(m -> {
            Object t = m.get("tenantId");
            if (t == null) {
                throw new CloudException(CloudException.INTERNAL, "the subscription did not say its tenant");
            }
            return UUID.fromString(String.valueOf(t));
        });
    }
}
