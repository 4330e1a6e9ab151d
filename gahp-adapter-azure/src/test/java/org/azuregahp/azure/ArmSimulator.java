package org.azuregahp.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A small stateful Azure for the port contract tests: resource groups and the resources in them
 * (PUT/GET/PATCH/DELETE, answered synchronously with {@code provisioningState: Succeeded}), the VM and
 * scale-set lists, scale-set power actions and instance views, Key Vault access policies and the
 * secrets data plane (with its 401 challenge), Automation runbooks and schedules. It knows a handful
 * of regions and answers an unknown one as Azure does.
 */
final class ArmSimulator implements ResponseDefinitionTransformerV2 {
    static final String NAME = "arm-simulator";
    static final Set<String> LOCATIONS = Set.of("westeurope", "northeurope", "eastus", "eastus2", "westus2",
            "uksouth", "germanywestcentral", "centralus");

    private final ObjectMapper json = new ObjectMapper();
    private final String subscription;
    private final String tenant;
    private volatile String base = "";
    /** Lower-cased resource path to the stored resource. */
    private final Map<String, ObjectNode> resources = new LinkedHashMap<>();
    private final Map<String, Set<String>> secrets = new HashMap<>();
    private int addresses;

    ArmSimulator(String subscription, String tenant) {
        this.subscription = subscription;
        this.tenant = tenant;
    }

