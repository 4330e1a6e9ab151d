package org.azuregahp.domain.command;

import java.util.Objects;
import org.azuregahp.ports.AdminCredential;

/**
 * The {@code key=} value as parsed: a credential given inline, or a path to a public-key file that
 * is read (through the {@code LocalFiles} port) when the request executes, never on the reader
 * thread. {@code toString} never shows a password.
 */
public sealed interface KeySource {

    /** An SSH public key's text or a password, given inline. */
    record Given(AdminCredential credential) implements KeySource {
        public Given {
            Objects.requireNonNull(credential, "credential");
        }
    }

    /** A path (it starts with {@code /}, {@code ~} or {@code ./}) to an SSH public-key file. */
    record KeyFile(String path) implements KeySource {
        public KeyFile {
            Objects.requireNonNull(path, "path");
        }
    }
}
