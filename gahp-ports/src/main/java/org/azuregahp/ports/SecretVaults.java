package org.azuregahp.ports;

import java.util.concurrent.CompletionStage;

/** Key vaults and their secrets. Secret values never pass through this port. */
public interface SecretVaults {

    /**
     * Succeeds when the vault and the secret exist and can be read; fails with code
     * {@link CloudException#NOT_FOUND} naming the vault or the secret (never its value) otherwise.
     */
    CompletionStage<Void> checkSecret(VaultSecretRef secret);

    /** Creates the vault, or reuses an existing one, and grants the listed principals secret access. */
    CompletionStage<Void> createVault(VaultSpec vault);
}
