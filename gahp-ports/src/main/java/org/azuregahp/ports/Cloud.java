package org.azuregahp.ports;

/**
 * A cloud: opens the capabilities for one credential file and subscription.
 *
 * <p>Implementations cache what they build per {@link AccountRef}. {@link #account} may read and
 * validate the credential file; a missing, unreadable or malformed file is a
 * {@link CloudException} (thrown here or failing the returned stages) with code
 * {@link CloudException#CREDENTIAL_FILE} naming the file and the problem, never its contents.
 * Callers invoke it off the protocol reader's thread.
 */
public interface Cloud extends AutoCloseable {

    CloudAccount account(AccountRef ref);

    /** Counters the {@code STATISTICS} command reports. */
    default CloudStatistics statistics() {
        return CloudStatistics.NONE;
    }

    /** Releases resources and persists state; must return promptly (in-flight work is abandoned). */
    @Override
    default void close() {
    }
}
