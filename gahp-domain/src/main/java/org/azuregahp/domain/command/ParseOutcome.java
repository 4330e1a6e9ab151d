package org.azuregahp.domain.command;

import java.util.Objects;

/** What {@link CommandParser#parse} makes of one request line. */
public sealed interface ParseOutcome {

    /** The line is a valid command. */
    record Parsed(Command command) implements ParseOutcome {
        public Parsed {
            Objects.requireNonNull(command, "command");
        }
    }

    /** Unknown command or too few arguments: the return line is {@code E}. */
    record Rejected(String reason) implements ParseOutcome {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * A cloud request whose id, credential file and subscription parsed but whose values are bad:
     * the return line is {@code S} and the result {@code <requestId> <errorText>} is queued.
     *
     * @param commandName the canonical command name
     */
    record Invalid(String requestId, String errorText, String commandName) implements ParseOutcome {
        public Invalid {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(errorText, "errorText");
        }

        public Invalid(String requestId, String errorText) {
            this(requestId, errorText, null);
        }
    }
}
