package org.azuregahp.ports;

import java.util.Objects;

/** What a successful VM create answers: Azure's {@code vmId} and the public IP, or null. */
public record VmCreated(String vmId, String publicIp) {
    public VmCreated {
        Objects.requireNonNull(vmId, "vmId");
        if (vmId.isEmpty()) {
            throw new IllegalArgumentException("vmId must not be empty");
        }
    }
}
