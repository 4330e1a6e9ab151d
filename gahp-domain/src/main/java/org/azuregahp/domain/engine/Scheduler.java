package org.azuregahp.domain.engine;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs a task later: the engine's per-request deadlines and the handlers' retry waits. Given to the
 * engine from outside (the CLI passes a timer thread, tests a manual scheduler they advance by hand),
 * so no global JDK timer is involved.
 */
@FunctionalInterface
public interface Scheduler {

    /**
     * Runs {@code task} once, {@code delay} from now, not on the calling thread; answers a handle
     * that cancels it. May throw {@link java.util.concurrent.RejectedExecutionException} once the
     * scheduler is shut down.
     */
    Cancellable schedule(Duration delay, Runnable task);

    /** Cancels a scheduled task; harmless once it ran. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }

    /**
     * A scheduler on {@code timer}; whoever made {@code timer} shuts it down. The tasks wait in the
     * scheduler and only the earliest is on {@code timer} at a time, so scheduling a task due after
     * another (every request's deadline, the timeout being the same for all) and cancelling it never
     * wakes the timer's thread. Due tasks run one after another on the timer's thread.
     */
    static Scheduler on(ScheduledExecutorService timer) {
        return new TimerScheduler(TimerScheduler.Timer.of(timer));
    }
}