    void base(String base) {
        this.base = base;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    /** Test seeding: a vault (in its group) holding the named secret. */
    synchronized void seedSecret(String vault, String group, String secret) {
        ensureGroup(group, "westeurope");
        String path = rp(group, "Microsoft.KeyVault", "vaults", vault);
        if (!resources.containsKey(key(path))) {
            ObjectNode v = json.createObjectNode().put("location", "westeurope");
            ObjectNode props = v.putObject("properties").put("tenantId", tenant).put("vaultUri", base + "/");
            props.putObject("sku").put("family", "A").put("name", "standard");
            store(path, "Microsoft.KeyVault/vaults", vault, v);
        }
        secrets.computeIfAbsent(vault.toLowerCase(Locale.ROOT), k -> new HashSet<>()).add(secret);
    }

    /** Test seeding: an Automation account. */
    synchronized void seedAutomationAccount(String group, String account) {
        ensureGroup(group, "westeurope");
        ObjectNode a = json.createObjectNode().put("location", "westeurope");
        a.putObject("identity").put("type", "SystemAssigned");
        store(rp(group, "Microsoft.Automation", "automationAccounts", account), "Microsoft.Automation/automationAccounts",
                account, a);
    }

    @Override
    public synchronized ResponseDefinition transform(ServeEvent event) {
        Request r = event.getRequest();
        String method = r.getMethod().getName();
        String url = r.getUrl();
        String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        try {
            return handle(method, path, url, r);
        } catch (RuntimeException e) {
            return error(500, "InternalServerError", "simulator: " + e);
        }
    }

    private ResponseDefinition handle(String method, String path, String url, Request r) throws RuntimeException {
        String[] s = path.substring(1).split("/");
        if (s.length >= 2 && s[0].equals("secrets")) {
            return keyVault(method, s, r);
        }
        if (s.length < 2 || !s[0].equalsIgnoreCase("subscriptions")) {
            return error(404, "NotFound", "no such endpoint " + path);
        }
        if (s.length == 2) {
            return ok(json.createObjectNode().put("subscriptionId", subscription).put("tenantId", tenant)
                    .put("state", "Enabled"));
        }
        if (s.length == 3 && s[2].equalsIgnoreCase("resourcegroups")) {
            ArrayNode list = json.createArrayNode();
            resources.forEach((k, v) -> {
                if (k.split("/").length == 5) {
                    list.add(v);
                }
            });
            return ok(json.createObjectNode().set("value", list));
        }
        if (s.length == 5 && s[2].equalsIgnoreCase("providers")) {
            return list(s[3] + "/" + s[4]);
        }
        if (s.length >= 4 && s[2].equalsIgnoreCase("resourcegroups")) {
            String group = s[3];
            if (s.length == 4) {
                return group(method, group, body(r));
            }
            if (s.length >= 8 && s[4].equalsIgnoreCase("providers")) {
                return resource(method, group, s, body(r));
            }
        }
        return error(404, "NotFound", "no such endpoint " + path);
    }

    // ---------------------------------------------------------------- resource groups

    private ResponseDefinition group(String method, String group, JsonNode body) {
        String path = "/subscriptions/" + subscription + "/resourceGroups/" + group;
        ObjectNode existing = resources.get(key(path));
        switch (method) {
            case "GET":
                return existing == null ? groupNotFound(group) : ok(existing);
            case "PUT": {
                String location = body.path("location").asText("");
                if (!LOCATIONS.contains(location.toLowerCase(Locale.ROOT))) {
                    return error(400, "LocationNotAvailableForResourceGroup", "The provided location '" + location
                            + "' is not available for resource group. List of available regions is '"
                            + String.join(",", LOCATIONS) + "'.");
                }
                ObjectNode g = ((ObjectNode) body.deepCopy());
                store(path, "Microsoft.Resources/resourceGroups", group, g);
                return respond(existing == null ? 201 : 200, g);
            }
            case "DELETE": {
                if (existing == null) {
                    return groupNotFound(group);
                }
                String prefix = key(path);
                resources.keySet().removeIf(k -> k.equals(prefix) || k.startsWith(prefix + "/"));
                return new ResponseDefinition(200, "");
            }
            default:
                return error(405, "MethodNotAllowed", method);
        }
    }

    private void ensureGroup(String group, String location) {
        String path = "/subscriptions/" + subscription + "/resourceGroups/" + group;
        if (!resources.containsKey(key(path))) {
            store(path, "Microsoft.Resources/resourceGroups", group, json.createObjectNode().put("location", location));
        }
    }

    // ---------------------------------------------------------------- resources

    private ResponseDefinition resource(String method, String group, String[] s, JsonNode body) {
        String groupPath = "/subscriptions/" + subscription + "/resourceGroups/" + group;
        if (!resources.containsKey(key(groupPath))) {
            return groupNotFound(group);
        }
        String provider = s[5];
        String type = s[6];
        String name = s[7];
        String path = rp(group, provider, type, name);
        String fullType = provider + "/" + type;
        ObjectNode existing = resources.get(key(path));
        if (s.length > 8) {
            return child(method, existing, fullType, path, java.util.Arrays.copyOfRange(s, 8, s.length), body);
        }
        switch (method) {
            case "GET":
                return existing == null ? notFound(fullType, name, group) : ok(visible(existing, fullType));
            case "PUT": {
                String location = body.path("location").asText("");
                if (!location.isEmpty() && !LOCATIONS.contains(location.toLowerCase(Locale.ROOT))) {
                    return error(400, "LocationNotAvailableForResourceType", "The provided location '" + location
                            + "' is not available for resource type '" + fullType + "'.");
                }
                ObjectNode stored = (ObjectNode) body.deepCopy();
                ObjectNode props = stored.has("properties") ? (ObjectNode) stored.get("properties")
                        : stored.putObject("properties");
                ObjectNode old = existing == null ? json.createObjectNode() : (ObjectNode) existing.path("properties");
                switch (fullType.toLowerCase(Locale.ROOT)) {
                    case "microsoft.compute/virtualmachines" -> {
                        props.put("vmId", old.path("vmId").asText(UUID.randomUUID().toString()));
                        stored.put("_power", existing == null ? "running" : existing.path("_power").asText("running"));
                    }
                    case "microsoft.compute/virtualmachinescalesets" ->
                            stored.put("_power", existing == null ? "running" : existing.path("_power").asText("running"));
                    case "microsoft.network/publicipaddresses" -> props.put("ipAddress",
                            old.path("ipAddress").asText("20.50." + (++addresses / 250) + "." + (addresses % 250 + 1)));
                    case "microsoft.managedidentity/userassignedidentities" -> props
                            .put("principalId", old.path("principalId").asText(UUID.randomUUID().toString()))
                            .put("clientId", old.path("clientId").asText(UUID.randomUUID().toString()))
                            .put("tenantId", tenant);
                    case "microsoft.keyvault/vaults" -> props.put("vaultUri", base + "/");
                    default -> {
                    }
                }
                store(path, fullType, name, stored);
                return respond(existing == null ? 201 : 200, visible(stored, fullType));
            }
            case "PATCH": {
                if (existing == null) {
                    return notFound(fullType, name, group);
                }
                if (body.has("sku")) {
                    ObjectNode sku = existing.has("sku") ? (ObjectNode) existing.get("sku") : existing.putObject("sku");
                    body.get("sku").fields().forEachRemaining(f -> sku.set(f.getKey(), f.getValue()));
                }
                if (body.has("tags")) {
                    existing.set("tags", body.get("tags"));
                }
                return ok(visible(existing, fullType));
            }
            case "DELETE":
                if (existing == null) {
                    return new ResponseDefinition(204, "");
                }
                resources.keySet().removeIf(k -> k.equals(key(path)) || k.startsWith(key(path) + "/"));
                return new ResponseDefinition(200, "");
            default:
                return error(405, "MethodNotAllowed", method);
        }
    }

    private ResponseDefinition child(String method, ObjectNode parent, String type, String parentPath, String[] rest,
            JsonNode body) {
        String name = parentPath.substring(parentPath.lastIndexOf('/') + 1);
        if (parent == null) {
            return notFound(type, name, parentPath.split("/")[4]);
        }
        String t = type.toLowerCase(Locale.ROOT);
        String first = rest[0].toLowerCase(Locale.ROOT);
        if (t.equals("microsoft.compute/virtualmachinescalesets")) {
            if (method.equals("POST") && rest.length == 1) {
                switch (first) {
                    case "start", "restart" -> parent.put("_power", "running");
                    case "deallocate" -> parent.put("_power", "deallocated");
                    case "poweroff" -> parent.put("_power", "stopped");
                    default -> {
                        return error(404, "NotFound", rest[0]);
                    }
                }
                return new ResponseDefinition(200, "");
            }
            if (method.equals("GET") && first.equals("instanceview")) {
                long capacity = parent.path("sku").path("capacity").asLong(0);
                ObjectNode view = json.createObjectNode();
                ArrayNode summary = view.putObject("virtualMachine").putArray("statusesSummary");
                if (capacity > 0) {
                    summary.addObject().put("code", "ProvisioningState/succeeded").put("count", capacity);
                    summary.addObject().put("code", "PowerState/" + parent.path("_power").asText("running"))
                            .put("count", capacity);
                }
                view.putArray("statuses").addObject().put("code", "ProvisioningState/succeeded");
                return ok(view);
            }
        }
        if (t.equals("microsoft.keyvault/vaults") && first.equals("accesspolicies") && method.equals("PUT")) {
            ObjectNode props = (ObjectNode) parent.path("properties");
            ArrayNode policies = props.has("accessPolicies") ? (ArrayNode) props.get("accessPolicies")
                    : props.putArray("accessPolicies");
            body.path("properties").path("accessPolicies").forEach(policies::add);
            return ok(body);
        }
        if (t.equals("microsoft.automation/automationaccounts")) {
            String childPath = parentPath + "/" + String.join("/", rest);
            switch (method) {
                case "PUT" -> {
                    if (rest.length == 4 && rest[2].equalsIgnoreCase("draft")) {
                        return resources.containsKey(key(parentPath + "/" + rest[0] + "/" + rest[1]))
                                ? new ResponseDefinition(200, "") : notFound("runbooks", rest[1], "");
                    }
                    ObjectNode stored = body.isObject() ? (ObjectNode) body.deepCopy() : json.createObjectNode();
                    store(childPath, type + "/" + rest[0], rest[rest.length - 1], stored);
                    return respond(201, stored);
                }
                case "POST" -> {
                    // Runbook - Publish, 2023-11-01: POST .../runbooks/{name}/publish
                    if (rest.length == 3 && rest[0].equalsIgnoreCase("runbooks") && rest[2].equalsIgnoreCase("publish")) {
                        return resources.containsKey(key(parentPath + "/" + rest[0] + "/" + rest[1]))
                                ? new ResponseDefinition(200, "") : notFound("runbooks", rest[1], "");
                    }
                    return error(404, "NotFound", "simulator has no POST " + String.join("/", rest));
                }
                case "DELETE" -> {
                    return resources.remove(key(childPath)) == null ? error(404, "NotFound", "no " + rest[0])
                            : new ResponseDefinition(200, "");
                }
                case "GET" -> {
                    ObjectNode found = resources.get(key(childPath));
                    return found == null ? error(404, "NotFound", "no " + rest[0]) : ok(found);
                }
                default -> {
                }
            }
        }
        return error(404, "NotFound", "simulator has no " + String.join("/", rest) + " on " + type);
    }

    private ResponseDefinition list(String type) {
        ArrayNode value = json.createArrayNode();
        resources.forEach((k, v) -> {
            if (v.path("type").asText().equalsIgnoreCase(type)) {
                value.add(visible(v, type));
            }
        });
        return ok(json.createObjectNode().set("value", value));
    }

    private ObjectNode visible(ObjectNode stored, String type) {
        ObjectNode out = stored.deepCopy();
        String power = out.path("_power").asText(null);
        out.remove("_power");
        if (type.equalsIgnoreCase("Microsoft.Compute/virtualMachines") && power != null) {
            ObjectNode props = (ObjectNode) out.path("properties");
            ArrayNode statuses = props.putObject("instanceView").putArray("statuses");
            statuses.addObject().put("code", "ProvisioningState/succeeded");
            statuses.addObject().put("code", "PowerState/" + power);
        }
        return out;
    }

    // ---------------------------------------------------------------- key vault data plane

    private ResponseDefinition keyVault(String method, String[] s, Request r) {
        if (!r.containsHeader("Authorization")) {
            return new ResponseDefinitionBuilder().withStatus(401)
                    .withHeader("WWW-Authenticate",
                            "Bearer authorization=\"" + base + "/" + tenant + "\", resource=\"https://vault.azure.net\"")
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"error\":{\"code\":\"Unauthorized\",\"message\":\"AKV10000: Request is missing a Bearer or PoP token.\"}}")
                    .build();
        }
        // Every vault's URI is this one host (the secrets client keeps only the host of a vault URI), so
        // the data plane answers for the union of all vaults' secrets.
        if (s.length >= 2 && method.equals("GET")) {
            String secret = s[1];
            String vault = "any";
            if (secrets.values().stream().anyMatch(v -> v.contains(secret))) {
                ObjectNode page = json.createObjectNode();
                page.putArray("value").addObject().put("id", base + "/secrets/" + secret + "/v1-" + vault)
                        .putObject("attributes").put("enabled", true);
                page.putNull("nextLink");
                return ok(page);
            }
            return error(404, "SecretNotFound", "A secret with (name/id) " + secret + " was not found in this key vault.");
        }
        return error(404, "NotFound", "no such vault endpoint");
    }

