package org.azuregahp.cli;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that read the files requests name, for both readers: credential files
 * ({@link FileCredentialSource}) and {@code key=}/{@code customData=} files
 * ({@link FileSystemLocalFiles}); never the stdin reader's or the engine's threads, since a file on a
 * hung network file system blocks whoever reads it.
 *
 * <p>One pool: a read goes to an idle thread when there is one, else to a new thread, and a thread
 * idle for {@link #IDLE_SECONDS} ends, so a server that reads nothing holds no reading thread and a
 * burst of reads uses as many as it needs at once, not one per read. Each reader has its own
 * {@linkplain #lane budget} of reads at once, so files of one kind that hang never take the threads
 * the other kind needs, and a hung file costs only the requests waiting for it until a whole budget
 * hangs. What happens beyond a budget is the reader's choice: {@link Lane#tryExecute} refuses (a
 * credential file: the request fails at once, saying so) and {@link Lane#execute} waits its turn (a
 * {@code key=} file).
 */
final class FileReads {
    /** How long a reading thread with nothing to read stays. */
    static final long IDLE_SECONDS = 30;
    private static final Logger LOG = LoggerFactory.getLogger(FileReads.class);

    /** No bound of its own: the lanes bound the reads, and a thread exists only while one needs it. */
    private final ThreadPoolExecutor threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_SECONDS,
            TimeUnit.SECONDS, new SynchronousQueue<>(), Wiring.daemons("gahp-file-read"));

    /** A budget of at most {@code maxAtOnce} reads at once on these threads. */
    Lane lane(int maxAtOnce) {
        return new Lane(maxAtOnce);
    }

    /** The pool, for the composition root to stop with the engine's threads. */
    ExecutorService threads() {
        return threads;
    }

    /** Reads that share one budget. */
    final class Lane implements Executor {
        private final Semaphore running;
        private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();

        private Lane(int maxAtOnce) {
            if (maxAtOnce < 1) {
                throw new IllegalArgumentException("maxAtOnce must be at least 1");
            }
            this.running = new Semaphore(maxAtOnce);
        }

        /**
         * Runs {@code read} on a reading thread now if the budget allows, else as soon as one of this
         * lane's reads ends (in the order they came).
         *
         * @throws RejectedExecutionException when the threads are stopped
         */
        @Override
        public void execute(Runnable read) {
            if (threads.isShutdown()) {
                throw new RejectedExecutionException("the file-reading threads are stopped");
            }
            waiting.add(read);
            startWaiting();
        }

        /**
         * Runs {@code read} on a reading thread now if the budget allows; false, and nothing runs, when
         * it does not (or the threads are stopped).
         */
        boolean tryExecute(Runnable read) {
            if (!running.tryAcquire()) {
                return false;
            }
            try {
                threads.execute(() -> runFrom(read));
                return true;
            } catch (RejectedExecutionException e) {
                running.release();
                return false;
            }
        }

        /** Starts waiting reads while the budget allows. */
        private void startWaiting() {
            while (!waiting.isEmpty() && running.tryAcquire()) {
                Runnable next = waiting.poll();
                if (next == null) {
                    running.release(); // another thread took it; look again
                    continue;
                }
                try {
                    threads.execute(() -> runFrom(next));
                } catch (RejectedExecutionException e) {
                    running.release();
                    return; // stopped: nothing more will run
                }
            }
        }

        /** Runs {@code first}, then the lane's waiting reads on the same thread, holding one place in the budget. */
        private void runFrom(Runnable first) {
            Runnable task = first;
            while (task != null) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    // The readers complete their futures themselves: this is a bug, not a bad file.
                    LOG.warn("a file read failed unexpectedly", e);
                } catch (Error e) {
                    running.release();
                    startWaiting();
                    throw e;
                }
                task = nextOrLeave();
            }
        }

        /** The next waiting read, keeping this place in the budget; null, the place given back, when none waits. */
        private Runnable nextOrLeave() {
            Runnable task = waiting.poll();
            while (task == null) {
                running.release();
                // A read queued after the poll above found the budget full: take it, unless another did.
                if (waiting.isEmpty() || !running.tryAcquire()) {
                    return null;
                }
                task = waiting.poll();
            }
            return task;
        }
    }
}
