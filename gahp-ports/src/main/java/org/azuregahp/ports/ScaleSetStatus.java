package org.azuregahp.ports;

import java.util.List;
import java.util.Objects;

/**
 * One scale set in a list: its name, its capacity, and its status codes with the power state last
 * (e.g. {@code [ProvisioningState/succeeded, PowerState/running]}; an empty or deallocated set
 * reports {@code PowerState/deallocated}).
 */
public record ScaleSetStatus(String name, int capacity, List<String> statuses) {
    public ScaleSetStatus {
        Objects.requireNonNull(name, "name");
        statuses = List.copyOf(statuses);
    }

    public String statusText() {
        return String.join(",", statuses);
    }
}
