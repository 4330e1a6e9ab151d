package org.azuregahp.cli;

/**
 * What differs between the real process and an in-process test around a session.
 *
 * <p>An interface with named implementations rather than a record of lambdas: it is created before
 * the banner, where bootstrapping the first lambda of the process would cost milliseconds.
 */
interface Lifecycle {

    /** Runs right after the banner is written (the process configures logging here). */
    void afterBanner();

    /** Receives the session's {@link Shutdown} once it can be used (the process installs signal handlers). */
    void onReady(Shutdown shutdown);

    /** The last step of a shutdown (the process halts the JVM; tests do nothing). */
    void exit(int status);

    /** For tests and embedders: nothing around the session, and exiting just returns. */
    static Lifecycle inProcess() {
        return inProcess(status -> { });
    }

    /** As {@link #inProcess()}, telling {@code onExit} the status of the exit. */
    static Lifecycle inProcess(java.util.function.IntConsumer onExit) {
        return new Lifecycle() {
            @Override
            public void afterBanner() {
            }

            @Override
            public void onReady(Shutdown shutdown) {
            }

            @Override
            public void exit(int status) {
                onExit.accept(status);
            }
        };
    }
}
