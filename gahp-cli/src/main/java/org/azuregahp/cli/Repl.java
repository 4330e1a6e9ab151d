package org.azuregahp.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.azuregahp.domain.command.CommandTable;
import org.azuregahp.domain.engine.EngineListener;
import org.azuregahp.domain.engine.GahpEngine;
import org.azuregahp.domain.engine.OutputSink;
import org.azuregahp.domain.result.Result;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;

/**
 * The interactive shell for people at a terminal (JLine). Only this class and its helpers touch
 * JLine; the plain protocol path ({@link StdioServer}) never does. The engine, the cloud, logging
 * and statistics come from {@link Wiring#assemble}, as for the plain protocol.
 */
final class Repl {
    static final String HISTORY_FILE = ".azure_gahp_history";

    private final Settings settings;
    private final BuildInfo build;
    private final Path home;

    Repl(Settings settings, BuildInfo build, Path home) {
        this.settings = settings;
        this.build = build;
        this.home = home;
    }

    /** Runs the shell on the process's terminal (or, with --interactive off a terminal, on stdin/stdout). */
    static int launch(Settings settings, BuildInfo build, Path home, PrintStream err, InputStream stdin,
            OutputStream stdout, boolean atTerminal, Lifecycle lifecycle) {
        Terminal terminal;
        try {
            terminal = atTerminal
                    ? TerminalBuilder.builder().system(true).name("azure-gahp").build()
                    : TerminalBuilder.builder().system(false).streams(stdin, stdout).type(Terminal.TYPE_DUMB)
                            .name("azure-gahp").attributes(noEcho()).build();
        } catch (IOException e) {
            err.println("azure-gahp: cannot open the terminal: " + e.getMessage());
            return 1;
        }

        lifecycle.afterBanner();
        return new Repl(settings, build, home).run(terminal, lifecycle);
    }

    /** Runs the shell on {@code terminal} until quit, Ctrl-D or end of input; returns the exit status. */
    int run(Terminal terminal, Lifecycle lifecycle) {
        ForwardingSink sink = new ForwardingSink();
        Wiring.Assembly parts;
        try {
            parts = Wiring.assemble(settings, build, sink);
        } catch (RuntimeException e) {
            terminal.writer().println("azure-gahp: cannot start the " + settings.cloud().flagValue() + " cloud: "
                    + e.getMessage());
            terminal.writer().flush();
            closeQuietly(terminal);
            return 2;
        }
        GahpEngine engine = parts.engine();
        CommandTable table = engine.commandTable();
        Clock clock = parts.clock();
        AtomicReference<LineReader> readerRef = new AtomicReference<>();
        ReplHistory history = new ReplHistory(note -> {
            LineReader r = readerRef.get();
            if (r != null) {
                r.printAbove(new AttributedString(note, AttributedStyle.DEFAULT.faint()));
            } else {
                terminal.writer().println(note);
                terminal.writer().flush();
            }
        });
        LineReader reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .history(history)
                .appName("azure-gahp")
                .parser(new GahpLineParser())
                .completer(new ReplCompleter(table, parts.known()))
                .variable(LineReader.HISTORY_FILE, home.resolve(HISTORY_FILE))
                .variable(LineReader.HISTORY_SIZE, 2000)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.HISTORY_IGNORE_DUPS, true)
                .option(LineReader.Option.AUTO_LIST, true)
                .option(LineReader.Option.CASE_INSENSITIVE, true)
                .build();
        readerRef.set(reader);
        // Colour where the terminal has it (JLine drops it on a dumb one), none when NO_COLOR is set.
        boolean colour = System.getenv("NO_COLOR") == null;
        ReplSession.Screen screen = colour ? reader::printAbove
                : line -> reader.printAbove(new AttributedString(line.toString()));
        // The subscription to start with: the fake's, or the one the Azure CLI tools read from the environment.
        ReplSession session = new ReplSession(engine, table, clock, screen,
                settings.cloud() == Settings.CloudKind.FAKE ? ReplSession.FAKE_SUBSCRIPTION
                        : System.getenv("AZURE_SUBSCRIPTION_ID"));
        sink.target = session::showEngineLine;
        AttributedStyle promptStyle = colour ? AttributedStyle.BOLD.foreground(AttributedStyle.CYAN)
                : AttributedStyle.DEFAULT;
        java.util.function.Supplier<String> promptText = () -> new AttributedString("azure-gahp("
                + settings.cloud().flagValue() + ")" + session.runningNote() + "> ", promptStyle).toAnsi(terminal);
        engine.addListener(new EngineListener() {
            @Override
            public void completed(Result result) {
                // The prompt's "[n running]" changes with each result: set it before the result is shown
                // above the prompt, whose redraw then uses it.
                if (reader instanceof org.jline.reader.impl.LineReaderImpl impl) {
                    impl.setPrompt(promptText.get());
                }
                session.showResult(result);
            }
        });

        Shutdown shutdown = new Shutdown(parts, () -> { }, () -> {
            try {
                reader.getHistory().save();
            } catch (IOException | RuntimeException e) {
                // history is a convenience
            }
            closeQuietly(terminal);
        }, lifecycle::exit, StdioServer.CLOSE_BUDGET);
        parts.onFatal(() -> shutdown.exit(1, "a fatal error"));
        lifecycle.onReady(shutdown);

        engine.start();
        reader.printAbove(new AttributedString("Interactive azure-gahp on the " + settings.cloud().flagValue()
                + " cloud. Type help for commands, Tab to complete, Ctrl-D to quit.", AttributedStyle.DEFAULT.faint()));
        while (!shutdown.started()) {
            String line;
            try {
                line = reader.readLine(promptText.get());
            } catch (UserInterruptException e) {
                continue; // Ctrl-C: the line is dropped, the shell goes on
            } catch (EndOfFileException e) {
                break; // Ctrl-D or end of input
            }
            if (!session.handle(line)) {
                break;
            }
        }
        shutdown.exit(0, "shell closed");
        return 0;
    }

    /** Piped input is not echoed: the prompt line already shows what was read. */
    private static Attributes noEcho() {
        Attributes attributes = new Attributes();
        attributes.setLocalFlag(Attributes.LocalFlag.ECHO, false);
        return attributes;
    }

    private static void closeQuietly(Terminal terminal) {
        try {
            terminal.close();
        } catch (IOException e) {
            // the terminal is gone already
        }
    }

    /** The engine's sink before and after the session that shows its lines exists. */
    private static final class ForwardingSink implements OutputSink {
        volatile Consumer<String> target = line -> { };

        @Override
        public void writeLine(String line) {
            target.accept(line);
        }
    }
}
