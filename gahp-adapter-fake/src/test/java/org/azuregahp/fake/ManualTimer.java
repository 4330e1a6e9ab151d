package org.azuregahp.fake;

import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.RejectedExecutionException;

/**
 * A {@link StepScheduler.Timer} that tests move by hand: steps wait until {@link #advance} passes their
 * time, and then run on the test's own thread, in time order. No wall clock is involved.
 */
final class ManualTimer implements StepScheduler.Timer {
    private record Due(long at, long order, Runnable task) {
    }

    private final PriorityQueue<Due> queue = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at)
            : Long.compare(a.order, b.order));
    private long now;
    private long order;
    private boolean closed;

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized void schedule(Runnable task, long delayNanos) {
        if (closed) {
            throw new RejectedExecutionException("the timer is closed");
        }
        queue.add(new Due(now + Math.max(0, delayNanos), order++, task));
    }

    /** Moves time forward by {@code d}, running every step that falls due on the way. */
    void advance(Duration d) {
        long end;
        synchronized (this) {
            end = now + d.toNanos();
        }
        while (true) {
            Due next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.at > end) {
                    now = end;
                    return;
                }
                queue.poll();
                now = next.at;
            }
            next.task.run();
        }
    }

    synchronized void close() {
        closed = true;
        queue.clear();
    }
}
