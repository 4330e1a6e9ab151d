package org.azuregahp.domain.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@link Scheduler#on}: the tasks wait here, and only the earliest of them is on the timer. Every
 * request schedules its deadline and nearly every one cancels it a moment later; handing each to a
 * {@link java.util.concurrent.ScheduledThreadPoolExecutor} wakes its thread whenever the new task is
 * its earliest, which, with the earlier ones cancelled, is once per request (a futex call on the
 * scheduling thread, usually the stdin reader's, and a thread competing for the cores). Here a task
 * is one entry in a sorted set under a lock; the timer is touched only when the new task is due
 * before the one it is set for. With one request timeout for all, later requests' deadlines are
 * never the earliest: the timer goes off about once per timeout, runs what is due, and is set again
 * for the earliest task left, if any. A cancelled task is forgotten at once (the timer may still go
 * off for it, finding nothing due).
 *
 * <p>Due tasks run one after another on the timer's thread, in the order of their times (then of
 * scheduling). A task's exception is dropped, as a {@link ScheduledFuture} would keep it where nobody
 * looks; the tasks after it still run.
 */
final class TimerScheduler implements Scheduler {

    /** The timer the tasks are put on (the JDK's, or a hand-moved one in tests). */
    interface Timer {
        long nanoTime();

        /** Runs {@code task} once after {@code delayNanos}; throws RejectedExecutionException once stopped. */
        Cancellable schedule(long delayNanos, Runnable task);

        boolean isShutdown();

        static Timer of(ScheduledExecutorService timer) {
            Objects.requireNonNull(timer, "timer");
            return new Timer() {
                @Override
                public long nanoTime() {
                    return System.nanoTime();
                }

                @Override
                public Cancellable schedule(long delayNanos, Runnable task) {
                    ScheduledFuture<?> f = timer.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
                    return () -> f.cancel(false);
                }

                @Override
                public boolean isShutdown() {
                    return timer.isShutdown();
                }
            };
        }
    }

    private static final class Entry implements Comparable<Entry> {
        final long due;
        final long seq;
        final Runnable task;

        Entry(long due, long seq, Runnable task) {
            this.due = due;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public int compareTo(Entry o) {
            long d = due - o.due; // nanoTime values are compared by their difference
            return d != 0 ? (d < 0 ? -1 : 1) : Long.compare(seq, o.seq);
        }
    }

    /** About 73 years: a longer delay waits this long (a nanoTime difference must not wrap). */
    static final long MAX_DELAY_NANOS = Long.MAX_VALUE / 4;

    private final Timer timer;
    private final Object lock = new Object();
    // Guarded by lock:
    private final TreeSet<Entry> entries = new TreeSet<>();
    private long sequence;
    /** Whether the timer is set, for when, and which setting is the current one. */
    private boolean armed;
    private long armedDue;
    private long generation;
    private Cancellable armedHandle;

    TimerScheduler(Timer timer) {
        this.timer = Objects.requireNonNull(timer, "timer");
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(task, "task");
        long delayNanos = nanos(delay);
        if (timer.isShutdown()) {
            throw new RejectedExecutionException("the timer is stopped");
        }
        Entry e;
        synchronized (lock) {
            long now = timer.nanoTime();
            e = new Entry(now + delayNanos, ++sequence, task);
            entries.add(e);
            if (!armed || e.due - armedDue < 0) {
                try {
                    arm(e.due, now);
                } catch (RejectedExecutionException stopped) {
                    entries.remove(e);
                    throw stopped;
                }
            }
        }
        return () -> {
            synchronized (lock) {
                entries.remove(e);
            }
        };
    }

    /** The delay in nanoseconds, at least 0, at most {@link #MAX_DELAY_NANOS} (so times never wrap). */
    private static long nanos(Duration delay) {
        if (delay.isNegative()) {
            return 0;
        }
        return delay.compareTo(Duration.ofNanos(MAX_DELAY_NANOS)) > 0 ? MAX_DELAY_NANOS : delay.toNanos();
    }

    /** Sets the timer for {@code due} (replacing an earlier setting). Caller holds the lock. */
    private void arm(long due, long now) {
        Cancellable previous = armedHandle;
        long gen = generation + 1;
        armedHandle = timer.schedule(Math.max(0, due - now), () -> fire(gen));
        generation = gen;
        armed = true;
        armedDue = due;
        if (previous != null) {
            previous.cancel();
        }
    }

    /** The timer went off: runs what is due and sets the timer for the earliest task left. */
    private void fire(long gen) {
        List<Runnable> due = new ArrayList<>();
        synchronized (lock) {
            long now = timer.nanoTime();
            while (!entries.isEmpty() && entries.first().due - now <= 0) {
                due.add(entries.pollFirst().task);
            }
            if (gen == generation) {
                armed = false;
                armedHandle = null;
                if (!entries.isEmpty()) {
                    try {
                        arm(entries.first().due, now);
                    } catch (RejectedExecutionException stopped) {
                        // stopped: nothing more runs
                    }
                }
            }
        }
        for (Runnable task : due) {
            try {
                task.run();
            } catch (RuntimeException | Error ignored) {
                // Dropped, as the timer's own future would have kept it where nobody looks (the engine's
                // tasks report their own failures); the other due tasks still run.
            }
        }
    }

    /** Tasks waiting (for tests). */
    int waiting() {
        synchronized (lock) {
            return entries.size();
        }
    }
}
