package org.azuregahp.azure;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.SecretVaults;
import org.azuregahp.ports.VaultSecretRef;
import org.azuregahp.ports.VaultSpec;

final class AzureSecretVaults implements SecretVaults {
    private final Ops ops;

    AzureSecretVaults(Ops ops) {
        this.ops = ops;
    }

    private static <T> CompletionStage<T> notYet() {
        return CompletableFuture.failedFuture(new CloudException(CloudException.NOT_AVAILABLE,
                "key vaults are not implemented in the Azure adapter yet"));
    }

    @Override
    public CompletionStage<Void> checkSecret(VaultSecretRef secret) {
        return notYet();
    }

    @Override
    public CompletionStage<Void> createVault(VaultSpec vault) {
        return notYet();
    }
}
