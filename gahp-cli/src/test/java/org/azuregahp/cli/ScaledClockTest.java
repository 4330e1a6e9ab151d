package org.azuregahp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScaledClockTest {

    @Test
    void aScaleOfOneIsTheSystemClock() {
        assertThat(ScaledClock.of(1)).isEqualTo(Clock.systemUTC());
    }

    @Test
    void aScaledClockStartsNowAndRunsFaster() throws Exception {
        Instant before = Instant.now();
        Clock c = ScaledClock.of(600);
        Instant start = c.instant();
        assertThat(start).isBetween(before.minusSeconds(1), before.plusSeconds(5));
        Thread.sleep(100);
        // 100 ms of real time is at least a minute at 600x
        assertThat(Duration.between(start, c.instant())).isGreaterThanOrEqualTo(Duration.ofSeconds(59));
        assertThat(c.getZone()).isEqualTo(Clock.systemUTC().getZone());
    }
}
