package org.azuregahp.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

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
 *
 * <p>{@link #close()} waits only briefly for a write in progress: when the reader on the other end
 * has stopped reading (the gridmanager sends SIGTERM when it is done with us), a write blocks on the
 * full pipe for good, and the shutdown must not wait for it.
 */
final class ProtocolWriter implements OutputSink, AutoCloseable {
    /** How long {@link #close()} waits for a write in progress before giving up on flushing. */
    static final long CLOSE_WAIT_MILLIS = 200;

    private final OutputStream out;
    private final Runnable onBroken;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean closed;
    /** The thread whose writes are batched now, or null. Guarded by lock. */
    private Thread batching;

    /**
     * @param out      the real stdout (captured before anything could redirect {@code System.out})
     * @param onBroken run once, outside the lock, when writing fails (the gridmanager is gone)
     */
    ProtocolWriter(OutputStream out, Runnable onBroken) {
        this.out = new java.io.BufferedOutputStream(out, 1 << 16);
        this.onBroken = onBroken;
    }

    /**
     * The process's real stdout (file descriptor 1), whatever {@code System.out} points at: the only
     * place that takes it. {@link Main} gives it to the writer (and prints {@code --help} and
     * {@code --version} on it before any session).
     */
    static OutputStream realStdout() {
        return new FileOutputStream(FileDescriptor.out);
    }

    /** The calling thread's lines are flushed at {@link #endBatch()}, not one by one. */
    void beginBatch() {
        lock.lock();
        try {
            batching = Thread.currentThread();
        } finally {
            lock.unlock();
        }
    }

    /** Flushes what the batch wrote. */
    void endBatch() {
        write(null);
    }

    @Override
    public void writeLine(String line) {
        write(line.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes one line, or ends the batch when {@code line} is null, under the lock unless closed (a
     * closed writer drops everything); a failed write closes the writer, and {@code onBroken} runs
     * once the lock is released. (No lambdas: the banner goes through here before anything else.)
     */
    private void write(byte[] line) {
        boolean broke = false;
        lock.lock();
        try {
            if (line == null) {
                batching = null;
            }
            if (closed) {
                return;
            }
            try {
                if (line != null) {
                    out.write(line);
                    out.write('\n');
                }
                if (line == null || batching != Thread.currentThread()) {
                    out.flush();
                }
            } catch (IOException e) {
                closed = true;
                broke = true;
            }
        } finally {
            lock.unlock();
        }
        if (broke) {
            onBroken.run();
        }
    }

    /**
     * Flushes and drops every later line. When another thread is stuck in a write for longer than
     * {@link #CLOSE_WAIT_MILLIS}, gives up on flushing (nobody reads what it would write) and
     * returns.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        boolean locked;
        try {
            locked = lock.tryLock(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            locked = false;
        }
        if (!locked) {
            closed = true;
            return;
        }
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                out.flush();
            } catch (IOException e) {
                // nothing left to tell anyone
            }
        } finally {
            lock.unlock();
        }
    }
}
