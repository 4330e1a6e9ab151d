package org.azuregahp.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM (how the gridmanager stops us; it never sends QUIT), SIGHUP (the session or terminal went
 * away; the JVM's default would exit 129) and, in the plain protocol, SIGINT end the session promptly
 * with status 0.
 *
 * <p>{@code sun.misc.Signal} (module jdk.unsupported) is the JDK's only way to handle these signals.
 * It is reached by reflection, its handler being a {@link Proxy}: named in the source, it draws javac's
 * "internal proprietary API" warning, which nothing can suppress, and the build allows no warning.
 * Without it (a JDK that has dropped it), or for a signal the platform lacks, the JVM's default
 * handling stays, and the log says so.
 */
final class Signals {
    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    private Signals() {
    }

    static void onTermination(Shutdown shutdown, boolean alsoInterrupt) {
        Class<?> signal;
        Class<?> handler;
        try {
            signal = Class.forName("sun.misc.Signal");
            handler = Class.forName("sun.misc.SignalHandler");
        } catch (ClassNotFoundException | LinkageError e) {
            LOG.warn("this JDK has no sun.misc.Signal: SIGTERM, SIGHUP and SIGINT keep the JVM's default"
                    + " handling (exit status 128 + the signal's number)", e);
            return;
        }
        install(signal, handler, "TERM", shutdown);
        install(signal, handler, "HUP", shutdown);
        if (alsoInterrupt) {
            install(signal, handler, "INT", shutdown);
        }
    }

    private static void install(Class<?> signal, Class<?> handler, String name, Shutdown shutdown) {
        Object onSignal = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handler},
                (proxy, method, args) -> switch (method.getName()) {
                    case "handle" -> {
                        shutdown.exit(0, "SIG" + name);
                        yield null;
                    }
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "azure-gahp's SIG" + name + " handler";
                });
        try {
            Method handle = signal.getMethod("handle", signal, handler);
            handle.invoke(null, signal.getConstructor(String.class).newInstance(name), onSignal);
        } catch (InvocationTargetException e) {
            // IllegalArgumentException: the platform does not have this signal (or the JVM keeps it)
            LOG.debug("SIG{} keeps the JVM's default handling: {}", name, e.getCause().toString());
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("SIG{} keeps the JVM's default handling: sun.misc.Signal could not be used", name, e);
        }
    }
}
