package org.azuregahp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.azuregahp.domain.engine.GahpEngine;
import org.azuregahp.ports.AccountRef;
import org.azuregahp.ports.Cloud;
import org.azuregahp.ports.CloudAccount;
import org.junit.jupiter.api.Test;

class ShutdownTest {
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final CountDownLatch letClose = new CountDownLatch(1);
    private final ExecutorService engineThreads = Executors.newSingleThreadExecutor();

    private final Cloud slowToClose = new Cloud() {
        @Override
        public CloudAccount account(AccountRef ref) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
            closing.countDown();
            try {
                letClose.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            events.add("cloud closed");
        }
    };

    private Wiring.Assembly parts() {
        GahpEngine engine = GahpEngine.builder(slowToClose).build();
        return new Wiring.Assembly(slowToClose, engine, Clock.systemUTC(), KnownValues.none(), new LoggedDiagnostics(),
                List.of(engineThreads));
    }

    @Test
    void theFirstCallerDoesTheWorkOnceAndALaterCallerWaitsForIt() throws Exception {
        Wiring.Assembly parts = parts();
        Shutdown shutdown = new Shutdown(parts, () -> events.add("input closed"),
                () -> events.add("output closed"), status -> events.add("exit " + status), Duration.ofSeconds(60));

        CompletableFuture<Void> signal = CompletableFuture.runAsync(() -> shutdown.exit(0, "SIGTERM"));
        assertThat(closing.await(60, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> shutdown.exit(0, "end of input"));
        Thread.sleep(50);
        assertThat(reader).isNotDone(); // it must not run ahead (and exit) while the cloud writes its state
        letClose.countDown();
        signal.get(60, TimeUnit.SECONDS);
        reader.get(60, TimeUnit.SECONDS);
        assertThat(events).containsExactly("input closed", "cloud closed", "output closed", "exit 0");
        assertThat(parts.engine().isShutdown()).isTrue();
        assertThat(engineThreads.isShutdown()).as("the engine's threads are stopped").isTrue();
    }

    @Test
    void aCloudThatDoesNotCloseInTimeDoesNotHoldTheExit() {
        Shutdown shutdown = new Shutdown(parts(), () -> { }, () -> { }, status -> events.add("exit"),
                Duration.ofMillis(100));
        try {
            // The cloud's close never returns before the exit does: the exit goes ahead after its budget.
            shutdown.exit(0, "QUIT");
            assertThat(events).containsExactly("exit");
        } finally {
            letClose.countDown();
        }
    }
}
