package org.azuregahp.domain.command;

import java.util.concurrent.CompletionStage;
import org.azuregahp.domain.result.Outcome;

/** The handlers of the commands on the account itself: {@code AZURE_PING}, {@code AZURE_KEYVAULT_CREATE}. */
final class AccountCommands {

    private AccountCommands() {
    }

    static CompletionStage<Outcome> ping(CloudRequest.Ping p, CommandContext ctx) {
        return Stages.done(ctx.account().ping());
    }

    static CompletionStage<Outcome> keyvaultCreate(CloudRequest.KeyvaultCreate k, CommandContext ctx) {
        return Stages.done(ctx.account().secretVaults().createVault(k.vault()));
    }
}
