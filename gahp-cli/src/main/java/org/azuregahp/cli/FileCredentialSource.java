package org.azuregahp.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.credentials.CredentialSource;
import org.azuregahp.ports.credentials.Credentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The credential source both clouds get: reads credential files from this machine's file system.
 *
 * <ul>
 * <li>Never on the caller's thread, and never under a lock another file's request needs: each file is
 * looked at on a thread of its own ({@link FileReads}, shared with the {@code key=} file reads but with
 * a budget of its own), and requests naming a file already being looked at wait for that one look. A
 * file that hangs (a stuck network file system) so holds up only the requests that name it; at most
 * {@link #MAX_READS} files are looked at at once, and a request beyond that fails at once.
 * <li>Only regular files, at most {@link CredentialFiles#MAX_BYTES} of them ({@link RegularFiles}).
 * <li>What it parsed is kept per path with the file's size, modification time and identity (inode):
 * a request whose file is unchanged costs one {@code stat}, not a read and a parse.
 * <li>A file users other than its owner may read is warned about in the log, once per file.
 * </ul>
 */
final class FileCredentialSource implements CredentialSource {
    /** Files looked at at once; beyond this, file systems are likely hung and a request fails at once. */
    static final int MAX_READS = 64;
    private static final int MAX_CACHED = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(FileCredentialSource.class);

    /** The file-system calls the source makes (a seam for tests). */
    interface FileAccess {
        /** The file's attributes when it is a regular file (after following links). */
        BasicFileAttributes regular(Path file) throws RegularFiles.Problem;

        /** At most {@code maxBytes} of the regular file. */
        byte[] read(Path file, int maxBytes) throws RegularFiles.Problem;

        FileAccess LOCAL = new FileAccess() {
            @Override
            public BasicFileAttributes regular(Path file) throws RegularFiles.Problem {
                return RegularFiles.regular(file);
            }

            @Override
            public byte[] read(Path file, int maxBytes) throws RegularFiles.Problem {
                return RegularFiles.read(file, maxBytes);
            }
        };
    }

    private record Stamp(long size, FileTime modified, Object fileKey) {
    }

    private record Parsed(Stamp stamp, Credentials credentials) {
    }

    private final FileAccess files;
    private final FileReads.Lane readers;
    private final ConcurrentHashMap<String, CompletableFuture<Credentials>> looking = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Parsed> parsed = new ConcurrentHashMap<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /** Looks at files on {@code threads}, with a budget of {@link #MAX_READS} files at once. */
    FileCredentialSource(FileReads threads) {
        this(FileAccess.LOCAL, threads);
    }

    FileCredentialSource(FileAccess files, FileReads threads) {
        this.files = Objects.requireNonNull(files, "files");
        this.readers = threads.lane(MAX_READS);
    }

    @Override
    public CompletionStage<Credentials> credentials(String path) {
        CompletableFuture<Credentials> mine = new CompletableFuture<>();
        CompletableFuture<Credentials> underWay = looking.putIfAbsent(path, mine);
        if (underWay != null) {
            return underWay;
        }
        boolean started = readers.tryExecute(() -> {
            Credentials credentials = null;
            Throwable failure = null;
            try {
                credentials = load(path);
            } catch (Throwable e) {
                failure = e;
            }
            // Off the list first: the requests completed below may start new work on this thread.
            looking.remove(path, mine);
            if (failure == null) {
                mine.complete(credentials);
            } else {
                mine.completeExceptionally(failure);
            }
        });
        if (!started) {
            looking.remove(path, mine);
            mine.completeExceptionally(CredentialFiles.fail(path, "was not read: " + MAX_READS
                    + " other credential files are still being read (is a file system hung?)"));
        }
        return mine;
    }

    private Credentials load(String path) {
        Path file;
        try {
            file = Path.of(path);
        } catch (InvalidPathException e) {
            throw CredentialFiles.fail(path.replace("\0", "\\0"), "is not a valid path");
        }
        try {
            BasicFileAttributes attributes = files.regular(file);
            if (readableByOthers(attributes) && warned.add(path)) {
                LOG.warn("credential file {} can be read by other users; make it readable by its owner only"
                        + " (chmod 600)", path);
            }
            Stamp stamp = new Stamp(attributes.size(), attributes.lastModifiedTime(), attributes.fileKey());
            Parsed known = parsed.get(path);
            if (known != null && known.stamp().equals(stamp)) {
                return known.credentials();
            }
            Credentials credentials = CredentialFiles.parse(path, files.read(file, CredentialFiles.MAX_BYTES));
            if (parsed.size() >= MAX_CACHED) {
                parsed.clear();
            }
            parsed.put(path, new Parsed(stamp, credentials));
            return credentials;
        } catch (RegularFiles.Problem e) {
            parsed.remove(path);
            throw CredentialFiles.fail(path, e.getMessage());
        } catch (CloudException e) {
            parsed.remove(path);
            throw e;
        }
    }

    /** Whether users other than the file's owner may read it (group or others read permission). */
    static boolean readableByOthers(BasicFileAttributes attributes) {
        if (attributes instanceof PosixFileAttributes posix) {
            Set<PosixFilePermission> p = posix.permissions();
            return p.contains(PosixFilePermission.OTHERS_READ) || p.contains(PosixFilePermission.GROUP_READ);
        }
        return false;
    }
}
