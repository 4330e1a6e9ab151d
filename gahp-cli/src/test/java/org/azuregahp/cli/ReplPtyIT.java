package org.azuregahp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built launcher at a real pseudo-terminal (util-linux {@code script}): the shell starts by
 * itself, completes, shows results in colour, keeps escapes, cancels a line on Ctrl-C and quits on
 * Ctrl-D. Runs in {@code verify}, after {@code package} built {@code target/azure-gahp}.
 */
class ReplPtyIT {
    private static final Path LAUNCHER = Path.of("target", "azure-gahp").toAbsolutePath();

    @Test
    void aPersonAtATerminalGetsTheShell(@TempDir Path home) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux script is needed");
        assertThat(LAUNCHER).isExecutable();
        ProcessBuilder pb = new ProcessBuilder("script", "-qec",
                "stty cols 120 rows 40; exec " + LAUNCHER + " --cloud fake", "/dev/null");
        pb.environment().put("TERM", "xterm-256color");
        pb.environment().put("HOME", home.toString());
        pb.environment().put("JAVA_OPTS", "-Duser.home=" + home);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        Screen screen = new Screen(p.getInputStream());
        OutputStream keys = p.getOutputStream();

        screen.waitFor("azure-gahp(fake)>");
        type(keys, "vm_cr\t");
        screen.waitFor("vm_create");
        type(keys, "name=pty1 location=westeurope image=linux-ubuntu-latest size=Standard_B1s"
                + " adminUsername=azureuser key=ssh-rsa\\ AAAAB3NzaC1yc2EAAAADAQABAAABAQCstubkey\\ a@b\r");
        screen.waitFor("[1] AZURE_VM_CREATE");
        screen.waitFor("succeeded");
        type(keys, "AZURE_VM_DELETE 7 NULL 00000000-0000-0000-0000-000000000001 p\t");
        screen.waitFor("pty1");
        type(keys, "\r"); // completion left "pty1 ": the shell drops the trailing space
        screen.waitFor("[7] AZURE_VM_DELETE succeeded");
        type(keys, "half a line\u0003");
        type(keys, "inflight\r");
        screen.waitFor("in flight");
        type(keys, "\u0004");
        screen.waitFor("\u001b[?2004l"); // the shell gave the terminal back (bracketed paste off)
        keys.close(); // script(1) itself waits for the end of its input
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();

        String all = screen.text();
        assertThat(all).contains("\u001b[32m"); // green success at a colour terminal
        List<String> history = Files.readAllLines(home.resolve(Repl.HISTORY_FILE));
        assertThat(String.join("\n", history)).contains("vm_create name=pty1")
                .contains("key=ssh-rsa\\\\ AAAA") // the escape survives (history doubles backslashes)
                .doesNotContain("half a line");
    }

    private static void type(OutputStream keys, String text) throws Exception {
        keys.write(text.getBytes(StandardCharsets.UTF_8));
        keys.flush();
        Thread.sleep(50);
    }

    /** Everything the terminal showed, read on a thread of its own. */
    private static final class Screen {
        private final ByteArrayOutputStream seen = new ByteArrayOutputStream();

        Screen(InputStream in) {
            Thread reader = new Thread(() -> {
                byte[] buf = new byte[8192];
                try {
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        synchronized (seen) {
                            seen.write(buf, 0, n);
                        }
                    }
                } catch (java.io.IOException e) {
                    // the process ended
                }
            }, "pty-reader");
            reader.setDaemon(true);
            reader.start();
        }

        String text() {
            synchronized (seen) {
                return seen.toString(StandardCharsets.UTF_8);
            }
        }

        /** The text without colour and cursor escapes. */
        String plain() {
            return text().replaceAll("\u001b\\[[0-9;?$]*[A-Za-z]", "");
        }

        void waitFor(String s) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!text().contains(s) && !plain().contains(s)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("'" + s + "' never shown; screen:\n" + text());
                }
                Thread.sleep(20);
            }
        }
    }
}
