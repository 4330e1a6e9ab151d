package org.azuregahp.azure;

import com.azure.core.util.logging.ClientLogger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.DeletionSchedules;
import org.azuregahp.ports.ScheduledDeletion;
import reactor.core.publisher.Mono;

/**
 * Scheduled deletion of a resource group with Azure Automation (REST API 2023-11-01, over the
 * account's pipeline: {@code azure-resourcemanager-automation} is not available here). In the
 * configured Automation account the server keeps one PowerShell runbook that signs in with the
 * account's managed identity and deletes the group it is given; each deletion is a one-time
 * schedule plus a job schedule linking it to the runbook with the group as parameter. Azure
 * Automation wants a one-time schedule at least 5 minutes ahead: a nearer time is moved to the
 * earliest allowed moment (and logged).
 */
final class AutomationDeletionSchedules implements DeletionSchedules {
    static final String API = "2023-11-01";
    static final String RUNBOOK = "azure-gahp-delete-resource-group";
    /** Azure's minimum is 5 minutes; the margin covers clock skew and the time the calls take. */
    static final Duration MIN_LEAD = Duration.ofMinutes(6);
    /** Through SLF4J when present (the CLI routes it to its log), else silent unless AZURE_LOG_LEVEL is set. */
    private static final ClientLogger LOG = new ClientLogger(AutomationDeletionSchedules.class);

    static final String SCRIPT = String.join("\n",
            "param(",
            "    [Parameter(Mandatory = $true)][string] $SubscriptionId,",
            "    [Parameter(Mandatory = $true)][string] $ResourceGroupName",
            ")",
            "# Written by azure-gahp: deletes one resource group at its scheduled time.",
            "$ErrorActionPreference = 'Stop'",
            "Connect-AzAccount -Identity | Out-Null",
            "Set-AzContext -Subscription $SubscriptionId | Out-Null",
            "$group = Get-AzResourceGroup -Name $ResourceGroupName -ErrorAction SilentlyContinue",
            "if ($null -eq $group) { Write-Output \"$ResourceGroupName is already gone\"; return }",
            "Remove-AzResourceGroup -Name $ResourceGroupName -Force | Out-Null",
            "Write-Output \"deleted $ResourceGroupName\"",
            "");

    private final SdkCalls ops;
    private final Clock clock;
    private final ConcurrentHashMap<String, CompletableFuture<Map<String, Object>>> runbooks = new ConcurrentHashMap<>();

    AutomationDeletionSchedules(SdkCalls ops, Clock clock) {
        this.ops = ops;
        this.clock = clock;
    }

    @Override
    public CompletionStage<Void> schedule(ScheduledDeletion deletion) {
        AzureSettings s = ops.clients().connection().settings();
        if (s.automationAccount() == null || s.automationResourceGroup() == null) {
            return CompletableFuture.failedFuture(notConfigured());
        }
        return ops.call("scheduled deletion of " + deletion.resourceGroup(), c -> schedule(c, s, deletion));
    }

    static CloudException notConfigured() {
        return new CloudException(CloudException.NOT_AVAILABLE, "scheduled deletion needs an Azure Automation "
                + "account: set --automation-account and --automation-resource-group (or automation_account and "
                + "automation_resource_group in the credential file)");
    }

