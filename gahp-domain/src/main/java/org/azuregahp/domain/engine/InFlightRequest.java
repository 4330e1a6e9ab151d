package org.azuregahp.domain.engine;

import java.time.Instant;

/** A cloud request that is running now (for the REPL). */
public record InFlightRequest(String requestId, String command, Instant started) {
}
