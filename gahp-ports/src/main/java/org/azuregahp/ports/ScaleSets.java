package org.azuregahp.ports;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Virtual machine scale sets. Each scale set lives in a resource group of its own, named after it,
 * with its network and load balancer or per-instance addresses. Unknown scale sets fail with code
 * {@link CloudException#NOT_FOUND} and a message containing {@code could not be found}.
 */
public interface ScaleSets {

    /**
     * Creates the scale set with {@code spec.capacity()} instances. With a secret reference, the
     * scale set gets a managed identity with read access to it and every instance installs it at
     * boot. On failure part-way, everything this create made is removed.
     */
    CompletionStage<Void> create(ScaleSetSpec spec);

    /** Deletes the scale set and its resource group with everything in it. */
    CompletionStage<Void> delete(ResourceRef scaleSet);

    CompletionStage<Void> start(ResourceRef scaleSet);

    /** Stops and deallocates every instance. */
    CompletionStage<Void> stop(ResourceRef scaleSet);

    CompletionStage<Void> restart(ResourceRef scaleSet);

    /** Sets the instance count (0 allowed). */
    CompletionStage<Void> scale(ResourceRef scaleSet, int capacity);

    /** Every scale set, or only the one named (null for all). Complete or failed. */
    CompletionStage<List<ScaleSetStatus>> list(String name);
}
