package org.azuregahp.cli;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.azuregahp.cli.CommandLine.Help;
import org.azuregahp.cli.CommandLine.Outcome;
import org.azuregahp.cli.CommandLine.Run;
import org.azuregahp.cli.CommandLine.UsageError;

/**
 * The process entry point. Before anything else it takes the real stdout for the protocol and points
 * {@code System.out} at stderr, so no library can ever write a stray line into the protocol.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        OutputStream protocolOut = ProtocolWriter.realStdout();
        PrintStream err = System.err;
        System.setOut(err);

        Outcome outcome = CommandLine.parse(List.of(args), System.getenv());
        if (outcome instanceof UsageError) {
            err.println("azure-gahp: " + ((UsageError) outcome).message());
            err.println("Try 'azure-gahp --help'.");
            halt(2, err);
        } else if (outcome instanceof Help) {
            print(protocolOut, CommandLine.helpText());
            halt(0, err);
        } else if (!(outcome instanceof Run)) {
            print(protocolOut, BuildInfo.load().versionLine() + "\n");
            halt(0, err);
        }
        Settings settings = ((Run) outcome).settings();
        String stateProblem = settings.fakeState() == null ? null : FakeStateCheck.problem(settings.fakeState());
        if (stateProblem != null) {
            err.println("azure-gahp: " + stateProblem);
            halt(2, err);
        }
        boolean atTerminal = isTerminal(System.console(), java.io.Console.class);
        boolean shell = Wiring.wantsShell(settings, atTerminal);
        // stdin through its channel for the plain protocol: closing it wakes a blocked read, so SIGTERM
        // exits at once (the shell reads through JLine's own terminal)
        InputStream stdin = shell ? new FileInputStream(FileDescriptor.in)
                : Channels.newInputStream(new FileInputStream(FileDescriptor.in).getChannel());
        int status = Wiring.serve(settings, BuildInfo.load(), atTerminal, stdin, protocolOut, err,
                new ProcessLifecycle(settings, err, !shell));
        halt(status, err);
    }

    /** The real process around a session: logging after the banner, signals, and a hard exit. */
    private static final class ProcessLifecycle implements Lifecycle {
        private final Settings settings;
        private final PrintStream err;
        private final boolean interruptEnds;

        ProcessLifecycle(Settings settings, PrintStream err, boolean interruptEnds) {
            this.settings = settings;
            this.err = err;
            this.interruptEnds = interruptEnds;
        }

        @Override
        public void afterBanner() {
            String problem = Logging.configure(settings, true);
            if (problem != null) {
                err.println("azure-gahp: " + problem + "; logging to stderr only");
            }
            // A bug must not leave a half-dead server: log it and exit, so HTCondor starts a fresh one.
            Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
                org.slf4j.LoggerFactory.getLogger(Main.class)
                        .error("unexpected failure in thread {}", thread.getName(), e);
                halt(1, err);
            });
        }

        @Override
        public void onReady(Shutdown shutdown) {
            Signals.onTermination(shutdown, interruptEnds);
        }

        @Override
        public void exit(int status) {
            halt(status, err);
        }
    }

    /**
     * Whether stdin and stdout are a terminal. {@code System.console() != null} is not enough: from
     * Java 22 to 24 (and with {@code -Djdk.console=jdk.internal.le} from Java 20) it answers a
     * console even when both are pipes, which would start the shell under HTCondor. So where the
     * console has {@code isTerminal()} (Java 22+), that decides; if asking fails, the answer is no
     * (the plain protocol is the safe side; {@code --interactive} still starts the shell).
     *
     * @param api the class to find {@code isTerminal()} on ({@code java.io.Console}; a stand-in in tests)
     */
    static boolean isTerminal(Object console, Class<?> api) {
        if (console == null) {
            return false;
        }
        java.lang.reflect.Method isTerminal;
        try {
            isTerminal = api.getMethod("isTerminal");
        } catch (NoSuchMethodException e) {
            return true; // before Java 22 a console exists only at a terminal
        }
        try {
            return Boolean.TRUE.equals(isTerminal.invoke(console));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    private static void print(OutputStream out, String text) {
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            // nobody is listening
        }
    }

    /**
     * The user's home: {@code $HOME} when set (as a shell sees it, and as people set it for a test or a
     * service account), else Java's {@code user.home} from the password database.
     */
    static String homeDirectory() {
        String env = System.getenv("HOME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        return System.getProperty("user.home", "/");
    }

    /** Exits now: no shutdown hooks or stragglers can delay a prompt exit once everything is flushed. */
    static void halt(int status, PrintStream err) {
        err.flush();
        Runtime.getRuntime().halt(status);
    }
}
