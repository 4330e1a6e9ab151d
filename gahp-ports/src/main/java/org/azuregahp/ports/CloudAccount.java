package org.azuregahp.ports;

import java.util.concurrent.CompletionStage;

/** The capabilities of one account (credential file and subscription). */
public interface CloudAccount {

    /** Succeeds when the credentials work and the subscription answers. No writes. */
    CompletionStage<Void> ping();

    VirtualMachines virtualMachines();

    ScaleSets scaleSets();

    SecretVaults secretVaults();

    DeletionSchedules deletionSchedules();
}
