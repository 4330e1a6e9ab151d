package org.azuregahp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class ProtocolWriterTest {

    /** Stdout whose reader stopped reading: every write blocks until released. */
    static final class FullPipe extends OutputStream {
        final CountDownLatch blocked = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final ByteArrayOutputStream got = new ByteArrayOutputStream();

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            blocked.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (got) {
                got.write(b, off, len);
            }
        }
    }

    @Test
    void closeDoesNotWaitForAWriteStuckOnAFullPipe() throws Exception {
        FullPipe pipe = new FullPipe();
        ProtocolWriter writer = new ProtocolWriter(pipe, () -> { });
        try {
            CompletableFuture<Void> stuck = CompletableFuture.runAsync(() -> writer.writeLine("GAHP:R"));
            assertThat(pipe.blocked.await(5, TimeUnit.SECONDS)).isTrue();

            // close returns while the write is still stuck (the pipe is only drained afterwards); the
            // wait only guards against a hang
            CompletableFuture.runAsync(writer::close).get(60, TimeUnit.SECONDS);
            assertThat(stuck).as("the write is still stuck").isNotDone();
        } finally {
            pipe.release.countDown();
        }
    }

    @Test
    void linesOfABatchGoOutAtItsEndAndOtherThreadsFlushAtOnce() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        AtomicInteger flushes = new AtomicInteger();
        OutputStream counting = new OutputStream() {
            @Override
            public void write(int b) {
                sink.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                sink.write(b, off, len);
            }

            @Override
            public void flush() {
                flushes.incrementAndGet();
            }
        };
        ProtocolWriter writer = new ProtocolWriter(counting, () -> { });
        writer.beginBatch();
        writer.writeLine("S");
        writer.writeLine("S");
        assertThat(sink.size()).isZero();
        CompletableFuture.runAsync(() -> writer.writeLine("R")).get(5, TimeUnit.SECONDS);
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("S\nS\nR\n");
        writer.writeLine("S 0");
        writer.endBatch();
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("S\nS\nR\nS 0\n");
        writer.close();
        writer.writeLine("late");
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("S\nS\nR\nS 0\n");
        assertThat(flushes.get()).isGreaterThanOrEqualTo(2);
    }
}
