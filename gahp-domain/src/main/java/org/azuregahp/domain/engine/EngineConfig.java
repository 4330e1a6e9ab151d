package org.azuregahp.domain.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * The engine's settings.
 *
 * @param version            e.g. {@code 1.0.0}; no spaces
 * @param buildDate          {@code Mon D YYYY}, e.g. {@code Nov 27 2026}
 * @param description        free text for the banner, e.g. {@code azure-gahp (Java)}; escaped there
 * @param maxInFlight        at most this many cloud operations run at once; the rest wait in the engine
 * @param requestTimeout     a running request without an answer by then gets {@code OperationTimedOut}
 * @param maxResultLineBytes a longer result line is replaced by an error result (the gridmanager reads ~500 KB)
 */
public record EngineConfig(String version, String buildDate, String description, int maxInFlight,
        Duration requestTimeout, int maxResultLineBytes) {

    public EngineConfig {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(buildDate, "buildDate");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (version.isEmpty() || version.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("version must be non-empty without spaces");
        }
        if (!buildDate.matches("[A-Z][a-z]{2} [0-9]{1,2} [0-9]{4}")) {
            throw new IllegalArgumentException("buildDate must look like 'Nov 27 2026'");
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive");
        }
        if (maxResultLineBytes < 200) {
            throw new IllegalArgumentException("maxResultLineBytes must be at least 200");
        }
    }

    public static EngineConfig defaults() {
        return new EngineConfig("1.0.0", "Nov 27 2026", "azure-gahp (Java)", 1000, Duration.ofSeconds(590),
                400_000);
    }

    public EngineConfig withMaxInFlight(int n) {
        return new EngineConfig(version, buildDate, description, n, requestTimeout, maxResultLineBytes);
    }

    public EngineConfig withRequestTimeout(Duration d) {
        return new EngineConfig(version, buildDate, description, maxInFlight, d, maxResultLineBytes);
    }

    public EngineConfig withMaxResultLineBytes(int n) {
        return new EngineConfig(version, buildDate, description, maxInFlight, requestTimeout, n);
    }
}
