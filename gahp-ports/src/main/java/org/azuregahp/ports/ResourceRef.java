package org.azuregahp.ports;

import java.util.Objects;

/**
 * Names a VM or scale set: {@code name} alone (its resource group has the same name), or the
 * earlier server's {@code <resource-group> <name>} form.
 */
public record ResourceRef(String resourceGroup, String name) {
    public ResourceRef {
        Objects.requireNonNull(name, "name");
    }

    public static ResourceRef named(String name) {
        return new ResourceRef(null, name);
    }

    /** The resource group: the one given, else the name. */
    public String groupOrName() {
        return resourceGroup != null ? resourceGroup : name;
    }

    @Override
    public String toString() {
        return resourceGroup == null ? name : resourceGroup + "/" + name;
    }
}
