package org.azuregahp.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.azuregahp.domain.engine.OutputSink;

/**
 * The one writer that owns the protocol's stdout: each line is written whole, with its LF, under one
 * lock, so no other line can land inside it. After {@link #close()} (or once the reader on the other
 * end has gone away) lines are dropped silently.
 *
 * <p>Lines are flushed at once, with one exception: while the stdin reader works through one chunk
 * of input ({@link #beginBatch()} .. {@link #endBatch()}), the return lines it writes itself are
 * flushed together when the chunk is done. A gridmanager that sends one line at a time sees no
 * difference (its chunk is that one line); a client that pipelines thousands of lines gets their
 * return lines in a few large writes instead of one system call each. A line written by any other
 * thread (an {@code R} notice) flushes everything at once.
 */
final class ProtocolWriter implements OutputSink, AutoCloseable {
    private final OutputStream out;
    private final Runnable onBroken;
    private boolean closed;
    /** The thread whose writes are batched now, or null. Guarded by this. */
    private Thread batching;

    /**
     * @param out      the real stdout (captured before anything could redirect {@code System.out})
     * @param onBroken run once, outside the lock, when writing fails (the gridmanager is gone)
     */
    ProtocolWriter(OutputStream out, Runnable onBroken) {
        this.out = new java.io.BufferedOutputStream(out, 1 << 16);
        this.onBroken = onBroken;
    }

    /** The calling thread's lines are flushed at {@link #endBatch()}, not one by one. */
    synchronized void beginBatch() {
        batching = Thread.currentThread();
    }

    /** Flushes what the batch wrote. */
    void endBatch() {
        boolean broke = false;
        synchronized (this) {
            batching = null;
            if (closed) {
                return;
            }
            try {
                out.flush();
            } catch (IOException e) {
                closed = true;
                broke = true;
            }
        }
        if (broke) {
            onBroken.run();
        }
    }

    @Override
    public void writeLine(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        boolean broke = false;
        synchronized (this) {
            if (closed) {
                return;
            }
            try {
                out.write(bytes);
                out.write('\n');
                if (batching != Thread.currentThread()) {
                    out.flush();
                }
            } catch (IOException e) {
                closed = true;
                broke = true;
            }
        }
        if (broke) {
            onBroken.run();
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.flush();
        } catch (IOException e) {
            // nothing left to tell anyone
        }
    }
}
