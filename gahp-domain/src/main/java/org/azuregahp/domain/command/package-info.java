/**
 * The command model: {@link org.azuregahp.domain.command.Command} (session commands and cloud
 * requests as records), the one {@link org.azuregahp.domain.command.CommandTable} and the total
 * {@link org.azuregahp.domain.command.CommandParser}, which answers a
 * {@link org.azuregahp.domain.command.ParseOutcome}: parsed, rejected ({@code E}) or invalid
 * ({@code S} and an error result).
 */
package org.azuregahp.domain.command;
