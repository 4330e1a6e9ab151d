package org.azuregahp.it;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Where the operating system runs a lockstep pair (issue 12.4, README Performance): writes one request
 * line at a time to a child process and reads its answer, as the gridmanager does, and every 50 lines
 * compares the CPU this thread is on with the CPU the child's reader thread last ran on (field 39 of
 * {@code /proc/<pid>/task/<tid>/stat}; the reader is the child's thread with the most voluntary context
 * switches after 20,000 lines to warm up). Linux only; not a test. Run after {@code mvn -q install -DskipTests}:
 *
 * <pre>
 * java -cp gahp-it/target/test-classes org.azuregahp.it.PlacementProbe FOO gahp-cli/target/azure-gahp --cloud fake
 * java -cp gahp-it/target/test-classes org.azuregahp.it.PlacementProbe FOO \
 *     java -cp gahp-it/target/test-classes org.azuregahp.it.EchoLineServer
 * </pre>
 */
public final class PlacementProbe {
    private static final int WARM_UP = 20_000;
    private static final int LINES = 20_000;
    private static final int EVERY = 50;

    private PlacementProbe() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length < 2) {
            System.err.println("usage: PlacementProbe <request line> <command...>");
            System.exit(2);
        }
        byte[] request = (args[0] + "\r\n").getBytes(StandardCharsets.US_ASCII);
        List<String> command = Arrays.asList(args).subList(1, args.length);
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        OutputStream out = child.getOutputStream();
        InputStream in = new BufferedInputStream(child.getInputStream(), 1 << 16);
        skipLine(in); // the banner
        for (int i = 0; i < WARM_UP; i++) {
            out.write(request);
            out.flush();
            skipLine(in);
        }
        Path reader = busiestThread(child.pid());
        Path readerStat = reader.resolve("stat");
        Path selfStat = Path.of("/proc/thread-self/stat");
        long migrationsBefore = migrations(reader);
        int together = 0;
        int samples = 0;
        long start = System.nanoTime();
        for (int i = 0; i < LINES; i++) {
            out.write(request);
            out.flush();
            skipLine(in);
            if (i % EVERY == 0) {
                samples++;
                if (lastCpu(readerStat) == lastCpu(selfStat)) {
                    together++;
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%s: %,.0f lines/s; the reader (thread %s) last ran on the client's CPU in %d of %d samples;"
                + " it moved between CPUs %d times%n", args[0], LINES / seconds, reader.getFileName(), together, samples,
                migrations(reader) - migrationsBefore);
        out.close();
        child.waitFor();
    }

    private static Path busiestThread(long pid) throws IOException {
        Path busiest = null;
        long most = -1;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                for (String line : Files.readAllLines(task.resolve("status"))) {
                    if (line.startsWith("voluntary_ctxt_switches:")) {
                        long switches = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        if (switches > most) {
                            most = switches;
                            busiest = task;
                        }
                    }
                }
            }
        }
        if (busiest == null) {
            throw new IOException("no threads found for process " + pid);
        }
        return busiest;
    }

    /** Field 39 of a task's {@code stat} file: the CPU it last ran on. */
    private static int lastCpu(Path statFile) throws IOException {
        String stat = Files.readString(statFile);
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[39 - 3]);
    }

    private static long migrations(Path task) throws IOException {
        for (String line : Files.readAllLines(task.resolve("sched"))) {
            if (line.startsWith("se.nr_migrations")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return -1;
    }

    private static void skipLine(InputStream in) throws IOException {
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new EOFException("the child closed its output");
            }
        }
    }
}
