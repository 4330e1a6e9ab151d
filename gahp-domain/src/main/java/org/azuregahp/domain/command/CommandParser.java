package org.azuregahp.domain.command;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Turns the arguments of one request line into a {@link ParseOutcome}. Total: never throws.
 *
 * <ul>
 *   <li>{@link ParseOutcome.Rejected} ({@code E}) only for an unknown command, too few arguments
 *       (see {@link CommandTable#minArgs}) or an empty request id;</li>
 *   <li>{@link ParseOutcome.Invalid} ({@code S}, then an error result) for a cloud request whose
 *       values are bad: unknown or repeated key, missing required key, bad image, number, date...;</li>
 *   <li>{@link ParseOutcome.CloudCall} or {@link ParseOutcome.SessionCall} otherwise: the command bound
 *       to its row's handler or action. Extra arguments to session commands are ignored.</li>
 * </ul>
 * Key names are case-insensitive; a value is everything after the first {@code =}; an empty value
 * means "not given". Schedules are checked against the injected clock. An unexpected exception
 * (a bug) is answered as bad input, and kept in the outcome's {@code cause} for the log.
 */
public final class CommandParser {

    /** Shared with both clouds: {@link org.azuregahp.ports.CloudRules}. */
    public static final int MAX_NODE_COUNT = org.azuregahp.ports.CloudRules.MAX_SCALE_SET_CAPACITY;
    public static final int MAX_DISK_GB = org.azuregahp.ports.CloudRules.MAX_DATA_DISK_GB;

    private final CommandTable table;
    private final Clock clock;

    public CommandParser(CommandTable table, Clock clock) {
        this.table = Objects.requireNonNull(table, "table");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public CommandParser(Clock clock) {
        this(CommandTable.standard(), clock);
    }

    public CommandTable table() {
        return table;
    }

    public ParseOutcome parse(List<String> args) {
        if (args == null || args.isEmpty() || args.get(0).isEmpty()) {
            return new ParseOutcome.Rejected("empty command");
        }
        var found = table.row(args.get(0));
        if (found.isEmpty()) {
            return new ParseOutcome.Rejected("unknown command");
        }
        CommandTable.Row row = found.get();
        CommandInfo info = row.info;
        if (args.size() < row.minArgs) {
            return new ParseOutcome.Rejected("too few arguments; usage: " + info.usage());
        }
        if (info.cloudRequest() && args.get(1).isEmpty()) {
            return new ParseOutcome.Rejected("empty request id");
        }
        try {
            return row.parse(args, clock);
        } catch (RuntimeException ex) {
            // A bug, not bad input: answered like bad input, with the cause kept for the log.
            if (info.cloudRequest()) {
                return new ParseOutcome.Invalid(args.get(1), "InvalidParameter: the arguments could not be parsed",
                        info.name(), ex);
            }
            return new ParseOutcome.Rejected("the arguments could not be parsed", ex);
        }
    }

    /** Splits {@code line} with the GAHP codec, then {@link #parse(List)}. */
    public ParseOutcome parseLine(String line) {
        return parse(org.azuregahp.domain.codec.GahpCodec.split(line));
    }
}
