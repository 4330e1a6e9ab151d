package org.azuregahp.cli;

import org.azuregahp.domain.codec.GahpCodec;
import org.azuregahp.domain.engine.EngineConfig;

/**
 * The start-up banner, computed without building the engine, so it can be written the moment the
 * process has its settings (the engine's construction loads the command table and starts threads).
 * It is the same text as {@code GahpEngine.banner()}; a test holds the two together.
 */
final class Banner {
    private Banner() {
    }

    static String of(EngineConfig config) {
        return of(config.version(), config.buildDate(), config.description());
    }

    /** The same from the parts, before any engine class is loaded. */
    static String of(String version, String buildDate, String description) {
        return "$GahpVersion: " + version + " " + buildDate + " " + GahpCodec.escape(description) + " $";
    }
}
