package org.azuregahp.cli;

import org.azuregahp.domain.engine.Diagnostics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's {@link Diagnostics} in the log: every unexpected exception at warn with its stack
 * trace (what "the GAHP log may say more" in an {@code InternalError} result refers to). A JVM error
 * is logged at error and ends the process (status 1) so HTCondor starts a fresh server: an
 * {@link OutOfMemoryError} must not leave a server limping on.
 */
final class LoggedDiagnostics implements Diagnostics {
    private static final Logger LOG = LoggerFactory.getLogger("azure-gahp.diagnostics");

    private volatile Runnable endProcess = () -> { };

    void onFatal(Runnable endProcess) {
        this.endProcess = endProcess;
    }

    @Override
    public void unexpected(String context, Throwable problem) {
        LOG.warn("unexpected failure: {}", context, problem);
    }

    /** Logs, then ends the process on a thread of its own (the engine's threads are being stopped). */
    @Override
    public void fatal(String context, Error error) {
        try {
            LOG.error("fatal error in {}; the server stops", context, error);
        } finally {
            Thread exit = new Thread(endProcess, "gahp-fatal-exit");
            exit.setDaemon(false);
            exit.start();
        }
    }
}
