package org.azuregahp.cli;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.LocalFiles;

/**
 * {@link LocalFiles} on this machine's file system. A leading {@code ~/} means the home directory of
 * the user the server runs as. Only regular files are read, at most the limit ({@link RegularFiles});
 * anything else (a directory, FIFO, device) is not read and the value is taken as text. Error
 * messages name the file, never its contents. Every read runs on the given executor (the composition
 * root's own file-reading threads), never on the engine's: a file that blocks costs only the request
 * that names it.
 */
final class FileSystemLocalFiles implements LocalFiles {
    private final String home;
    private final Executor reads;

    /**
     * @param home  the user's home directory (kept as text: no file-system work before the banner)
     * @param reads where the reads run
     */
    FileSystemLocalFiles(String home, Executor reads) {
        this.home = home;
        this.reads = reads;
    }

    @Override
    public CompletionStage<Optional<String>> readIfExists(String path, int maxBytes) {
        return CompletableFuture.supplyAsync(() -> readNow(path, maxBytes), reads);
    }

    /** The read itself, on the calling thread. */
    Optional<String> readNow(String path, int maxBytes) {
        Path file;
        try {
            file = resolve(path);
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = RegularFiles.read(file, maxBytes);
        } catch (RegularFiles.Problem e) {
            switch (e.kind()) {
                case MISSING:
                case NOT_REGULAR:
                    return Optional.empty(); // not a file to read: the value is taken as text
                case TOO_LARGE:
                    throw CloudException.invalid("file " + path + " is too large (at most " + maxBytes + " bytes)");
                default:
                    throw CloudException.invalid("file " + path + " " + e.getMessage());
            }
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            throw CloudException.invalid("file " + path + " is not UTF-8 text");
        }
    }

    private Path resolve(String path) {
        if (path.equals("~")) {
            return Path.of(home);
        }
        if (path.startsWith("~/")) {
            return Path.of(home).resolve(path.substring(2));
        }
        return Path.of(path);
    }
}
