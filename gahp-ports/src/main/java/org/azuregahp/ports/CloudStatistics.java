package org.azuregahp.ports;

/** Counters a cloud keeps for the {@code STATISTICS} command. */
public interface CloudStatistics {
    CloudStatistics NONE = () -> 0L;

    /** Calls retried after the cloud answered 429 (throttled). */
    long throttledRetries();
}
