package org.azuregahp.cli;

import sun.misc.Signal;

/**
 * SIGTERM (how the gridmanager stops us; it never sends QUIT), SIGHUP (the session or terminal went
 * away; the JVM's default would exit 129) and, in the plain protocol, SIGINT end the session promptly
 * with status 0.
 *
 * <p>sun.misc.Signal (module jdk.unsupported) is the JDK's only way to handle these signals. javac 17 warns
 * about it ("internal proprietary API") on every use, and that warning cannot be suppressed; gahp-cli's pom
 * lets its main code compile with these warnings and no others.
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
