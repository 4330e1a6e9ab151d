package org.azuregahp.ports;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A {@link CloudAccount} that is known only later (for example once its credential file has been
 * read, off the caller's thread): every operation waits for it and then runs on it, and fails as it
 * fails when it cannot be had. {@link Cloud#account} can so answer at once without blocking.
 */
public final class DeferredCloudAccount implements CloudAccount {
    private final CompletionStage<? extends CloudAccount> account;
    private final VirtualMachines virtualMachines = new VirtualMachines() {
        @Override
        public CompletionStage<VmCreated> create(MachineSpec spec) {
            return then(a -> a.virtualMachines().create(spec));
        }

        @Override
        public CompletionStage<Void> delete(ResourceRef vm) {
            return then(a -> a.virtualMachines().delete(vm));
        }

        @Override
        public CompletionStage<List<VmStatus>> list(VmQuery query) {
            return then(a -> a.virtualMachines().list(query));
        }
    };
    private final ScaleSets scaleSets = new ScaleSets() {
        @Override
        public CompletionStage<Void> create(ScaleSetSpec spec) {
            return then(a -> a.scaleSets().create(spec));
        }

        @Override
        public CompletionStage<Void> delete(ResourceRef scaleSet) {
            return then(a -> a.scaleSets().delete(scaleSet));
        }

        @Override
        public CompletionStage<Void> start(ResourceRef scaleSet) {
            return then(a -> a.scaleSets().start(scaleSet));
        }

        @Override
        public CompletionStage<Void> stop(ResourceRef scaleSet) {
            return then(a -> a.scaleSets().stop(scaleSet));
        }

        @Override
        public CompletionStage<Void> restart(ResourceRef scaleSet) {
            return then(a -> a.scaleSets().restart(scaleSet));
        }

        @Override
        public CompletionStage<Void> scale(ResourceRef scaleSet, int capacity) {
            return then(a -> a.scaleSets().scale(scaleSet, capacity));
        }

        @Override
        public CompletionStage<List<ScaleSetStatus>> list(String name) {
            return then(a -> a.scaleSets().list(name));
        }
    };
    private final SecretVaults secretVaults = new SecretVaults() {
        @Override
        public CompletionStage<Void> checkSecret(VaultSecretRef secret) {
            return then(a -> a.secretVaults().checkSecret(secret));
        }

        @Override
        public CompletionStage<Void> createVault(VaultSpec vault) {
            return then(a -> a.secretVaults().createVault(vault));
        }
    };
    private final DeletionSchedules deletionSchedules = new DeletionSchedules() {
        @Override
        public CompletionStage<Void> schedule(ScheduledDeletion deletion) {
            return then(a -> a.deletionSchedules().schedule(deletion));
        }

        @Override
        public CompletionStage<Void> cancel(String resourceGroup) {
            return then(a -> a.deletionSchedules().cancel(resourceGroup));
        }
    };

    private DeferredCloudAccount(CompletionStage<? extends CloudAccount> account) {
        this.account = Objects.requireNonNull(account, "account");
    }

    /** The account {@code account} completes with; its failure fails every operation. */
    public static CloudAccount of(CompletionStage<? extends CloudAccount> account) {
        return new DeferredCloudAccount(account);
    }

    private <T> CompletionStage<T> then(Function<CloudAccount, CompletionStage<T>> operation) {
        return account.thenCompose(a -> operation.apply(a));
    }

    @Override
    public CompletionStage<Void> ping() {
        return then(CloudAccount::ping);
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
