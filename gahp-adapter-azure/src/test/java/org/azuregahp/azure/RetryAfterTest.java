package org.azuregahp.azure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
    static final Instant NOW = Instant.parse("2026-11-27T00:00:00Z");
    static final Duration FALLBACK = Duration.ofSeconds(5);

    private static Duration delay(String header) {
        return ArmRest.retryAfter(header, NOW, FALLBACK);
    }

    @Test
    void secondsAreWaitedAsGiven() {
        assertThat(delay("7")).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void zeroOrLessMeansPollAgainAfterTheUsualIntervalNotAtOnce() {
        assertThat(delay("0")).isEqualTo(FALLBACK);
        assertThat(delay(" 0 ")).isEqualTo(FALLBACK);
        assertThat(delay("-3")).isEqualTo(FALLBACK);
    }

    @Test
    void anImfFixdateIsTheTimeLeftUntilIt() {
        assertThat(delay("Fri, 27 Nov 2026 00:00:12 GMT")).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void aDateNowOrInThePastMeansTheUsualInterval() {
        assertThat(delay("Thu, 26 Nov 2026 23:59:00 GMT")).isEqualTo(FALLBACK);
        assertThat(delay("Fri, 27 Nov 2026 00:00:00 GMT")).isEqualTo(FALLBACK);
    }

    @Test
    void aFarDateOrHugeNumberIsBounded() {
        assertThat(delay("Sat, 28 Nov 2026 00:00:00 GMT")).isEqualTo(ArmRest.MAX_RETRY_AFTER);
        assertThat(delay("86400")).isEqualTo(ArmRest.MAX_RETRY_AFTER);
        assertThat(delay("99999999999999999999999")).isEqualTo(ArmRest.MAX_RETRY_AFTER);
    }

    @Test
    void nothingOrSomethingUnreadableFallsBackToThePollInterval() {
        assertThat(delay(null)).isEqualTo(FALLBACK);
        assertThat(delay("  ")).isEqualTo(FALLBACK);
        assertThat(delay("soon")).isEqualTo(FALLBACK);
        assertThat(delay("27 Nov 2026 00:00:12")).isEqualTo(FALLBACK);
    }
}
