package org.azuregahp.azure;

import com.azure.core.util.logging.ClientLogger;
import com.azure.resourcemanager.authorization.models.PrincipalType;
import com.azure.resourcemanager.authorization.models.RoleAssignmentCreateParameters;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineScaleSetInner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.azuregahp.ports.CloudException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Who may read a vault's secrets, as the server grants and takes back that access: on an
 * access-policy vault with access-policy entries, on a role-based (RBAC) vault with role
 * assignments (Azure ignores an RBAC vault's access policies). A scale set's identity gets read
 * access to its one secret and loses it when the scale set goes; principals named by
 * {@code AZURE_KEYVAULT_CREATE} get get/list/set on the vault's secrets.
 */
final class VaultAccess {
    /** Built-in role "Key Vault Secrets User": read secret contents. */
    static final String SECRETS_USER_ROLE = "4633458b-17de-408a-b874-0445c86b69e6";
    /** Built-in role "Key Vault Secrets Officer": every action on secrets (what get/list/set policies give, and delete). */
    static final String SECRETS_OFFICER_ROLE = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";
    /** How long a failed create may spend taking its grant out again (it runs in the deadline's margin). */
    static final Duration REVOKE_AFTER_FAILED_CREATE = Duration.ofSeconds(10);
    private static final ClientLogger LOG = new ClientLogger(VaultAccess.class);

    private VaultAccess() {
    }

    /** Read access to one secret for a scale set's identity (a policy entry, or a role on that secret). */
    static Mono<Void> grantSecretRead(Clients c, KeyVaultsRest.Vault vault, String secretName, String principalId) {
        if (vault.rbac()) {
            return assignRole(c, vault.id() + "/secrets/" + secretName, SECRETS_USER_ROLE, principalId,
                    PrincipalType.SERVICE_PRINCIPAL);
        }
        return KeyVaultsRest.accessPolicies(c, Names.resourceGroupOf(vault.id()), vault.name(), "add",
                vault.tenantId(), List.of(principalId), List.of("get"));
    }

    /**
     * Get, list and set on every secret of the vault for these principals: access-policy entries, or,
     * on an RBAC vault, "Key Vault Secrets Officer" on the vault. Without the right to assign roles
     * the result says so and what to ask for.
     */
    static Mono<Void> grantSecretsOfficer(Clients c, KeyVaultsRest.Vault vault, List<String> principals) {
        if (principals.isEmpty()) {
            return Mono.empty();
        }
        if (!vault.rbac()) {
            return KeyVaultsRest.accessPolicies(c, Names.resourceGroupOf(vault.id()), vault.name(), "add",
                    vault.tenantId(), principals, List.of("get", "list", "set"));
        }
        return Flux.fromIterable(principals)
                .concatMap(p -> assignRole(c, vault.id(), SECRETS_OFFICER_ROLE, p, null))
                .then()
                .onErrorMap(e -> isForbidden(e), e -> new CloudException(CloudException.AUTHENTICATION, "vault '"
                        + vault.name() + "' uses Azure role-based access control, where access policies are ignored;"
                        + " granting the principals 'Key Vault Secrets Officer' on it needs the right to assign roles"
                        + " (User Access Administrator or Role Based Access Control Administrator on the vault), which"
                        + " this identity lacks (" + AzureErrors.translate(e, c.connection().redactor()).code() + ")",
                        e));
    }

    /** Azure's 403: the principal lacks the right (here, Microsoft.Authorization/roleAssignments/write). */
    private static boolean isForbidden(Throwable e) {
        Throwable u = AzureErrors.unwrap(e);
        return u instanceof com.azure.core.exception.HttpResponseException h && h.getResponse() != null
                && h.getResponse().getStatusCode() == 403;
    }

    /** A role assignment with a name fixed by scope, role and principal, so asking twice is harmless. */
    private static Mono<Void> assignRole(Clients c, String scope, String role, String principalId, PrincipalType type) {
        String roleId = "/subscriptions/" + c.subscription() + "/providers/Microsoft.Authorization/roleDefinitions/" + role;
        String name = UUID.nameUUIDFromBytes((scope.toLowerCase(Locale.ROOT) + "|" + role + "|" + principalId)
                .getBytes(StandardCharsets.UTF_8)).toString();
        RoleAssignmentCreateParameters params = new RoleAssignmentCreateParameters().withRoleDefinitionId(roleId)
                .withPrincipalId(principalId);
        if (type != null) {
            params.withPrincipalType(type);
        }
        return c.authorization().getRoleAssignments().createAsync(noLeadingSlash(scope), name, params).then()
                .onErrorResume(e -> {
                    CloudException ce = AzureErrors.translate(e, c.connection().redactor());
                    return "RoleAssignmentExists".equalsIgnoreCase(ce.code()) ? Mono.empty() : Mono.error(e);
                });
    }

    /**
     * The principals of the user-assigned identities the scale set names; if it names none with a
     * principal, the one create makes ({@code <name>-identity} in its group), when it exists.
     */
    static Mono<List<String>> principals(Clients c, String group, VirtualMachineScaleSetInner set) {
        List<String> found = new ArrayList<>();
        if (set.identity() != null && set.identity().userAssignedIdentities() != null) {
            set.identity().userAssignedIdentities().values().forEach(u -> {
                if (u != null && u.principalId() != null) {
                    found.add(u.principalId());
                }
            });
        }
        if (!found.isEmpty()) {
            return Mono.just(found);
        }
        return AsyncUtil.orEmptyIfNotFound(c.identities().getUserAssignedIdentities()
                        .getByResourceGroupWithResponseAsync(group, set.name() + "-identity"))
                .map(r -> r.getValue().principalId() == null ? List.<String>of()
                        : List.of(r.getValue().principalId().toString()))
                .defaultIfEmpty(List.of());
    }

    /**
     * Takes the principals' access out of the vault of that resource id, within {@code limit}; a
     * vault that is gone, or that no longer grants them anything, is left alone. Never fails: a
     * failure is logged at warn (its code and Azure's message, which hold no secret).
     */
    static Mono<Void> revokeQuietly(Clients c, String vaultId, List<String> principals, String what, Duration limit) {
        String vaultGroup = Names.resourceGroupOf(vaultId);
        if (vaultId == null || vaultGroup == null || principals.isEmpty()) {
            return Mono.empty();
        }
        String vaultName = vaultId.substring(vaultId.lastIndexOf('/') + 1);
        if (limit.isNegative() || limit.isZero()) {
            LOG.warning("{}: no time left to take its identity's access out of vault {}", what, vaultName);
            return Mono.empty();
        }
        return KeyVaultsRest.get(c, vaultGroup, vaultName)
                .flatMap(v -> Flux.fromIterable(principals).concatMap(p -> revoke(c, v, p)).then())
                .timeout(limit)
                .onErrorResume(e -> {
                    warn(c, what, vaultId, e);
                    return Mono.empty();
                });
    }

    private static Mono<Void> revoke(Clients c, KeyVaultsRest.Vault vault, String principal) {
        UUID objectId = UUID.fromString(principal);
        if (vault.rbac()) {
            String prefix = vault.id().toLowerCase(Locale.ROOT);
            // The client puts $filter in the URL as given: it must come encoded.
            String filter = java.net.URLEncoder.encode("principalId eq '" + objectId + "'", StandardCharsets.UTF_8)
                    .replace("+", "%20");
            return c.authorization().getRoleAssignments().listForScopeAsync(noLeadingSlash(vault.id()), filter, null, null)
                    .filter(a -> a.scope() != null && a.id() != null
                            && (a.scope().toLowerCase(Locale.ROOT) + "/").startsWith(prefix + "/"))
                    .concatMap(a -> AsyncUtil.orEmptyIfNotFound(c.authorization().getRoleAssignments()
                            .deleteByIdAsync(noLeadingSlash(a.id()))))
                    .then();
        }
        boolean held = vault.policyObjectIds().stream().anyMatch(principal::equalsIgnoreCase);
        if (!held) {
            return Mono.empty();
        }
        return KeyVaultsRest.accessPolicies(c, Names.resourceGroupOf(vault.id()), vault.name(), "remove",
                vault.tenantId(), List.of(principal), List.of("get"));
    }

    /** The authorization client puts a scope or id after a '/' of its own. */
    private static String noLeadingSlash(String id) {
        return id.startsWith("/") ? id.substring(1) : id;
    }

    static void warn(Clients c, String what, String vaultId, Throwable e) {
        CloudException ce = AzureErrors.translate(e, c.connection().redactor());
        String vaultName = vaultId.substring(vaultId.lastIndexOf('/') + 1);
        LOG.warning("{}: could not take its identity's access out of vault {} ({}: {}); remove it by hand",
                what, vaultName, ce.code(), ce.getMessage());
    }
}
