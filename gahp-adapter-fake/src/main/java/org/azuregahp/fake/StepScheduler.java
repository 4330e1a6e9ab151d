package org.azuregahp.fake;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.azuregahp.ports.CloudException;

/**
 * Runs one operation (the work of one request) as a few steps spread over the configured
 * latency, on a shared scheduler: no thread per operation and no sleeping. Each step runs under
 * the world lock; the operation's future completes outside it.
 *
 * <p>Fault injection: when the world decides at the start that the operation fails at step
 * {@code k}, steps before {@code k} run, then at {@code k}'s time the operation rolls back what it
 * made and fails with the drawn error.
 */
final class StepScheduler {
    private final CloudState world;
    private final Timer timer;
    private final long latencyNanos;
    /** Saves changes before their results are delivered; null without a state file. */
    private final StateStore store;
    private final Map<CompletableFuture<?>, Op<?>> pending;
    /** The cloud's scheduler; this one, or the one a per-account view runs on. */
    private final StepScheduler root;
    /** Whose operations this view runs (null for the root): what the request budgets are charged to. */
    private final Caller caller;
    private volatile boolean closed;
    /** Azure's request budgets, when the cloud enforces them (root only). */
    private volatile ArmBudgets budgets;

    /** The subscription and principal (the credential's client id) an account's operations count against. */
    record Caller(String subscription, String principal) {
    }

    /** Where steps wait for their time: the fake's scheduler threads, or a clock tests move by hand. */
    interface Timer {
        long nanoTime();

        /** Runs {@code task} after {@code delayNanos}; throws RejectedExecutionException once closed. */
        void schedule(Runnable task, long delayNanos);

        static Timer of(ScheduledExecutorService scheduler) {
            return new Timer() {
                @Override
                public long nanoTime() {
                    return System.nanoTime();
                }

                @Override
                public void schedule(Runnable task, long delayNanos) {
                    scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
                }
            };
        }
    }

    StepScheduler(CloudState world, Timer timer, long latencyNanos, StateStore store) {
        this.world = world;
        this.timer = timer;
        this.latencyNanos = latencyNanos;
        this.store = store;
        this.pending = new ConcurrentHashMap<>();
        this.root = this;
        this.caller = null;
    }

    private StepScheduler(StepScheduler root, Caller caller) {
        this.world = root.world;
        this.timer = root.timer;
        this.latencyNanos = root.latencyNanos;
        this.store = root.store;
        this.pending = root.pending;
        this.root = root;
        this.caller = caller;
    }

    /** The same scheduler, running one account's operations (charged to its budgets). */
    StepScheduler as(Caller caller) {
        return new StepScheduler(root, caller);
    }

    /** Enforces Azure's request budgets from now on. */
    void budgets(ArmBudgets budgets) {
        root.budgets = budgets;
    }

    /** One operation. {@link #at} gives each step's time as a fraction of the latency. */
    abstract static class Op<T> {
        final AzureRules.OpKind kind;
        final double[] at;
        /** For the wording of injected quota errors, and the regional budgets. */
        String location;
        /** What the operation takes from Azure's request budgets; null for its kind's usual cost. */
        ArmBudgets.Cost cost;
        String size;
        /** The operation's own future (set before step 0), for later duplicates to wait on. */
        CompletableFuture<T> self;
        /**
         * What the operation does to which resource (e.g. {@code vm-create|sub|name}): with the seed it
         * picks the operation's random source, so outcomes repeat whatever order requests arrive in.
         */
        String key;
        /** The operation's own random source (set before step 0), for the ids it makes. */
        Random random;
        /** Under the world lock: the injected failure (or null), the next step to run, and whether it ended. */
        CloudState.Fault fault;
        int next;
        boolean ended;
        /** Under the world lock: a step or the rollback changed the cloud (so the result waits until it is saved). */
        boolean madeChanges;

        Op(AzureRules.OpKind kind, double... at) {
            this.kind = kind;
            this.at = at;
        }

        /** Runs step {@code i} under the world lock: null to go on, or the stage that ends the operation. */
        abstract CompletionStage<T> step(int i);

        /** Undoes what the steps made, under the world lock; must be safe to call at any point. */
        void rollback() {
        }
    }

    <T> CompletableFuture<T> run(Op<T> op) {
        CompletableFuture<T> result = new CompletableFuture<>();
        op.self = result;
        if (root.closed) {
            result.completeExceptionally(closedError());
            return result;
        }
        // While changes cannot be saved, a request that would change the cloud is refused before it
        // changes anything: its result says so, and nothing is made that a restart would forget.
        CloudException refusal = store == null || op.kind == AzureRules.OpKind.READ ? null : store.refusal();
        if (refusal != null) {
            result.completeExceptionally(refusal);
            return result;
        }
        CloudState.Fault fault;
        synchronized (world) {
            if (root.closed) {
                result.completeExceptionally(closedError());
                return result;
            }
            ArmBudgets b = root.budgets;
            if (b != null && caller != null) {
                CloudException refused = b.charge(caller.subscription(), caller.principal(), op.location,
                        op.cost != null ? op.cost : ArmBudgets.Cost.of(op.kind));
                if (refused != null) {
                    result.completeExceptionally(refused);
                    return result;
                }
            }
            op.random = world.operationRandom(op.key == null ? op.kind.name() : op.key);
            fault = world.drawFault(op.random, op.kind, op.at.length, op.location, op.size);
            op.fault = fault;
            pending.put(result, op);
        }
        result.whenComplete((v, e) -> pending.remove(result));
        advance(op, fault, result, 0, timer.nanoTime());
        return result;
    }

