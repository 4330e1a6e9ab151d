package org.azuregahp.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Everything the command line and the {@code AZURE_GAHP_*} environment configure, typed and validated.
 * Built only by {@link CommandLine}; {@code null} in an optional field means "not given".
 */
record Settings(
        CloudKind cloud,
        Duration fakeLatency,
        double fakeFailureRate,
        Long fakeSeed,
        Path fakeState,
        Duration fakeVmLifetime,
        int fakeTimeScale,
        int maxInFlight,
        Duration requestTimeout,
        int maxLineBytes,
        Path logFile,
        LogLevel logLevel,
        boolean interactive,
        boolean stdio,
        String automationAccount,
        String automationResourceGroup,
        Duration azurePollInterval,
        Integer azureMaxConcurrent,
        boolean fakeArmBudgets) {

    static final int DEFAULT_MAX_IN_FLIGHT = 1000;
    static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(590);
    static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;

    /** The cloud the server talks to. */
    enum CloudKind {
        AZURE, FAKE;

        String flagValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Log levels the {@code --log-level} flag accepts, most severe first. */
    enum LogLevel {
        ERROR, WARN, INFO, DEBUG;

        String flagValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static Settings defaults() {
        return new Settings(CloudKind.AZURE, Duration.ZERO, 0.0, null, null, null, 1, DEFAULT_MAX_IN_FLIGHT,
                DEFAULT_REQUEST_TIMEOUT, DEFAULT_MAX_LINE_BYTES, null, null, false, false, null, null, null, null, false);
    }

    /**
     * The level logging runs at: {@code --log-level} when given; otherwise {@code info} into a log
     * file and {@code warn} when only stderr receives logs.
     */
    LogLevel effectiveLogLevel() {
        if (logLevel != null) {
            return logLevel;
        }
        return logFile != null ? LogLevel.INFO : LogLevel.WARN;
    }
}
