package org.azuregahp.domain.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Time that moves only when the test says so: a clock, a {@link Scheduler} whose tasks run when the
 * clock is advanced past them, and an {@link Executor} whose tasks run when the test drains it. All
 * three are safe to use from other threads; tasks run on the thread that advances or drains.
 */
final class ManualTime {

    final ManualClock clock;
    final ManualScheduler scheduler = new ManualScheduler();
    final ManualExecutor executor = new ManualExecutor();

    ManualTime(Instant start) {
        this.clock = new ManualClock(start);
    }

    /** Runs everything runnable now: queued executor tasks, and whatever they queue in turn. */
    void runReady() {
        executor.runAll();
    }

    /**
     * Moves the clock forward by {@code d}, running each scheduled task at its due time (and the
     * executor's tasks after each), in time order.
     */
    void advance(Duration d) {
        Instant target = clock.instant().plus(d);
        executor.runAll();
        while (true) {
            ManualScheduler.Entry next = scheduler.pollDue(target);
            if (next == null) {
                break;
            }
            if (next.due.isAfter(clock.instant())) {
                clock.set(next.due);
            }
            next.task.run();
            executor.runAll();
        }
        clock.set(target);
        executor.runAll();
    }

    static final class ManualClock extends Clock {
        private volatile Instant now;

        ManualClock(Instant start) {
            this.now = start;
        }

        void set(Instant t) {
            now = t;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final class ManualScheduler implements Scheduler {
        private final PriorityQueue<Entry> queue = new PriorityQueue<>(
                Comparator.comparing((Entry e) -> e.due).thenComparingLong(e -> e.seq));
        private long seq;
        private boolean shutdown;

        final class Entry {
            final Instant due;
            final long seq;
            final Runnable task;

            Entry(Instant due, long seq, Runnable task) {
                this.due = due;
                this.seq = seq;
                this.task = task;
            }
        }

        @Override
        public synchronized Cancellable schedule(Duration delay, Runnable task) {
            if (shutdown) {
                throw new RejectedExecutionException("shut down");
            }
            Entry e = new Entry(clock.instant().plus(delay), ++seq, task);
            queue.add(e);
            return () -> {
                synchronized (ManualScheduler.this) {
                    queue.remove(e);
                }
            };
        }

        synchronized Entry pollDue(Instant by) {
            Entry e = queue.peek();
            if (e == null || e.due.isAfter(by)) {
                return null;
            }
            return queue.poll();
        }

        synchronized int size() {
            return queue.size();
        }

        synchronized void shutdown() {
            shutdown = true;
            queue.clear();
        }
    }

    static final class ManualExecutor implements Executor {
        private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
        private boolean shutdown;

        @Override
        public synchronized void execute(Runnable task) {
            if (shutdown) {
                throw new RejectedExecutionException("shut down");
            }
            queue.add(task);
        }

        /** Runs queued tasks (and those they queue) until none is left; answers how many ran. */
        int runAll() {
            int n = 0;
            while (true) {
                Runnable r;
                synchronized (this) {
                    r = queue.poll();
                }
                if (r == null) {
                    return n;
                }
                r.run();
                n++;
            }
        }

        synchronized int size() {
            return queue.size();
        }

        synchronized void shutdown() {
            shutdown = true;
            queue.clear();
        }
    }
}
