package org.azuregahp.domain.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.azuregahp.domain.codec.FramedLine;
import org.azuregahp.domain.codec.LineFramer;
import org.azuregahp.domain.result.Result;
import org.azuregahp.ports.LocalFiles;

/**
 * Drives a {@link GahpEngine} like a front end does: bytes in through a {@link LineFramer}, lines
 * out through a recording sink; {@code send}/{@code expect} read like the spec's transcripts. Time
 * and threads are {@link ManualTime}: nothing runs until the conversation lets it, so every run is
 * the same and takes no wall-clock time.
 */
final class Conversation implements AutoCloseable {

    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    final StubCloud cloud;
    final ManualTime time = new ManualTime(NOW);
    final GahpEngine engine;
    final Queue<String> pending = new ConcurrentLinkedQueue<>();
    final List<String> all = Collections.synchronizedList(new ArrayList<>());
    /** Typed results as the engine queued them, not yet taken by {@link #awaitResults}. */
    final Queue<Result> results = new ConcurrentLinkedQueue<>();
    final List<Result> allResults = new CopyOnWriteArrayList<>();
    final List<String> diagnosed = new CopyOnWriteArrayList<>();
    final List<Throwable> diagnosedProblems = new CopyOnWriteArrayList<>();
    final List<String> refused = new CopyOnWriteArrayList<>();
    final LineFramer framer = new LineFramer();
    boolean lastAccept = true;

    Conversation(EngineConfig cfg, StubCloud cloud, LocalFiles files) {
        this.cloud = cloud;
        this.engine = GahpEngine.builder(cloud)
                .config(cfg)
                .files(files)
                .clock(time.clock)
                .executor(time.executor)
                .scheduler(time.scheduler)
                .output(line -> {
                    assertThat(line.replace("\\\\", "").replace("\\\n", "")).as("no unescaped LF").doesNotContain("\n");
                    all.add(line);
                    pending.add(line);
                })
                .diagnostics((context, problem) -> {
                    diagnosed.add(context);
                    diagnosedProblems.add(problem);
                })
                .listener(new EngineListener() {
                    @Override
                    public void completed(Result result) {
                        results.add(result);
                        allResults.add(result);
                    }

                    @Override
                    public void refused(String reason) {
                        refused.add(reason);
                    }
                })
                .build();
    }

    Conversation(StubCloud cloud) {
        this(EngineConfig.defaults(), cloud, LocalFiles.NONE);
    }

    /** Feeds one request line with CR LF, as the gridmanager writes it. */
    Conversation send(String line) {
        return sendBytes((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    Conversation sendBytes(byte[] b) {
        for (FramedLine f : framer.feed(b, 0, b.length)) {
            if (f.oversized()) {
                engine.rejectOversized(f.bytes());
            } else {
                lastAccept = engine.accept(f.text());
            }
        }
        return this;
    }

    /** The next output line must be exactly {@code line} (running whatever is ready first, if none waits). */
    Conversation expect(String line) {
        assertThat(next()).as("expected output line").isEqualTo(line);
        return this;
    }

    String next() {
        if (pending.isEmpty()) {
            time.runReady();
        }
        String got = pending.poll();
        assertThat(got).as("an output line").isNotNull();
        return got;
    }

    /** No output line is waiting, even after everything ready has run. */
    Conversation expectNothing() {
        time.runReady();
        assertThat(pending.poll()).as("unexpected output").isNull();
        return this;
    }

    /** Runs what is ready; then {@code n} more results must have been queued by the engine. */
    Conversation awaitResults(int n) {
        time.runReady();
        for (int i = 0; i < n; i++) {
            assertThat(results.poll()).as("result " + (i + 1) + " of " + n).isNotNull();
        }
        return this;
    }

    @Override
    public void close() {
        engine.shutdown();
    }
}
