package org.azuregahp.domain.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link Scheduler#on}'s scheduler on a timer moved by hand: tasks run at their times, in order, and
 * the timer is set only when a new task is due before the one it is set for (so a deadline per
 * request, each cancelled a moment later, does not wake the timer's thread per request).
 */
class TimerSchedulerTest {

    /** A timer whose time moves only in {@link #advance}; counts how often it is set. */
    static final class HandTimer implements TimerScheduler.Timer {
        private record Setting(long due, long seq, Runnable task) {
        }

        long now = 1_000_000_000L;
        int settings;
        int cancels;
        boolean shutdown;
        private long seq;
        private final PriorityQueue<Setting> queue = new PriorityQueue<>(
                Comparator.comparingLong(Setting::due).thenComparingLong(Setting::seq));

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public Scheduler.Cancellable schedule(long delayNanos, Runnable task) {
            if (shutdown) {
                throw new RejectedExecutionException("stopped");
            }
            settings++;
            Setting s = new Setting(now + delayNanos, ++seq, task);
            queue.add(s);
            return () -> {
                if (queue.remove(s)) {
                    cancels++;
                }
            };
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        int pending() {
            return queue.size();
        }

        void advance(Duration d) {
            long target = now + d.toNanos();
            while (!queue.isEmpty() && queue.peek().due() <= target) {
                Setting s = queue.poll();
                now = Math.max(now, s.due());
                s.task().run();
            }
            now = target;
        }
    }

    private final HandTimer timer = new HandTimer();
    private final TimerScheduler scheduler = new TimerScheduler(timer);
    private final List<String> ran = new ArrayList<>();

    private Scheduler.Cancellable at(long seconds, String name) {
        return scheduler.schedule(Duration.ofSeconds(seconds), () -> ran.add(name + "@" + (timer.now - 1_000_000_000L)
                / 1_000_000_000L));
    }

    @Test
    void tasksRunAtTheirTimesInOrderAndTheTimerIsSetOnlyForTheEarliest() {
        at(10, "a");
        timer.advance(Duration.ofSeconds(1));
        at(10, "b"); // due at 11 s: after a, the timer is not set again
        at(10, "c");
        assertThat(timer.settings).as("one setting for three tasks due one after another").isEqualTo(1);
        timer.advance(Duration.ofSeconds(8));
        assertThat(ran).isEmpty();
        timer.advance(Duration.ofSeconds(1));
        assertThat(ran).containsExactly("a@10");
        timer.advance(Duration.ofSeconds(1));
        assertThat(ran).containsExactly("a@10", "b@11", "c@11");
        assertThat(scheduler.waiting()).isZero();
        assertThat(timer.pending()).as("nothing left on the timer").isZero();
    }

    @Test
    void aDeadlinePerRequestCancelledAtOnceSetsTheTimerOncePerTimeoutNotOncePerRequest() {
        for (int i = 0; i < 1000; i++) {
            Scheduler.Cancellable c = at(60, "r" + i);
            timer.advance(Duration.ofMillis(10)); // 1,000 requests over 10 s, each answered at once
            c.cancel();
        }
        assertThat(timer.settings).isEqualTo(1);
        assertThat(scheduler.waiting()).isZero();
        timer.advance(Duration.ofSeconds(60));
        assertThat(ran).as("every one was cancelled").isEmpty();
        assertThat(timer.settings).as("going off found nothing left: not set again").isEqualTo(1);
        assertThat(timer.pending()).isZero();
    }

    @Test
    void anEarlierTaskSetsTheTimerAgainAndTheLaterOneStillRuns() {
        at(60, "late");
        at(5, "early");
        assertThat(timer.settings).isEqualTo(2);
        assertThat(timer.cancels).as("the setting for the later task is replaced").isEqualTo(1);
        timer.advance(Duration.ofSeconds(5));
        assertThat(ran).containsExactly("early@5");
        timer.advance(Duration.ofSeconds(55));
        assertThat(ran).containsExactly("early@5", "late@60");
    }

    @Test
    void whenTheTimerGoesOffForACancelledTaskItIsSetForTheNextOne() {
        Scheduler.Cancellable first = at(10, "first");
        timer.advance(Duration.ofSeconds(5));
        at(10, "second"); // due at 15 s
        first.cancel();
        timer.advance(Duration.ofSeconds(5));
        assertThat(ran).isEmpty();
        assertThat(timer.settings).as("set again, for the second").isEqualTo(2);
        timer.advance(Duration.ofSeconds(4));
        assertThat(ran).isEmpty();
        timer.advance(Duration.ofSeconds(1));
        assertThat(ran).containsExactly("second@15");
    }

    @Test
    void cancellingAfterItRanIsHarmlessAndAFailingTaskDoesNotStopTheOthers() {
        scheduler.schedule(Duration.ofSeconds(1), () -> {
            throw new IllegalStateException("boom");
        });
        Scheduler.Cancellable c = at(1, "after");
        timer.advance(Duration.ofSeconds(1));
        assertThat(ran).containsExactly("after@1");
        c.cancel();
        assertThat(scheduler.waiting()).isZero();
    }

    @Test
    void aZeroOrNegativeDelayRunsOnTheTimerNotOnTheCaller() {
        at(0, "now");
        scheduler.schedule(Duration.ofSeconds(-5), () -> ran.add("past"));
        assertThat(ran).as("not on the calling thread").isEmpty();
        timer.advance(Duration.ZERO);
        assertThat(ran).containsExactly("now@0", "past");
    }

    @Test
    void aStoppedTimerRefusesNewTasksEvenWhenItWouldNotBeSet() {
        at(10, "a");
        timer.shutdown = true;
        assertThatThrownBy(() -> at(20, "b")).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> at(1, "c")).isInstanceOf(RejectedExecutionException.class);
        assertThat(scheduler.waiting()).isEqualTo(1);
    }

    @Test
    void onTheJdksTimerTasksRunOnItsThreadInOrderAndAStoppedTimerRefuses() throws Exception {
        ScheduledThreadPoolExecutor jdk = new ScheduledThreadPoolExecutor(1, r -> new Thread(r, "test-timer"));
        jdk.setRemoveOnCancelPolicy(true);
        try {
            Scheduler onJdk = Scheduler.on(jdk);
            List<String> order = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(1);
            Scheduler.Cancellable dropped = onJdk.schedule(Duration.ofHours(1), () -> order.add("dropped"));
            onJdk.schedule(Duration.ZERO, () -> order.add("first on " + Thread.currentThread().getName()));
            onJdk.schedule(Duration.ZERO, () -> {
                order.add("second");
                done.countDown();
            });
            dropped.cancel();
            assertThat(done.await(30, TimeUnit.SECONDS)).as("a guard against a hang only").isTrue();
            assertThat(order).containsExactly("first on test-timer", "second");
            jdk.shutdownNow();
            assertThatThrownBy(() -> onJdk.schedule(Duration.ofHours(2), () -> { }))
                    .isInstanceOf(RejectedExecutionException.class);
        } finally {
            jdk.shutdownNow();
        }
    }

    @Test
    void anEnormousDelayDoesNotWrapAround() {
        scheduler.schedule(Duration.ofDays(365L * 1000), () -> ran.add("never"));
        at(1, "soon");
        timer.advance(Duration.ofSeconds(2));
        assertThat(ran).containsExactly("soon@1");
    }
}
