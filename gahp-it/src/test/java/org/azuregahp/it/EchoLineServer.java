package org.azuregahp.it;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The yardstick of {@link BenchLockstepTest}: the least a JVM line server can do. It writes a banner,
 * then answers every LF-terminated input line with {@code S} and a flush, on one thread, until the end
 * of input. It reads and writes the raw file descriptors in chunks, as the real server's stdio front
 * end does, and is started with the launcher's own JVM flags.
 */
public final class EchoLineServer {

    private EchoLineServer() {
    }

    public static void main(String[] args) throws IOException {
        InputStream in = new FileInputStream(FileDescriptor.in);
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        out.write("$GahpVersion: 0.0.0 Jan 1 2026 echo $\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.flush();
        byte[] buf = new byte[64 * 1024];
        byte[] answers = new byte[2 * buf.length];
        int n;
        while ((n = in.read(buf)) > 0) {
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    answers[k++] = 'S';
                    answers[k++] = '\n';
                }
            }
            if (k > 0) {
                out.write(answers, 0, k);
                out.flush();
            }
        }
    }
}
