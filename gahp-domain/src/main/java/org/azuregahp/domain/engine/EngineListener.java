package org.azuregahp.domain.engine;

import org.azuregahp.domain.result.Result;

/**
 * Hears what the engine does with each line, as typed events (for a request log, statistics or a
 * shell); every method has a no-op default. Called on the engine's threads: keep it short, never
 * block. An exception thrown here is reported to {@link Diagnostics} and does not affect the protocol.
 */
public interface EngineListener {

    /**
     * A line the engine understood and answered {@code S} (or a session command's answer).
     *
     * @param command   the command's canonical name
     * @param requestId the request id of a cloud request, null for a session command
     */
    default void received(String command, String requestId) {
    }

    /** A line answered {@code E}, and why. */
    default void refused(String reason) {
    }

    /** A request line longer than the front end's limit was refused ({@code E}) without being read. */
    default void oversized(long bytes) {
    }

    /** A cloud request's result, when it is queued for {@code RESULTS}. */
    default void completed(Result result) {
    }
}
