package org.azuregahp.ports;

import java.time.Instant;
import java.util.Objects;

/** Delete {@code resourceGroup} (in {@code location}) at {@code at} (UTC). */
public record ScheduledDeletion(String resourceGroup, String location, Instant at) {
    public ScheduledDeletion {
        Objects.requireNonNull(resourceGroup, "resourceGroup");
        Objects.requireNonNull(at, "at");
    }
}
