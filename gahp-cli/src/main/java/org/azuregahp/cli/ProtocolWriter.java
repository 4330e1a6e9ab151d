package org.azuregahp.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.azuregahp.domain.engine.OutputSink;

/**
 * The one writer that owns the protocol's stdout: each line is written whole, with its LF, and
 * flushed, under one lock, so no other line can land inside it. After {@link #close()} (or once the
 * reader on the other end has gone away) lines are dropped silently.
 */
final class ProtocolWriter implements OutputSink, AutoCloseable {
    private final OutputStream out;
    private final Runnable onBroken;
    private boolean closed;

    /**
     * @param out      the real stdout (captured before anything could redirect {@code System.out})
     * @param onBroken run once, outside the lock, when writing fails (the gridmanager is gone)
     */
    ProtocolWriter(OutputStream out, Runnable onBroken) {
        this.out = out;
        this.onBroken = onBroken;
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
                byte[] framed = new byte[bytes.length + 1];
                System.arraycopy(bytes, 0, framed, 0, bytes.length);
                framed[bytes.length] = '\n';
                out.write(framed);
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
