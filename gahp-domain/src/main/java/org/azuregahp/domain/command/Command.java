package org.azuregahp.domain.command;

/**
 * A parsed GAHP request line: a {@link SessionCommand} answered at once, or a {@link CloudRequest}
 * answered with {@code S} and later with exactly one result line.
 */
public sealed interface Command permits SessionCommand, CloudRequest {

    /** The command's canonical (upper-case) name, as {@link CommandTable} lists it. */
    String name();
}
