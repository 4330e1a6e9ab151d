package org.azuregahp.domain.command;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.azuregahp.ports.CloudAccount;

/**
 * What a command's handler may use while it runs: the request's cloud account, the local files it
 * names, time, and a place to report problems that do not decide its result. The engine makes one
 * per request; handlers run on the engine's workers and must not block.
 */
public interface CommandContext {

    /**
     * The account the request names (credential file and subscription). May throw a
     * {@link org.azuregahp.ports.CloudException} (a bad credential file), which becomes the result.
     */
    CloudAccount account();

    /**
     * The text of a local file the request names ({@code key=}, {@code customData=}), read off the
     * engine's threads; empty when no such file exists. Continues on the engine's workers.
     */
    CompletionStage<Optional<String>> readFile(String path, int maxBytes);

    /** A stage that completes after {@code delay} (on the engine's scheduler, not a global timer). */
    CompletionStage<Void> after(Duration delay);

    /**
     * Reports a problem that does not decide the result but someone should know of (logged with its
     * stack trace), e.g. a clean-up delete that failed and may leave something behind.
     */
    void report(String what, Throwable problem);
}
