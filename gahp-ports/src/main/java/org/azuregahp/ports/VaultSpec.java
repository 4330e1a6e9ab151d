package org.azuregahp.ports;

import java.util.List;
import java.util.Objects;

/**
 * A key vault to create or reuse ({@code AZURE_KEYVAULT_CREATE}).
 *
 * @param sku        {@code standard} or {@code premium}
 * @param principals object ids granted get/list/set on secrets
 */
public record VaultSpec(String name, String location, String sku, List<String> principals) {
    public VaultSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(location, "location");
        sku = sku == null ? "standard" : sku;
        principals = List.copyOf(principals == null ? List.of() : principals);
    }
}
