package org.azuregahp.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A directory nobody can create files in, even when the tests run as root (as on the build machine):
 * permission bits 555 stop other users, {@code chattr +i} stops root. Close it to make it writable
 * again, so the temporary directory can be removed.
 */
final class UnwritableDirectory implements AutoCloseable {
    final Path path;
    private boolean immutable;

    UnwritableDirectory(Path path) throws IOException {
        this.path = Files.createDirectories(path);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("r-xr-xr-x"));
        if (canCreateIn(path)) {
            immutable = run("chattr", "+i", path.toString());
        }
        assumeTrue(!canCreateIn(path), "no way to make a directory unwritable here (not root and chmod ignored?)");
    }

    private static boolean canCreateIn(Path dir) {
        try {
            Files.delete(Files.createTempFile(dir, "probe", ".tmp"));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean run(String... command) {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        if (immutable) {
            run("chattr", "-i", path.toString());
        }
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
