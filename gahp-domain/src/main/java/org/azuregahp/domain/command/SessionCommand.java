package org.azuregahp.domain.command;

import java.util.Objects;

/** Commands about the session itself; the engine answers them at once. */
public sealed interface SessionCommand extends Command {

    record Version() implements SessionCommand {
    }

    record Commands() implements SessionCommand {
    }

    /** The caller's version text, e.g. {@code $CondorVersion: 25.14.0 ... $}. */
    record CondorVersion(String callerVersion) implements SessionCommand {
        public CondorVersion {
            Objects.requireNonNull(callerVersion, "callerVersion");
        }
    }

    /** The prefix for every later line; empty turns it off. */
    record ResponsePrefix(String prefix) implements SessionCommand {
        public ResponsePrefix {
            Objects.requireNonNull(prefix, "prefix");
        }
    }

    record AsyncModeOn() implements SessionCommand {
    }

    record AsyncModeOff() implements SessionCommand {
    }

    record Results() implements SessionCommand {
    }

    record Quit() implements SessionCommand {
    }

    record Statistics() implements SessionCommand {
    }
}
