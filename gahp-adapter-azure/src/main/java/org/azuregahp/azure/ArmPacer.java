package org.azuregahp.azure;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;

/**
 * Does the waiting {@link ArmBudgets} decides: a call is admitted when its buckets allow it, which is
 * checked again whenever a call is added or answered and by one timer set for the next moment a
 * waiting call may go. One per process, shared by every account (so all of them pace against the
 * same counts). The timer runs on the given Reactor scheduler (its timer thread in production).
 */
final class ArmPacer {
    private final ArmBudgets budgets;
    private final LongSupplier nanoClock;
    private final Scheduler scheduler;
    private final Object timerLock = new Object();
    private Disposable timer;
    private long timerAt = ArmBudgets.NEVER;

    ArmPacer(ArmBudgets budgets, LongSupplier nanoClock, Scheduler scheduler) {
        this.budgets = budgets;
        this.nanoClock = nanoClock;
        this.scheduler = scheduler;
    }

    ArmBudgets budgets() {
        return budgets;
    }

    /** Completes with the call's ticket once the call may go (it is then charged to its buckets). */
    Mono<ArmBudgets.Ticket> admit(ArmBudgets.Call call) {
        return Mono.create(sink -> {
            ArmBudgets.Ticket t = budgets.enqueue(call, nanoClock.getAsLong(), sink);
            sink.onCancel(() -> {
                if (!t.sent()) {
                    budgets.abandon(t, nanoClock.getAsLong());
                    pump();
                }
            });
            pump();
        });
    }

    void observe(ArmBudgets.Ticket t, int status, ArmBudgets.Headers headers) {
        budgets.observe(t, status, headers, nanoClock.getAsLong());
        pump();
    }

    void abandon(ArmBudgets.Ticket t) {
        budgets.abandon(t, nanoClock.getAsLong());
        pump();
    }

    /** Lets go every call that may go now, and sets the timer for the next. */
    @SuppressWarnings("unchecked")
    void pump() {
        long now = nanoClock.getAsLong();
        List<ArmBudgets.Ticket> go = budgets.release(now);
        long next = budgets.nextRelease(now);
        synchronized (timerLock) {
            if (next == ArmBudgets.NEVER) {
                if (timer != null) {
                    timer.dispose();
                    timer = null;
                }
                timerAt = ArmBudgets.NEVER;
            } else if (timer == null || timer.isDisposed() || next < timerAt) {
                if (timer != null) {
                    timer.dispose();
                }
                timerAt = next;
                timer = scheduler.schedule(this::fire, Math.max(0, next - now), TimeUnit.NANOSECONDS);
            }
        }
        for (ArmBudgets.Ticket t : go) {
            ((MonoSink<ArmBudgets.Ticket>) t.waiter).success(t);
        }
    }

    private void fire() {
        synchronized (timerLock) {
            timer = null;
            timerAt = ArmBudgets.NEVER;
        }
        pump();
    }
}
