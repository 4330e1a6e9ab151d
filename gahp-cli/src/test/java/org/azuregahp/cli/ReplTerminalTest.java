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

import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole shell on JLine's dumb terminal over pipes: typed lines in, results above the prompt. */
class ReplTerminalTest {

    @Test
    void aPersonCanCreateListAndQuitWithHistoryKept(@TempDir Path home) throws Exception {
        PipedOutputStream keyboard = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(keyboard, 1 << 16);
        LineCollector screen = new LineCollector();
        DumbTerminal terminal = new DumbTerminal(in, screen);
        Settings settings = ((CommandLine.Run) CommandLine.parse(List.of("--cloud", "fake", "--fake-seed", "3"),
                Map.of())).settings();
        Repl repl = new Repl(settings, new BuildInfo("1.0.0", "Nov 27 2026"), home);
        CompletableFuture<Integer> done = CompletableFuture.supplyAsync(() -> repl.run(terminal, Lifecycle.inProcess()));

        type(keyboard, "vm_create name=web1 location=westeurope image=linux-ubuntu-latest size=Standard_B1s"
                + " adminUsername=azureuser key=ssh-rsa\\ AAAAB3NzaC1yc2EAAAADAQABAAABAQCstubkey\\ a@b");
        waitFor(screen, "[1] AZURE_VM_CREATE succeeded");
        type(keyboard, "AZURE_VM_LIST 10 NULL 00000000-0000-0000-0000-000000000001 web1");
        waitFor(screen, "[10] AZURE_VM_LIST succeeded");
        type(keyboard, "quit");
        assertThat(done.get(10, TimeUnit.SECONDS)).isZero();

        String all = screen.everything();
        assertThat(all).contains("$GahpVersion:").contains("web1").contains("PowerState/running");
        assertThat(all).doesNotContain("\u001b["); // a dumb terminal gets no colour
        List<String> history = Files.readAllLines(home.resolve(Repl.HISTORY_FILE));
        assertThat(String.join("\n", history)).contains("vm_create name=web1").contains("AZURE_VM_LIST 10");
    }

    @Test
    void endOfInputQuitsCleanly(@TempDir Path home) throws Exception {
        PipedOutputStream keyboard = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(keyboard);
        LineCollector screen = new LineCollector();
        DumbTerminal terminal = new DumbTerminal(in, screen);
        Settings settings = ((CommandLine.Run) CommandLine.parse(List.of("--cloud", "fake"), Map.of())).settings();
        Repl repl = new Repl(settings, new BuildInfo("1.0.0", "Nov 27 2026"), home);
        CompletableFuture<Integer> done = CompletableFuture.supplyAsync(() -> repl.run(terminal, Lifecycle.inProcess()));
        type(keyboard, "help");
        waitFor(screen, "inflight");
        keyboard.close();
        assertThat(done.get(10, TimeUnit.SECONDS)).isZero();
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
            PipedOutputStream keyboard = new PipedOutputStream();
            PipedInputStream in = new PipedInputStream(keyboard, 1 << 16);
            LineCollector screen = new LineCollector();
            DumbTerminal terminal = new DumbTerminal(in, screen);
            Settings settings = ((CommandLine.Run) CommandLine.parse(List.of("--cloud", "fake"), Map.of())).settings();
            Repl repl = new Repl(settings, new BuildInfo("1.0.0", "Nov 27 2026"), home.path);
            CompletableFuture<Integer> done = CompletableFuture.supplyAsync(() -> repl.run(terminal, Lifecycle.inProcess()));
            type(keyboard, "AZURE_PING 2 NULL 00000000-0000-0000-0000-000000000001");
            waitFor(screen, "[2] AZURE_PING succeeded");
            type(keyboard, "AZURE_PING 3 NULL 00000000-0000-0000-0000-000000000001");
            waitFor(screen, "[3] AZURE_PING succeeded");
            type(keyboard, "quit");
            assertThat(done.get(10, TimeUnit.SECONDS)).isZero();

            String all = screen.everything();
            assertThat(all.split("History is off", -1)).as("one note; screen:%n%s", all).hasSize(2);
            assertThat(all).contains("History is off for this session: .azure_gahp_history in your home directory"
                    + " cannot be written").doesNotContain("\tat ").doesNotContain("Exception:");
            assertThat(warnings).as("JLine's own warnings").isEmpty();
            assertThat(Files.exists(home.path.resolve(Repl.HISTORY_FILE))).isFalse();
        } finally {
            jline.removeHandler(handler);
        }
    }

    private static void type(PipedOutputStream keyboard, String line) throws IOException {
        keyboard.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }

    private static void waitFor(LineCollector screen, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!screen.everything().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("'" + text + "' not shown; screen: " + screen.everything());
            }
            Thread.sleep(20);
        }
    }
}
