package org.azuregahp.domain.command;

import java.util.List;
import java.util.Objects;

/**
 * One row of the {@link CommandTable}, for help text and completion.
 *
 * @param name         canonical upper-case name
 * @param usage        e.g. {@code AZURE_VM_DELETE <id> <cred> <sub> <name> | <rg> <name>}
 * @param summary      one sentence
 * @param keys         the {@code key=} names accepted, in canonical spelling; empty if none
 * @param cloudRequest true for cloud requests (they carry id, credential file and subscription)
 */
public record CommandInfo(String name, String usage, String summary, List<String> keys, boolean cloudRequest) {
    public CommandInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(summary, "summary");
        keys = List.copyOf(keys);
    }
}
