package org.azuregahp.ports;

/**
 * What both clouds agree on, defined once: the tags by which the server recognises what it made,
 * and the limits a request is checked against (Azure's own, so the fake cloud and the Azure adapter
 * answer the same).
 */
public final class CloudRules {
    /** On every resource group (and what is in it) the server makes; value: what it holds ({@code vm}, {@code vmss}, ...). */
    public static final String MANAGED_TAG = "azure-gahp";
    /**
     * The name given at create, on the resource group and on the VM or scale set: lists answer it as
     * the name, and {@code AZURE_VM_LIST} by tag finds it ({@code azure-gahp-name=<name>}).
     */
    public static final String NAME_TAG = "azure-gahp-name";
    /** The name tag the fake cloud wrote before both clouds shared one; state documents carrying it still load. */
    public static final String LEGACY_FAKE_NAME_TAG = "azure-gahp:name";

    /** Largest empty data disk, in GB (Azure's limit for the disk sizes the server makes). */
    public static final int MAX_DATA_DISK_GB = 4095;
    /** Most instances in one scale set (Uniform orchestration, with single placement group off). */
    public static final int MAX_SCALE_SET_CAPACITY = 1000;
    /** Most instances a scale set with a single placement group may hold. */
    public static final int SINGLE_PLACEMENT_GROUP_MAX = 100;

    private CloudRules() {
    }
}
