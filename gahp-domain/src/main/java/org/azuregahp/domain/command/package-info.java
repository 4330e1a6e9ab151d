/**
 * The command model: {@link org.azuregahp.domain.command.Command} (session commands and cloud
 * requests as records), the one {@link org.azuregahp.domain.command.CommandTable} (each row: name,
 * usage, arity, syntax and handler) and the total {@link org.azuregahp.domain.command.CommandParser},
 * which answers a {@link org.azuregahp.domain.command.ParseOutcome}: a call bound to its handler,
 * rejected ({@code E}) or invalid ({@code S} and an error result). The handlers run through
 * {@link org.azuregahp.domain.command.CommandContext} and answer typed
 * {@link org.azuregahp.domain.result.Outcome}s.
 */
package org.azuregahp.domain.command;
