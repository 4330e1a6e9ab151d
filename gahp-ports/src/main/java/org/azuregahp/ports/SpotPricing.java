package org.azuregahp.ports;

/**
 * Spot priority ({@code priority=spot}): evicted VMs are deallocated. {@code maxPrice} in US
 * dollars per hour, or -1 to pay up to the regular price.
 */
public record SpotPricing(double maxPrice) {
    public SpotPricing {
        if (!(maxPrice == -1 || maxPrice > 0)) {
            throw new IllegalArgumentException("maxPrice must be -1 or positive");
        }
    }
}
