package org.azuregahp.azure;

import java.util.Locale;
import java.util.Map;

/** The tags and naming conventions by which the server recognises what it made. */
final class Names {
    /** Marks a resource group (and what is in it) as made by this server; value: what it holds. */
    static final String TAG_MANAGED = org.azuregahp.ports.CloudRules.MANAGED_TAG;
    /** The name given at create, on the resource group and on the VM or scale set. */
    static final String TAG_NAME = org.azuregahp.ports.CloudRules.NAME_TAG;
    /**
     * On a scale set made with a vault secret (and its group): the vault's resource id, so that its
     * identity's access to the vault, which lives in another group, is taken out when it goes.
     */
    static final String TAG_VAULT = "azure-gahp-vault";
    static final String KIND_VM = "vm";
    static final String KIND_SCALE_SET = "vmss";
    static final String KIND_NETWORK = "network";

    static final String VNET = "azure-gahp-vnet";
    static final String SUBNET = "vms";
    static final String NSG_SSH = "azure-gahp-ssh-only";
    static final String NSG_RDP = "azure-gahp-rdp-only";

    private Names() {
    }

    static String networkGroup(AzureSettings settings, String location) {
        return settings.networkResourceGroupPrefix() + "-" + location.toLowerCase(Locale.ROOT);
    }

    static boolean madeByUs(Map<String, String> tags, String kind) {
        if (tags == null) {
            return false;
        }
        String v = tagIgnoreCase(tags, TAG_MANAGED);
        return v != null && v.equalsIgnoreCase(kind);
    }

    static String tagIgnoreCase(Map<String, String> tags, String key) {
        if (tags == null) {
            return null;
        }
        String v = tags.get(key);
        if (v != null) {
            return v;
        }
        for (Map.Entry<String, String> e : tags.entrySet()) {
            if (e.getKey().equalsIgnoreCase(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The resource group segment of an ARM id, or null. */
    static String resourceGroupOf(String id) {
        if (id == null) {
            return null;
        }
        String[] parts = id.split("/");
        for (int i = 0; i + 1 < parts.length; i++) {
            if (parts[i].equalsIgnoreCase("resourceGroups")) {
                return parts[i + 1];
            }
        }
        return null;
    }

    static String id(String subscription, String group, String provider, String type, String name) {
        return "/subscriptions/" + subscription + "/resourceGroups/" + group + "/providers/" + provider + "/"
                + type + "/" + name;
    }
}
