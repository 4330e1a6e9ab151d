package org.azuregahp.domain.command;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.azuregahp.domain.result.Outcome;
import org.azuregahp.ports.CloudAccount;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.ResourceRef;
import org.azuregahp.ports.ScaleSetSpec;
import org.azuregahp.ports.ScheduledDeletion;

/**
 * The handlers of the scale-set commands: {@code AZURE_VMSS_CREATE}, {@code _DELETE}, {@code _START},
 * {@code _STOP}, {@code _RESTART}, {@code _SCALE} and {@code _LIST}.
 */
final class ScaleSetCommands {

    /** How often a scale set whose deletion could not be scheduled is tried to be deleted. */
    static final int CLEANUP_ATTEMPTS = 5;
    /** The wait before the second cleanup attempt; it doubles for each later one (0.5, 1, 2, 4 s). */
    static final Duration FIRST_CLEANUP_RETRY = Duration.ofMillis(500);

    private ScaleSetCommands() {
    }

    /**
     * The local files it names first, then the secret (nothing is created when it is missing), then the
     * scale set, then the deletion schedule; when scheduling fails the new scale set is deleted again
     * and the scheduling error is the result.
     */
    static CompletionStage<Outcome> create(CloudRequest.VmssCreate c, CommandContext ctx) {
        CloudAccount acct = ctx.account();
        CompletionStage<Void> created = MachineSpecs.resolve(c.machine(), ctx).thenCompose(machine -> {
            CompletionStage<Void> checked = c.secret() == null ? CompletableFuture.completedFuture(null)
                    : Stages.nonNull(acct.secretVaults().checkSecret(c.secret()));
            return checked.thenCompose(v -> Stages.nonNull(acct.scaleSets()
                    .create(new ScaleSetSpec(machine, c.nodeCount(), c.secret()))));
        });
        if (c.deleteAt() == null) {
            return created.thenApply(v -> Outcome.done());
        }
        String name = c.machine().name();
        ScheduledDeletion deletion = new ScheduledDeletion(name, c.machine().location(), c.deleteAt());
        return created.thenCompose(v -> {
            CompletableFuture<Outcome> out = new CompletableFuture<>();
            Stages.stageOf(() -> acct.deletionSchedules().schedule(deletion)).whenComplete((ok, err) -> {
                if (err == null) {
                    out.complete(Outcome.done());
                    return;
                }
                deleteWithRetries(acct, ResourceRef.named(name), CLEANUP_ATTEMPTS, ctx)
                        .whenComplete((x, delErr) -> out.completeExceptionally(err));
            });
            return out;
        });
    }

    /**
     * Deletes a scale set, trying again after 0.5, 1, 2 and 4 s when a delete fails: a scale set left
     * behind by a create that answered an error would run (and cost) with nobody knowing of it. The
     * last failure is reported (it may have left the scale set running).
     */
    private static CompletionStage<Void> deleteWithRetries(CloudAccount acct, ResourceRef ref, int attempts,
            CommandContext ctx) {
        return Stages.stageOf(() -> acct.scaleSets().delete(ref)).handle((ok, err) -> {
            if (err == null || notFound(err)) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            if (attempts <= 1) {
                ctx.report("scale set " + ref + " could not be deleted after its deletion could not be scheduled;"
                        + " it may be left running", err);
                return CompletableFuture.<Void>completedFuture(null);
            }
            Duration wait = FIRST_CLEANUP_RETRY.multipliedBy(1L << (CLEANUP_ATTEMPTS - attempts));
            return ctx.after(wait).thenCompose(x -> deleteWithRetries(acct, ref, attempts - 1, ctx));
        }).thenCompose(x -> x);
    }

    private static boolean notFound(Throwable err) {
        Throwable t = err;
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof CloudException ce && CloudException.NOT_FOUND.equals(ce.code());
    }

    /**
     * The delete decides the result: once the scale set and its group are gone, a failed cancel leaves
     * at worst a schedule that finds nothing to delete, so it must not turn success into error (it is
     * reported instead).
     */
    static CompletionStage<Outcome> delete(CloudRequest.VmssDelete d, CommandContext ctx) {
        CloudAccount acct = ctx.account();
        String group = d.scaleSet().groupOrName();
        return Stages.nonNull(acct.scaleSets().delete(d.scaleSet()))
                .thenCompose(v -> Stages.stageOf(() -> acct.deletionSchedules().cancel(group)).handle((x, err) -> {
                    if (err != null) {
                        ctx.report("the scheduled deletion of resource group " + group
                                + " could not be cancelled after its scale set was deleted", err);
                    }
                    return Outcome.done();
                }));
    }

    static CompletionStage<Outcome> start(CloudRequest.VmssStart s, CommandContext ctx) {
        return Stages.done(ctx.account().scaleSets().start(s.scaleSet()));
    }

    static CompletionStage<Outcome> stop(CloudRequest.VmssStop s, CommandContext ctx) {
        return Stages.done(ctx.account().scaleSets().stop(s.scaleSet()));
    }

    static CompletionStage<Outcome> restart(CloudRequest.VmssRestart s, CommandContext ctx) {
        return Stages.done(ctx.account().scaleSets().restart(s.scaleSet()));
    }

    static CompletionStage<Outcome> scale(CloudRequest.VmssScale s, CommandContext ctx) {
        return Stages.done(ctx.account().scaleSets().scale(s.scaleSet(), s.nodeCount()));
    }

    static CompletionStage<Outcome> list(CloudRequest.VmssList l, CommandContext ctx) {
        return Stages.nonNull(ctx.account().scaleSets().list(l.scaleSetName())).thenApply(Outcome.ScaleSetList::new);
    }
}
