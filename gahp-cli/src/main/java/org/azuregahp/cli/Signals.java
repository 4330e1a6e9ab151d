package org.azuregahp.cli;

import sun.misc.Signal;

/**
 * SIGTERM (how the gridmanager stops us; it never sends QUIT), SIGHUP (the session or terminal went
 * away; the JVM's default would exit 129) and, in the plain protocol, SIGINT end the session promptly
 * with status 0.
 */
final class Signals {
    private Signals() {
    }

    static void onTermination(Shutdown shutdown, boolean alsoInterrupt) {
        install("TERM", shutdown);
        install("HUP", shutdown);
        if (alsoInterrupt) {
            install("INT", shutdown);
        }
    }

    private static void install(String name, Shutdown shutdown) {
        try {
            Signal.handle(new Signal(name), sig -> shutdown.exit(0, "SIG" + name));
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // the platform does not have this signal; the JVM's default handling stays
        }
    }
}
