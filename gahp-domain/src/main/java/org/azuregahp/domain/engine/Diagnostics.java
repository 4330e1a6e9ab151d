package org.azuregahp.domain.engine;

/**
 * Where the engine reports what went wrong unexpectedly, with the exception and its cause chain:
 * the host logs it (the CLI at warn, with the stack trace). Result lines say only
 * {@code InternalError: ... (the GAHP log may say more)}; this is where the more is.
 */
public interface Diagnostics {

    /**
     * An unexpected exception: a handler or adapter threw something other than a
     * {@link org.azuregahp.ports.CloudException}, the parser met a bug, a listener failed, or a
     * clean-up step failed and may have left something behind.
     *
     * @param context what was going on, e.g. {@code AZURE_VM_CREATE request 7}; never a secret
     */
    void unexpected(String context, Throwable problem);

    /**
     * A JVM error (an {@link OutOfMemoryError}, a {@link StackOverflowError}, ...) while running a
     * request. It never becomes a result line: the engine has already shut down (no more output) when
     * this is called, and the host should end the process so a fresh one can start. The default
     * reports it as {@link #unexpected}.
     */
    default void fatal(String context, Error error) {
        unexpected(context, error);
    }

    /** Reports nothing (for tests and embedders that do not log). */
    Diagnostics NONE = (context, problem) -> { };
}
