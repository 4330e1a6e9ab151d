package org.azuregahp.azure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Key Vault's control plane ({@code Microsoft.KeyVault/vaults}) over the account's pipeline at
 * {@link #API}: the newest {@code azure-resourcemanager-keyvault} served here (2.54.1) sends
 * 2025-05-01, which Azure retires on 27 Feb 2027 with every version before 2026-02-01. Vaults are
 * read as JSON into {@link Vault}; access policies are changed with the {@code accessPolicies/add}
 * and {@code remove} operations (which leave other entries alone); role-based vaults are granted
 * through role assignments elsewhere, since Azure ignores their access policies.
 */
final class KeyVaultsRest {
    static final String API = "2026-02-01";

    /** What the server needs to know of a vault. */
    record Vault(String id, String name, String location, String tenantId, String vaultUri, boolean rbac,
            List<String> policyObjectIds) {
    }

    /** A vault in the soft-deleted state: its name stays reserved until it is recovered or purged. */
    record DeletedVault(String name, String location, String vaultId, String deletionDate, String purgeDate) {
        String resourceGroup() {
            return Names.resourceGroupOf(vaultId);
        }
    }

    private KeyVaultsRest() {
    }

    static String path(String subscription, String group, String name) {
        return Names.id(subscription, group, "Microsoft.KeyVault", "vaults", name);
    }

    /** The vault, or empty when there is none. */
    static Mono<Vault> get(Clients c, String group, String name) {
        return AsyncUtil.orEmptyIfNotFound(new ArmRest(c).get(path(c.subscription(), group, name), API))
                .map(KeyVaultsRest::vault);
    }

    /** Creates or updates the vault (PUT with the whole body). */
    static Mono<Vault> put(Clients c, String group, String name, Map<String, Object> body) {
        return new ArmRest(c).put(path(c.subscription(), group, name), API, body).map(KeyVaultsRest::vault);
    }

    /** Adds or removes ({@code kind}: {@code add}, {@code remove}) secret permissions of these principals. */
    static Mono<Void> accessPolicies(Clients c, String group, String name, String kind, String tenantId,
            List<String> objectIds, List<String> secretPermissions) {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (String id : objectIds) {
            entries.add(Map.of("tenantId", tenantId, "objectId", id,
                    "permissions", Map.of("secrets", secretPermissions)));
        }
        return new ArmRest(c).put(path(c.subscription(), group, name) + "/accessPolicies/" + kind, API,
                Map.of("properties", Map.of("accessPolicies", entries))).then();
    }

    /** The soft-deleted vault of that name in this subscription and location, or empty. */
    static Mono<DeletedVault> deleted(Clients c, String location, String name) {
        return AsyncUtil.orEmptyIfNotFound(new ArmRest(c).get("/subscriptions/" + c.subscription()
                        + "/providers/Microsoft.KeyVault/locations/" + location.toLowerCase(Locale.ROOT)
                        + "/deletedVaults/" + name, API))
                .map(m -> {
                    Map<String, Object> p = map(m.get("properties"));
                    return new DeletedVault(text(m.get("name"), name), text(p.get("location"), location),
                            text(p.get("vaultId"), null), text(p.get("deletionDate"), null),
                            text(p.get("scheduledPurgeDate"), null));
                });
    }

    /** A new vault's body: access-policy mode (stated, not left to the API version's default). */
    static Map<String, Object> newVault(String location, Map<String, String> tags, String tenantId, String sku,
            List<String> principals, List<String> secretPermissions) {
        List<Map<String, Object>> policies = new ArrayList<>();
        for (String id : principals) {
            policies.add(Map.of("tenantId", tenantId, "objectId", id, "permissions",
                    Map.of("secrets", secretPermissions)));
        }
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("tenantId", tenantId);
        props.put("sku", Map.of("family", "A", "name", sku));
        props.put("enableRbacAuthorization", false);
        props.put("accessPolicies", policies);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("location", location);
        body.put("tags", tags);
        body.put("properties", props);
        return body;
    }

    /** The body that recovers a soft-deleted vault where it was. */
    static Map<String, Object> recover(String location, String tenantId, String sku) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("tenantId", tenantId);
        props.put("sku", Map.of("family", "A", "name", sku));
        props.put("createMode", "recover");
        return Map.of("location", location, "properties", props);
    }

    static Vault vault(Map<String, Object> m) {
        Map<String, Object> p = map(m.get("properties"));
        List<String> objectIds = new ArrayList<>();
        if (p.get("accessPolicies") instanceof List<?> list) {
            for (Object o : list) {
                Object id = map(o).get("objectId");
                if (id != null) {
                    objectIds.add(String.valueOf(id));
                }
            }
        }
        return new Vault(text(m.get("id"), null), text(m.get("name"), null), text(m.get("location"), null),
                text(p.get("tenantId"), null), text(p.get("vaultUri"), null),
                Boolean.TRUE.equals(p.get("enableRbacAuthorization"))
                        || "true".equalsIgnoreCase(String.valueOf(p.get("enableRbacAuthorization"))),
                List.copyOf(objectIds));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static String text(Object o, String fallback) {
        return o == null ? fallback : String.valueOf(o);
    }
}
