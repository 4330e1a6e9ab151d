package org.azuregahp.ports;

/** Counters a cloud keeps for the {@code STATISTICS} command. */
public interface CloudStatistics {
    CloudStatistics NONE = () -> 0L;

    /** Calls retried after the cloud answered 429 (throttled). */
    long throttledRetries();

    /**
     * Whether the cloud's state is being saved to its file, in one word ({@code ok}, or a problem such
     * as {@code not_saving}); null for a cloud with no state file (the default).
     */
    default String stateFile() {
        return null;
    }
}
