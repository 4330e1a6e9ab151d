package org.azuregahp.ports;

import java.util.Objects;

/**
 * A scale set: the machine every instance is made of, the instance count, and optionally a vault
 * secret each instance installs at boot (null for none).
 */
public record ScaleSetSpec(MachineSpec machine, int capacity, VaultSecretRef secret) {
    public ScaleSetSpec {
        Objects.requireNonNull(machine, "machine");
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative");
        }
    }

    public String name() {
        return machine.name();
    }
}
