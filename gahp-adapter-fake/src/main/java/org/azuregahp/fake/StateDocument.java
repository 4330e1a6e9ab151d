package org.azuregahp.fake;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.azuregahp.fake.Model.Group;
import org.azuregahp.fake.Model.Instance;
import org.azuregahp.fake.Model.Res;
import org.azuregahp.fake.Model.Subscription;
import org.azuregahp.fake.Model.Vault;
import org.azuregahp.fake.Model.Vm;
import org.azuregahp.fake.Model.Vmss;
import org.azuregahp.ports.VmCreated;
import org.azuregahp.ports.credentials.Secret;

/**
 * The state document: every resource group (its subscription, name, location, tags) with its
 * resources (AzureRules {@code type}, {@code name} and properties), and the pending deletion schedules. Vault secrets appear by name only: values may be seeded in a loaded document but are
 * never written.
 */
final class StateDocument {
    private StateDocument() {
    }

    /** The document as plain maps and lists. Under the world lock. */
    static Map<String, Object> snapshot(CloudState world) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", 2);
        List<Object> groups = new ArrayList<>();
        for (Subscription s : world.subscriptions.values()) {
            for (Group g : s.groups.values()) {
                groups.add(groupJson(g));
            }
        }
        root.put("resourceGroups", groups);
        root.putAll(subscriptionWideJson(world));
        return root;
    }

    /**
     * One resource group as the document holds it: this and {@link #subscriptionWideJson} are the one place
     * that says what is persisted (with each resource's {@code toJson}). Under the world lock.
     */
    static Map<String, Object> groupJson(Group g) {
        Map<String, Object> gm = new LinkedHashMap<>();
        gm.put("subscription", g.subscription);
        gm.put("name", g.name);
        gm.put("location", g.location);
        gm.put("tags", new LinkedHashMap<>(g.tags));
        List<Object> resources = new ArrayList<>();
        for (Res r : g.resources.values()) {
            resources.add(r.toJson());
        }
        gm.put("resources", resources);
        return gm;
    }

    /**
     * What the document holds beside its resource groups, as its top-level fields: the pending
     * deletion schedules and the resource providers each subscription is not registered for
     * ({@code {"subscription": ..., "namespace": "Microsoft.Compute"}}). The journal records a change
     * to either as this object whole. Under the world lock.
     */
    static Map<String, Object> subscriptionWideJson(CloudState world) {
        Map<String, Object> top = new LinkedHashMap<>();
        List<Object> schedules = new ArrayList<>();
        for (Map<String, CloudState.Schedule> m : world.schedules.values()) {
            for (CloudState.Schedule d : m.values()) {
                Map<String, Object> dm = new LinkedHashMap<>();
                dm.put("subscription", d.subscription());
                dm.put("resourceGroup", d.resourceGroup());
                dm.put("location", d.location());
                dm.put("at", d.at().toString());
                schedules.add(dm);
            }
        }
        top.put("deletionSchedules", schedules);
        List<Object> unregistered = new ArrayList<>();
        world.unregisteredProviders.forEach((sub, namespaces) -> namespaces.forEach(ns -> {
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("subscription", sub);
            u.put("namespace", ns);
            unregistered.add(u);
        }));
        top.put("unregisteredProviders", unregistered);
        return top;
    }

    /** Where a document's journal continues: journal file {@code number} after its first {@code bytes}. */
    record JournalMark(int number, long bytes) {
    }

    /**
     * Reads a document into an empty world, one resource group at a time (a large document is never
     * held whole). Returns where its journal continues, or null for a document this server did not
     * write (a hand-written seed, a version-1 file). Throws IllegalArgumentException saying what is
     * wrong, never quoting a value.
     */
    static JournalMark read(CloudState world, JsonParser p, ObjectMapper mapper) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("the document is not a JSON object");
        }
        JournalMark mark = null;
        List<JsonNode> schedules = new ArrayList<>();
        List<JsonNode> unregistered = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "resourceGroups" -> {
                    // The document's layout: one list of resource groups, each naming its subscription.
                    if (value == JsonToken.VALUE_NULL) {
                        break;
                    }
                    if (value != JsonToken.START_ARRAY) {
                        throw new IllegalArgumentException("the document: 'resourceGroups' is not an array");
                    }
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        JsonNode gn = mapper.readTree(p);
                        loadGroup(world, world.subscription(text(gn, "subscription", "a resource group")), gn, mapper);
                    }
                }
                case "subscriptions" -> {
                    // Version 1 nested the groups under "subscriptions"; such files (hand-written
                    // seeds among them) still load.
                    JsonNode subs = mapper.readTree(p);
                    for (JsonNode sn : array(subs, "the document: 'subscriptions'")) {
                        String subId = text(sn, "id", "a subscription");
                        Subscription sub = world.subscription(subId);
                        for (JsonNode gn : array(sn, "resourceGroups", "subscription " + subId)) {
                            loadGroup(world, sub, gn, mapper);
                        }
                    }
                }
                case "deletionSchedules" -> array(mapper.readTree(p), "the document: 'deletionSchedules'")
                        .forEach(schedules::add);
                case "unregisteredProviders" -> array(mapper.readTree(p), "the document: 'unregisteredProviders'")
                        .forEach(unregistered::add);
                case "journal" -> {
                    JsonNode j = mapper.readTree(p);
                    if (!j.path("number").canConvertToInt() || !j.path("bytesIncluded").canConvertToLong()) {
                        throw new IllegalArgumentException("the document: 'journal' is not {\"number\": N, \"bytesIncluded\": N}");
                    }
                    mark = new JournalMark(j.get("number").asInt(), j.get("bytesIncluded").asLong());
                }
                default -> p.skipChildren();
            }
        }
        for (JsonNode dn : schedules) {
            loadSchedule(world, dn);
        }
        for (JsonNode un : unregistered) {
            loadUnregistered(world, un);
        }
        return mark;
    }

    /** After a document and its journal are read: what only the whole state can settle. */
    static void settle(CloudState world) {
        world.markLentGroups();
        undoHalfMadeCreates(world);
    }

    /**
     * Applies one journal record: {@code {"group": {...}}} (the group whole, as the document holds it,
     * replacing any group of that name), {@code {"removed": {"subscription": ..., "name": ...}}}, or
     * {@code {"deletionSchedules": [...], "unregisteredProviders": [...]}} (all of them).
     */
    static void apply(CloudState world, JsonNode record, ObjectMapper mapper) {
        if (!record.isObject()) {
            throw new IllegalArgumentException("a journal record is not a JSON object");
        }
        if (record.has("group")) {
            JsonNode gn = record.get("group");
            String sub = text(gn, "subscription", "a resource group");
            Group old = world.group(sub, text(gn, "name", "a resource group"));
            if (old != null) {
                world.forget(old);
            }
            loadGroup(world, world.subscription(sub), gn, mapper);
        } else if (record.has("removed")) {
            JsonNode r = record.get("removed");
            Group old = world.group(text(r, "subscription", "a removed group"), text(r, "name", "a removed group"));
            if (old != null) {
                world.forget(old);
            }
        } else if (record.has("deletionSchedules")) {
            world.schedules.clear();
            for (JsonNode dn : array(record, "deletionSchedules", "a journal record")) {
                loadSchedule(world, dn);
            }
            world.unregisteredProviders.clear();
            for (JsonNode un : array(record, "unregisteredProviders", "a journal record")) {
                loadUnregistered(world, un);
            }
        } else {
            throw new IllegalArgumentException("a journal record is neither group, removed nor deletionSchedules");
        }
    }

    private static void loadUnregistered(CloudState world, JsonNode un) {
        world.unregister(text(un, "subscription", "an unregistered provider"),
                text(un, "namespace", "an unregistered provider"));
    }

    private static void loadSchedule(CloudState world, JsonNode dn) {
        String sub = text(dn, "subscription", "a deletion schedule");
        String rg = text(dn, "resourceGroup", "a deletion schedule");
        Instant at = instant(text(dn, "at", "a deletion schedule"), "the deletion schedule of " + rg);
        world.schedule(sub, rg, dn.hasNonNull("location") ? dn.get("location").asText() : null, at);
    }

    private static void loadGroup(CloudState world, Subscription sub, JsonNode gn, ObjectMapper mapper) {
        String gname = text(gn, "name", "a resource group");
        if (sub.group(gname) != null) {
            throw new IllegalArgumentException("resource group " + gname + " appears twice");
        }
        String where = "resource group " + gname;
        String location = gn.hasNonNull("location") ? gn.get("location").asText() : "westeurope";
        Group g = world.newGroup(sub.id, gname, AzureRules.normalizeLocation(location));
        g.tags.putAll(nameTagAsOnAzure(stringMap(gn.get("tags"), where)));
        for (JsonNode rn : array(gn, "resources", where)) {
            loadResource(world, g, rn, mapper);
        }
    }

    /**
     * A group this server made for a VM or scale set (tagged with its name) that holds neither: a
     * create caught half-way by a periodic write before the process was killed. Such a create never
     * answered, so it is undone, as a failed create would be.
     */
    private static void undoHalfMadeCreates(CloudState world) {
        List<Group> half = new ArrayList<>();
        for (Subscription s : world.subscriptions.values()) {
            for (Group g : s.groups.values()) {
                if (g.tags.containsKey(Model.NAME_TAG) && g.resources.values().stream()
                        .noneMatch(r -> r instanceof Vm || r instanceof Vmss)) {
                    half.add(g);
                }
            }
        }
        half.forEach(world::removeGroup);
    }

    private static final Set<String> VM_KEYS = Set.of("type", "name", "location", "vmId", "size", "osType",
            "provisioningState", "powerState", "publicIpAddress", "existingPublicIpAddressId", "tags",
            "specFingerprint", "deallocateAt");
    private static final Set<String> VMSS_KEYS = Set.of("type", "name", "location", "size", "osType", "capacity",
            "singlePlacementGroup", "provisioningState", "powerState", "instances", "tags", "specFingerprint");
    private static final Set<String> VAULT_KEYS = Set.of("type", "name", "location", "sku", "vaultUri",
            "accessPolicies", "secrets", "enableRbacAuthorization", "roleAssignees");

    private static void loadResource(CloudState world, Group g, JsonNode rn, ObjectMapper mapper) {
        String where = "resource group " + g.name;
        String type = text(rn, "type", "a resource in " + where);
        String name = text(rn, "name", "a resource in " + where);
        where = type + "/" + name + " in resource group " + g.name;
        if (g.find(type, name) != null) {
            throw new IllegalArgumentException(where + " appears twice");
        }
        Res r;
        Set<String> handled;
        if (type.equalsIgnoreCase(Model.VM)) {
            Vm vm = new Vm(name);
            vm.tags.putAll(nameTagAsOnAzure(stringMap(rn.get("tags"), where)));
            vm.displayName = vm.tags.getOrDefault(Model.NAME_TAG, g.name);
            vm.location = rn.hasNonNull("location") ? AzureRules.normalizeLocation(rn.get("location").asText()) : g.location;
            vm.vmId = rn.hasNonNull("vmId") ? rn.get("vmId").asText() : world.newGuid();
            vm.size = rn.hasNonNull("size") ? rn.get("size").asText() : "Standard_B1s";
            vm.osType = rn.hasNonNull("osType") ? rn.get("osType").asText() : "Linux";
            vm.provisioningState = "succeeded";
            String power = rn.hasNonNull("powerState") ? rn.get("powerState").asText() : "running";
            vm.powerState = switch (power) {
                case "starting" -> "running";
                case "deallocating" -> "deallocated";
                case "stopping" -> "stopped";
                default -> power;
            };
            vm.publicIp = rn.hasNonNull("publicIpAddress") ? rn.get("publicIpAddress").asText() : null;
            vm.externalPublicIpId = rn.hasNonNull("existingPublicIpAddressId")
                    ? rn.get("existingPublicIpAddressId").asText() : null;
            vm.fingerprint = rn.hasNonNull("specFingerprint") ? rn.get("specFingerprint").asText() : null;
            vm.deallocateAt = rn.hasNonNull("deallocateAt") ? instant(rn.get("deallocateAt").asText(), where) : null;
            if (vm.fingerprint != null) {
                g.ownerKind = "vm";
                g.fingerprint = vm.fingerprint;
                g.creation = CompletableFuture.completedFuture(new VmCreated(vm.vmId, vm.publicIp));
            }
            r = vm;
            handled = VM_KEYS;
        } else if (type.equalsIgnoreCase(Model.VMSS)) {
            Vmss v = new Vmss(name);
            v.tags.putAll(nameTagAsOnAzure(stringMap(rn.get("tags"), where)));
            v.displayName = v.tags.getOrDefault(Model.NAME_TAG, g.name);
            v.location = rn.hasNonNull("location") ? AzureRules.normalizeLocation(rn.get("location").asText()) : g.location;
            v.size = rn.hasNonNull("size") ? rn.get("size").asText() : "Standard_B1s";
            v.osType = rn.hasNonNull("osType") ? rn.get("osType").asText() : "Linux";
            v.provisioningState = "succeeded";
            v.fingerprint = rn.hasNonNull("specFingerprint") ? rn.get("specFingerprint").asText() : null;
            int maxId = -1;
            JsonNode instances = rn.get("instances");
            if (instances != null && !instances.isNull()) {
                if (!instances.isArray()) {
                    throw new IllegalArgumentException(where + ": instances is not an array");
                }
                for (JsonNode in : instances) {
                    int id = in.path("instanceId").asInt(maxId + 1);
                    String power = in.path("powerState").asText("running");
                    power = power.equals("starting") ? "running" : power.equals("deallocating") ? "deallocated" : power;
                    if (!"deleting".equals(in.path("provisioningState").asText())) {
                        v.instances.add(new Instance(id, "succeeded", power));
                    }
                    maxId = Math.max(maxId, id);
                }
            }
            v.nextInstanceId = maxId + 1;
            v.capacity = rn.path("capacity").asInt(v.instances.size());
            v.singlePlacementGroup = rn.path("singlePlacementGroup").asBoolean(v.capacity <= 100);
            if (v.fingerprint != null) {
                g.ownerKind = "vmss";
                g.fingerprint = v.fingerprint;
                g.creation = CompletableFuture.completedFuture(null);
            }
            r = v;
            handled = VMSS_KEYS;
        } else if (type.equalsIgnoreCase(Model.VAULT)) {
            Vault v = new Vault(g.subscription, g.name, name);
            v.location = rn.hasNonNull("location") ? AzureRules.normalizeLocation(rn.get("location").asText()) : g.location;
            v.sku = rn.path("sku").asText("standard");
            for (JsonNode p : array(rn, "accessPolicies", where)) {
                v.principals.add(p.asText());
            }
            v.rbac = rn.path("enableRbacAuthorization").asBoolean(false);
            for (JsonNode p : array(rn, "roleAssignees", where)) {
                v.roleAssignees.add(p.asText());
            }
            for (JsonNode s : array(rn, "secrets", where)) {
                if (s.isTextual()) {
                    v.putSecret(s.asText(), null);
                } else if (s.isObject() && s.hasNonNull("name")) {
                    JsonNode value = s.get("value");
                    v.putSecret(s.get("name").asText(), value == null || value.isNull() ? null : new Secret(value.asText()));
                } else {
                    throw new IllegalArgumentException(where + ": a secret is neither a name nor {\"name\":...}");
                }
            }
            if (world.vaults.containsKey(Model.key(name))) {
                throw new IllegalArgumentException("vault " + name + " appears twice (vault names are unique)");
            }
            world.vaults.put(Model.key(name), v);
            r = v;
            handled = VAULT_KEYS;
        } else {
            r = new Res(canonicalType(type), name);
            handled = Set.of("type", "name");
            if (r.type.equals(Model.PIP) && rn.hasNonNull("ipAddress")) {
                world.reserveIp(rn.get("ipAddress").asText());
            }
        }
        for (Map.Entry<String, JsonNode> e : ((ObjectNode) rn).properties()) {
            if (!handled.contains(e.getKey())) {
                r.props.put(e.getKey(), plain(e.getValue()));
            }
        }
        g.add(r);
    }

    /** A JSON value as plain maps, lists, strings, numbers and booleans (what {@code toJson} writes back). */
    static Object plain(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            n.properties().forEach(e -> m.put(e.getKey(), plain(e.getValue())));
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>(n.size());
            n.forEach(e -> l.add(plain(e)));
            return l;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isNumber()) {
            return n.numberValue();
        }
        return n.asText();
    }

    /**
     * Writes plain maps, lists, strings, numbers and booleans as compact JSON, straight to the
     * generator (several times faster than the general serializer for the state's many small maps).
     */
    static void write(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> l) {
            g.writeStartArray();
            for (Object o : l) {
                write(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof Integer i) {
            g.writeNumber(i);
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof java.math.BigDecimal d) {
            g.writeNumber(d);
        } else if (v instanceof java.math.BigInteger i) {
            g.writeNumber(i);
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v instanceof Float f) {
            g.writeNumber(f);
        } else if (v instanceof Number n) {
            g.writeNumber(n.toString());
        } else if (v instanceof java.util.Collection<?> c) {
            write(g, new ArrayList<>(c));
        } else {
            g.writeString(v.toString());
        }
    }

    private static String canonicalType(String type) {
        for (String t : List.of(Model.VM, Model.DISK, Model.VMSS, Model.NIC, Model.PIP, Model.VNET, Model.NSG,
                Model.LB, Model.VAULT, Model.IDENTITY)) {
            if (t.equalsIgnoreCase(type)) {
                return t;
            }
        }
        return type;
    }

    private static Iterable<JsonNode> array(JsonNode parent, String field, String where) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException(where + ": '" + field + "' is not an array");
        }
        return n;
    }

    private static Iterable<JsonNode> array(JsonNode n, String where) {
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException(where + " is not an array");
        }
        return n;
    }

    private static String text(JsonNode n, String field, String where) {
        if (!n.isObject()) {
            throw new IllegalArgumentException(where + " is not a JSON object");
        }
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException(where + " has no '" + field + "' text");
        }
        return v.asText();
    }

    /**
     * Tags as both clouds write them: a document written before the fake shared the Azure adapter's
     * name tag carries {@code azure-gahp:name}; it is read as {@code azure-gahp-name}, so its VMs and
     * scale sets keep their names and are found by the same tag as on Azure.
     */
    static Map<String, String> nameTagAsOnAzure(Map<String, String> tags) {
        String legacy = tags.remove(org.azuregahp.ports.CloudRules.LEGACY_FAKE_NAME_TAG);
        if (legacy != null) {
            tags.putIfAbsent(Model.NAME_TAG, legacy);
        }
        return tags;
    }

    private static Map<String, String> stringMap(JsonNode n, String where) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isObject()) {
            throw new IllegalArgumentException(where + ": tags are not a JSON object");
        }
        n.properties().forEach(e -> out.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
        return out;
    }

    private static Instant instant(String s, String where) {
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + ": a time is not an ISO-8601 instant (e.g. 2026-11-27T10:00:00Z)");
        }
    }
}
