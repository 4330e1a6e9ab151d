package org.azuregahp.azure;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.azuregahp.ports.CloudException;

/**
 * Settings of the Azure adapter. The CLI sets them from flags and environment variables; a
 * credential file in the earlier server's text form may override the Automation ones per account.
 *
 * @param automationAccount          the Azure Automation account that runs scheduled deletions
 *                                   ({@code --automation-account}, file key {@code automation_account});
 *                                   null when scheduled deletion is not configured
 * @param automationResourceGroup    the resource group holding that account
 *                                   ({@code --automation-resource-group}, file key {@code automation_resource_group})
 * @param pollInterval               how often long-running operations are polled when Azure does not
 *                                   say ({@code --azure-poll-interval}); the SDK's 30 s default is too slow
 * @param maxConcurrentPerSubscription how many cloud operations run at once per subscription; more wait
 *                                   their turn ({@code --azure-max-concurrent})
 * @param operationDeadline          the longest one command may take before it becomes an error
 *                                   result; below the gridmanager's 600 s call timeout
 * @param credentialFailureMemory    how long a credential that failed to get a token is remembered as
 *                                   failing, so a broken file does not hammer the identity service
 * @param maxRetries                 retries of throttled (429) or transient (5xx, I/O) calls, honouring
 *                                   {@code Retry-After}
 * @param networkResourceGroupPrefix prefix of the shared network's resource group, one per location
 *                                   ({@code <prefix>-<location>})
 */
public record AzureSettings(
        String automationAccount,
        String automationResourceGroup,
        Duration pollInterval,
        int maxConcurrentPerSubscription,
        Duration operationDeadline,
        Duration credentialFailureMemory,
        int maxRetries,
        String networkResourceGroupPrefix) {

    public AzureSettings {
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(operationDeadline, "operationDeadline");
        Objects.requireNonNull(credentialFailureMemory, "credentialFailureMemory");
        Objects.requireNonNull(networkResourceGroupPrefix, "networkResourceGroupPrefix");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive");
        }
        if (maxConcurrentPerSubscription < 1) {
            throw new IllegalArgumentException("maxConcurrentPerSubscription must be at least 1");
        }
        if (operationDeadline.isNegative() || operationDeadline.isZero()) {
            throw new IllegalArgumentException("operationDeadline must be positive");
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative");
        }
        automationAccount = blankToNull(automationAccount);
        automationResourceGroup = blankToNull(automationResourceGroup);
    }

    /**
     * No Automation account, polling every 5 s, 64 concurrent operations per subscription, a 540 s
     * deadline per command (the gridmanager gives up at 600 s), failing credentials remembered 30 s,
     * 5 retries, shared networks in {@code azure-gahp-net-<location>}.
     */
    public static AzureSettings defaults() {
        return new AzureSettings(null, null, Duration.ofSeconds(5), 64, Duration.ofSeconds(540),
                Duration.ofSeconds(30), 5, "azure-gahp-net");
    }

    public AzureSettings withAutomation(String account, String resourceGroup) {
        return new AzureSettings(account, resourceGroup, pollInterval, maxConcurrentPerSubscription,
                operationDeadline, credentialFailureMemory, maxRetries, networkResourceGroupPrefix);
    }

    public AzureSettings withPollInterval(Duration interval) {
        return new AzureSettings(automationAccount, automationResourceGroup, interval, maxConcurrentPerSubscription,
                operationDeadline, credentialFailureMemory, maxRetries, networkResourceGroupPrefix);
    }

    public AzureSettings withMaxConcurrentPerSubscription(int max) {
        return new AzureSettings(automationAccount, automationResourceGroup, pollInterval, max,
                operationDeadline, credentialFailureMemory, maxRetries, networkResourceGroupPrefix);
    }

    public AzureSettings withOperationDeadline(Duration deadline) {
        return new AzureSettings(automationAccount, automationResourceGroup, pollInterval,
                maxConcurrentPerSubscription, deadline, credentialFailureMemory, maxRetries,
                networkResourceGroupPrefix);
    }

    public AzureSettings withCredentialFailureMemory(Duration memory) {
        return new AzureSettings(automationAccount, automationResourceGroup, pollInterval,
                maxConcurrentPerSubscription, operationDeadline, memory, maxRetries, networkResourceGroupPrefix);
    }

    public AzureSettings withMaxRetries(int retries) {
        return new AzureSettings(automationAccount, automationResourceGroup, pollInterval,
                maxConcurrentPerSubscription, operationDeadline, credentialFailureMemory, retries,
                networkResourceGroupPrefix);
    }

    /**
     * These settings with the ones a credential file's text form gives ({@code automation_account},
     * {@code automation_resource_group}, {@code poll_interval_seconds}); unknown keys are ignored.
     */
    AzureSettings overriddenBy(Map<String, String> fileSettings) {
        AzureSettings s = this;
        String account = fileSettings.get("automation_account");
        String group = fileSettings.get("automation_resource_group");
        if (account != null || group != null) {
            s = s.withAutomation(account != null ? account : automationAccount,
                    group != null ? group : automationResourceGroup);
        }
        String poll = fileSettings.get("poll_interval_seconds");
        if (poll != null) {
            try {
                long seconds = Long.parseLong(poll.trim());
                if (seconds > 0) {
                    s = s.withPollInterval(Duration.ofSeconds(seconds));
                }
            } catch (NumberFormatException e) {
                throw new CloudException(CloudException.CREDENTIAL_FILE,
                        "poll_interval_seconds in the credential file is not a number");
            }
        }
        return s;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "AzureSettings[automationAccount=%s, automationResourceGroup=%s, pollInterval=%s, "
                        + "maxConcurrentPerSubscription=%d, operationDeadline=%s]",
                automationAccount, automationResourceGroup, pollInterval, maxConcurrentPerSubscription,
                operationDeadline);
    }
}
