package org.azuregahp.azure;

import com.azure.resourcemanager.keyvault.fluent.models.VaultAccessPolicyParametersInner;
import com.azure.resourcemanager.keyvault.fluent.models.VaultInner;
import com.azure.resourcemanager.keyvault.models.AccessPolicyEntry;
import com.azure.resourcemanager.keyvault.models.AccessPolicyUpdateKind;
import com.azure.resourcemanager.keyvault.models.Permissions;
import com.azure.resourcemanager.keyvault.models.SecretPermissions;
import com.azure.resourcemanager.keyvault.models.Sku;
import com.azure.resourcemanager.keyvault.models.SkuFamily;
import com.azure.resourcemanager.keyvault.models.SkuName;
import com.azure.resourcemanager.keyvault.models.VaultAccessPolicyProperties;
import com.azure.resourcemanager.keyvault.models.VaultCreateOrUpdateParameters;
import com.azure.resourcemanager.keyvault.models.VaultProperties;
import com.azure.resourcemanager.resources.fluent.models.ResourceGroupInner;
import com.azure.security.keyvault.secrets.SecretAsyncClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import java.net.URI;
import java.util.ArrayList;
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
    static Mono<VaultInner> checkSecret(Clients c, VaultSecretRef ref) {
        return vault(c, ref.resourceGroup(), ref.vaultName()).flatMap(v -> {
            if (v.properties() == null || v.properties().vaultUri() == null) {
                return Mono.error(new CloudException(CloudException.NOT_AVAILABLE, "Vault '" + ref.vaultName()
                        + "' has no URI yet (is it still being created?)"));
            }
            SecretAsyncClient secrets = secretClient(c, v.properties().vaultUri());
            return secrets.listPropertiesOfSecretVersions(ref.secretName()).byPage().next()
                    .map(page -> page.getValue().stream().anyMatch(p -> !Boolean.FALSE.equals(p.isEnabled())))
                    .defaultIfEmpty(Boolean.FALSE)
                    .onErrorResume(AzureErrors::isNotFound, e -> Mono.just(Boolean.FALSE))
                    .flatMap(exists -> exists ? Mono.just(v)
                            : Mono.error(CloudException.notFound("Secret '" + ref.secretName()
                                    + "' could not be found in vault '" + ref.vaultName() + "'")));
        });
    }

    static Mono<VaultInner> vault(Clients c, String group, String name) {
        return c.keyVault().getVaults().getByResourceGroupWithResponseAsync(group, name)
                .map(r -> r.getValue())
                .onErrorMap(AzureErrors::isNotFound, e -> CloudException.notFound("Vault '" + name
                        + "' could not be found in resource group '" + group + "'"));
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

    private Mono<Void> createVault(Clients c, VaultSpec spec, String sku) {
        String group = spec.name();
        Mono<Optional<VaultInner>> existing = AsyncUtil.orEmptyIfNotFound(
                        c.keyVault().getVaults().getByResourceGroupWithResponseAsync(group, spec.name()))
                .map(r -> Optional.of(r.getValue())).defaultIfEmpty(Optional.empty());
        return Mono.zip(existing, tenantId(c)).flatMap(t -> {
            UUID tenant = t.getT2();
            List<AccessPolicyEntry> grants = new ArrayList<>();
            for (String principal : spec.principals()) {
                grants.add(new AccessPolicyEntry().withTenantId(tenant).withObjectId(principal)
                        .withPermissions(new Permissions().withSecrets(List.of(SecretPermissions.GET,
                                SecretPermissions.LIST, SecretPermissions.SET))));
            }
            if (t.getT1().isPresent()) {
                if (grants.isEmpty()) {
                    return Mono.<Void>empty();
                }
                return c.keyVault().getVaults().updateAccessPolicyAsync(group, spec.name(), AccessPolicyUpdateKind.ADD,
                        new VaultAccessPolicyParametersInner().withProperties(
                                new VaultAccessPolicyProperties().withAccessPolicies(grants))).then();
            }
            return AsyncUtil.orEmptyIfNotFound(c.resources().getResourceGroups().getWithResponseAsync(group))
                    .map(r -> r.getValue())
                    .switchIfEmpty(Mono.defer(() -> c.resources().getResourceGroups().createOrUpdateAsync(group,
                            new ResourceGroupInner().withLocation(spec.location())
                                    .withTags(Map.of(Names.TAG_MANAGED, KIND_VAULT, Names.TAG_NAME, spec.name())))))
                    .then(c.keyVault().getVaults().createOrUpdateAsync(group, spec.name(),
                            new VaultCreateOrUpdateParameters().withLocation(spec.location())
                                    .withTags(Map.of(Names.TAG_MANAGED, KIND_VAULT))
                                    .withProperties(new VaultProperties().withTenantId(tenant)
                                            .withSku(new Sku().withFamily(SkuFamily.A).withName(
                                                    sku.equals("premium") ? SkuName.PREMIUM : SkuName.STANDARD))
                                            .withEnableRbacAuthorization(false)
                                            .withAccessPolicies(grants))))
                    .then();
        });
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
