package org.azuregahp.domain.command;

/**
 * What the session commands act on: the protocol session's state and output. The engine implements
 * it; each session command's row calls one of these.
 */
public interface SessionControl {

    /** {@code VERSION}: answers the version banner text. */
    void version();

    /** {@code COMMANDS}: answers every command name. */
    void commands();

    /** {@code CONDOR_VERSION}: keeps the caller's version and answers ours. */
    void condorVersion(String callerVersion);

    /** {@code RESPONSE_PREFIX}: answers with the old prefix, then uses the new one (empty: none). */
    void responsePrefix(String prefix);

    /** {@code ASYNC_MODE_ON} / {@code ASYNC_MODE_OFF}. */
    void asyncMode(boolean on);

    /** {@code RESULTS}: answers the count, then the queued result lines, oldest first. */
    void results();

    /** {@code STATISTICS}: answers the counters. */
    void statistics();

    /** {@code QUIT}: answers {@code S} and ends the session. */
    void quit();
}
