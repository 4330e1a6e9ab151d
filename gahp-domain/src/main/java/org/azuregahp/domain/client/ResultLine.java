package org.azuregahp.domain.client;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.azuregahp.domain.codec.GahpCodec;
import org.azuregahp.domain.command.CommandInfo;
import org.azuregahp.domain.command.CommandTable;
import org.azuregahp.domain.result.Outcome;
import org.azuregahp.domain.result.ResultEncoder;
import org.azuregahp.domain.result.ResultShape;

/**
 * One result line: {@code <requestId> NULL [fields...]} on success or {@code <requestId> <error>}.
 *
 * @param status {@code NULL} on success, else the (unescaped) error text
 * @param fields the fields after the status
 */
public record ResultLine(String requestId, String status, List<String> fields) {
    public ResultLine {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(status, "status");
        fields = List.copyOf(fields);
    }

    /** Parses a result line (prefix already removed); empty when it has fewer than two fields. */
    public static Optional<ResultLine> tryParse(String line) {
        List<String> args = GahpCodec.split(line == null ? "" : line);
        if (args.size() < 2) {
            return Optional.empty();
        }
        return Optional.of(new ResultLine(args.get(0), args.get(1), args.subList(2, args.size())));
    }

    /** As {@link #tryParse} but fails with {@link IllegalArgumentException} on a malformed line. */
    public static ResultLine parse(String line) {
        return tryParse(line).orElseThrow(() -> new IllegalArgumentException("not a result line"));
    }

    public boolean success() {
        return ResultEncoder.isSuccess(status);
    }

    /**
     * The typed outcome, reading the fields as a result whose success has {@code shape}.
     *
     * @throws IllegalArgumentException when the fields do not have the shape's count or form
     */
    public Outcome outcome(ResultShape shape) {
        return ResultEncoder.decode(shape, status, fields);
    }

    /**
     * The typed outcome of a result of {@code command} (a cloud request's name, any case), e.g.
     * {@code ResultLine.parse(line).outcome("AZURE_VM_LIST")} is an {@link Outcome.VmList} or an
     * {@link Outcome.Failed}.
     *
     * @throws IllegalArgumentException for an unknown command or a malformed result
     */
    public Outcome outcome(String command) {
        ResultShape shape = CommandTable.standard().find(command).map(CommandInfo::resultShape)
                .orElseThrow(() -> new IllegalArgumentException("not a cloud request: " + command));
        return outcome(shape);
    }

    /** The error text, empty on success. */
    public Optional<String> errorText() {
        return success() ? Optional.empty() : Optional.of(status);
    }

    /** Every field as written: id, status, then the rest. */
    public int fieldCount() {
        return fields.size() + 2;
    }
}
