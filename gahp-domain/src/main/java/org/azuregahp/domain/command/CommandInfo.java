package org.azuregahp.domain.command;

import java.util.List;
import java.util.Objects;
import org.azuregahp.domain.result.ResultShape;

/**
 * The description part of one {@link CommandTable} row, for help text, completion and clients.
 *
 * @param name        canonical upper-case name
 * @param usage       e.g. {@code AZURE_VM_DELETE <id> <cred> <sub> <name> | <rg> <name>}
 * @param summary     one sentence
 * @param keys        the {@code key=} names accepted, in canonical spelling; empty if none
 * @param resultShape the fields of a success result, for cloud requests; null for session commands
 */
public record CommandInfo(String name, String usage, String summary, List<String> keys, ResultShape resultShape) {
    public CommandInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(summary, "summary");
        keys = List.copyOf(keys);
    }

    /** True for cloud requests (they carry id, credential file and subscription, and get a result line). */
    public boolean cloudRequest() {
        return resultShape != null;
    }
}
