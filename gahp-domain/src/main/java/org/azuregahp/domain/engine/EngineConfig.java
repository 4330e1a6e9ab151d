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
 * @param maxResultLineBytes a longer result line is replaced by an error result (protocol.md: never a line
 *                           over 400,000 bytes; the gridmanager reads each argument into 512,000)
 * @param maxCompactListBytes a VM list too long for {@code maxResultLineBytes} in full may take a compact form
 *                           this long (issue 12.2: 20,000 of HTCondor's VMs in one line under the
 *                           gridmanager's 512,000-byte buffer); at least {@code maxResultLineBytes}
 */
public record EngineConfig(String version, String buildDate, String description, int maxInFlight,
        Duration requestTimeout, int maxResultLineBytes, int maxCompactListBytes) {

    /** The longest compact VM list line by default: the gridmanager's 512,000-byte buffer less a margin. */
    public static final int DEFAULT_MAX_COMPACT_LIST_BYTES = 500_000;

    /** With {@link #DEFAULT_MAX_COMPACT_LIST_BYTES} (or {@code maxResultLineBytes} when that is more). */
    public EngineConfig(String version, String buildDate, String description, int maxInFlight,
            Duration requestTimeout, int maxResultLineBytes) {
        this(version, buildDate, description, maxInFlight, requestTimeout, maxResultLineBytes,
                Math.max(maxResultLineBytes, DEFAULT_MAX_COMPACT_LIST_BYTES));
    }

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
        if (maxCompactListBytes < maxResultLineBytes) {
            throw new IllegalArgumentException("maxCompactListBytes must be at least maxResultLineBytes");
        }
    }

    public static EngineConfig defaults() {
        return new EngineConfig("1.0.0", "Nov 27 2026", "azure-gahp (Java)", 1000, Duration.ofSeconds(590),
                400_000);
    }

    public EngineConfig withMaxInFlight(int n) {
        return new EngineConfig(version, buildDate, description, n, requestTimeout, maxResultLineBytes,
                maxCompactListBytes);
    }

    public EngineConfig withRequestTimeout(Duration d) {
        return new EngineConfig(version, buildDate, description, maxInFlight, d, maxResultLineBytes,
                maxCompactListBytes);
    }

    public EngineConfig withMaxResultLineBytes(int n) {
        return new EngineConfig(version, buildDate, description, maxInFlight, requestTimeout, n,
                Math.max(n, maxCompactListBytes));
    }

    public EngineConfig withMaxCompactListBytes(int n) {
        return new EngineConfig(version, buildDate, description, maxInFlight, requestTimeout, maxResultLineBytes, n);
    }
}
