package org.azuregahp.azure;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.DeletionSchedules;
import org.azuregahp.ports.ScheduledDeletion;

final class AutomationDeletionSchedules implements DeletionSchedules {
    private final Ops ops;

    AutomationDeletionSchedules(Ops ops) {
        this.ops = ops;
    }

    private static <T> CompletionStage<T> notYet() {
        return CompletableFuture.failedFuture(new CloudException(CloudException.NOT_AVAILABLE,
                "scheduled deletion is not implemented in the Azure adapter yet"));
    }

    @Override
    public CompletionStage<Void> schedule(ScheduledDeletion deletion) {
        return notYet();
    }

    @Override
    public CompletionStage<Void> cancel(String resourceGroup) {
        return notYet();
    }
}
