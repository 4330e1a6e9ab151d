package org.azuregahp.cli;

import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * What differs between the real process and an in-process test around a session.
 *
 * @param afterBanner runs right after the banner is written (the process configures logging here)
 * @param onReady     receives the session's {@link Shutdown} once it can be used (the process installs
 *                    signal handlers with it)
 * @param exit        the last step of a shutdown (the process halts the JVM; tests do nothing)
 */
record Lifecycle(Runnable afterBanner, Consumer<Shutdown> onReady, IntConsumer exit) {

    static Lifecycle inProcess() {
        return new Lifecycle(() -> { }, s -> { }, status -> { });
    }
}
