package org.azuregahp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The built launcher ({@code gahp-cli/target/azure-gahp}) running as a child process, driven the
 * way HTCondor's gridmanager drives it: request lines end with CR LF, stdout is read line by line.
 */
final class GahpProcess implements AutoCloseable {
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(20);
    /** How long to wait for the output pumps after the exit: only a guard, never reached in practice. */
    private static final Duration DRAIN = Duration.ofSeconds(20);

    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final List<String> allStdout = java.util.Collections.synchronizedList(new ArrayList<>());
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final Thread outReader;
    private final Thread errReader;

    private GahpProcess(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.outReader = new Thread(() -> pumpLines(process.getInputStream()), "gahp-stdout");
        this.errReader = new Thread(() -> pump(process.getErrorStream(), stderr), "gahp-stderr");
        outReader.setDaemon(true);
        errReader.setDaemon(true);
        outReader.start();
        errReader.start();
    }

    static Path launcher() {
        String p = System.getProperty("gahp.launcher", "../gahp-cli/target/azure-gahp");
        Path path = Path.of(p).toAbsolutePath().normalize();
        assertThat(path).as("the launcher must be built first (mvn package)").isExecutable();
        return path;
    }

    static GahpProcess start(String... args) throws IOException {
        return start(Map.of(), args);
    }

    static GahpProcess start(Map<String, String> env, String... args) throws IOException {
        return startUnder(List.of(), env, args);
    }

    /**
     * Starts the launcher through {@code wrapper} (a command that runs the rest of its arguments in
     * the same process, e.g. {@code prlimit --fsize=N}), so {@link #pid} is still the server's.
     */
    static GahpProcess startUnder(List<String> wrapper, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.add(launcher().toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        // Like the gridmanager: no AZURE_GAHP_* from the developer's shell leaks into the test.
        pb.environment().keySet().removeIf(k -> k.startsWith("AZURE_GAHP_"));
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k); // a null value unsets the variable
            } else {
                pb.environment().put(k, v);
            }
        });
        return new GahpProcess(pb.start());
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    /** Writes one request line, terminated with CR LF as the gridmanager does. */
    void send(String line) throws IOException {
        sendRaw((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    void sendRaw(byte[] bytes) throws IOException {
        stdin.write(bytes);
        stdin.flush();
    }

    /** Closes stdin: end of input, which the server treats as QUIT. */
    void closeStdin() throws IOException {
        stdin.close();
    }

    /** The next stdout line, waiting up to {@link #DEFAULT_WAIT}. */
    String nextLine() throws InterruptedException {
        return nextLine(DEFAULT_WAIT);
    }

    String nextLine(Duration wait) throws InterruptedException {
        String line = stdout.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(line).as("a line on stdout within %s; stderr so far:%n%s", wait, stderr()).isNotNull();
        return line;
    }

    /** The next stdout line, or null when none arrives in time. */
    String pollLine(Duration wait) throws InterruptedException {
        return stdout.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends a line and asserts the exact line that comes back. */
    void expect(String request, String expectedReply) throws Exception {
        send(request);
        assertThat(nextLine()).as("reply to %s", request).isEqualTo(expectedReply);
    }

    List<String> allStdout() {
        synchronized (allStdout) {
            return List.copyOf(allStdout);
        }
    }

    String stderr() {
        synchronized (stderr) {
            return stderr.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * Waits for the exit; once the server has exited, also for its stdout and stderr to be read to
     * their end, so {@link #stderr()} and {@link #allStdout()} are complete (the pumping threads can
     * lag behind the exit on a loaded machine).
     */
    boolean waitFor(Duration wait) throws InterruptedException {
        if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            return false;
        }
        drainOutput();
        return true;
    }

    /** After the exit: waits (bounded, a guard against a grandchild holding the pipes) for both pumps. */
    private void drainOutput() throws InterruptedException {
        outReader.join(DRAIN.toMillis());
        errReader.join(DRAIN.toMillis());
    }

    int exitValue() {
        return process.exitValue();
    }

    /** Live thread count of the server's JVM (Linux /proc). */
    int threadCount() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (l.startsWith("Threads:")) {
                return Integer.parseInt(l.substring(8).trim());
            }
        }
        throw new IllegalStateException("no Threads: line");
    }

    /** Peak resident memory of the server's JVM in KiB (Linux /proc VmHWM). */
    long peakRssKib() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (l.startsWith("VmHWM:")) {
                return Long.parseLong(l.substring(6).replace("kB", "").trim());
            }
        }
        throw new IllegalStateException("no VmHWM: line");
    }

    /** Ends input and waits for the exit; interrupted, it kills the server and keeps the interrupt. */
    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already closed
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            drainOutput();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the server to exit", e);
        }
    }

    private void pumpLines(InputStream in) {
        // Split on LF only, as the gridmanager does; a CR would stay in the line and fail assertions.
        ByteArrayOutputStream cur = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        String line = cur.toString(StandardCharsets.UTF_8);
                        cur.reset();
                        allStdout.add(line);
                        stdout.add(line);
                    } else {
                        cur.write(buf[i]);
                    }
                }
            }
            if (cur.size() > 0) {
                String line = cur.toString(StandardCharsets.UTF_8) + "<no newline at end>";
                allStdout.add(line);
                stdout.add(line);
            }
        } catch (IOException ignored) {
            // process ended
        }
    }

    private void pump(InputStream in, ByteArrayOutputStream sink) {
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (sink) {
                    sink.write(buf, 0, n);
                }
            }
        } catch (IOException ignored) {
            // process ended
        }
    }
}
