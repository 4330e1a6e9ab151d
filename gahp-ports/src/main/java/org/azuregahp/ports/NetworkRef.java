package org.azuregahp.ports;

import java.util.Objects;

/**
 * An existing virtual network and subnet to join ({@code vnetName}, {@code vnetRGName},
 * {@code subnetName}). A null resource group means the VM's own; a null subnet means the
 * network's first subnet.
 */
public record NetworkRef(String vnetName, String resourceGroup, String subnetName) {
    public NetworkRef {
        Objects.requireNonNull(vnetName, "vnetName");
    }
}
