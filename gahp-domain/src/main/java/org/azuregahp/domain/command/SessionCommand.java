package org.azuregahp.domain.command;

import java.util.Objects;

/** Commands about the session itself; the engine answers them at once. */
public sealed interface SessionCommand extends Command {

    record Version() implements SessionCommand {
        @Override
        public String name() {
            return "VERSION";
        }
    }

    record Commands() implements SessionCommand {
        @Override
        public String name() {
            return "COMMANDS";
        }
    }

    /** The caller's version text, e.g. {@code $CondorVersion: 25.14.0 ... $}. */
    record CondorVersion(String callerVersion) implements SessionCommand {
        public CondorVersion {
            Objects.requireNonNull(callerVersion, "callerVersion");
        }

        @Override
        public String name() {
            return "CONDOR_VERSION";
        }
    }

    /** The prefix for every later line; empty turns it off. */
    record ResponsePrefix(String prefix) implements SessionCommand {
        public ResponsePrefix {
            Objects.requireNonNull(prefix, "prefix");
        }

        @Override
        public String name() {
            return "RESPONSE_PREFIX";
        }
    }

    record AsyncModeOn() implements SessionCommand {
        @Override
        public String name() {
            return "ASYNC_MODE_ON";
        }
    }

    record AsyncModeOff() implements SessionCommand {
        @Override
        public String name() {
            return "ASYNC_MODE_OFF";
        }
    }

    record Results() implements SessionCommand {
        @Override
        public String name() {
            return "RESULTS";
        }
    }

    record Quit() implements SessionCommand {
        @Override
        public String name() {
            return "QUIT";
        }
    }

    record Statistics() implements SessionCommand {
        @Override
        public String name() {
            return "STATISTICS";
        }
    }
}
