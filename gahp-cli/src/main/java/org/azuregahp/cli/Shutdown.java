package org.azuregahp.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a session once, whoever asks first (QUIT, end of input, SIGTERM, a closed stdout, a fatal
 * error): the engine stops accepting and abandons in-flight work, its threads stop, the cloud closes
 * (the fake writes its state file)
 * within a short budget, stdout is flushed, and then the exit action runs (in the real process,
 * {@code Runtime.halt}, so no straggling thread or hook can delay the exit).
 */
final class Shutdown {
    private static final Logger LOG = LoggerFactory.getLogger(Shutdown.class);

    private final Wiring.Assembly parts;
    private final AutoCloseable input;
    private final AutoCloseable output;
    private final IntConsumer exit;
    private final Duration closeBudget;
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);

    /**
     * @param input closed early so a reader blocked on it leaves its read: the JVM's exit waits
     *              (about 300 ms) for threads still inside native code
     */
    Shutdown(Wiring.Assembly parts, AutoCloseable input, AutoCloseable output, IntConsumer exit,
            Duration closeBudget) {
        this.parts = parts;
        this.input = input;
        this.output = output;
        this.exit = exit;
        this.closeBudget = closeBudget;
    }

    boolean started() {
        return started.get();
    }

    /**
     * Ends the session with {@code status}. Only the first call does the work; a later caller waits
     * until it is done (so it cannot exit the process while the cloud is still writing its state).
     */
    void exit(int status, String reason) {
        if (!started.compareAndSet(false, true)) {
            awaitFinished();
            return;
        }
        try {
            stop(reason);
        } finally {
            finished.countDown();
        }
        exit.accept(status);
    }

    private void awaitFinished() {
        try {
            finished.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stop(String reason) {
        LOG.info("shutting down: {}", reason);
        long t0 = System.nanoTime();
        try {
            parts.engine().shutdown();
        } catch (RuntimeException e) {
            LOG.warn("stopping the engine failed", e);
        }
        parts.stopThreads();
        closeQuietly(input);
        long t1 = System.nanoTime();
        closeCloud();
        LOG.debug("engine stopped in {} ms, cloud closed in {} ms", (t1 - t0) / 1_000_000,
                (System.nanoTime() - t1) / 1_000_000);
        closeQuietly(output);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // already closed or gone; nothing to report to
        }
    }

    private void closeCloud() {
        Thread closer = new Thread(() -> {
            try {
                parts.cloud().close();
            } catch (RuntimeException e) {
                LOG.warn("closing the cloud failed", e);
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
