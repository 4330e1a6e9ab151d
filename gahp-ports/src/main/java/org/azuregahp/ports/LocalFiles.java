package org.azuregahp.ports;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Reads files on the GAHP's own machine that a request names ({@code key=} pointing at a public-key
 * file, {@code customData=} pointing at a script). Keeps file I/O out of the domain, and off the
 * threads that run the engine: a file that blocks (a FIFO, a hung network file system) must cost only
 * the request that names it.
 */
public interface LocalFiles {

    /**
     * Starts reading the file at {@code path} and answers at once. The stage completes with the file's
     * text if {@code path} names an existing regular file, empty when no such file exists; it fails
     * with a {@link CloudException} (code {@link CloudException#INVALID_PARAMETER}) when the file exists
     * but cannot be read or is larger than {@code maxBytes}; the message names the file, never its
     * contents. The reading must not happen on the calling thread.
     */
    CompletionStage<Optional<String>> readIfExists(String path, int maxBytes);

    /** No files at all (for tests and embedders that take no paths). */
    LocalFiles NONE = (path, maxBytes) -> CompletableFuture.completedFuture(Optional.empty());
}
