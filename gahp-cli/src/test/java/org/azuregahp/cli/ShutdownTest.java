package org.azuregahp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.azuregahp.domain.engine.EngineConfig;
import org.azuregahp.domain.engine.GahpEngine;
import org.azuregahp.ports.AccountRef;
import org.azuregahp.ports.Cloud;
import org.azuregahp.ports.CloudAccount;
import org.azuregahp.ports.LocalFiles;
import org.junit.jupiter.api.Test;

class ShutdownTest {
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final CountDownLatch letClose = new CountDownLatch(1);

    private final Cloud slowToClose = new Cloud() {
        @Override
        public CloudAccount account(AccountRef ref) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
            closing.countDown();
            try {
                letClose.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            events.add("cloud closed");
        }
    };

    @Test
    void theFirstCallerDoesTheWorkOnceAndALaterCallerWaitsForIt() throws Exception {
        GahpEngine engine = new GahpEngine(EngineConfig.defaults(), slowToClose, LocalFiles.NONE, Clock.systemUTC(),
                line -> { });
        Shutdown shutdown = new Shutdown(engine, slowToClose, () -> events.add("input closed"),
                () -> events.add("output closed"), status -> events.add("exit " + status), Duration.ofSeconds(5));

        CompletableFuture<Void> signal = CompletableFuture.runAsync(() -> shutdown.exit(0, "SIGTERM"));
        assertThat(closing.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> shutdown.exit(0, "end of input"));
        Thread.sleep(50);
        assertThat(reader).isNotDone(); // it must not run ahead (and exit) while the cloud writes its state
        letClose.countDown();
        signal.get(5, TimeUnit.SECONDS);
        reader.get(5, TimeUnit.SECONDS);
        assertThat(events).containsExactly("input closed", "cloud closed", "output closed", "exit 0");
        assertThat(engine.isShutdown()).isTrue();
    }

    @Test
    void aCloudThatDoesNotCloseInTimeDoesNotHoldTheExit() {
        GahpEngine engine = new GahpEngine(EngineConfig.defaults(), slowToClose, LocalFiles.NONE, Clock.systemUTC(),
                line -> { });
        Shutdown shutdown = new Shutdown(engine, slowToClose, () -> { }, () -> { }, status -> events.add("exit"),
                Duration.ofMillis(100));
        long t0 = System.nanoTime();
        shutdown.exit(0, "QUIT");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(2000);
        assertThat(events).containsExactly("exit");
        letClose.countDown();
    }
}
