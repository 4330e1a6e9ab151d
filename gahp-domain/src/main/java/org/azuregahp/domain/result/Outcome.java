package org.azuregahp.domain.result;

import java.util.List;
import java.util.Objects;
import org.azuregahp.ports.ScaleSetStatus;
import org.azuregahp.ports.VmStatus;

/**
 * What a cloud request came to, as a value: every command's handler answers one of these, and
 * {@link ResultEncoder} alone turns it into a result line (and back, for clients). Front ends, logs
 * and other tools read these instead of splitting result lines by position.
 */
public sealed interface Outcome {

    /** Success without fields: {@code <id> NULL}. */
    record Done() implements Outcome {
    }

    /**
     * A VM was created: {@code <id> NULL <vmId> <publicIp>}.
     *
     * @param publicIp its public address, or null when it has none
     */
    record CreatedVm(String vmId, String publicIp) implements Outcome {
        public CreatedVm {
            Objects.requireNonNull(vmId, "vmId");
        }
    }

    /** VMs with their status codes: {@code <id> NULL <count> [<name> <status>]*}. */
    record VmList(List<VmStatus> vms) implements Outcome {
        public VmList {
            vms = List.copyOf(vms);
        }
    }

    /** Scale sets: {@code <id> NULL <count> [<name> <capacity> <status>]*}. */
    record ScaleSetList(List<ScaleSetStatus> scaleSets) implements Outcome {
        public ScaleSetList {
            scaleSets = List.copyOf(scaleSets);
        }
    }

    /**
     * The request failed: {@code <id> <text>}, the text {@code <Code>: <message>} (never a secret).
     */
    record Failed(String text) implements Outcome {
        public Failed {
            Objects.requireNonNull(text, "text");
        }

        /** The error code before the first {@code ": "}, or the whole text when there is none. */
        public String code() {
            int colon = text.indexOf(": ");
            return colon < 0 ? text : text.substring(0, colon);
        }
    }

    static Outcome done() {
        return new Done();
    }

    static Outcome failed(String code, String message) {
        return new Failed(code + ": " + message);
    }

    default boolean succeeded() {
        return !(this instanceof Failed);
    }
}
