package org.azuregahp.ports;

import java.util.Objects;

/** How the administrator logs in. {@code toString} never shows a password. */
public sealed interface AdminCredential {

    /** An SSH public key's text, e.g. {@code ssh-rsa AAAA... user@host}; password login is off. */
    record SshPublicKey(String publicKey) implements AdminCredential {
        public SshPublicKey {
            Objects.requireNonNull(publicKey, "publicKey");
        }

        @Override
        public String toString() {
            String[] parts = publicKey.trim().split("\\s+");
            return "SshPublicKey[" + parts[0] + " ...]";
        }
    }

    /** A password; it must meet Azure's rules, which the adapter checks. Never logged. */
    record Password(String value) implements AdminCredential {
        public Password {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return "Password[redacted]";
        }
    }
}
