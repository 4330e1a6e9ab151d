package org.azuregahp.domain.result;

/**
 * The fields a command's success result carries after {@code <id> NULL}; what
 * {@link ResultEncoder#decode} needs to read a result line back into an {@link Outcome}.
 */
public enum ResultShape {
    /** No fields ({@link Outcome.Done}). */
    DONE,
    /** {@code <vmId> <publicIp>} ({@link Outcome.CreatedVm}). */
    CREATED_VM,
    /** {@code <count> [<name> <status>]*} ({@link Outcome.VmList}). */
    VM_LIST,
    /** {@code <count> [<name> <capacity> <status>]*} ({@link Outcome.ScaleSetList}). */
    SCALE_SET_LIST
}
