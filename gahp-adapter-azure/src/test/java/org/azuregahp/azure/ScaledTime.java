package org.azuregahp.azure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Time run {@code factor} times faster than the wall clock, for benchmarks whose real length would be
 * an hour: a nanosecond clock, a {@link Clock}, and a Reactor scheduler factory whose timer schedulers
 * wait {@code 1/factor} of every delay, so the SDK's own waits (polling intervals, retry delays,
 * timeouts) shrink with it. Never in a test: the work done between waits (HTTP, parsing) does not
 * scale, so results hold only while the machine keeps up.
 */
final class ScaledTime implements LongSupplier {
    private final double factor;
    private final long origin = System.nanoTime();
    private final Instant originInstant = Instant.now();

    ScaledTime(double factor) {
        this.factor = factor;
    }

    double factor() {
        return factor;
    }

    @Override
    public long getAsLong() {
        return origin + (long) ((System.nanoTime() - origin) * factor);
    }

    Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return originInstant.plusNanos(getAsLong() - origin);
            }
        };
    }

    /** Makes Reactor's timer schedulers ({@code Schedulers.parallel()}, the default of every delay) scaled. */
    void installInReactor() {
        Schedulers.setFactory(new Schedulers.Factory() {
            @Override
            public Scheduler newParallel(int parallelism, ThreadFactory threadFactory) {
                return new Scaled(Schedulers.Factory.super.newParallel(parallelism, threadFactory));
            }
        });
    }

    static void uninstallFromReactor() {
        Schedulers.resetFactory();
    }

    private long shrink(long delay, TimeUnit unit) {
        return (long) (unit.toNanos(delay) / factor);
    }

    private final class Scaled implements Scheduler {
        private final Scheduler real;

        Scaled(Scheduler real) {
            this.real = real;
        }

        @Override
        public Disposable schedule(Runnable task) {
            return real.schedule(task);
        }

        @Override
        public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
            return real.schedule(task, shrink(delay, unit), TimeUnit.NANOSECONDS);
        }

        @Override
        public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
            return real.schedulePeriodically(task, shrink(initialDelay, unit), Math.max(1, shrink(period, unit)),
                    TimeUnit.NANOSECONDS);
        }

        @Override
        public long now(TimeUnit unit) {
            return unit.convert(getAsLong(), TimeUnit.NANOSECONDS);
        }

        @Override
        public Worker createWorker() {
            Worker w = real.createWorker();
            return new Worker() {
                @Override
                public Disposable schedule(Runnable task) {
                    return w.schedule(task);
                }

                @Override
                public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
                    return w.schedule(task, shrink(delay, unit), TimeUnit.NANOSECONDS);
                }

                @Override
                public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
                    return w.schedulePeriodically(task, shrink(initialDelay, unit), Math.max(1, shrink(period, unit)),
                            TimeUnit.NANOSECONDS);
                }

                @Override
                public void dispose() {
                    w.dispose();
                }

                @Override
                public boolean isDisposed() {
                    return w.isDisposed();
                }
            };
        }

        @Override
        public void dispose() {
            real.dispose();
        }

        @Override
        public boolean isDisposed() {
            return real.isDisposed();
        }

        @Override
        public void init() {
            real.init();
        }

        @Override
        @SuppressWarnings("deprecation")
        public void start() {
            real.start();
        }
    }

    static Duration seconds(double s) {
        return Duration.ofNanos((long) (s * 1e9));
    }
}
