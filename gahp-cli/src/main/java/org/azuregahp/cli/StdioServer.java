package org.azuregahp.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;

import org.azuregahp.domain.engine.GahpEngine;

/**
 * A GAHP session on a pair of byte streams, as HTCondor runs it: banner first (before the engine and
 * the cloud adapter are built), then the rest from {@link Wiring#assemble}, then one reader thread
 * feeding the engine until {@code QUIT} or end of input.
 */
final class StdioServer {
    static final Duration CLOSE_BUDGET = Duration.ofMillis(700);

    private final Settings settings;
    private final BuildInfo build;
    private final PrintStream err;

    StdioServer(Settings settings, BuildInfo build, PrintStream err) {
        this.settings = settings;
        this.build = build;
        this.err = err;
    }

    /** Serves one session; returns the exit status (after {@code lifecycle.exit} ran, if it returns). */
    int serve(InputStream in, OutputStream out, Lifecycle lifecycle) {
        ShutdownRef shutdownRef = new ShutdownRef();
        ProtocolWriter writer = new ProtocolWriter(out, shutdownRef);
        // The banner first, before the cloud adapter and the engine (command table, threads) exist.
        // Nothing is read before both are ready, so the engine's own start() is not needed.
        writer.writeLine(GahpEngine.banner(build.version(), build.buildDate(), BuildInfo.DESCRIPTION));
        lifecycle.afterBanner();

        Wiring.Assembly parts;
        try {
            parts = Wiring.assemble(settings, build, writer);
        } catch (RuntimeException e) {
            err.println("azure-gahp: cannot start the " + settings.cloud().flagValue() + " cloud: " + e.getMessage());
            writer.close();
            lifecycle.exit(2);
            return 2;
        }
        Shutdown shutdown = new Shutdown(parts, in, writer, lifecycle::exit, CLOSE_BUDGET);
        shutdownRef.set(shutdown);
        parts.onFatal(() -> shutdown.exit(1, "a fatal error"));
        lifecycle.onReady(shutdown);

        StdioSession.End end = new StdioSession(in, parts.engine(), settings.maxLineBytes(), writer).run();
        shutdown.exit(0, end == StdioSession.End.QUIT ? "QUIT" : "end of input");
        return 0;
    }

    /** Lets the writer reach the shutdown that is built after it: run when stdout is gone. */
    private static final class ShutdownRef implements Runnable {
        private volatile Shutdown shutdown;

        void set(Shutdown s) {
            shutdown = s;
        }

        @Override
        public void run() {
            Shutdown s = shutdown;
            if (s != null) {
                s.exit(0, "stdout closed");
            }
        }
    }
}
