package org.azuregahp.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Arrays;

/**
 * The one place that reads files a request names (credential files, {@code key=} and
 * {@code customData=} files). Only regular files are read, after following links: a FIFO would block
 * the reader until someone writes to it, {@code /dev/zero} never ends, {@code /dev/stdin} would eat
 * protocol lines and {@code /proc/self/fd/1} is our own stdout. At most the caller's limit is read,
 * whatever size the file claims ({@code /proc} files claim 0). Callers that must not block (the
 * engine's threads) run this elsewhere: a regular file on a hung network file system still blocks.
 */
final class RegularFiles {
    private static final int CHUNK = 8192;

    private RegularFiles() {
    }

    /** What is wrong with a file. The message is for people and never holds anything from the file. */
    static final class Problem extends Exception {
        private static final long serialVersionUID = 1L;

        /** The kinds of problem, so callers can treat a missing file as "not a path". */
        enum Kind { MISSING, NOT_REGULAR, TOO_LARGE, UNREADABLE }

        private final Kind kind;

        Problem(Kind kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }

        Kind kind() {
            return kind;
        }
    }

    /**
     * The attributes of {@code file} after following links ({@link PosixFileAttributes} where the file
     * system has them), when it is a regular file.
     *
     * @throws Problem MISSING, NOT_REGULAR ("is a directory, not a regular file", "is a FIFO (named
     *                 pipe), not a regular file", ...) or UNREADABLE
     */
    static BasicFileAttributes regular(Path file) throws Problem {
        BasicFileAttributes attributes;
        try {
            attributes = attributes(file);
        } catch (NoSuchFileException e) {
            throw new Problem(Problem.Kind.MISSING, "does not exist");
        } catch (IOException | SecurityException e) {
            throw unreadable(e);
        }
        if (!attributes.isRegularFile()) {
            throw new Problem(Problem.Kind.NOT_REGULAR, notRegular(file, attributes));
        }
        return attributes;
    }

    /**
     * The bytes of the regular file {@code file}, at most {@code maxBytes} of them.
     *
     * @throws Problem as {@link #regular}, or TOO_LARGE when it holds more than {@code maxBytes}
     */
    static byte[] read(Path file, int maxBytes) throws Problem {
        BasicFileAttributes attributes = regular(file);
        if (attributes.size() > maxBytes) {
            throw tooLarge(maxBytes);
        }
        // Checked above: a file replaced by a FIFO between the check and here blocks only this caller.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            byte[] buf = new byte[(int) Math.min(maxBytes + 1L, Math.max(CHUNK, attributes.size() + 1))];
            int n = 0;
            while (true) {
                if (n == buf.length) {
                    if (n > maxBytes) {
                        throw tooLarge(maxBytes);
                    }
                    buf = Arrays.copyOf(buf, (int) Math.min(maxBytes + 1L, 2L * buf.length));
                }
                int r = channel.read(ByteBuffer.wrap(buf, n, buf.length - n));
                if (r < 0) {
                    break;
                }
                n += r;
            }
            if (n > maxBytes) {
                throw tooLarge(maxBytes);
            }
            return Arrays.copyOf(buf, n);
        } catch (NoSuchFileException e) {
            throw new Problem(Problem.Kind.MISSING, "does not exist");
        } catch (IOException | SecurityException e) {
            throw unreadable(e);
        }
    }

    /** POSIX attributes (with permissions) where the file system has them, else the basic ones: one stat. */
    private static BasicFileAttributes attributes(Path file) throws IOException {
        try {
            return Files.readAttributes(file, PosixFileAttributes.class);
        } catch (UnsupportedOperationException e) {
            return Files.readAttributes(file, BasicFileAttributes.class);
        }
    }

    private static Problem tooLarge(int maxBytes) {
        return new Problem(Problem.Kind.TOO_LARGE, "is larger than " + maxBytes + " bytes");
    }

    private static Problem unreadable(Exception e) {
        if (e instanceof AccessDeniedException || e instanceof SecurityException) {
            return new Problem(Problem.Kind.UNREADABLE, "cannot be read (permission denied)");
        }
        return new Problem(Problem.Kind.UNREADABLE, "cannot be read (" + e.getClass().getSimpleName() + ")");
    }

    /** "is a directory, not a regular file", "is a FIFO (named pipe), not a regular file", ... */
    private static String notRegular(Path file, BasicFileAttributes attributes) {
        if (attributes.isDirectory()) {
            return "is a directory, not a regular file";
        }
        int type;
        try {
            type = ((Integer) Files.getAttribute(file, "unix:mode")) & 0170000;
        } catch (IOException | RuntimeException e) {
            return "is not a regular file";
        }
        switch (type) {
            case 0010000:
                return "is a FIFO (named pipe), not a regular file";
            case 0020000:
            case 0060000:
                return "is a device, not a regular file";
            case 0140000:
                return "is a socket, not a regular file";
            default:
                return "is not a regular file";
        }
    }
}
