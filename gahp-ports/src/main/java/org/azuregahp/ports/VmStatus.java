package org.azuregahp.ports;

import java.util.List;
import java.util.Objects;

/**
 * One VM in a list: the name given at create (for VMs this server did not make: their resource
 * group's name) and its instance-view status codes, the power state last, e.g.
 * {@code [ProvisioningState/succeeded, PowerState/running]}.
 *
 * @param createdByServer whether the VM carries the name tag this server writes at create
 *                        ({@link CloudRules#NAME_TAG}): only such VMs have names HTCondor's gridmanager
 *                        gave, so a list too long for one result line may leave the others out as its
 *                        last resort. Adapters fill it in; where it is not known (a list read back from a
 *                        result line) it is true, which never leaves a VM out.
 */
public record VmStatus(String name, List<String> statuses, boolean createdByServer) {
    public VmStatus {
        Objects.requireNonNull(name, "name");
        statuses = List.copyOf(statuses);
    }

    /** A VM whose origin is not known: taken as created by this server. */
    public VmStatus(String name, List<String> statuses) {
        this(name, statuses, true);
    }

    /** The codes joined by commas, as a result line carries them. */
    public String statusText() {
        return String.join(",", statuses);
    }
}
