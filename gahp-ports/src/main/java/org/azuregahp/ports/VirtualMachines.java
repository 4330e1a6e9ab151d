package org.azuregahp.ports;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Single virtual machines. Each VM lives in a resource group of its own, named after it, with
 * everything made for it (NIC, public IP, disks).
 */
public interface VirtualMachines {

    /**
     * Creates the VM and what it needs. A create repeating an existing name with the same
     * parameters answers the existing VM. On failure part-way, everything this create made is
     * removed before the stage fails with the original error.
     */
    CompletionStage<VmCreated> create(MachineSpec spec);

    /**
     * Deletes the VM and everything created for it. Fails with code
     * {@link CloudException#NOT_FOUND} and a message containing {@code could not be found} when
     * there is nothing of that name.
     */
    CompletionStage<Void> delete(ResourceRef vm);

    /**
     * Lists VMs with their status. Complete or failed: never a partial list.
     */
    CompletionStage<List<VmStatus>> list(VmQuery query);
}
