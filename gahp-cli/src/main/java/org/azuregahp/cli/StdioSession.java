package org.azuregahp.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

import org.azuregahp.domain.codec.FramedLine;
import org.azuregahp.domain.codec.LineFramer;
import org.azuregahp.domain.engine.GahpEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plain protocol front end HTCondor talks to: one thread reads raw bytes from stdin in chunks,
 * cuts them into lines and hands each to the engine. It never waits on the cloud. No JLine here:
 * bytes go to the engine exactly as they arrived (escapes, {@code !}, everything; bytes that are not
 * UTF-8 reach it marked, see {@link LineFramer}).
 */
final class StdioSession {
    private static final Logger LOG = LoggerFactory.getLogger(StdioSession.class);
    private static final int CHUNK = 64 * 1024;

    /** Why {@link #run} returned. */
    enum End {
        QUIT, END_OF_INPUT
    }

    private final InputStream in;
    private final GahpEngine engine;
    private final LineFramer framer;
    private final ProtocolWriter writer;

    StdioSession(InputStream in, GahpEngine engine, int maxLineBytes, ProtocolWriter writer) {
        this.in = in;
        this.engine = engine;
        this.framer = new LineFramer(maxLineBytes);
        this.writer = writer;
    }

    /** Serves until {@code QUIT} or the end of input (a read error counts as the end of input). */
    End run() {
        byte[] buf = new byte[CHUNK];
        while (true) {
            int n;
            try {
                n = in.read(buf);
            } catch (IOException e) {
                // closed under us at shutdown, or the pipe broke: either way the input has ended
                LOG.debug("reading stdin failed; treating it as the end of input", e);
                n = -1;
            }
            if (n < 0) {
                break;
            }
            // The return lines of one chunk's requests go out in one flush at its end.
            writer.beginBatch();
            try {
                for (FramedLine line : framer.feed(buf, 0, n)) {
                    if (!handle(line)) {
                        return End.QUIT;
                    }
                }
            } finally {
                writer.endBatch();
            }
        }
        Optional<FramedLine> last = framer.finish();
        if (last.isPresent() && !handle(last.get())) {
            return End.QUIT;
        }
        return End.END_OF_INPUT;
    }

    private boolean handle(FramedLine line) {
        if (line.oversized()) {
            engine.rejectOversized(line.bytes());
            return true;
        }
        return engine.accept(line.text());
    }
}
