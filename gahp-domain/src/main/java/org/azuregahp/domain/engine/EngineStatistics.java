package org.azuregahp.domain.engine;

/**
 * Counters of one engine.
 *
 * @param received         cloud requests accepted (answered {@code S}), including those with bad values
 * @param inFlight         cloud operations running now
 * @param queued           accepted requests waiting to run: for a free slot ({@code maxInFlight}), or for the
 *                         requests before them on the same VM or scale set name
 * @param succeeded        success results produced
 * @param failed           error results produced (bad values, cloud errors, timeouts)
 * @param throttledRetries the cloud's count of calls retried after a 429
 * @param resultsWaiting   result lines queued for the next {@code RESULTS}
 * @param stateFile        the cloud's one-word state-file status ({@code ok}, {@code not_saving}, ...),
 *                         or null when it keeps no state file (then the field is left out)
 */
public record EngineStatistics(long received, int inFlight, int queued, long succeeded, long failed,
        long throttledRetries, int resultsWaiting, String stateFile) {

    public EngineStatistics(long received, int inFlight, int queued, long succeeded, long failed,
            long throttledRetries, int resultsWaiting) {
        this(received, inFlight, queued, succeeded, failed, throttledRetries, resultsWaiting, null);
    }

    /** The {@code STATISTICS} reply's fields after {@code S}. */
    public String protocolText() {
        return "received=" + received + " in_flight=" + inFlight + " queued=" + queued + " succeeded=" + succeeded
                + " failed=" + failed + " throttled_retries=" + throttledRetries + " results_waiting="
                + resultsWaiting + (stateFile == null ? "" : " state_file=" + stateFile);
    }
}
