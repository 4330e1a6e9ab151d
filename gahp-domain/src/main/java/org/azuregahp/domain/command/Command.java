package org.azuregahp.domain.command;

/**
 * A parsed GAHP request line: a {@link SessionCommand} answered at once, or a {@link CloudRequest}
 * answered with {@code S} and later with exactly one result line. A command's name lives in its
 * {@link CommandTable} row (see {@link ParseOutcome}), not in the value.
 */
public sealed interface Command permits SessionCommand, CloudRequest {
}
