package org.azuregahp.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * A clock that starts at the base clock's present and then runs {@code factor} times faster
 * ({@code --fake-time-scale}): with 60, every real second is a fake minute, so a deletion scheduled
 * two minutes ahead fires about two seconds later.
 */
final class ScaledClock extends Clock {
    private final Clock base;
    private final int factor;
    private final Instant origin;
    private final long originNanos;

    ScaledClock(Clock base, int factor) {
        this(base, factor, base.instant(), System.nanoTime());
    }

    private ScaledClock(Clock base, int factor, Instant origin, long originNanos) {
        if (factor < 1) {
            throw new IllegalArgumentException("factor must be at least 1");
        }
        this.base = base;
        this.factor = factor;
        this.origin = origin;
        this.originNanos = originNanos;
    }

    /** The system clock, or a scaled one when {@code factor > 1}. */
    static Clock of(int factor) {
        return factor <= 1 ? Clock.systemUTC() : new ScaledClock(Clock.systemUTC(), factor);
    }

    @Override
    public Instant instant() {
        long elapsed = System.nanoTime() - originNanos;
        return origin.plus(Duration.ofNanos(elapsed).multipliedBy(factor));
    }

    @Override
    public ZoneId getZone() {
        return base.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new ScaledClock(base.withZone(zone), factor, origin, originNanos);
    }
}
