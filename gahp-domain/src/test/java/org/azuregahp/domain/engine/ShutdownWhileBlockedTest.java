package org.azuregahp.domain.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM must end the session promptly even when the reader on the other end of stdout has stopped
 * reading (the gridmanager sends SIGTERM when it is done with us, not necessarily reading any more):
 * a writer blocked on a full pipe must not hold up {@link GahpEngine#shutdown()}.
 */
class ShutdownWhileBlockedTest {

    @Test
    void shutdownReturnsWhileAnotherThreadIsStillBlockedWritingResults() throws Exception {
        CountDownLatch writerBlocked = new CountDownLatch(1);
        CountDownLatch pipeDrained = new CountDownLatch(1);
        OutputSink fullPipe = line -> {
            if (line.startsWith("S ")) { // the RESULTS header: the pipe is full from here on
                writerBlocked.countDown();
                try {
                    pipeDrained.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        ManualTime time = new ManualTime(Conversation.NOW);
        GahpEngine engine = GahpEngine.builder(new StubCloud()).output(fullPipe).executor(time.executor)
                .scheduler(time.scheduler).build();
        try {
            CompletableFuture<Boolean> reader = CompletableFuture.supplyAsync(() -> engine.accept("RESULTS"));
            assertThat(writerBlocked.await(60, TimeUnit.SECONDS)).as("the writer got stuck").isTrue();

            // The shutdown finishes while the writer is still stuck (the pipe is never drained before
            // it returns); the wait below only guards against a hang.
            CompletableFuture.runAsync(engine::shutdown).get(60, TimeUnit.SECONDS);
            assertThat(reader).as("the writer is still blocked").isNotDone();
            assertThat(engine.isShutdown()).isTrue();
            assertThat(engine.accept("COMMANDS")).isFalse();
        } finally {
            pipeDrained.countDown();
        }
    }
}
