package org.azuregahp.ports;

import java.util.Optional;

/**
 * Reads files on the GAHP's own machine that a request names ({@code key=} pointing at a public-key
 * file, {@code customData=} pointing at a script). Keeps file I/O out of the domain.
 */
public interface LocalFiles {

    /**
     * The text of the file at {@code path} if it names an existing regular file; empty when no such
     * file exists. Fails with a {@link CloudException} (code {@link CloudException#INVALID_PARAMETER})
     * when the file exists but cannot be read or is larger than {@code maxBytes}; the message names
     * the file, never its contents.
     */
    Optional<String> readIfExists(String path, int maxBytes);

    /** No files at all (for tests and embedders that take no paths). */
    LocalFiles NONE = (path, maxBytes) -> Optional.empty();
}
