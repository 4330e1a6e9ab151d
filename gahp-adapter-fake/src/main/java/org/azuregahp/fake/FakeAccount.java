package org.azuregahp.fake;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.azuregahp.ports.CloudAccount;
import org.azuregahp.ports.DeletionSchedules;
import org.azuregahp.ports.ScaleSets;
import org.azuregahp.ports.SecretVaults;
import org.azuregahp.ports.VirtualMachines;

/** One subscription of the fake cloud. Cheap: the state lives in the {@link CloudState}. */
final class FakeAccount implements CloudAccount {
    private final StepScheduler runner;
    private final String subscriptionKey;
    private final VirtualMachines vms;
    private final ScaleSets scaleSets;
    private final SecretVaults vaults;
    private final DeletionSchedules schedules;

    FakeAccount(CloudState world, StepScheduler shared, String subscription, String principal) {
        StepScheduler runner = shared.as(new StepScheduler.Caller(subscription, principal));
        this.runner = runner;
        this.subscriptionKey = Model.key(subscription);
        this.vms = new FakeVirtualMachines(world, runner, subscription);
        this.scaleSets = new FakeScaleSets(world, runner, subscription);
        this.vaults = new FakeSecretVaults(world, runner, subscription);
        this.schedules = new FakeDeletionSchedules(world, runner, subscription);
    }

    @Override
    public CompletionStage<Void> ping() {
        return runner.run(new StepScheduler.Op<Void>(AzureRules.OpKind.READ, 1) {
            {
                key = "ping|" + subscriptionKey;
            }

            @Override
            CompletionStage<Void> step(int i) {
                return CompletableFuture.completedFuture(null);
            }
        });
    }

    @Override
    public VirtualMachines virtualMachines() {
        return vms;
    }

    @Override
    public ScaleSets scaleSets() {
        return scaleSets;
    }

    @Override
    public SecretVaults secretVaults() {
        return vaults;
    }

    @Override
    public DeletionSchedules deletionSchedules() {
        return schedules;
    }
}
