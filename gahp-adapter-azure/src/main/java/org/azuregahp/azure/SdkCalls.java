package org.azuregahp.azure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.azuregahp.ports.CloudException;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Runs one port operation: waits for a permit of the subscription's {@link Limiter}, builds the
 * clients it needs on an adapter thread (never the caller's), subscribes to the SDK's asynchronous
 * call, bounds the whole by the deadline, and translates every failure into a {@link CloudException}.
 */
final class SdkCalls {
    private final Clients clients;
    private final Limiter limiter;
    private final Executor executor;
    private final Duration deadline;

    SdkCalls(Clients clients, Limiter limiter, Executor executor, Duration deadline) {
        this.clients = clients;
        this.limiter = limiter;
        this.executor = executor;
        this.deadline = deadline;
    }

    Clients clients() {
        return clients;
    }

    Duration deadline() {
        return deadline;
    }

    <T> CompletionStage<T> call(String what, Function<Clients, Mono<T>> op) {
        return call(what, (c, budget) -> op.apply(c));
    }

    /**
     * As {@link #call(String, Function)}, handing the operation the time it has left for its own work
     * once it starts: the deadline less the time spent waiting, less a margin in which it can clean
     * up after itself before the deadline ends everything.
     */
    <T> CompletionStage<T> call(String what, java.util.function.BiFunction<Clients, Duration, Mono<T>> op) {
        long start = System.nanoTime();
        CompletableFuture<T> result = new CompletableFuture<>();
        AtomicReference<Disposable> running = new AtomicReference<>();
        limiter.acquire().thenRunAsync(() -> {
            if (result.isDone()) {
                limiter.release();
                return;
            }
            result.whenComplete((v, e) -> {
                limiter.release();
                Disposable d = running.get();
                if (d != null) {
                    d.dispose();
                }
            });
            try {
                Duration left = deadline.minusNanos(System.nanoTime() - start);
                long margin = Math.min(15_000, Math.max(500, deadline.toMillis() / 10));
                Duration budget = left.minusMillis(margin);
                Mono<T> mono = op.apply(clients, budget.isNegative() ? Duration.ZERO : budget);
                running.set(mono.subscribe(result::complete, result::completeExceptionally, () -> result.complete(null)));
                if (result.isDone()) {
                    running.get().dispose();
                }
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, executor);
        // The deadline's timer runs on Reactor's timer thread (the SDK's calls wait on it already), not
        // on the extra thread CompletableFuture.orTimeout would start.
        Disposable timer = Schedulers.parallel().schedule(() -> result.completeExceptionally(new TimeoutException()),
                deadline.toMillis(), TimeUnit.MILLISECONDS);
        result.whenComplete((v, e) -> timer.dispose());
        return result.handle((v, e) -> {
            if (e == null) {
                return v;
            }
            Throwable cause = AzureErrors.unwrap(e);
            if (cause instanceof TimeoutException) {
                throw new CloudException(CloudException.TIMEOUT,
                        what + " did not finish within " + deadline.toSeconds() + " s");
            }
            throw AzureErrors.translate(cause, clients.connection().redactor());
        });
    }
}
