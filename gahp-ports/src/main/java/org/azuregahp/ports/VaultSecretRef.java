package org.azuregahp.ports;

import java.util.Objects;

/** A secret in a key vault: {@code keyvaultname}, {@code keyvaultrg} and {@code vaultkey}. */
public record VaultSecretRef(String vaultName, String resourceGroup, String secretName) {
    public VaultSecretRef {
        Objects.requireNonNull(vaultName, "vaultName");
        Objects.requireNonNull(resourceGroup, "resourceGroup");
        Objects.requireNonNull(secretName, "secretName");
    }
}
