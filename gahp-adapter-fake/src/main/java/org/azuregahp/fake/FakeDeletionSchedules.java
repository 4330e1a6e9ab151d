package org.azuregahp.fake;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.azuregahp.ports.DeletionSchedules;
import org.azuregahp.ports.ScheduledDeletion;

/**
 * Scheduled deletions of resource groups. The group need not exist yet; when the time comes (per
 * the cloud's clock) it is deleted if it exists and the schedule goes away either way.
 */
final class FakeDeletionSchedules implements DeletionSchedules {
    private final CloudState world;
    private final StepScheduler runner;
    private final String subscription;

    FakeDeletionSchedules(CloudState world, StepScheduler runner, String subscription) {
        this.world = world;
        this.runner = runner;
        this.subscription = subscription;
    }

    @Override
    public CompletionStage<Void> schedule(ScheduledDeletion deletion) {
        StepScheduler.Op<Void> op = new StepScheduler.Op<>(AzureRules.OpKind.CHANGE, 1) {
            @Override
            CompletionStage<Void> step(int i) {
                AzureRules.checkResourceGroupName(deletion.resourceGroup());
                world.requireProviders(subscription, "Microsoft.Automation");
                String location = deletion.location() == null ? null : AzureRules.checkLocation(deletion.location());
                world.schedule(subscription, deletion.resourceGroup(), location, deletion.at());
                return CompletableFuture.completedFuture(null);
            }
        };
        op.location = deletion.location();
        op.key = "schedule|" + Model.key(subscription) + "|" + Model.key(deletion.resourceGroup());
        return runner.run(op);
    }

    @Override
    public CompletionStage<Void> cancel(String resourceGroup) {
        return runner.run(new StepScheduler.Op<Void>(AzureRules.OpKind.CHANGE, 1) {
            {
                key = "unschedule|" + Model.key(subscription) + "|" + Model.key(resourceGroup);
            }

            @Override
            CompletionStage<Void> step(int i) {
                world.cancelSchedule(subscription, resourceGroup);
                return CompletableFuture.completedFuture(null);
            }
        });
    }
}
