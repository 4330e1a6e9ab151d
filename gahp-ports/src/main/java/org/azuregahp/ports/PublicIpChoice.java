package org.azuregahp.ports;

import java.util.Objects;

/** Whether the VM gets a public IP address. */
public sealed interface PublicIpChoice {

    /** A new public IP made for this VM (the default; {@code publicIPAddress=dynamic}). */
    record New() implements PublicIpChoice {
    }

    /** No public IP ({@code publicIPAddress=none}). */
    record None() implements PublicIpChoice {
    }

    /** An existing public IP address, by resource id. */
    record Existing(String resourceId) implements PublicIpChoice {
        public Existing {
            Objects.requireNonNull(resourceId, "resourceId");
        }
    }
}
