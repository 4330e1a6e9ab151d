package org.azuregahp.ports;

import java.util.Objects;

/**
 * Which cloud account a request runs as: the credential file named in the request (or
 * {@code null} for the GAHP's {@code NULL}, meaning the machine's ambient login) and the
 * subscription id.
 */
public record AccountRef(String credentialFile, String subscription) {
    public AccountRef {
        Objects.requireNonNull(subscription, "subscription");
    }

    public boolean ambient() {
        return credentialFile == null;
    }
}
