package org.azuregahp.domain.command;

import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.azuregahp.domain.result.Outcome;

/** What {@link CommandParser#parse} makes of one request line. */
public sealed interface ParseOutcome {

    /**
     * A valid cloud request, bound to its row's handler: the return line is {@code S}, and
     * {@link #run} produces its one result.
     *
     * @param resourceName the VM or scale set it acts on (requests on one name in one subscription
     *                     take effect in arrival order), or null when it acts on no named resource
     */
    record CloudCall(CloudRequest request, CommandInfo info, String resourceName, Job job)
            implements ParseOutcome {
        public CloudCall {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(info, "info");
            Objects.requireNonNull(job, "job");
        }

        /** Runs the command's handler on this request. May throw; the engine turns a throw into the result. */
        public CompletionStage<Outcome> run(CommandContext context) {
            return job.run(context);
        }

        /** A request bound to its handler. */
        @FunctionalInterface
        public interface Job {
            CompletionStage<Outcome> run(CommandContext context);
        }
    }

    /** A valid session command, bound to its row's action: the engine answers it at once. */
    record SessionCall(SessionCommand command, CommandInfo info, Action action) implements ParseOutcome {
        public SessionCall {
            Objects.requireNonNull(command, "command");
            Objects.requireNonNull(info, "info");
            Objects.requireNonNull(action, "action");
        }

        public void run(SessionControl session) {
            action.run(session);
        }

        /** A session command bound to its row's action. */
        @FunctionalInterface
        public interface Action {
            void run(SessionControl session);
        }
    }

    /**
     * Unknown command or too few arguments: the return line is {@code E}.
     *
     * @param cause an unexpected exception behind the rejection (to be reported), or null
     */
    record Rejected(String reason, Throwable cause) implements ParseOutcome {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }

        public Rejected(String reason) {
            this(reason, null);
        }
    }

    /**
     * A cloud request whose id, credential file and subscription parsed but whose values are bad:
     * the return line is {@code S} and the result {@code <requestId> <errorText>} is queued.
     *
     * @param commandName the canonical command name
     * @param cause       an unexpected exception behind the error (to be reported), or null when the
     *                    values were simply bad
     */
    record Invalid(String requestId, String errorText, String commandName, Throwable cause) implements ParseOutcome {
        public Invalid {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(errorText, "errorText");
            Objects.requireNonNull(commandName, "commandName");
        }

        public Invalid(String requestId, String errorText, String commandName) {
            this(requestId, errorText, commandName, null);
        }
    }
}
