package org.azuregahp.cli;

import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * This machine's files as {@link FileCredentialSource} sees them, counting looks and reads, where
 * looking at chosen paths hangs until the test releases them (a stuck network file system).
 */
final class WatchedFiles implements FileCredentialSource.FileAccess {
    /** Looks ({@code regular}) per path. */
    final Map<String, AtomicInteger> looks = new ConcurrentHashMap<>();
    final AtomicInteger reads = new AtomicInteger();
    /** Counted down when a look first hangs. */
    final CountDownLatch hanging = new CountDownLatch(1);
    /** Count down to let every hung look go on. */
    final CountDownLatch release = new CountDownLatch(1);
    private final Predicate<Path> hangs;

    private WatchedFiles(Predicate<Path> hangs) {
        this.hangs = hangs;
    }

    /** Nothing hangs. */
    static WatchedFiles plain() {
        return new WatchedFiles(file -> false);
    }

    /** Looking at {@code file} hangs until released. */
    static WatchedFiles hangingOn(Path file) {
        return new WatchedFiles(file::equals);
    }

    /** Looking at any file hangs until released. */
    static WatchedFiles hangingOnEvery() {
        return new WatchedFiles(file -> true);
    }

    @Override
    public BasicFileAttributes regular(Path file) throws RegularFiles.Problem {
        looks.computeIfAbsent(file.toString(), k -> new AtomicInteger()).incrementAndGet();
        if (hangs.test(file)) {
            hanging.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return RegularFiles.regular(file);
    }

    @Override
    public byte[] read(Path file, int maxBytes) throws RegularFiles.Problem {
        reads.incrementAndGet();
        return RegularFiles.read(file, maxBytes);
    }
}