    // ---------------------------------------------------------------- helpers

    private String rp(String group, String provider, String type, String name) {
        return "/subscriptions/" + subscription + "/resourceGroups/" + group + "/providers/" + provider + "/" + type + "/"
                + name;
    }

    private void store(String path, String type, String name, ObjectNode node) {
        node.put("id", path).put("name", name).put("type", type);
        ObjectNode props = node.has("properties") && node.get("properties").isObject()
                ? (ObjectNode) node.get("properties") : node.putObject("properties");
        props.put("provisioningState", "Succeeded");
        resources.put(key(path), node);
    }

    private static String key(String path) {
        return path.toLowerCase(Locale.ROOT);
    }

    private JsonNode body(Request r) {
        String b = r.getBodyAsString();
        if (b == null || b.isBlank()) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(b);
        } catch (java.io.IOException e) {
            return json.createObjectNode();
        }
    }

    private ResponseDefinition ok(JsonNode body) {
        return respond(200, body);
    }

    private ResponseDefinition respond(int status, JsonNode body) {
        return new ResponseDefinitionBuilder().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody(body.toString()).build();
    }

    private ResponseDefinition error(int status, String code, String message) {
        ObjectNode e = json.createObjectNode();
        e.putObject("error").put("code", code).put("message", message);
        return respond(status, e);
    }

    private ResponseDefinition groupNotFound(String group) {
        return error(404, "ResourceGroupNotFound", "Resource group '" + group + "' could not be found.");
    }

    private ResponseDefinition notFound(String type, String name, String group) {
        return error(404, "ResourceNotFound", "The Resource '" + type + "/" + name + "' under resource group '" + group
                + "' was not found.");
    }

    List<String> paths() {
        return new ArrayList<>(resources.keySet());
    }
}
