package org.azuregahp.domain.result;

import java.time.Instant;
import java.util.Objects;

/**
 * One cloud request's result, as the engine queued it for {@code RESULTS}.
 *
 * @param requestId the request id, as sent
 * @param command   the command's canonical name, e.g. {@code AZURE_VM_CREATE}
 * @param outcome   what it came to
 * @param accepted  when the engine accepted the request (its clock)
 */
public record Result(String requestId, String command, Outcome outcome, Instant accepted) {
    public Result {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(accepted, "accepted");
    }

    /** The result line as the protocol writes it (without a response prefix). */
    public String line() {
        return ResultEncoder.encode(requestId, outcome);
    }
}
