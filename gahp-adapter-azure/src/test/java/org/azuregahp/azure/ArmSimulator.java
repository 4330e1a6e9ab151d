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
 *
 * <p>And it refuses what Azure refuses, in Azure's words: writes to a resource provider the
 * subscription is not registered for (until it is: {@code POST .../providers/{ns}/register}, then
 * {@code Registering}, then {@code Registered}); Key Vault API versions before 2026-02-01; a VM or
 * scale set from a gallery image that needs Trusted Launch without it (or with it, from an image
 * that does not support it); unmanaged disks; a marketplace image with a purchase plan without the
 * plan, or whose terms are not accepted; a scale set with a single placement group above 100
 * instances; a vault name held by a soft-deleted vault. Role-based vaults ignore access policies.
 * A scale set's create can be held open ({@link #holdScaleSetCreates}) as a slow create is.
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
    /** Provider namespaces (lower case) not registered; those the principal may not register. */
    private final Set<String> unregistered = new HashSet<>();
    private final Set<String> unregistrable = new HashSet<>();
    /** Registration under way: namespace to the number of state reads left before it is Registered. */
    private final Map<String, Integer> registering = new HashMap<>();
    private int registerCalls;
    /** Answers to GETs of fixed paths (lower case): gallery image definitions, marketplace image versions. */
    private final Map<String, ObjectNode> fixed = new HashMap<>();
    /** Marketplace images (publisher:offer:sku, lower case) sold with a plan, and whether its terms are accepted. */
    private final Map<String, Boolean> planTermsAccepted = new HashMap<>();
    /** Marketplace image versions by lower-case publisher:offer:sku, for what a create from one needs. */
    private final Map<String, ObjectNode> marketplaceImages = new HashMap<>();
    /** Soft-deleted vaults by lower-case name: the vault as it was, with its original path. */
    private final Map<String, ObjectNode> deletedVaults = new LinkedHashMap<>();
    private boolean mayAssignRoles = true;
    /** Azure's request budgets, when enforced (on by default, on the system clock). */
    private ArmThrottling throttling;
    /** How long answers and provisioning take, when modelled (off by default: every answer at once). */
    private Latencies latencies;
    private java.util.function.LongSupplier nanos = System::nanoTime;
    private double timeScale = 1;
    private final java.util.Random jitter = new java.util.Random(7);
    /** Long-running operations under way, by id: the resource they make and when they finish (clock nanos). */
    private final Map<String, Object[]> operations = new HashMap<>();
    private final java.util.PriorityQueue<Object[]> due = new java.util.PriorityQueue<>(
            (a, b) -> Long.compare((Long) a[1], (Long) b[1]));
    private int operationIds;
    private boolean holdScaleSetCreates;
    private final List<String> heldOperations = new ArrayList<>();

    ArmSimulator(String subscription, String tenant) {
        this.subscription = subscription;
        this.tenant = tenant;
        this.throttling = new ArmThrottling(System::nanoTime, ArmThrottling.Budgets.azure());
    }

    /**
     * Azure's request budgets on this clock (nanoseconds; a test's manual clock, or a bench's scaled
     * one), with these sizes; null turns throttling off.
     */
    synchronized void throttling(java.util.function.LongSupplier clock, ArmThrottling.Budgets budgets) {
        this.nanos = clock;
        this.throttling = budgets == null ? null : new ArmThrottling(clock, budgets);
    }

    synchronized ArmThrottling throttling() {
        return throttling;
    }

    /** How long answers take and resources provision, on the throttling clock; a real second is {@code scale} of its seconds. */
    synchronized void latencies(Latencies l, double scale) {
        this.latencies = l;
        this.timeScale = scale;
    }

    /**
     * Realistic timings (simulated milliseconds): an answer to a read after {@code readMs}, to a write
     * after {@code writeMs} (a VM's PUT after {@code vmPutMs}); a public IP, NIC, virtual network or
     * security group provisions in 1 to 4 s, a VM in {@code vmMinSeconds} to {@code vmMaxSeconds}
     * (uniform, seeded): until then its PUT's {@code Azure-AsyncOperation} reports {@code InProgress}
     * and it is {@code Creating}.
     */
    record Latencies(long readMs, long writeMs, long vmPutMs, double vmMinSeconds, double vmMaxSeconds) {
        static Latencies azure() {
            return new Latencies(80, 300, 1500, 45, 90);
        }
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

    /** Test seeding: an Automation account with a system-assigned identity. */
    synchronized void seedAutomationAccount(String group, String account) {
        seedAutomationAccount(group, account, true);
    }

    /** Test seeding: an Automation account, with or without a system-assigned identity. */
    synchronized void seedAutomationAccount(String group, String account, boolean systemIdentity) {
        ensureGroup(group, "westeurope");
        ObjectNode a = json.createObjectNode().put("location", "westeurope");
        if (systemIdentity) {
            a.putObject("identity").put("type", "SystemAssigned").put("principalId", UUID.randomUUID().toString())
                    .put("tenantId", tenant);
        }
        store(rp(group, "Microsoft.Automation", "automationAccounts", account), "Microsoft.Automation/automationAccounts",
                account, a);
    }

    /** Test seeding: a vault in access-policy or role-based (RBAC) mode, holding the named secret. */
    synchronized void seedSecret(String vault, String group, String secret, boolean rbac) {
        seedSecret(vault, group, secret);
        ((ObjectNode) resources.get(key(rp(group, "Microsoft.KeyVault", "vaults", vault))).path("properties"))
                .put("enableRbacAuthorization", rbac);
    }

    /** Test seeding: a soft-deleted vault of that name, deleted from {@code group}. */
    synchronized void seedSoftDeletedVault(String vault, String group, String location) {
        ObjectNode v = json.createObjectNode().put("location", location);
        v.putObject("properties").put("tenantId", tenant).put("vaultUri", base + "/").putObject("sku")
                .put("family", "A").put("name", "standard");
        String path = rp(group, "Microsoft.KeyVault", "vaults", vault);
        v.put("id", path).put("name", vault).put("type", "Microsoft.KeyVault/vaults");
        deletedVaults.put(vault.toLowerCase(Locale.ROOT), v);
    }

    /** The principals the vault lets read its secrets: role assignments on an RBAC vault, else its access policies. */
    synchronized List<String> principalsWithSecretAccess(String vault, String group) {
        ObjectNode v = resources.get(key(rp(group, "Microsoft.KeyVault", "vaults", vault)));
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (v.path("properties").path("enableRbacAuthorization").asBoolean(false)) {
            String prefix = key(v.path("id").asText());
            resources.forEach((k, r) -> {
                if (r.path("type").asText().equals("Microsoft.Authorization/roleAssignments")
                        && key(r.path("properties").path("scope").asText()).startsWith(prefix)) {
                    out.add(r.path("properties").path("principalId").asText());
                }
            });
        } else {
            v.path("properties").path("accessPolicies").forEach(p -> out.add(p.path("objectId").asText()));
        }
        return out;
    }

    /** Whether the principal may create role assignments (User Access Administrator or similar). */
    synchronized void mayAssignRoles(boolean may) {
        mayAssignRoles = may;
    }

    /** The subscription starts (again) with this provider unregistered; the principal may or may not register it. */
    synchronized void unregister(String namespace, boolean principalMayRegister) {
        unregistered.add(namespace.toLowerCase(Locale.ROOT));
        if (!principalMayRegister) {
            unregistrable.add(namespace.toLowerCase(Locale.ROOT));
        }
    }

    /** Every provider registered, and registering allowed. */
    synchronized void registerAll() {
        unregistered.clear();
        unregistrable.clear();
        registering.clear();
    }

    synchronized boolean registered(String namespace) {
        return !unregistered.contains(namespace.toLowerCase(Locale.ROOT));
    }

    synchronized int registerCalls() {
        return registerCalls;
    }

    /**
     * Test seeding: a Compute Gallery image definition (its id, without {@code /versions/...}) whose
     * features say its security type ({@code TrustedLaunch}, {@code TrustedLaunchSupported}, ...; null
     * for none: a generation 1 image).
     */
    synchronized void seedGalleryImage(String definitionId, String securityType) {
        ObjectNode d = json.createObjectNode().put("id", definitionId)
                .put("name", definitionId.substring(definitionId.lastIndexOf('/') + 1)).put("location", "westeurope");
        ObjectNode props = d.putObject("properties").put("osType", "Linux").put("osState", "Generalized")
                .put("hyperVGeneration", securityType == null ? "V1" : "V2");
        if (securityType != null) {
            props.putArray("features").addObject().put("name", "SecurityType").put("value", securityType);
        }
        fixed.put(key(definitionId), d);
    }

    /**
     * Test seeding: a marketplace image (every version, "latest" among them) of a generation, with
     * the Trusted Launch feature for generation 2, optionally sold with a purchase plan whose terms
     * are accepted or not.
     */
    synchronized void seedMarketplaceImage(String publisher, String offer, String sku, boolean gen2, boolean plan,
            boolean termsAccepted) {
        String prefix = "/subscriptions/" + subscription + "/providers/Microsoft.Compute/locations/westeurope/publishers/"
                + publisher + "/artifacttypes/vmimage/offers/" + offer + "/skus/" + sku + "/versions";
        String version = "1.0.20260101";
        ObjectNode image = json.createObjectNode().put("name", version).put("location", "westeurope")
                .put("id", prefix + "/" + version);
        ObjectNode props = image.putObject("properties").put("hyperVGeneration", gen2 ? "V2" : "V1");
        props.putObject("osDiskImage").put("operatingSystem", "Linux");
        if (gen2) {
            props.putArray("features").addObject().put("name", "SecurityType").put("value", "TrustedLaunchSupported");
        }
        if (plan) {
            props.putObject("plan").put("publisher", publisher).put("name", sku).put("product", offer);
            planTermsAccepted.put(key(publisher + ":" + offer + ":" + sku), termsAccepted);
        }
        fixed.put(key(prefix + "/" + version), image);
        ArrayNode versions = json.createArrayNode();
        versions.addObject().put("name", version).put("location", "westeurope").put("id", prefix + "/" + version);
        fixed.put(key(prefix), (ObjectNode) json.createObjectNode().set("list", versions));
        marketplaceImages.put(key(publisher + ":" + offer + ":" + sku), image);
    }

    /** From now on a scale set's create stays in progress (provisioning Creating) until {@link #finishScaleSetCreates}. */
    synchronized void holdScaleSetCreates(boolean hold) {
        holdScaleSetCreates = hold;
    }

    /** The held creates finish: their scale sets succeed and their operations report Succeeded. */
    synchronized void finishScaleSetCreates() {
        for (String path : heldOperations) {
            ObjectNode set = resources.get(key(path));
            if (set != null) {
                ((ObjectNode) set.path("properties")).put("provisioningState", "Succeeded");
            }
        }
        heldOperations.clear();
    }

    /** Test set-up: a scale set as made before the server turned single placement groups off. */
    synchronized void singlePlacementGroup(String group, String name, boolean single) {
        ((ObjectNode) resources.get(key(rp(group, "Microsoft.Compute", "virtualMachineScaleSets", name)))
                .path("properties")).put("singlePlacementGroup", single);
    }

    synchronized int heldScaleSetCreates() {
        return heldOperations.size();
    }

    @Override
    public synchronized ResponseDefinition transform(ServeEvent event) {
        Request r = event.getRequest();
        String method = r.getMethod().getName();
        String url = r.getUrl();
        String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        try {
            if (method.equals("POST") && path.matches("/[^/]+/oauth2/v2\\.0/token")) {
                return token(r);
            }
            finishDue();
            ArmThrottling.Verdict verdict = null;
            if (throttling != null && path.toLowerCase(Locale.ROOT).startsWith("/subscriptions/")) {
                verdict = throttling.admit(facts(method, path, r));
                if (verdict.refused()) {
                    ResponseDefinitionBuilder b = new ResponseDefinitionBuilder().withStatus(429)
                            .withHeader("Content-Type", "application/json")
                            .withHeader("Retry-After", Long.toString(verdict.retryAfterSeconds()))
                            .withBody(verdict.refusal().toString());
                    verdict.headers().forEach(b::withHeader);
                    return delayed(b.build(), method, path);
                }
            }
            ResponseDefinition out = operation(method, path);
            if (out == null) {
                out = handle(method, path, url, r);
            }
            if (verdict != null && !verdict.headers().isEmpty()) {
                ResponseDefinitionBuilder b = ResponseDefinitionBuilder.like(out);
                verdict.headers().forEach(b::withHeader);
                out = b.build();
            }
            return delayed(out, method, path);
        } catch (RuntimeException e) {
            return error(500, "InternalServerError", "simulator: " + e);
        }
    }

    // ---------------------------------------------------------------- identity and throttling facts

    /** The identity service's answer: a JWT whose {@code appid} is the requesting client's id. */
    private ResponseDefinition token(Request r) {
        String clientId = "unknown";
        for (String kv : String.valueOf(r.getBodyAsString()).split("&")) {
            if (kv.startsWith("client_id=")) {
                clientId = java.net.URLDecoder.decode(kv.substring(10), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        java.util.Base64.Encoder e = java.util.Base64.getUrlEncoder().withoutPadding();
        String claims = json.createObjectNode().put("aud", "https://management.core.windows.net/")
                .put("tid", tenant).put("appid", clientId).put("oid", UUID.nameUUIDFromBytes(clientId.getBytes(
                        java.nio.charset.StandardCharsets.UTF_8)).toString()).toString();
        String jwt = e.encodeToString("{\"typ\":\"JWT\",\"alg\":\"none\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + "." + e.encodeToString(claims.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + ".sig";
        return respond(200, json.createObjectNode().put("token_type", "Bearer").put("expires_in", 3599)
                .put("ext_expires_in", 3599).put("access_token", jwt));
    }

    /** The principal (the token's appid), the provider, the path below it and the region of a request. */
    private ArmThrottling.Request facts(String method, String path, Request r) {
        String principal = "unknown";
        String auth = r.containsHeader("Authorization") ? r.getHeader("Authorization") : null;
        if (auth != null && auth.startsWith("Bearer ")) {
            String[] parts = auth.substring(7).split("\\.");
            if (parts.length >= 2) {
                try {
                    JsonNode claims = json.readTree(java.util.Base64.getUrlDecoder().decode(parts[1]));
                    principal = claims.path("appid").asText(principal).toLowerCase(Locale.ROOT);
                } catch (java.io.IOException | IllegalArgumentException e) {
                    // not a JWT: one unknown principal
                }
            }
        }
        String[] s = path.substring(1).split("/");
        String sub = s.length > 1 ? s[1].toLowerCase(Locale.ROOT) : null;
        String namespace = null;
        StringBuilder template = new StringBuilder();
        String region = null;
        for (int i = 2; i < s.length; i++) {
            if (s[i].equalsIgnoreCase("providers") && i + 1 < s.length) {
                namespace = s[i + 1];
                for (int j = i + 2, k = 0; j < s.length; j++, k++) {
                    template.append(k == 0 ? "" : "/").append(k % 2 == 1 ? "{}" : s[j].toLowerCase(Locale.ROOT));
                    if (k % 2 == 1 && s[j - 1].equalsIgnoreCase("locations")) {
                        region = s[j].toLowerCase(Locale.ROOT);
                    }
                }
                break;
            }
        }
        if (region == null && (method.equals("PUT") || method.equals("PATCH"))) {
            String loc = body(r).path("location").asText("");
            region = loc.isEmpty() ? null : loc.replace(" ", "").toLowerCase(Locale.ROOT);
        }
        if (region == null && s.length >= 4 && s[2].equalsIgnoreCase("resourcegroups")) {
            ObjectNode g = resources.get(key("/subscriptions/" + subscription + "/resourceGroups/" + s[3]));
            if (g != null) {
                region = g.path("location").asText("").toLowerCase(Locale.ROOT);
            }
        }
        return new ArmThrottling.Request(method, sub, principal, namespace, template.toString(), region);
    }

    // ---------------------------------------------------------------- latencies and long-running operations

    private ResponseDefinition delayed(ResponseDefinition out, String method, String path) {
        if (latencies == null) {
            return out;
        }
        long ms = method.equals("GET") ? latencies.readMs()
                : method.equals("PUT") && path.toLowerCase(Locale.ROOT).contains("/microsoft.compute/virtualmachines/")
                        ? latencies.vmPutMs() : latencies.writeMs();
        int real = (int) Math.max(0, Math.round(ms / timeScale));
        return real == 0 ? out : ResponseDefinitionBuilder.like(out).withFixedDelay(real).build();
    }

    /** Seconds a resource of this type takes to provision once its PUT is accepted; 0 for at once. */
    private double provisioning(String type) {
        switch (type.toLowerCase(Locale.ROOT)) {
            case "microsoft.compute/virtualmachines":
                return latencies.vmMinSeconds() + jitter.nextDouble() * (latencies.vmMaxSeconds() - latencies.vmMinSeconds());
            case "microsoft.network/publicipaddresses":
            case "microsoft.network/networkinterfaces":
            case "microsoft.network/virtualnetworks":
            case "microsoft.network/networksecuritygroups":
                return 1 + jitter.nextDouble() * 3;
            default:
                return 0;
        }
    }

    /** A new PUT made {@code path} (type {@code type}): with latencies, an operation under way; its answer's header. */
    private String startOperation(String path, String type, String location) {
        double seconds = latencies == null ? 0 : provisioning(type);
        if (seconds <= 0) {
            return null;
        }
        ObjectNode stored = resources.get(key(path));
        ((ObjectNode) stored.path("properties")).put("provisioningState", "Creating");
        String id = "op-" + (++operationIds);
        Object[] op = {path, nanos.getAsLong() + (long) (seconds * ArmThrottling.S), id};
        operations.put(id, op);
        due.add(op);
        return base + "/subscriptions/" + subscription + "/providers/" + type.substring(0, type.indexOf('/'))
                + "/locations/" + (location == null || location.isEmpty() ? "westeurope" : location.toLowerCase(Locale.ROOT))
                + "/operations/" + id + "?api-version=2025-04-01";
    }

    /** Operations whose time has come: their resources are provisioned. */
    private void finishDue() {
        long now = nanos.getAsLong();
        while (!due.isEmpty() && (Long) due.peek()[1] <= now) {
            Object[] op = due.poll();
            ObjectNode stored = resources.get(key((String) op[0]));
            if (stored != null) {
                ((ObjectNode) stored.path("properties")).put("provisioningState", "Succeeded");
            }
        }
    }

    /** A GET of a long-running operation's status; null for any other request. */
    private ResponseDefinition operation(String method, String path) {
        if (!method.equals("GET")) {
            return null;
        }
        int at = path.lastIndexOf("/operations/");
        if (at < 0 || !path.toLowerCase(Locale.ROOT).contains("/locations/")) {
            return null;
        }
        Object[] op = operations.get(path.substring(at + "/operations/".length()));
        if (op == null) {
            return null;
        }
        boolean done = (Long) op[1] <= nanos.getAsLong();
        if (done) {
            operations.remove((String) op[2]);
        }
        return ok(json.createObjectNode().put("name", (String) op[2]).put("status", done ? "Succeeded" : "InProgress"));
    }

    private ResponseDefinition handle(String method, String path, String url, Request r) throws RuntimeException {
        String[] s = path.substring(1).split("/");
        if (s.length >= 2 && s[0].equals("secrets")) {
            return keyVault(method, s, r);
        }
        if (s.length < 2 || !s[0].equalsIgnoreCase("subscriptions")) {
            return error(404, "NotFound", "no such endpoint " + path);
        }
        String apiVersion = apiVersion(url);
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.indexOf("/providers/microsoft.keyvault/") >= 0
                && lower.lastIndexOf("/providers/") == lower.indexOf("/providers/microsoft.keyvault/")
                && apiVersion.compareTo("2026-02-01") < 0) {
            // Key Vault's control plane retires every API version before 2026-02-01 on 27 Feb 2027.
            return error(400, "NoRegisteredProviderFound", "No registered resource provider found for location"
                    + " 'westeurope' and API version '" + apiVersion + "' for type 'vaults'. The supported"
                    + " api-versions are '2026-02-01'. The supported locations are '" + String.join(", ", LOCATIONS) + "'.");
        }
        if (s.length == 2) {
            return ok(json.createObjectNode().put("subscriptionId", subscription).put("tenantId", tenant)
                    .put("state", "Enabled"));
        }
        if ((s.length == 4 || s.length == 5) && s[2].equalsIgnoreCase("providers")
                && (s.length == 4 || s[4].equalsIgnoreCase("register"))) {
            return provider(method, s[3], s.length == 5);
        }
        String ns = s.length >= 6 && s[2].equalsIgnoreCase("resourcegroups") && s[4].equalsIgnoreCase("providers") ? s[5]
                : s.length >= 4 && s[2].equalsIgnoreCase("providers") ? s[3] : null;
        if (!method.equals("GET") && ns != null) {
            if (unregistered.contains(ns.toLowerCase(Locale.ROOT))) {
                String m = "The subscription is not registered to use namespace '" + ns + "'. See"
                        + " https://aka.ms/rps-not-found for how to register subscriptions.";
                ObjectNode e = json.createObjectNode();
                ObjectNode err = e.putObject("error").put("code", "MissingSubscriptionRegistration").put("message", m);
                err.putArray("details").addObject().put("code", "MissingSubscriptionRegistration").put("target", ns)
                        .put("message", m);
                return respond(409, e);
            }
        }
        ObjectNode fixedAnswer = method.equals("GET") ? fixed.get(key(path)) : null;
        if (fixedAnswer != null) {
            return fixedAnswer.has("list") ? ok(fixedAnswer.get("list")) : ok(fixedAnswer);
        }
        if (method.equals("GET") && s.length == 8 && s[6].equalsIgnoreCase("deletedVaults")) {
            ObjectNode d = deletedVaults.get(s[7].toLowerCase(Locale.ROOT));
            if (d == null || !d.path("location").asText().equalsIgnoreCase(s[5])) {
                return error(404, "ResourceNotFound", "The Resource 'Microsoft.KeyVault/deletedVaults/" + s[7]
                        + "' was not found.");
            }
            ObjectNode out = json.createObjectNode().put("name", s[7]).put("type", "Microsoft.KeyVault/deletedVaults");
            out.putObject("properties").put("vaultId", d.path("id").asText()).put("location", d.path("location").asText())
                    .put("deletionDate", "2026-11-01T10:00:00Z").put("scheduledPurgeDate", "2027-01-30T10:00:00Z");
            return ok(out);
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
            return list(s[3] + "/" + s[4], r.getUrl());
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

    // ---------------------------------------------------------------- resource providers

    /** GET a provider (its registrationState) or POST its register action. */
    private ResponseDefinition provider(String method, String namespace, boolean register) {
        String ns = namespace.toLowerCase(Locale.ROOT);
        if (register) {
            if (!method.equals("POST")) {
                return error(405, "MethodNotAllowed", method);
            }
            registerCalls++;
            if (unregistrable.contains(ns)) {
                return error(403, "AuthorizationFailed", "The client '" + AzureWireMock.CLIENT_ID + "' with object id"
                        + " '0b1f0c3e-aaaa-bbbb-cccc-000000000042' does not have authorization to perform action '"
                        + namespace + "/register/action' over scope '/subscriptions/" + subscription + "' or the scope"
                        + " is invalid. If access was recently granted, please refresh your credentials.");
            }
            if (unregistered.contains(ns)) {
                registering.put(ns, 1);
            }
            return ok(providerBody(namespace, unregistered.contains(ns) ? "Registering" : "Registered"));
        }
        String state = "Registered";
        if (unregistered.contains(ns)) {
            Integer left = registering.get(ns);
            if (left == null) {
                state = "NotRegistered";
            } else if (left > 0) {
                registering.put(ns, left - 1);
                state = "Registering";
            } else {
                registering.remove(ns);
                unregistered.remove(ns);
            }
        }
        return ok(providerBody(namespace, state));
    }

    private ObjectNode providerBody(String namespace, String state) {
        return json.createObjectNode().put("id", "/subscriptions/" + subscription + "/providers/" + namespace)
                .put("namespace", namespace).put("registrationState", state).put("registrationPolicy",
                        "RegistrationRequired");
    }

    private static String apiVersion(String url) {
        int at = url.indexOf("api-version=");
        if (at < 0) {
            return "";
        }
        String v = url.substring(at + "api-version=".length());
        int amp = v.indexOf('&');
        return amp < 0 ? v : v.substring(0, amp);
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
                resources.forEach((k, v) -> {
                    if (k.startsWith(prefix + "/") && v.path("type").asText().equalsIgnoreCase("Microsoft.KeyVault/vaults")) {
                        deletedVaults.put(v.path("name").asText().toLowerCase(Locale.ROOT), v.deepCopy());
                    }
                });
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
                ResponseDefinition refused = refusal(fullType, path, name, body, existing);
                if (refused != null) {
                    return refused;
                }
                if (fullType.equalsIgnoreCase("Microsoft.KeyVault/vaults") && existing == null
                        && "recover".equalsIgnoreCase(body.path("properties").path("createMode").asText())) {
                    ObjectNode recovered = deletedVaults.remove(name.toLowerCase(Locale.ROOT));
                    store(path, fullType, name, recovered);
                    return ok(visible(recovered, fullType));
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
                if (holdScaleSetCreates && existing == null
                        && fullType.equalsIgnoreCase("Microsoft.Compute/virtualMachineScaleSets")) {
                    // A slow create: Azure accepted it; its operation stays InProgress until the test says.
                    props.put("provisioningState", "Creating");
                    heldOperations.add(path);
                    return new ResponseDefinitionBuilder().withStatus(201).withHeader("Content-Type", "application/json")
                            .withHeader("Azure-AsyncOperation", base + "/subscriptions/" + subscription
                                    + "/providers/Microsoft.Compute/locations/westeurope/operations/held-"
                                    + heldOperations.size() + "?api-version=2025-04-01")
                            .withBody(visible(stored, fullType).toString()).build();
                }
                String async = existing == null ? startOperation(path, fullType, location) : null;
                if (async != null) {
                    return new ResponseDefinitionBuilder().withStatus(201).withHeader("Content-Type", "application/json")
                            .withHeader("Azure-AsyncOperation", async).withBody(visible(stored, fullType).toString()).build();
                }
                return respond(existing == null ? 201 : 200, visible(stored, fullType));
            }
            case "PATCH": {
                if (existing == null) {
                    return notFound(fullType, name, group);
                }
                if (fullType.equalsIgnoreCase("Microsoft.Compute/virtualMachineScaleSets")) {
                    long capacity = body.path("sku").path("capacity").asLong(existing.path("sku").path("capacity").asLong());
                    boolean single = body.path("properties").has("singlePlacementGroup")
                            ? body.path("properties").path("singlePlacementGroup").asBoolean()
                            : existing.path("properties").path("singlePlacementGroup").asBoolean(true);
                    if (single && capacity > 100) {
                        return tooManyForOnePlacementGroup(name);
                    }
                    if (body.path("properties").has("singlePlacementGroup")) {
                        ((ObjectNode) existing.path("properties")).put("singlePlacementGroup", single);
                    }
                }
                if (body.has("sku")) {
                    ObjectNode sku = existing.has("sku") ? (ObjectNode) existing.get("sku") : existing.putObject("sku");
                    body.get("sku").properties().forEach(f -> sku.set(f.getKey(), f.getValue()));
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

    /** What Azure refuses in a PUT, in its words; null when it accepts it. */
    private ResponseDefinition refusal(String fullType, String path, String name, JsonNode body, ObjectNode existing) {
        String t = fullType.toLowerCase(Locale.ROOT);
        if (t.equals("microsoft.keyvault/vaults") && existing == null) {
            ObjectNode deleted = deletedVaults.get(name.toLowerCase(Locale.ROOT));
            boolean recover = "recover".equalsIgnoreCase(body.path("properties").path("createMode").asText());
            if (deleted != null && !recover) {
                return error(409, "ConflictError", "A vault with the same name already exists in deleted state. You need"
                        + " to either recover or purge existing key vault. Follow this link"
                        + " https://go.microsoft.com/fwlink/?linkid=2149745 for more information on soft delete.");
            }
            if (recover && (deleted == null || !key(deleted.path("id").asText()).equals(key(path)))) {
                return error(404, "ResourceNotFound", "The deleted vault '" + name + "' could not be found to recover"
                        + " in this resource group.");
            }
        }
        boolean vm = t.equals("microsoft.compute/virtualmachines");
        boolean vmss = t.equals("microsoft.compute/virtualmachinescalesets");
        if (!vm && !vmss) {
            return null;
        }
        JsonNode profile = vm ? body.path("properties") : body.path("properties").path("virtualMachineProfile");
        JsonNode storage = profile.path("storageProfile");
        if (!storage.path("osDisk").path("vhd").isMissingNode() || !storage.path("osDisk").path("image").isMissingNode()) {
            return error(400, "BadRequest", "Unmanaged disks have been retired. Please migrate to Managed Disks.");
        }
        if (vmss) {
            long capacity = body.path("sku").path("capacity").asLong(0);
            if (body.path("properties").path("singlePlacementGroup").asBoolean(true) && capacity > 100) {
                return tooManyForOnePlacementGroup(name);
            }
        }
        boolean trusted = "TrustedLaunch".equalsIgnoreCase(profile.path("securityProfile").path("securityType").asText());
        JsonNode image = storage.path("imageReference");
        String imageId = image.path("id").asText("");
        ObjectNode definition = null;
        if (!imageId.isEmpty()) {
            String def = imageId.replaceAll("(?i)/versions/[^/]+$", "");
            definition = fixed.get(key(def));
        } else if (image.has("publisher")) {
            definition = marketplaceImages.get(key(image.path("publisher").asText() + ":" + image.path("offer").asText()
                    + ":" + image.path("sku").asText()));
        }
        String security = "";
        boolean gen2 = false;
        if (definition != null) {
            gen2 = "V2".equalsIgnoreCase(definition.path("properties").path("hyperVGeneration").asText());
            for (JsonNode f : definition.path("properties").path("features")) {
                if (f.path("name").asText().equalsIgnoreCase("SecurityType")) {
                    security = f.path("value").asText();
                }
            }
        }
        if (security.equalsIgnoreCase("TrustedLaunch") && !trusted) {
            return error(400, "BadRequest", "The provided gallery image only supports creation of VMs and VM Scale Sets"
                    + " with 'TrustedLaunch' security type.");
        }
        if (trusted && (definition == null ? false : !gen2 || !security.toLowerCase(Locale.ROOT).startsWith("trustedlaunch"))) {
            return error(400, "BadRequest", "Use of TrustedLaunch setting is not supported for the provided image. Please"
                    + " select Trusted Launch Supported Gen2 OS Image. For more information, see"
                    + " https://aka.ms/TrustedLaunch-FAQ.");
        }
        if (image.has("publisher")) {
            String urn = key(image.path("publisher").asText() + ":" + image.path("offer").asText() + ":"
                    + image.path("sku").asText());
            Boolean accepted = planTermsAccepted.get(urn);
            if (accepted != null && body.path("plan").isMissingNode()) {
                return error(400, "VMMarketplaceInvalidInput", "Creating a virtual machine from Marketplace image or a"
                        + " custom image sourced from a Marketplace image requires Plan information in the request. VM: '"
                        + path + "'.");
            }
            if (accepted != null && !accepted) {
                return error(400, "ResourcePurchaseValidationFailed", "User failed validation to purchase resources."
                        + " Error message: 'You have not accepted the legal terms on this subscription: '" + subscription
                        + "' for this plan. Before the subscription can be used, you need to accept the legal terms of the"
                        + " image. To read and accept legal terms, use the Azure CLI commands described at"
                        + " https://go.microsoft.com/fwlink/?linkid=2110637 or the PowerShell commands available at"
                        + " https://go.microsoft.com/fwlink/?linkid=862451. Alternatively, deploying via the Azure portal"
                        + " provides a UI experience for reading and accepting the legal terms. Offer details:"
                        + " publisher='" + image.path("publisher").asText() + "' offer = '" + image.path("offer").asText()
                        + "', sku = '" + image.path("sku").asText() + "', Correlation Id: '"
                        + "3b2f0a1c-0000-4000-8000-000000000001'.'");
            }
        }
        return null;
    }

    private ResponseDefinition tooManyForOnePlacementGroup(String name) {
        return error(409, "OperationNotAllowed", "Unable to create or update VirtualMachineScaleSet '" + name
                + "' as it exceeds the total limit of '100' Virtual Machine instances.");
    }

    /** Role assignments at a scope: PUT (needs the right to assign roles), GET one, DELETE. */
    private ResponseDefinition roleAssignment(String method, String scope, String name, JsonNode body) {
        String path = scope + "/providers/Microsoft.Authorization/roleAssignments/" + name;
        ObjectNode existing = resources.get(key(path));
        switch (method) {
            case "PUT" -> {
                if (!mayAssignRoles) {
                    return error(403, "AuthorizationFailed", "The client '" + AzureWireMock.CLIENT_ID + "' with object"
                            + " id '0b1f0c3e-aaaa-bbbb-cccc-000000000042' does not have authorization to perform action"
                            + " 'Microsoft.Authorization/roleAssignments/write' over scope '" + scope + "' or the scope is"
                            + " invalid. If access was recently granted, please refresh your credentials.");
                }
                ObjectNode a = json.createObjectNode();
                a.putObject("properties").put("scope", scope)
                        .put("roleDefinitionId", body.path("properties").path("roleDefinitionId").asText())
                        .put("principalId", body.path("properties").path("principalId").asText());
                store(path, "Microsoft.Authorization/roleAssignments", name, a);
                return respond(201, a);
            }
            case "GET" -> {
                return existing == null ? error(404, "RoleAssignmentNotFound", "not found") : ok(existing);
            }
            case "DELETE" -> {
                return resources.remove(key(path)) == null ? new ResponseDefinition(204, "") : ok(existing);
            }
            default -> {
                return error(405, "MethodNotAllowed", method);
            }
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
        for (int i = 0; i + 3 < rest.length; i++) {
            if (rest[i].equalsIgnoreCase("providers") && rest[i + 1].equalsIgnoreCase("Microsoft.Authorization")
                    && rest[i + 2].equalsIgnoreCase("roleAssignments")) {
                String scope = parentPath + (i == 0 ? "" : "/" + String.join("/", java.util.Arrays.copyOfRange(rest, 0, i)));
                return roleAssignment(method, scope, rest[i + 3], body);
            }
        }
        if (t.equals("microsoft.network/virtualnetworks") && first.equals("subnets") && rest.length == 2
                && method.equals("GET")) {
            for (JsonNode sn : parent.path("properties").path("subnets")) {
                if (sn.path("name").asText().equalsIgnoreCase(rest[1])) {
                    ObjectNode out = ((ObjectNode) sn).deepCopy();
                    out.put("id", parentPath + "/subnets/" + sn.path("name").asText());
                    return ok(out);
                }
            }
            return notFound(type + "/subnets", rest[1], parentPath.split("/")[4]);
        }
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
            if (rest.length > 1 && rest[1].equalsIgnoreCase("remove")) {
                Set<String> gone = new HashSet<>();
                body.path("properties").path("accessPolicies").forEach(e -> gone.add(e.path("objectId").asText()));
                for (int i = policies.size() - 1; i >= 0; i--) {
                    if (gone.contains(policies.get(i).path("objectId").asText())) {
                        policies.remove(i);
                    }
                }
            } else {
                body.path("properties").path("accessPolicies").forEach(policies::add);
            }
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

    private ResponseDefinition list(String type, String url) {
        ArrayNode value = json.createArrayNode();
        String principal = null;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("principalId(%20|\\+| )eq(%20|\\+| )(%27|')([0-9a-fA-F-]+)")
                .matcher(url);
        if (m.find()) {
            principal = m.group(4);
        }
        String p = principal;
        resources.forEach((k, v) -> {
            if (v.path("type").asText().equalsIgnoreCase(type)
                    && (p == null || p.equalsIgnoreCase(v.path("properties").path("principalId").asText()))) {
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
