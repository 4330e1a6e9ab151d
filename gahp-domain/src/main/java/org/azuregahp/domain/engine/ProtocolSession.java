package org.azuregahp.domain.engine;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.function.Supplier;
import org.azuregahp.domain.codec.GahpCodec;
import org.azuregahp.domain.command.SessionControl;

/**
 * The protocol session: what the peer sees. It owns the output (every line goes to the
 * {@link OutputSink} under one lock, so nothing interleaves), the response prefix, async mode and its
 * one {@code R} notice, the queue of result lines for {@code RESULTS}, and the session commands.
 *
 * <p>Decisions:
 * <ul>
 *   <li>The reply to {@code RESPONSE_PREFIX} is written with the previous prefix (unprefixed at the
 *       start, as the recorded session shows); every later line carries the new one.</li>
 *   <li>{@code VERSION} and {@code CONDOR_VERSION} answer {@code S <version text>} as exactly two
 *       fields: the banner text with the description unescaped, escaped as one argument.</li>
 *   <li>{@code ASYNC_MODE_ON} while results already wait writes an {@code R} after its {@code S}.</li>
 *   <li>Once closed, nothing more is written; closing never waits for a write in progress.</li>
 * </ul>
 */
final class ProtocolSession implements SessionControl {

    private final OutputSink out;
    private final String versionText;
    private final List<String> commandNames;
    private final Supplier<EngineStatistics> statistics;
    private final Runnable quit;

    private final Object outLock = new Object();
    // Guarded by outLock:
    private String prefix = "";
    private boolean asyncMode;
    private boolean notified;
    private final Queue<String> results = new ArrayDeque<>();

    private volatile boolean closed;
    private volatile String callerVersion;

    /**
     * @param quit ends the session (the engine shuts down); called after {@code QUIT}'s {@code S}
     */
    ProtocolSession(OutputSink out, String versionText, List<String> commandNames,
            Supplier<EngineStatistics> statistics, Runnable quit) {
        this.out = out;
        this.versionText = versionText;
        this.commandNames = List.copyOf(commandNames);
        this.statistics = statistics;
        this.quit = quit;
    }

    /** Stops all output at once. Not under the output lock: a writer blocked on a full pipe holds it. */
    void close() {
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }

    String callerVersion() {
        return callerVersion;
    }

    /** Writes one line as it is (the banner: never prefixed). */
    void writeRaw(String line) {
        synchronized (outLock) {
            if (!closed) {
                out.writeLine(line);
            }
        }
    }

    /** Writes one return line with the current prefix. */
    void reply(String line) {
        synchronized (outLock) {
            write(line);
        }
    }

    /** Writes {@code E}, with the reason when there is one. */
    void refuse(String reason) {
        reply(reason == null || reason.isEmpty() ? "E" : "E " + GahpCodec.escape(reason));
    }

    /** The current prefix's length in UTF-8 bytes (result lines must fit with it). */
    long prefixBytes() {
        synchronized (outLock) {
            return GahpCodec.utf8Length(prefix);
        }
    }

    int resultsWaiting() {
        synchronized (outLock) {
            return results.size();
        }
    }

    /**
     * Queues a result line for {@code RESULTS} (and writes the {@code R} notice in async mode);
     * false when the session is closed and the line was dropped.
     */
    boolean queueResult(String line) {
        synchronized (outLock) {
            if (closed) {
                return false;
            }
            results.add(line);
            if (asyncMode && !notified) {
                notified = true;
                write("R");
            }
            return true;
        }
    }

    /** Caller holds {@link #outLock}. */
    private void write(String line) {
        if (!closed) {
            out.writeLine(prefix.isEmpty() ? line : prefix + line);
        }
    }

    // ---- session commands (the command table's rows call these) ------------------------------------------

    @Override
    public void version() {
        reply("S " + GahpCodec.escape(versionText));
    }

    @Override
    public void commands() {
        reply("S " + String.join(" ", commandNames));
    }

    @Override
    public void condorVersion(String callerVersion) {
        this.callerVersion = callerVersion;
        reply("S " + GahpCodec.escape(versionText));
    }

    @Override
    public void responsePrefix(String newPrefix) {
        synchronized (outLock) {
            write("S");
            prefix = newPrefix;
        }
    }

    @Override
    public void asyncMode(boolean on) {
        synchronized (outLock) {
            write("S");
            asyncMode = on;
            if (on && !results.isEmpty() && !notified) {
                write("R");
                notified = true;
            }
        }
    }

    @Override
    public void results() {
        synchronized (outLock) {
            write("S " + results.size());
            String r;
            while ((r = results.poll()) != null) {
                write(r);
            }
            notified = false;
        }
    }

    @Override
    public void statistics() {
        reply("S " + statistics.get().protocolText());
    }

    @Override
    public void quit() {
        reply("S");
        quit.run();
    }
}