    private Mono<Void> schedule(Clients c, AzureSettings s, ScheduledDeletion deletion) {
        ArmRest rest = new ArmRest(c, clock);
        String account = accountPath(c, s);
        Instant earliest = clock.instant().plus(MIN_LEAD).truncatedTo(ChronoUnit.SECONDS);
        Instant at = deletion.at();
        if (at.isBefore(earliest)) {
            LOG.info("deletion of {} asked for {}; Azure Automation needs 5 minutes' notice, scheduled at {} instead",
                    deletion.resourceGroup(), at, earliest);
            at = earliest;
        }
        String schedule = scheduleName(deletion.resourceGroup());
        Map<String, Object> scheduleBody = Map.of("name", schedule, "properties", Map.of(
                "description", "azure-gahp: delete resource group " + deletion.resourceGroup(),
                "startTime", at.toString(),
                "frequency", "OneTime",
                "timeZone", "UTC"));
        Map<String, Object> link = Map.of("properties", Map.of(
                "schedule", Map.of("name", schedule),
                "runbook", Map.of("name", RUNBOOK),
                "parameters", new LinkedHashMap<>(Map.of(
                        "SubscriptionId", c.subscription(),
                        "ResourceGroupName", deletion.resourceGroup()))));
        return runbook(c, rest, account, deletion.location())
                // A schedule of that name may exist from an earlier request: replacing it drops its link too.
                .then(rest.delete(account + "/schedules/" + schedule, API))
                .then(rest.put(account + "/schedules/" + schedule, API, scheduleBody))
                .then(rest.put(account + "/jobSchedules/" + jobScheduleId(deletion.resourceGroup(), at), API, link))
                // The runbook may have been removed behind the server's back: write it again next time.
                .doOnError(e -> runbooks.remove(account))
                .then();
    }

    /** The runbook, written and published once per process and Automation account. */
    private Mono<Map<String, Object>> runbook(Clients c, ArmRest rest, String account, String location) {
        return Mono.defer(() -> {
            CompletableFuture<Map<String, Object>> f = runbooks.computeIfAbsent(account, k -> {
                String path = account + "/runbooks/" + RUNBOOK;
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("name", RUNBOOK);
                if (location != null) {
                    body.put("location", location);
                }
                body.put("properties", Map.of("runbookType", "PowerShell", "logProgress", false, "logVerbose", false,
                        "description", "azure-gahp: deletes the resource group it is given"));
                CompletableFuture<Map<String, Object>> made = accountLocation(rest, account, location)
                        .flatMap(loc -> {
                            body.put("location", loc);
                            return rest.put(path, API, body);
                        })
                        .then(rest.putText(path + "/draft/content", API, SCRIPT))
                        // Runbook - Publish (2023-11-01): POST .../runbooks/{name}/publish (not the 2015 draft/publish path)
                        .then(rest.post(path + "/publish", API))
                        .toFuture();
                made.whenComplete((v, e) -> {
                    if (e != null) {
                        runbooks.remove(k);
                    }
                });
                return made;
            });
            return Mono.fromFuture(f, true);
        });
    }

    /** A runbook must live in its Automation account's region. */
    private static Mono<String> accountLocation(ArmRest rest, String account, String fallback) {
        return rest.get(account, API).map(m -> {
            Object loc = m.get("location");
            if (loc == null && fallback == null) {
                throw new CloudException(CloudException.NOT_FOUND, "the Automation account did not say its location");
            }
            return loc != null ? String.valueOf(loc) : fallback;
        }).onErrorMap(AzureErrors::isNotFound, e -> CloudException.notFound("Automation account " + account
                .substring(account.lastIndexOf('/') + 1) + " could not be found"));
    }

    @Override
    public CompletionStage<Void> cancel(String resourceGroup) {
        AzureSettings s = ops.clients().connection().settings();
        if (s.automationAccount() == null || s.automationResourceGroup() == null) {
            return CompletableFuture.completedFuture(null); // nothing can have been scheduled
        }
        return ops.call("cancel of the scheduled deletion of " + resourceGroup, c -> new ArmRest(c, clock)
                .delete(accountPath(c, s) + "/schedules/" + scheduleName(resourceGroup), API));
    }

    static String accountPath(Clients c, AzureSettings s) {
        return "/subscriptions/" + c.subscription() + "/resourceGroups/" + s.automationResourceGroup()
                + "/providers/Microsoft.Automation/automationAccounts/" + s.automationAccount();
    }

    static String scheduleName(String resourceGroup) {
        String n = "azure-gahp-delete-" + resourceGroup.toLowerCase(Locale.ROOT);
        return n.length() <= 128 ? n : n.substring(0, 128);
    }

    static String jobScheduleId(String resourceGroup, Instant at) {
        return UUID.nameUUIDFromBytes((resourceGroup.toLowerCase(Locale.ROOT) + "@" + at)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }
}
