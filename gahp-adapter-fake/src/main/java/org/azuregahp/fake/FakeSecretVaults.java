package org.azuregahp.fake;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.azuregahp.fake.Model.Group;
import org.azuregahp.fake.Model.Vault;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.SecretVaults;
import org.azuregahp.ports.VaultSecretRef;
import org.azuregahp.ports.VaultSpec;

/**
 * Key vaults. Vault names are unique across the whole fake cloud (as across Azure); a vault made
 * by {@link #createVault} lives in a resource group named after it.
 */
final class FakeSecretVaults implements SecretVaults {
    private final CloudState world;
    private final StepScheduler runner;
    private final String subscription;

    FakeSecretVaults(CloudState world, StepScheduler runner, String subscription) {
        this.world = world;
        this.runner = runner;
        this.subscription = subscription;
    }

    /** The vault holding the secret, or NOT_FOUND naming the vault or the secret. Under the world lock. */
    static Vault requireSecret(CloudState world, String subscription, VaultSecretRef ref) {
        Vault v = world.vaults.get(Model.key(ref.vaultName()));
        if (v == null || !v.subscription.equalsIgnoreCase(subscription) || !v.group.equalsIgnoreCase(ref.resourceGroup())) {
            throw CloudException.notFound("Vault '" + ref.vaultName() + "' could not be found in resource group '"
                    + ref.resourceGroup() + "'.");
        }
        if (!v.secretNames.containsKey(Model.key(ref.secretName()))) {
            throw CloudException.notFound("Secret '" + ref.secretName() + "' could not be found in vault '"
                    + v.name + "'.");
        }
        return v;
    }

    @Override
    public CompletionStage<Void> checkSecret(VaultSecretRef secret) {
        return runner.run(new StepScheduler.Op<Void>(AzureRules.OpKind.READ, 1) {
            {
                key = "secret-check|" + Model.key(subscription) + "|" + Model.key(secret.resourceGroup()) + "|"
                        + Model.key(secret.vaultName()) + "|" + Model.key(secret.secretName());
            }

            @Override
            CompletionStage<Void> step(int i) {
                requireSecret(world, subscription, secret);
                return CompletableFuture.completedFuture(null);
            }
        });
    }

    @Override
    public CompletionStage<Void> createVault(VaultSpec spec) {
        StepScheduler.Op<Void> op = new StepScheduler.Op<>(AzureRules.OpKind.CHANGE, 1) {
            @Override
            CompletionStage<Void> step(int i) {
                AzureRules.checkVaultName(spec.name());
                String location = AzureRules.checkLocation(spec.location());
                String sku = AzureRules.checkVaultSku(spec.sku());
                spec.principals().forEach(AzureRules::checkObjectId);
                world.requireProviders(subscription, "Microsoft.KeyVault");
                Vault existing = world.vaults.get(Model.key(spec.name()));
                Vault deleted = existing == null ? world.deletedVaults.get(Model.key(spec.name())) : null;
                if (deleted != null) {
                    if (!deleted.subscription.equalsIgnoreCase(subscription) || !deleted.group.equalsIgnoreCase(spec.name())) {
                        throw new CloudException(CloudException.CONFLICT, "the key vault name '" + spec.name() + "' is"
                                + " held by a soft-deleted vault (it was in resource group " + deleted.group + ", "
                                + deleted.location + "); recover it where it was (az keyvault recover --name "
                                + spec.name() + "), purge it (az keyvault purge --name " + spec.name()
                                + "), or choose another name");
                    }
                    // Recovered where it was (createMode recover), then granted like an existing vault.
                    Group home = world.group(subscription, deleted.group);
                    if (home == null) {
                        home = world.newGroup(subscription, deleted.group, deleted.location);
                    }
                    world.deletedVaults.remove(Model.key(spec.name()));
                    home.add(deleted);
                    world.vaults.put(Model.key(deleted.name), deleted);
                    existing = deleted;
                }
                if (existing != null) {
                    if (!existing.subscription.equalsIgnoreCase(subscription)) {
                        throw new CloudException("VaultAlreadyExists", "The vault name '" + spec.name()
                                + "' is already in use. Vault names are globally unique so it is possible that the"
                                + " name is already taken.");
                    }
                    if (!existing.location.equals(location)) {
                        throw new CloudException(CloudException.CONFLICT, "A vault named '" + existing.name
                                + "' already exists in location '" + existing.location
                                + "'; it cannot be created in '" + location + "'.");
                    }
                    if (existing.rbac) {
                        // Azure ignores an RBAC vault's access policies: the principals get a role instead.
                        if (!spec.principals().isEmpty() && !world.mayAssignRoles) {
                            throw new CloudException(CloudException.AUTHENTICATION, "vault '" + existing.name + "' uses"
                                    + " Azure role-based access control, where access policies are ignored; granting the"
                                    + " principals 'Key Vault Secrets Officer' on it needs the right to assign roles (User"
                                    + " Access Administrator or Role Based Access Control Administrator on the vault),"
                                    + " which this identity lacks (AuthorizationFailed)");
                        }
                        existing.roleAssignees.addAll(spec.principals());
                    } else {
                        existing.principals.addAll(spec.principals());
                    }
                    world.changedResource(Model.id(existing.subscription, existing.group, Model.VAULT, existing.name));
                    return CompletableFuture.completedFuture(null);
                }
                Group g = world.group(subscription, spec.name());
                if (g != null && g.deleting()) {
                    throw AzureRules.groupBeingDeleted(g.name);
                }
                if (g == null) {
                    g = world.newGroup(subscription, spec.name(), location);
                }
                Vault v = new Vault(g.subscription, g.name, spec.name());
                v.location = location;
                v.sku = sku;
                v.principals.addAll(spec.principals());
                g.add(v);
                world.vaults.put(Model.key(v.name), v);
                world.changed(g);
                return CompletableFuture.completedFuture(null);
            }
        };
        op.location = spec.location();
        op.key = "vault-create|" + Model.key(subscription) + "|" + Model.key(spec.name());
        return runner.run(op);
    }
}
