package org.azuregahp.ports;

import java.util.concurrent.CompletionStage;

/** Deletes a resource group automatically at a given time (Azure Automation on Azure). */
public interface DeletionSchedules {

    /** Schedules (or reschedules) the deletion of {@code deletion.resourceGroup()}. */
    CompletionStage<Void> schedule(ScheduledDeletion deletion);

    /** Removes any pending deletion of this resource group; succeeds when there is none. */
    CompletionStage<Void> cancel(String resourceGroup);
}
