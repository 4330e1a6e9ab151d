package org.azuregahp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The file-reading threads both readers share: each lane's budget of reads at once holds whatever the
 * other lanes do; beyond it a read is refused ({@code tryExecute}) or waits its turn ({@code execute}).
 * Ordering only; nothing depends on time.
 */
class FileReadsTest {
    /** Only a guard against a hung test. */
    private static final long GUARD_SECONDS = 30;

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(GUARD_SECONDS, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void beyondItsBudgetALaneRefusesOrQueuesAndQueuedReadsRunInTurn() {
        FileReads reads = new FileReads();
        FileReads.Lane lane = reads.lane(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch hanging = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        lane.execute(() -> {
            ran.add("hung");
            hanging.countDown();
            await(release);
        });
        await(hanging);
        CountDownLatch rest = new CountDownLatch(3);
        for (String name : List.of("b", "c", "d")) {
            lane.execute(() -> {
                ran.add(name);
                rest.countDown();
            });
        }
        assertThat(lane.tryExecute(() -> ran.add("refused"))).as("the budget is taken").isFalse();

        // Another lane has a budget of its own, on the same threads.
        CountDownLatch other = new CountDownLatch(1);
        assertThat(reads.lane(1).tryExecute(other::countDown)).isTrue();
        await(other);
        assertThat(ran).as("nothing else ran in the full lane").containsExactly("hung");

        release.countDown();
        await(rest);
        assertThat(ran).containsExactly("hung", "b", "c", "d");
        reads.threads().shutdownNow();
    }

    @Test
    void aLaneRunsUpToItsBudgetAtOnce() {
        FileReads reads = new FileReads();
        FileReads.Lane lane = reads.lane(3);
        CountDownLatch allRunning = new CountDownLatch(3);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < 3; i++) {
            assertThat(lane.tryExecute(() -> {
                allRunning.countDown();
                await(release);
            })).isTrue();
        }
        await(allRunning);
        assertThat(lane.tryExecute(() -> { })).isFalse();
        release.countDown();
        reads.threads().shutdownNow();
    }

    @Test
    void stoppedThreadsRunNothingMore() {
        FileReads reads = new FileReads();
        FileReads.Lane lane = reads.lane(2);
        reads.threads().shutdownNow();
        assertThatThrownBy(() -> lane.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
        assertThat(lane.tryExecute(() -> { })).isFalse();
    }
}
