package org.azuregahp.fake;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.azuregahp.ports.credentials.Secret;

/** The fake cloud's resources. Mutable; every access holds the {@link CloudState} lock. */
final class Model {
    static final String VM = "Microsoft.Compute/virtualMachines";
    static final String DISK = "Microsoft.Compute/disks";
    static final String VMSS = "Microsoft.Compute/virtualMachineScaleSets";
    static final String NIC = "Microsoft.Network/networkInterfaces";
    static final String PIP = "Microsoft.Network/publicIPAddresses";
    static final String VNET = "Microsoft.Network/virtualNetworks";
    static final String NSG = "Microsoft.Network/networkSecurityGroups";
    static final String LB = "Microsoft.Network/loadBalancers";
    static final String VAULT = "Microsoft.KeyVault/vaults";
    static final String IDENTITY = "Microsoft.ManagedIdentity/userAssignedIdentities";

    /** The tag every VM and scale set (and its group) carries: the name given at create, as on Azure. */
    static final String NAME_TAG = org.azuregahp.ports.CloudRules.NAME_TAG;
    /** What the group holds ({@code vm}, {@code vmss}), as the Azure adapter tags it. */
    static final String MANAGED_TAG = org.azuregahp.ports.CloudRules.MANAGED_TAG;

    private Model() {
    }

    static String key(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    static String id(String subscription, String group, String type, String name) {
        int slash = type.indexOf('/');
        return "/subscriptions/" + subscription + "/resourceGroups/" + group + "/providers/" + type.substring(0, slash)
                + type.substring(slash) + "/" + name;
    }

    static final class Subscription {
        final String id;
        final Map<String, Group> groups = new LinkedHashMap<>();

        Subscription(String id) {
            this.id = id;
        }

        Group group(String name) {
            return groups.get(key(name));
        }
    }

    static final class Group {
        final String subscription;
        final String name;
        final String location;
        final Map<String, String> tags = new LinkedHashMap<>();
        final Map<String, Res> resources = new LinkedHashMap<>();
        /** Set once the group is gone; in-flight operations on it then fail. */
        boolean removed;
        /**
         * Another group may use this one's subnet or public IP (set when one joins or borrows it, or a
         * loaded document says so): only then must a delete look for users elsewhere.
         */
        boolean lent;
        /** A delete of this group is under way. */
        CompletableFuture<Void> deletion;
        /** What made the group ("vm" or "vmss"), the spec fingerprint, and that create's completion. */
        String ownerKind;
        String fingerprint;
        CompletableFuture<?> creation;

        Group(String subscription, String name, String location) {
            this.subscription = subscription;
            this.name = name;
            this.location = location;
        }

        void add(Res r) {
            resources.put(key(r.type + "/" + r.name), r);
        }

        Res find(String type, String name) {
            return resources.get(key(type + "/" + name));
        }

        Vm vm(String name) {
            return find(VM, name) instanceof Vm v ? v : null;
        }

        Vmss vmss(String name) {
            return find(VMSS, name) instanceof Vmss s ? s : null;
        }

        boolean deleting() {
            return deletion != null;
        }

        String id() {
            return "/subscriptions/" + subscription + "/resourceGroups/" + name;
        }
    }

    /** A resource; {@code props} hold whatever the state document carries beyond type and name. */
    static class Res {
        final String type;
        final String name;
        final Map<String, Object> props = new LinkedHashMap<>();

        Res(String type, String name) {
            this.type = type;
            this.name = name;
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", type);
            m.put("name", name);
            m.putAll(props);
            return m;
        }

        String str(String prop) {
            Object v = props.get(prop);
            return v == null ? null : v.toString();
        }
    }

    static final class Vm extends Res {
        String displayName;
        String location;
        String size;
        String osType;
        String vmId;
        String provisioningState;
        String powerState;
        String fingerprint;
        String publicIp;
        String externalPublicIpId;
        Instant deallocateAt;
        /**
         * A delete is under way: the VM shows {@code deleting}/{@code deallocating} over its own states,
         * which other operations (the create underneath, a lifetime) keep changing; a failed delete
         * clears the flag and the VM shows the states it has then.
         */
        boolean deleting;
        final Map<String, String> tags = new LinkedHashMap<>();

        Vm(String name) {
            super(VM, name);
        }

        String shownProvisioningState() {
            return deleting ? "deleting" : provisioningState;
        }

        String shownPowerState() {
            return deleting ? "deallocating" : powerState;
        }

        List<String> statuses() {
            return List.of("ProvisioningState/" + shownProvisioningState(), "PowerState/" + shownPowerState());
        }

        @Override
        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", type);
            m.put("name", name);
            m.put("location", location);
            m.put("vmId", vmId);
            m.put("size", size);
            m.put("osType", osType);
            m.put("provisioningState", shownProvisioningState());
            m.put("powerState", shownPowerState());
            m.put("publicIpAddress", publicIp);
            if (externalPublicIpId != null) {
                m.put("existingPublicIpAddressId", externalPublicIpId);
            }
            m.put("tags", new LinkedHashMap<>(tags));
            props.forEach(m::putIfAbsent);
            m.put("specFingerprint", fingerprint);
            if (deallocateAt != null) {
                m.put("deallocateAt", deallocateAt.toString());
            }
            return m;
        }
    }

