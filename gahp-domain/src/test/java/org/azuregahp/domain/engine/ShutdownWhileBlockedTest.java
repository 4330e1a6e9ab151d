package org.azuregahp.domain.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.azuregahp.ports.LocalFiles;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM must end the session promptly even when the reader on the other end of stdout has stopped
 * reading (the gridmanager sends SIGTERM when it is done with us, not necessarily reading any more):
 * a writer blocked on a full pipe must not hold up {@link GahpEngine#shutdown()}.
 */
class ShutdownWhileBlockedTest {

    @Test
    void shutdownReturnsAtOnceWhileAnotherThreadIsBlockedWritingResults() throws Exception {
        CountDownLatch writerBlocked = new CountDownLatch(1);
        CountDownLatch pipeDrained = new CountDownLatch(1);
        OutputSink fullPipe = line -> {
            if (line.startsWith("S ")) { // the RESULTS header: the pipe is full from here on
                writerBlocked.countDown();
                try {
                    pipeDrained.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        GahpEngine engine = new GahpEngine(EngineConfig.defaults(), new StubCloud(), LocalFiles.NONE,
                Clock.systemUTC(), fullPipe);
        try {
            CompletableFuture<Boolean> reader = CompletableFuture.supplyAsync(() -> engine.accept("RESULTS"));
            assertThat(writerBlocked.await(5, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Void> stop = CompletableFuture.runAsync(engine::shutdown);
            long t0 = System.nanoTime();
            stop.get(2, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
            assertThat(engine.isShutdown()).isTrue();
            assertThat(engine.accept("COMMANDS")).isFalse();
            assertThat(reader).isNotDone();
        } finally {
            pipeDrained.countDown();
        }
    }
}
