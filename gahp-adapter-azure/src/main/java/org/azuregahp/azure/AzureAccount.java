package org.azuregahp.azure;

import java.util.concurrent.CompletionStage;
import org.azuregahp.ports.CloudAccount;
import org.azuregahp.ports.DeletionSchedules;
import org.azuregahp.ports.ScaleSets;
import org.azuregahp.ports.SecretVaults;
import org.azuregahp.ports.VirtualMachines;

/** The capabilities of one (credential file version, subscription); every client inside is lazy. */
final class AzureAccount implements CloudAccount {
    private final Connection connection;
    private final SdkCalls ops;
    private final AzureVirtualMachines virtualMachines;
    private final ScaleSets scaleSets;
    private final SecretVaults secretVaults;
    private final DeletionSchedules deletionSchedules;

    AzureAccount(Connection connection, SdkCalls ops, SharedNetworks networks, ImageProfiles images,
            java.time.Clock clock) {
        this.connection = connection;
        this.ops = ops;
        this.virtualMachines = new AzureVirtualMachines(ops, networks, images);
        this.deletionSchedules = new AutomationDeletionSchedules(ops, clock);
        this.secretVaults = new AzureSecretVaults(ops);
        this.scaleSets = new AzureScaleSets(ops, networks, images, deletionSchedules);
    }

    Connection connection() {
        return connection;
    }

    /** One cheap read: the first page (one entry) of the subscription's resource groups. No writes. */
    @Override
    public CompletionStage<Void> ping() {
        return ops.call("AZURE_PING", c -> c.resources().getResourceGroups().listAsync(null, 1).byPage().next().then());
    }

    @Override
    public VirtualMachines virtualMachines() {
        return virtualMachines;
    }

    @Override
    public ScaleSets scaleSets() {
        return scaleSets;
    }

    @Override
    public SecretVaults secretVaults() {
        return secretVaults;
    }

    @Override
    public DeletionSchedules deletionSchedules() {
        return deletionSchedules;
    }
}
