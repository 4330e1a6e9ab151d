package org.azuregahp.domain.command;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.azuregahp.domain.result.Outcome;

/** Small helpers for the handlers' stages. */
final class Stages {

    private Stages() {
    }

    /** A port's stage; a port that answered none is a bug in the adapter. */
    static <T> CompletionStage<T> nonNull(CompletionStage<T> stage) {
        if (stage == null) {
            throw new IllegalStateException("a cloud port answered no stage");
        }
        return stage;
    }

    /** Calls {@code s}; a throw or a null stage becomes a failed stage. */
    static <T> CompletionStage<T> stageOf(Supplier<CompletionStage<T>> s) {
        try {
            return nonNull(s.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** {@link Outcome.Done} once {@code stage} succeeds. */
    static CompletionStage<Outcome> done(CompletionStage<Void> stage) {
        return nonNull(stage).thenApply(v -> Outcome.done());
    }
}
