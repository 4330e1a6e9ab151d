package org.azuregahp.domain.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.azuregahp.domain.codec.FramedLine;
import org.azuregahp.domain.codec.LineFramer;
import org.azuregahp.ports.LocalFiles;

/**
 * Drives a {@link GahpEngine} like a front end does: bytes in through a {@link LineFramer}, lines
 * out through a recording sink; {@code send}/{@code expect} read like the spec's transcripts.
 */
final class Conversation implements AutoCloseable {

    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    final StubCloud cloud;
    final GahpEngine engine;
    final BlockingQueue<String> pending = new LinkedBlockingQueue<>();
    final List<String> all = Collections.synchronizedList(new ArrayList<>());
    final BlockingQueue<String> results = new LinkedBlockingQueue<>();
    final LineFramer framer = new LineFramer();
    boolean lastAccept = true;

    Conversation(EngineConfig cfg, StubCloud cloud, LocalFiles files) {
        this.cloud = cloud;
        this.engine = new GahpEngine(cfg, cloud, files, Clock.fixed(NOW, ZoneOffset.UTC), line -> {
            assertThat(line.replace("\\\\", "").replace("\\\n", "")).as("no unescaped LF").doesNotContain("\n");
            all.add(line);
            pending.add(line);
        });
        engine.addResultListener(results::add);
    }

    Conversation(StubCloud cloud) {
        this(EngineConfig.defaults(), cloud, LocalFiles.NONE);
    }

    /** Feeds one request line with CR LF, as the gridmanager writes it. */
    Conversation send(String line) {
        byte[] b = (line + "\r\n").getBytes(StandardCharsets.UTF_8);
        for (FramedLine f : framer.feed(b, 0, b.length)) {
            if (f.oversized()) {
                engine.rejectOversized(f.bytes());
            } else {
                lastAccept = engine.accept(f.text());
            }
        }
        return this;
    }

    /** The next output line must be exactly {@code line} (waits up to 5 s for asynchronous lines). */
    Conversation expect(String line) {
        String got;
        try {
            got = pending.poll(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertThat(got).as("expected output line").isEqualTo(line);
        return this;
    }

    String next() {
        try {
            String got = pending.poll(5, TimeUnit.SECONDS);
            assertThat(got).as("an output line").isNotNull();
            return got;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** No output line is waiting now (checked after a brief grace for stray asynchronous lines). */
    Conversation expectNothing() {
        try {
            assertThat(pending.poll(30, TimeUnit.MILLISECONDS)).as("unexpected output").isNull();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return this;
    }

    /** Waits until {@code n} more results have been queued by the engine. */
    Conversation awaitResults(int n) {
        for (int i = 0; i < n; i++) {
            try {
                assertThat(results.poll(5, TimeUnit.SECONDS)).as("result " + (i + 1) + " of " + n).isNotNull();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        return this;
    }

    @Override
    public void close() {
        engine.shutdown();
    }
}
