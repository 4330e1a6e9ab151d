package org.azuregahp.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An output stream that cuts what is written into lines a test can wait for. */
final class LineCollector extends OutputStream {
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder everything = new StringBuilder();

    @Override
    public synchronized void write(int b) {
        everything.append((char) b);
        if (b == '\n') {
            lines.add(current.toString(StandardCharsets.UTF_8));
            current.reset();
        } else {
            current.write(b);
        }
    }

    /** The next whole line; fails the test after 10 s. */
    String next() throws InterruptedException {
        String line = lines.poll(10, TimeUnit.SECONDS);
        if (line == null) {
            throw new AssertionError("no line within 10 s; so far: " + everything());
        }
        return line;
    }

    /** The next line, or null when none comes within {@code millis}. */
    String poll(long millis) throws InterruptedException {
        return lines.poll(millis, TimeUnit.MILLISECONDS);
    }

    synchronized String everything() {
        return everything.toString();
    }

    synchronized String partialLine() {
        return current.toString(StandardCharsets.UTF_8);
    }
}