    private <T> void advance(Op<T> op, CloudState.Fault fault, CompletableFuture<T> result, int first, long start) {
        int i = first;
        while (!result.isDone() && i < op.at.length) {
            boolean failNow = fault != null && fault.step() == i;
            double fraction = failNow ? faultFraction(op, i) : op.at[i];
            long wait = start + (long) (fraction * latencyNanos) - timer.nanoTime();
            if (latencyNanos > 0 && wait > 0) {
                int next = i;
                try {
                    timer.schedule(() -> advance(op, fault, result, next, start), wait);
                } catch (RejectedExecutionException e) {
                    result.completeExceptionally(closedError());
                }
                return;
            }
            if (failNow) {
                long count = undo(op);
                if (count >= 0) {
                    deliver(op, count, () -> result.completeExceptionally(fault.error()));
                }
                return;
            }
            CompletionStage<T> out;
            long count;
            try {
                synchronized (world) {
                    if (op.ended) {
                        return; // the cloud was closed: close() finished or undid the operation
                    }
                    world.running = op;
                    try {
                        out = op.step(i);
                    } finally {
                        world.running = null;
                    }
                    op.next = i + 1;
                    op.ended = out != null;
                    count = world.changeCount;
                }
            } catch (RuntimeException e) {
                count = undo(op);
                if (count >= 0) {
                    deliver(op, count, () -> result.completeExceptionally(e instanceof CloudException ? e
                            : new CloudException(CloudException.INTERNAL, "The fake cloud failed: " + e)));
                }
                return;
            }
            if (out != null) {
                long savedWith = count;
                out.whenComplete((v, e) -> deliver(op, savedWith, () -> {
                    if (e == null) {
                        result.complete(v);
                    } else {
                        result.completeExceptionally(e instanceof CompletionException && e.getCause() != null
                                ? e.getCause() : e);
                    }
                }));
                return;
            }
            i++;
        }
        if (!result.isDone()) {
            result.completeExceptionally(new CloudException(CloudException.INTERNAL,
                    "The fake cloud's operation ended without a result."));
        }
    }

    /**
     * Ends {@code op} by undoing what it made, unless it has ended already (the cloud was closed
     * meanwhile, and close() finished or undid it; its result is the closed error). Returns the change
     * count its result must wait to be saved up to, or -1 when it had ended.
     */
    private long undo(Op<?> op) {
        synchronized (world) {
            if (op.ended) {
                return -1;
            }
            op.ended = true;
            world.running = op;
            try {
                op.rollback();
            } finally {
                world.running = null;
            }
            return world.changeCount;
        }
    }

    /**
     * Delivers an operation's outcome: at once when it changed nothing, else once the state file holds
     * every change counted up to {@code count} (its own and everything before): a result reaches the
     * engine only after the change behind it is saved.
     */
    private void deliver(Op<?> op, long count, Runnable completion) {
        if (store != null && op.madeChanges) {
            store.afterSaved(count, completion);
        } else {
            completion.run();
        }
    }

    private static double faultFraction(Op<?> op, int i) {
        int n = op.at.length;
        return n == 1 ? op.at[0] : Math.max(op.at[i], (double) i / (n - 1));
    }

    /**
     * Fails every operation still under way; later operations fail at once. What the cloud was
     * asked to do still happens, as on Azure when the client goes away: an operation under way runs
     * its remaining steps at once, or, when it was drawn to fail, undoes what it made. So the state
     * written at close never holds half an operation (a group without its VM, a set still
     * "creating").
     */
    void close() {
        root.closed = true;
        synchronized (world) {
            for (Op<?> op : pending.values()) {
                finishNow(op);
            }
        }
        for (CompletableFuture<?> f : pending.keySet().toArray(new CompletableFuture<?>[0])) {
            f.completeExceptionally(closedError());
        }
    }

    /** Under the world lock. */
    private void finishNow(Op<?> op) {
        if (op.ended) {
            return;
        }
        op.ended = true;
        world.running = op;
        try {
            for (int i = op.next; i < op.at.length; i++) {
                if (op.fault != null && op.fault.step() == i) {
                    op.rollback();
                    return;
                }
                if (op.step(i) != null) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            op.rollback();
        } finally {
            world.running = null;
        }
    }

    private static CloudException closedError() {
        return new CloudException(CloudException.NOT_AVAILABLE,
                "The fake cloud was closed before the operation finished.");
    }
}
