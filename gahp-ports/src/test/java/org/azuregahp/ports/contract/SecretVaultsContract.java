package org.azuregahp.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.azuregahp.ports.CloudAccount;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.SecretVaults;
import org.azuregahp.ports.VaultSecretRef;
import org.azuregahp.ports.VaultSpec;
import org.junit.jupiter.api.Test;

/** What any {@link SecretVaults} adapter must do. */
public abstract class SecretVaultsContract extends ContractSupport {

    protected abstract CloudAccount account();

    /** Makes sure the vault (in resource group {@code resourceGroup}) exists and holds the secret. */
    protected abstract void seedSecret(String vault, String resourceGroup, String secret);

    protected SecretVaults vaults() {
        return account().secretVaults();
    }

    @Test
    public void aSeededSecretChecksOut() {
        String vault = uniqueName("ctkv");
        seedSecret(vault, vault, "db-password");
        assertThat(await(vaults().checkSecret(new VaultSecretRef(vault, vault, "db-password")))).isNull();
    }

    @Test
    public void aMissingVaultIsNotFoundByName() {
        String vault = uniqueName("ctkv");
        CloudException e = failure(vaults().checkSecret(new VaultSecretRef(vault, vault, "anything")));
        assertThat(e.code()).isEqualTo(CloudException.NOT_FOUND);
        assertThat(e.getMessage()).contains("Vault '" + vault + "' could not be found");
    }

    @Test
    public void aMissingSecretIsNotFoundByName() {
        String vault = uniqueName("ctkv");
        seedSecret(vault, vault, "present");
        CloudException e = failure(vaults().checkSecret(new VaultSecretRef(vault, vault, "absent")));
        assertThat(e.code()).isEqualTo(CloudException.NOT_FOUND);
        assertThat(e.getMessage()).contains("Secret 'absent' could not be found").contains(vault);
    }

    @Test
    public void creatingAVaultTwiceReusesIt() {
        String vault = uniqueName("ctkv");
        VaultSpec spec = new VaultSpec(vault, location(), "standard", List.of());
        assertThat(await(vaults().createVault(spec))).isNull();
        assertThat(await(vaults().createVault(new VaultSpec(vault, location(), "standard",
                List.of("00000000-0000-0000-0000-0000000000aa"))))).isNull();
    }

    @Test
    public void anInvalidVaultNameFails() {
        CloudException e = failure(vaults().createVault(new VaultSpec("x", location(), "standard", List.of())));
        assertThat(e.getMessage()).contains("'x'");
    }

    @Test
    public void anUnknownSkuFails() {
        String vault = uniqueName("ctkv");
        CloudException e = failure(vaults().createVault(new VaultSpec(vault, location(), "platinum", List.of())));
        assertThat(e.getMessage()).contains("platinum");
    }
}
