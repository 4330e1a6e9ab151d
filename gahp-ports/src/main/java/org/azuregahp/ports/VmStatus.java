package org.azuregahp.ports;

import java.util.List;
import java.util.Objects;

/**
 * One VM in a list: the name given at create (for VMs this server did not make: their resource
 * group's name) and its instance-view status codes, the power state last, e.g.
 * {@code [ProvisioningState/succeeded, PowerState/running]}.
 */
public record VmStatus(String name, List<String> statuses) {
    public VmStatus {
        Objects.requireNonNull(name, "name");
        statuses = List.copyOf(statuses);
    }

    /** The codes joined by commas, as a result line carries them. */
    public String statusText() {
        return String.join(",", statuses);
    }
}
