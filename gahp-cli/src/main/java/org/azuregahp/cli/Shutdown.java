package org.azuregahp.cli;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

import org.azuregahp.domain.engine.GahpEngine;
import org.azuregahp.ports.Cloud;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a session once, whoever asks first (QUIT, end of input, SIGTERM, a closed stdout): the engine
 * stops accepting and abandons in-flight work, the cloud closes (the fake writes its state file)
 * within a short budget, stdout is flushed, and then the exit action runs (in the real process,
 * {@code Runtime.halt}, so no straggling thread or hook can delay the exit).
 */
final class Shutdown {
    private static final Logger LOG = LoggerFactory.getLogger(Shutdown.class);

    private final GahpEngine engine;
    private final Cloud cloud;
    private final AutoCloseable output;
    private final IntConsumer exit;
    private final Duration closeBudget;
    private final AtomicBoolean started = new AtomicBoolean();

    Shutdown(GahpEngine engine, Cloud cloud, AutoCloseable output, IntConsumer exit, Duration closeBudget) {
        this.engine = engine;
        this.cloud = cloud;
        this.output = output;
        this.exit = exit;
        this.closeBudget = closeBudget;
    }

    boolean started() {
        return started.get();
    }

    /** Ends the session with {@code status}; only the first call does anything. */
    void exit(int status, String reason) {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        LOG.info("shutting down: {}", reason);
        try {
            engine.shutdown();
        } catch (RuntimeException e) {
            LOG.warn("stopping the engine failed: {}", e.toString());
        }
        closeCloud();
        try {
            output.close();
        } catch (Exception e) {
            // stdout is gone; nothing to report to
        }
        exit.accept(status);
    }

    private void closeCloud() {
        Thread closer = new Thread(() -> {
            try {
                cloud.close();
            } catch (RuntimeException e) {
                LOG.warn("closing the cloud failed: {}", e.toString());
            }
        }, "cloud-close");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(closeBudget.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closer.isAlive()) {
            LOG.warn("the cloud did not close within {} ms; exiting anyway", closeBudget.toMillis());
        }
    }
}
