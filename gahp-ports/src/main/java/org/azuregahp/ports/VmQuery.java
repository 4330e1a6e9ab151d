package org.azuregahp.ports;

import java.util.Objects;

/** Which VMs a list returns. */
public sealed interface VmQuery {

    /** Every VM in the subscription. */
    record All() implements VmQuery {
    }

    /** The VM created with this name (none if it does not exist: an empty list, not an error). */
    record ByName(String name) implements VmQuery {
        public ByName {
            Objects.requireNonNull(name, "name");
        }
    }

    /** VMs carrying the tag; with a null value, any value. */
    record ByTag(String tagName, String tagValue) implements VmQuery {
        public ByTag {
            Objects.requireNonNull(tagName, "tagName");
        }
    }

    static VmQuery all() {
        return new All();
    }
}