    static final class Instance {
        final int id;
        String provisioningState;
        String powerState;

        Instance(int id, String provisioningState, String powerState) {
            this.id = id;
            this.provisioningState = provisioningState;
            this.powerState = powerState;
        }

        Instance copy() {
            return new Instance(id, provisioningState, powerState);
        }
    }

    static final class Vmss extends Res {
        String displayName;
        String location;
        String size;
        String osType;
        int capacity;
        boolean singlePlacementGroup;
        String provisioningState;
        String fingerprint;
        int nextInstanceId;
        List<Instance> instances = new ArrayList<>();
        /** A delete is under way: shown as {@code deleting} over its own state (see {@link Vm#deleting}). */
        boolean deleting;
        final Map<String, String> tags = new LinkedHashMap<>();

        Vmss(String name) {
            super(VMSS, name);
        }

        String shownProvisioningState() {
            return deleting ? "deleting" : provisioningState;
        }

        /**
         * The power state of the set, as the Azure adapter reports it: running when any instance
         * runs, else the most common state (deallocated when empty).
         */
        String powerState() {
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (Instance i : instances) {
                counts.merge(i.powerState, 1, Integer::sum);
            }
            if (counts.isEmpty()) {
                return "deallocated";
            }
            if (counts.containsKey("running")) {
                return "running";
            }
            String most = null;
            for (Map.Entry<String, Integer> e : counts.entrySet()) {
                if (most == null || e.getValue() > counts.get(most)) {
                    most = e.getKey();
                }
            }
            return most;
        }

        List<String> statuses() {
            return List.of("ProvisioningState/" + shownProvisioningState(), "PowerState/" + powerState());
        }

        List<Instance> snapshot() {
            List<Instance> copy = new ArrayList<>();
            instances.forEach(i -> copy.add(i.copy()));
            return copy;
        }

        @Override
        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", type);
            m.put("name", name);
            m.put("location", location);
            m.put("size", size);
            m.put("osType", osType);
            m.put("capacity", capacity);
            m.put("singlePlacementGroup", singlePlacementGroup);
            m.put("provisioningState", shownProvisioningState());
            m.put("powerState", powerState());
            List<Map<String, Object>> list = new ArrayList<>();
            for (Instance i : instances) {
                Map<String, Object> im = new LinkedHashMap<>();
                im.put("instanceId", String.valueOf(i.id));
                im.put("provisioningState", i.provisioningState);
                im.put("powerState", i.powerState);
                list.add(im);
            }
            m.put("instances", list);
            m.put("tags", new LinkedHashMap<>(tags));
            props.forEach(m::putIfAbsent);
            m.put("specFingerprint", fingerprint);
            return m;
        }
    }

    static final class Vault extends Res {
        final String subscription;
        final String group;
        String location;
        String sku;
        final Set<String> principals = new LinkedHashSet<>();
        /** Role-based (RBAC) mode: access policies are ignored; principals hold roles instead. */
        boolean rbac;
        final Set<String> roleAssignees = new LinkedHashSet<>();
        /** Secret names by lower-case name (Key Vault names are case-insensitive); values never leave. */
        final Map<String, String> secretNames = new LinkedHashMap<>();
        final Map<String, Secret> secretValues = new LinkedHashMap<>();

        Vault(String subscription, String group, String name) {
            super(VAULT, name);
            this.subscription = subscription;
            this.group = group;
        }

        void putSecret(String name, Secret value) {
            secretNames.put(key(name), name);
            if (value != null) {
                secretValues.put(key(name), value);
            }
        }

        @Override
        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", type);
            m.put("name", name);
            m.put("location", location);
            m.put("sku", sku);
            m.put("vaultUri", "https://" + key(name) + ".vault.azure.net/");
            m.put("accessPolicies", new ArrayList<>(principals));
            if (rbac) {
                m.put("enableRbacAuthorization", true);
                m.put("roleAssignees", new ArrayList<>(roleAssignees));
            }
            m.put("secrets", new ArrayList<>(secretNames.values()));
            props.forEach(m::putIfAbsent);
            return m;
        }
    }
}
