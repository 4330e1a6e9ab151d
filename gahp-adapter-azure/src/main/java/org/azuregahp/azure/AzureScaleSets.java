package org.azuregahp.azure;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.DeletionSchedules;
import org.azuregahp.ports.ResourceRef;
import org.azuregahp.ports.ScaleSetSpec;
import org.azuregahp.ports.ScaleSetStatus;
import org.azuregahp.ports.ScaleSets;

final class AzureScaleSets implements ScaleSets {
    private final Ops ops;
    private final SharedNetworks networks;
    private final DeletionSchedules schedules;

    AzureScaleSets(Ops ops, SharedNetworks networks, DeletionSchedules schedules) {
        this.ops = ops;
        this.networks = networks;
        this.schedules = schedules;
    }

    private static <T> CompletionStage<T> notYet() {
        return CompletableFuture.failedFuture(new CloudException(CloudException.NOT_AVAILABLE,
                "scale sets are not implemented in the Azure adapter yet"));
    }

    @Override
    public CompletionStage<Void> create(ScaleSetSpec spec) {
        return notYet();
    }

    @Override
    public CompletionStage<Void> delete(ResourceRef scaleSet) {
        return notYet();
    }

    @Override
    public CompletionStage<Void> start(ResourceRef scaleSet) {
        return notYet();
    }

    @Override
    public CompletionStage<Void> stop(ResourceRef scaleSet) {
        return notYet();
    }

    @Override
    public CompletionStage<Void> restart(ResourceRef scaleSet) {
        return notYet();
    }

    @Override
    public CompletionStage<Void> scale(ResourceRef scaleSet, int capacity) {
        return notYet();
    }

    @Override
    public CompletionStage<List<ScaleSetStatus>> list(String name) {
        return notYet();
    }
}
