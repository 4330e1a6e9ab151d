package org.azuregahp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.azuregahp.ports.testing.UnwritableDirectory;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole shell on JLine's dumb terminal over pipes: typed lines in, results above the prompt. */
class ReplTerminalTest {

    @Test
    void aPersonCanCreateListAndQuitWithHistoryKept(@TempDir Path home) throws Exception {
        Shell shell = Shell.start(home, "--cloud", "fake", "--fake-seed", "3");

        shell.type("vm_create name=web1 location=westeurope image=linux-ubuntu-latest size=Standard_B1s"
                + " adminUsername=azureuser key=ssh-rsa\\ AAAAB3NzaC1yc2EAAAADAQABAAABAQCstubkey\\ a@b");
        shell.waitFor("[1] AZURE_VM_CREATE succeeded");
        shell.type("AZURE_VM_LIST 10 NULL 00000000-0000-0000-0000-000000000001 web1");
        shell.waitFor("[10] AZURE_VM_LIST succeeded");
        shell.type("quit");
        assertThat(shell.exitStatus()).isZero();

        String all = shell.screen();
        assertThat(all).contains("$GahpVersion:").contains("web1").contains("PowerState/running");
        assertThat(all).doesNotContain("\u001b["); // a dumb terminal gets no colour
        List<String> history = Files.readAllLines(home.resolve(Repl.HISTORY_FILE));
        assertThat(String.join("\n", history)).contains("vm_create name=web1").contains("AZURE_VM_LIST 10");
    }

    @Test
    void endOfInputQuitsCleanly(@TempDir Path home) throws Exception {
        Shell shell = Shell.start(home, "--cloud", "fake");
        shell.type("help");
        shell.waitFor("inflight");
        shell.endInput();
        assertThat(shell.exitStatus()).isZero();
    }

    /**
     * A service account's home that cannot be written: one note that history is off, instead of JLine's
     * warning with a stack trace for every line typed; the shell works as before.
     */
    @Test
    void anUnwritableHomeTurnsHistoryOffWithOneNote(@TempDir Path dir) throws Exception {
        java.util.logging.Logger jline = java.util.logging.Logger.getLogger("org.jline");
        List<java.util.logging.LogRecord> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    warnings.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jline.addHandler(handler);
        try (UnwritableDirectory home = new UnwritableDirectory(dir.resolve("home"))) {
            Shell shell = Shell.start(home.path, "--cloud", "fake");
            shell.type("AZURE_PING 2 NULL 00000000-0000-0000-0000-000000000001");
            shell.waitFor("[2] AZURE_PING succeeded");
            shell.type("AZURE_PING 3 NULL 00000000-0000-0000-0000-000000000001");
            shell.waitFor("[3] AZURE_PING succeeded");
            shell.type("quit");
            assertThat(shell.exitStatus()).isZero();

            String all = shell.screen();
            assertThat(all.split("History is off", -1)).as("one note; screen:%n%s", all).hasSize(2);
            assertThat(all).contains("History is off for this session: .azure_gahp_history in your home directory"
                    + " cannot be written").doesNotContain("\tat ").doesNotContain("Exception:");
            assertThat(warnings).as("JLine's own warnings").isEmpty();
            assertThat(Files.exists(home.path.resolve(Repl.HISTORY_FILE))).isFalse();
        } finally {
            jline.removeHandler(handler);
        }
    }

    /**
     * The shell with these options on a dumb terminal over pipes, running on its own thread: what is
     * typed goes in, what it shows is collected.
     */
    private static final class Shell {
        private final PipedOutputStream keyboard;
        private final LineCollector screen;
        private final CompletableFuture<Integer> done;

        private Shell(PipedOutputStream keyboard, LineCollector screen, CompletableFuture<Integer> done) {
            this.keyboard = keyboard;
            this.screen = screen;
            this.done = done;
        }

        static Shell start(Path home, String... options) throws IOException {
            PipedOutputStream keyboard = new PipedOutputStream();
            PipedInputStream in = new PipedInputStream(keyboard, 1 << 16);
            LineCollector screen = new LineCollector();
            DumbTerminal terminal = new DumbTerminal(in, screen);
            Settings settings = ((CommandLine.Run) CommandLine.parse(List.of(options), Map.of())).settings();
            Repl repl = new Repl(settings, new BuildInfo("1.0.0", "Nov 27 2026"), home);
            return new Shell(keyboard, screen,
                    CompletableFuture.supplyAsync(() -> repl.run(terminal, Lifecycle.inProcess())));
        }

        void type(String line) throws IOException {
            keyboard.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
        }

        /** Closes the keyboard: the end of input. */
        void endInput() throws IOException {
            keyboard.close();
        }

        /** Waits (10 s at most, a guard against a hang) until the screen shows {@code text}. */
        void waitFor(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!screen.everything().contains(text)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("'" + text + "' not shown; screen: " + screen.everything());
                }
                Thread.sleep(20);
            }
        }

        /** The shell's exit status, once it ends (10 s at most). */
        int exitStatus() throws Exception {
            return done.get(10, TimeUnit.SECONDS);
        }

        String screen() {
            return screen.everything();
        }
    }
}
