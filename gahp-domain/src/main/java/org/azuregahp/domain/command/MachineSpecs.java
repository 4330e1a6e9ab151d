package org.azuregahp.domain.command;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.azuregahp.ports.AdminCredential;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.MachineSpec;

/**
 * Makes a {@link MachineSpec} from a create request: the {@code key=} and {@code customData=} files
 * it names are read now, at execution time, through the context (never on the reader thread, and
 * never blocking the engine's workers).
 */
final class MachineSpecs {

    static final int MAX_KEY_FILE_BYTES = 64 * 1024;
    static final int MAX_CUSTOM_DATA_BYTES = 256 * 1024;

    private MachineSpecs() {
    }

    static CompletionStage<MachineSpec> resolve(MachineRequest m, CommandContext ctx) {
        CompletionStage<AdminCredential> credential = credential(m.key(), ctx);
        CompletionStage<String> customData = customData(m.customData(), ctx);
        return credential.thenCombine(customData, m::toSpec);
    }

    private static CompletionStage<AdminCredential> credential(KeySource key, CommandContext ctx) {
        if (key instanceof KeySource.Given g) {
            return CompletableFuture.completedFuture(g.credential());
        }
        if (key instanceof KeySource.KeyFile f) {
            return ctx.readFile(f.path(), MAX_KEY_FILE_BYTES).thenApply(text -> keyFrom(f.path(), text));
        }
        return CompletableFuture.completedFuture(null);
    }

    private static AdminCredential keyFrom(String path, Optional<String> text) {
        if (text.isEmpty()) {
            // The value is not echoed: a password that happens to start with '/' must not leak.
            throw CloudException.invalid("the key= value looks like a file path, but no such file exists");
        }
        String key = firstKeyLine(text.get());
        if (key == null) {
            throw CloudException.invalid("the key file " + path + " does not hold an SSH public key");
        }
        return new AdminCredential.SshPublicKey(key);
    }

    private static CompletionStage<String> customData(CustomDataSource source, CommandContext ctx) {
        if (source instanceof CustomDataSource.Text t) {
            return CompletableFuture.completedFuture(t.text());
        }
        if (source instanceof CustomDataSource.PathOrText p) {
            return ctx.readFile(p.value(), MAX_CUSTOM_DATA_BYTES).thenApply(text -> text.orElse(p.value()));
        }
        return CompletableFuture.completedFuture(null);
    }

    private static String firstKeyLine(String text) {
        for (String line : text.split("\r?\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            return Syntaxes.looksLikeSshKey(t) ? t : null;
        }
        return null;
    }
}
