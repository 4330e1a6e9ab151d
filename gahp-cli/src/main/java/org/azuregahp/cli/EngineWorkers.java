package org.azuregahp.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine's worker threads: a fixed number of daemon threads taking tasks in the order they came.
 * Unlike a {@link java.util.concurrent.ThreadPoolExecutor}, a worker that runs out of tasks keeps
 * looking for the next one for a short while ({@link #SPIN}) before it parks, and at most one worker
 * does so at a time.
 *
 * <p>Why: HTCondor's gridmanager sends a request, waits for its {@code S}, and sends the next one
 * tens of microseconds later. With a plain pool, the stdin reader had to wake a parked worker for
 * every request (a futex wake-up: on the 2-core build machine the costliest thing the reader did,
 * about a quarter of its time), and the worker's wake-up then competed with the reader and the
 * client for the two cores. A worker that is still looking finds the next task without being woken,
 * so the reader hands work on with a queue insert and nothing else. The cost is bounded: at most
 * {@link #SPIN} of one core after each burst of work, and none while there is work to do.
 *
 * <p>Tasks must not throw: an exception ends its worker (the next task starts a new one), and
 * reaches the thread's uncaught-exception handler, as with a {@code ThreadPoolExecutor}.
 */
final class EngineWorkers extends AbstractExecutorService {
    /** How long an idle worker keeps looking for a task before it parks. */
    static final long SPIN = TimeUnit.MICROSECONDS.toNanos(100);

    private final int size;
    private final long spinNanos;
    private final String name;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Workers parked for want of work, the most recently parked first. */
    private final ConcurrentLinkedDeque<Thread> parked = new ConcurrentLinkedDeque<>();
    /** 1 while a worker is looking for work without having parked. */
    private final AtomicInteger spinning = new AtomicInteger();
    private final AtomicInteger threadCount = new AtomicInteger();
    private final AtomicInteger numbers = new AtomicInteger();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private volatile boolean shutdown;

    /**
     * @param size      the most threads it runs (started as work needs them)
     * @param spinNanos how long an idle worker looks for a task before parking (0: parks at once)
     * @param name      the threads' names, numbered: {@code name-1}, {@code name-2}, ...
     */
    EngineWorkers(int size, long spinNanos, String name) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be at least 1");
        }
        this.size = size;
        this.spinNanos = Math.max(0, spinNanos);
        this.name = name;
    }

    @Override
    public void execute(Runnable task) {
        if (task == null) {
            throw new NullPointerException("task");
        }
        if (shutdown) {
            throw new RejectedExecutionException("the engine's workers are stopped");
        }
        tasks.offer(task);
        if (spinning.get() > 0) {
            return; // a worker is looking and finds it (or, if it just gave up, sees it before parking)
        }
        Thread idle = parked.pollFirst();
        if (idle != null) {
            LockSupport.unpark(idle);
            return;
        }
        startWorkerIfRoom();
        // Otherwise every worker is busy: each looks at the queue before it parks.
    }

    private void startWorkerIfRoom() {
        while (true) {
            int n = threadCount.get();
            if (n >= size) {
                return;
            }
            if (threadCount.compareAndSet(n, n + 1)) {
                break;
            }
        }
        Thread t = new Thread(this::work, name + "-" + numbers.incrementAndGet());
        t.setDaemon(true);
        threads.add(t);
        try {
            t.start();
        } catch (Throwable e) {
            threads.remove(t);
            threadCount.decrementAndGet();
            throw e;
        }
    }

    private void work() {
        Thread me = Thread.currentThread();
        try {
            while (true) {
                Runnable task = tasks.poll();
                if (task == null && !shutdown) {
                    task = lookAWhile();
                }
                if (task != null) {
                    try {
                        task.run();
                    } finally {
                        if (!shutdown) {
                            Thread.interrupted(); // a task's interrupt must not reach the next one
                        }
                    }
                    continue;
                }
                if (shutdown) {
                    return;
                }
                // Park, but only after saying so and looking once more: a task offered before we
                // were on the parked list is seen here, one offered after finds us there.
                parked.addFirst(me);
                if (!tasks.isEmpty() || shutdown) {
                    parked.remove(me);
                    continue;
                }
                LockSupport.park(this);
                parked.remove(me); // when woken by execute, it took us off already
            }
        } finally {
            parked.remove(me);
            threads.remove(me);
            threadCount.decrementAndGet();
        }
    }

    /** Looks for a task for up to {@code spinNanos} when no other worker is doing so; null if none came. */
    private Runnable lookAWhile() {
        if (spinNanos == 0 || !spinning.compareAndSet(0, 1)) {
            return null;
        }
        try {
            long start = System.nanoTime();
            Runnable task;
            while ((task = tasks.poll()) == null && !shutdown) {
                if (System.nanoTime() - start > spinNanos) {
                    return null;
                }
                Thread.onSpinWait();
            }
            return task;
        } finally {
            spinning.set(0);
        }
    }

    /** Workers running now (for tests and statistics). */
    int threads() {
        return threadCount.get();
    }

    /** Runs the tasks already queued, then the workers end; no new task is taken. */
    @Override
    public void shutdown() {
        shutdown = true;
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
    }

    /** Drops the queued tasks (answering them), interrupts the running ones; the workers end. */
    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> left = new ArrayList<>();
        Runnable r;
        while ((r = tasks.poll()) != null) {
            left.add(r);
        }
        for (Thread t : threads) {
            t.interrupt();
            LockSupport.unpark(t);
        }
        return left;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown && threadCount.get() == 0;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            TimeUnit.NANOSECONDS.timedJoin(t, left);
        }
        return isTerminated();
    }
}
