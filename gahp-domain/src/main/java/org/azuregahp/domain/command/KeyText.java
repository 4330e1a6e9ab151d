package org.azuregahp.domain.command;

/** How {@code key=} values are recognised; shared by the parser and the engine's file reading. */
public final class KeyText {

    private KeyText() {
    }

    /** {@code <type> <base64> [comment]} with an OpenSSH public-key type (ssh-rsa, ssh-ed25519, ecdsa-sha2-*, sk-*). */
    public static boolean looksLikeSshKey(String v) {
        return Syntaxes.looksLikeSshKey(v);
    }

    /** Starts with {@code /}, {@code ~} or {@code ./}. */
    public static boolean looksLikePath(String v) {
        return Syntaxes.looksLikePath(v);
    }
}
