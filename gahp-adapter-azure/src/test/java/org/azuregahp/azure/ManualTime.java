package org.azuregahp.azure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * A clock that moves only when the test says ({@link #advance}), and a Reactor scheduler whose timed
 * tasks run when the clock passes their time: the adapter's pacing and the simulator's budgets on the
 * same test-driven time, with no wall clock in between.
 */
final class ManualTime implements LongSupplier {
    private record Task(long at, long seq, Runnable run) {
    }

    private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at)
            : Long.compare(a.seq, b.seq));
    private long now = 1_000_000_000_000L;
    private long seq;

    @Override
    public synchronized long getAsLong() {
        return now;
    }

    /** Timed tasks not yet run. */
    synchronized int pending() {
        return tasks.size();
    }

    /** Moves the clock on, running every task that falls due on the way, in time order. */
    void advance(Duration d) {
        long target;
        synchronized (this) {
            target = now + d.toNanos();
        }
        while (true) {
            Task t;
            synchronized (this) {
                t = tasks.peek();
                if (t == null || t.at > target) {
                    now = target;
                    return;
                }
                tasks.poll();
                now = Math.max(now, t.at);
            }
            t.run.run();
        }
    }

    Scheduler scheduler() {
        return new Scheduler() {
            @Override
            public Disposable schedule(Runnable task) {
                task.run();
                return () -> {
                };
            }

            @Override
            public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
                Task t;
                synchronized (ManualTime.this) {
                    t = new Task(now + unit.toNanos(delay), seq++, task);
                    tasks.add(t);
                }
                return new Disposable() {
                    private volatile boolean disposed;

                    @Override
                    public void dispose() {
                        disposed = true;
                        synchronized (ManualTime.this) {
                            tasks.remove(t);
                        }
                    }

                    @Override
                    public boolean isDisposed() {
                        return disposed;
                    }
                };
            }

            @Override
            public long now(TimeUnit unit) {
                return unit.convert(getAsLong(), TimeUnit.NANOSECONDS);
            }

            @Override
            public Worker createWorker() {
                List<Disposable> mine = new ArrayList<>();
                Scheduler outer = this;
                return new Worker() {
                    private volatile boolean disposed;

                    @Override
                    public Disposable schedule(Runnable task) {
                        return outer.schedule(task);
                    }

                    @Override
                    public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
                        Disposable d = outer.schedule(task, delay, unit);
                        synchronized (mine) {
                            mine.add(d);
                        }
                        return d;
                    }

                    @Override
                    public void dispose() {
                        disposed = true;
                        synchronized (mine) {
                            mine.forEach(Disposable::dispose);
                        }
                    }

                    @Override
                    public boolean isDisposed() {
                        return disposed;
                    }
                };
            }
        };
    }
}
