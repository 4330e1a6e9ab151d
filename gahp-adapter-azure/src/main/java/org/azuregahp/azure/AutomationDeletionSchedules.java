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
 * earliest allowed moment (and logged). The runbook signs in as the account's system-assigned
 * identity: an account without one is an error result (once per process the account is read); when
 * the server cannot confirm that identity holds Owner or Contributor on the subscription, it logs a
 * warning, since the deletion would then fail when it runs. Before it deletes a scale set's group,
 * the runbook takes the scale set's vault access out, as the server does.
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
            "# As the server does when it deletes a scale set: first take its identity's access out of the vault",
            "# its secret came from (the group's azure-gahp-vault tag), then delete the group.",
            "$vaultId = if ($group.Tags) { $group.Tags['" + Names.TAG_VAULT + "'] } else { $null }",
            "if ($vaultId) {",
            "    $vault = Get-AzResource -ResourceId $vaultId -ExpandProperties -ErrorAction SilentlyContinue",
            "    $identities = @(Get-AzResource -ResourceGroupName $ResourceGroupName"
                    + " -ResourceType 'Microsoft.ManagedIdentity/userAssignedIdentities' -ExpandProperties"
                    + " -ErrorAction SilentlyContinue)",
            "    foreach ($identity in $identities) {",
            "        $principal = $identity.Properties.principalId",
            "        if (-not $vault -or -not $principal) { continue }",
            "        try {",
            "            if ($vault.Properties.enableRbacAuthorization) {",
            "                Get-AzRoleAssignment -ObjectId $principal -Scope $vaultId -ErrorAction Stop |",
            "                    Where-Object { $_.Scope -like \"$vaultId*\" } | Remove-AzRoleAssignment -ErrorAction Stop | Out-Null",
            "            } else {",
            "                Remove-AzKeyVaultAccessPolicy -ResourceId $vaultId -ObjectId $principal -ErrorAction Stop",
            "            }",
            "        } catch { Write-Warning \"could not take the access of $principal out of $vaultId ($_); remove it by hand\" }",
            "    }",
            "}",
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
                CompletableFuture<Map<String, Object>> made = accountLocation(c, rest, account, location)
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

    /**
     * A runbook must live in its Automation account's region; and it signs in as the account's
     * system-assigned identity, which must exist (and should be allowed to delete resource groups).
     */
    private Mono<String> accountLocation(Clients c, ArmRest rest, String account, String fallback) {
        String name = account.substring(account.lastIndexOf('/') + 1);
        return rest.get(account, API).flatMap(m -> {
            Object loc = m.get("location");
            if (loc == null && fallback == null) {
                throw new CloudException(CloudException.NOT_FOUND, "the Automation account did not say its location");
            }
            String principal = systemIdentity(m);
            if (principal == null) {
                return Mono.error(new CloudException(CloudException.INVALID_PARAMETER, "Automation account " + name
                        + " has no system-assigned managed identity, which the deletion runbook signs in with; turn it"
                        + " on (az automation account update --name " + name + " --resource-group "
                        + Names.resourceGroupOf(account) + " --assign-identity, or the portal's Identity page) and give it"
                        + " Contributor on the subscription"));
            }
            return warnUnlessAllowedToDelete(c, name, principal).thenReturn(loc != null ? String.valueOf(loc) : fallback);
        }).onErrorMap(AzureErrors::isNotFound, e -> CloudException.notFound("Automation account " + name
                + " could not be found"));
    }

    /** The principal id of the account's system-assigned identity ("" when Azure did not say it), or null for none. */
    @SuppressWarnings("unchecked")
    static String systemIdentity(Map<String, Object> account) {
        if (!(account.get("identity") instanceof Map<?, ?> identity)) {
            return null;
        }
        String type = String.valueOf(identity.get("type")).toLowerCase(Locale.ROOT);
        if (!type.contains("systemassigned")) {
            return null;
        }
        Object p = ((Map<String, Object>) identity).get("principalId");
        return p == null ? "" : String.valueOf(p);
    }

    static final String OWNER_ROLE = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
    static final String CONTRIBUTOR_ROLE = "b24988ac-6180-42a0-ab88-20f7382dd24c";

    /** Logs a warning unless the identity holds Owner or Contributor on the whole subscription. */
    private static Mono<Void> warnUnlessAllowedToDelete(Clients c, String account, String principal) {
        String subscriptionScope = "/subscriptions/" + c.subscription();
        if (principal.isEmpty()) {
            LOG.warning("could not confirm that Automation account {}'s identity may delete resource groups (Azure did"
                    + " not say its principal id); give it Contributor on the subscription", account);
            return Mono.empty();
        }
        String filter = java.net.URLEncoder.encode("principalId eq '" + principal + "'", StandardCharsets.UTF_8)
                .replace("+", "%20");
        return c.authorization().getRoleAssignments().listForScopeAsync(subscriptionScope.substring(1), filter, null, null)
                .map(a -> a.scope() + "|" + a.roleDefinitionId())
                .collectList()
                .doOnNext(found -> {
                    if (!mayDeleteGroups(found, subscriptionScope)) {
                        LOG.warning("could not confirm that Automation account {}'s identity may delete resource groups:"
                                + " it holds neither Owner nor Contributor on subscription {}; scheduled deletions fail"
                                + " unless a custom role allows them", account, c.subscription());
                    }
                })
                .onErrorResume(e -> {
                    CloudException ce = AzureErrors.translate(e, c.connection().redactor());
                    LOG.warning("could not confirm that Automation account {}'s identity may delete resource groups"
                            + " (reading its role assignments failed: {}); it needs Contributor on the subscription",
                            account, ce.code());
                    return Mono.empty();
                })
                .then();
    }

    /** Whether one of these ({@code scope|roleDefinitionId}) is Owner or Contributor on the whole subscription. */
    static boolean mayDeleteGroups(java.util.List<String> assignments, String subscriptionScope) {
        for (String a : assignments) {
            int bar = a.indexOf('|');
            String scope = a.substring(0, bar);
            String role = a.substring(bar + 1).toLowerCase(Locale.ROOT);
            boolean wholeSubscription = scope.equalsIgnoreCase(subscriptionScope) || scope.equals("/");
            if (wholeSubscription && (role.endsWith(OWNER_ROLE) || role.endsWith(CONTRIBUTOR_ROLE))) {
                return true;
            }
        }
        return false;
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
