package org.azuregahp.fake;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.azuregahp.fake.Model.Group;
import org.azuregahp.fake.Model.Res;
import org.azuregahp.ports.ResourceRef;

/**
 * Deleting the resource group of a VM or scale set, the protocol both share. Step 0 finds the owner
 * (or a create of it still under way), joins a deletion of the group already running, refuses a
 * group that other resources still use, and marks group and owner as being deleted; step 1 removes
 * the group with everything in it. A failure drawn before step 1 clears the marks: the owner then
 * shows the states it has at that moment, with whatever finished meanwhile (the create underneath the
 * delete, a stop), never the states it had when the delete started.
 *
 * @param <R> the owner's model type
 */
abstract class GroupDeletion<R extends Res> extends StepScheduler.Op<Void> {
    private final CloudState world;
    private final String subscription;
    private final ResourceRef ref;
    private final String ownerKind;
    private final String type;
    private final String what;
    private Group g;
    /** The owner, or null when its create is still under way. */
    R owner;

    /**
     * @param ownerKind the group's owner kind ({@code vm}, {@code vmss})
     * @param type      the Azure type in a not-found message
     * @param what      the owner in words, e.g. {@code the virtual machine}
     */
    GroupDeletion(CloudState world, String subscription, ResourceRef ref, String ownerKind, String type, String what) {
        super(AzureRules.OpKind.CHANGE, 0, 1);
        this.world = world;
        this.subscription = subscription;
        this.ref = ref;
        this.ownerKind = ownerKind;
        this.type = type;
        this.what = what;
        this.key = ownerKind + "-delete|" + Model.key(subscription) + "|" + Model.key(ref.toString());
        // The group read, then its delete.
        this.cost = new ArmBudgets.Cost(1, 0, 1, 0, 0);
    }

    /** The owner named {@code name} in the group, or null. */
    abstract R find(Group group, String name);

    /** Marks the owner (never null here) as being deleted, or clears the mark. */
    abstract void markDeleting(R found, boolean deleting);

    @Override
    final CompletionStage<Void> step(int i) {
        if (i == 0) {
            String group = ref.groupOrName();
            g = world.group(subscription, group);
            owner = g == null ? null : find(g, ref.name());
            boolean creating = owner == null && g != null && ownerKind.equals(g.ownerKind) && g.creation != null
                    && !g.creation.isDone() && Model.key(g.name).equals(Model.key(ref.name()));
            if (owner == null && !creating) {
                throw AzureRules.resourceNotFound(type, ref.name(), g == null ? group : g.name, what);
            }
            if (g.deleting()) {
                return g.deletion.copy();
            }
            world.checkNotUsedElsewhere(g);
            g.deletion = self;
            if (owner != null) {
                markDeleting(owner, true);
            }
            world.changed(g);
            return null;
        }
        world.removeGroup(g);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    final void rollback() {
        if (g != null && g.deletion == self) {
            g.deletion = null;
            if (owner != null) {
                markDeleting(owner, false);
            }
            world.changed(g);
        }
    }
}
