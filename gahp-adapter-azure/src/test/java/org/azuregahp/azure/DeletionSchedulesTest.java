package org.azuregahp.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.azuregahp.azure.AzureWireMock.SUB;
import static org.azuregahp.azure.AzureWireMock.await;
import static org.azuregahp.azure.AzureWireMock.failure;
import static org.azuregahp.azure.AzureWireMock.json;
import static org.azuregahp.azure.AzureWireMock.path;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.ScheduledDeletion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeletionSchedulesTest {
    static final Instant NOW = Instant.parse("2026-11-27T00:00:00Z");
    static final String ACCOUNT = "/subscriptions/" + SUB
            + "/resourceGroups/automation-rg/providers/Microsoft.Automation/automationAccounts/gahp-auto";
    private AzureWireMock azure;

    @BeforeEach
    void start() {
        azure = new AzureWireMock(AzureSettings.defaults().withAutomation("gahp-auto", "automation-rg"),
                Clock.fixed(NOW, ZoneOffset.UTC));
        azure.stubFor(get(path(ACCOUNT)).willReturn(json(200, "{\"id\":\"" + ACCOUNT + "\",\"name\":\"gahp-auto\","
                + "\"location\":\"westeurope\",\"identity\":{\"type\":\"SystemAssigned\"},\"properties\":{\"state\":\"Ok\"}}")));
        String runbook = ACCOUNT + "/runbooks/" + AutomationDeletionSchedules.RUNBOOK;
        azure.stubFor(put(path(runbook)).willReturn(json(201, "{\"id\":\"" + runbook + "\",\"name\":\""
                + AutomationDeletionSchedules.RUNBOOK + "\",\"properties\":{\"runbookType\":\"PowerShell\",\"state\":\"New\"}}")));
        azure.stubFor(put(path(runbook + "/draft/content")).willReturn(aResponse().withStatus(202)
                .withHeader("Location", azure.base + "/automationop/content").withHeader("Retry-After", "0")));
        azure.stubFor(get(path("/automationop/content")).willReturn(aResponse().withStatus(200)));
        azure.stubFor(post(path(runbook + "/publish")).willReturn(aResponse().withStatus(202)
                .withHeader("Location", azure.base + "/automationop/publish").withHeader("Retry-After", "0")));
        azure.stubFor(get(path("/automationop/publish")).willReturn(aResponse().withStatus(200)));
        azure.stubFor(delete(urlPathMatching("(?i)" + java.util.regex.Pattern.quote(ACCOUNT + "/schedules/") + ".*"))
                .willReturn(aResponse().withStatus(404)));
        azure.stubFor(put(urlPathMatching("(?i)" + java.util.regex.Pattern.quote(ACCOUNT + "/schedules/") + ".*"))
                .willReturn(json(201, "{\"name\":\"s\",\"properties\":{\"frequency\":\"OneTime\"}}")));
        azure.stubFor(put(urlPathMatching("(?i)" + java.util.regex.Pattern.quote(ACCOUNT + "/jobSchedules/") + ".*"))
                .willReturn(json(201, "{\"properties\":{\"jobScheduleId\":\"x\"}}")));
    }

    @AfterEach
    void stop() {
        azure.close();
    }

    private List<String> writes() {
        return azure.armRequests().stream().filter(r -> !r.getMethod().getName().equals("GET"))
                .map(r -> r.getMethod().getName() + " " + r.getUrl().replaceAll("\\?.*", "").replace(ACCOUNT, ""))
                .toList();
    }

    private LoggedRequest request(String method, String fragment) {
        return azure.armRequests().stream().filter(r -> r.getMethod().getName().equals(method) && r.getUrl().contains(fragment))
                .findFirst().orElseThrow();
    }

    @Test
    void theFirstScheduleWritesAndPublishesTheRunbookThenScheduleAndLink() throws Exception {
        Instant at = Instant.parse("2026-11-27T12:00:00Z");
        await(azure.account().deletionSchedules().schedule(new ScheduledDeletion("pool1", "westeurope", at)));

        String id = AutomationDeletionSchedules.jobScheduleId("pool1", at);
        assertThat(writes()).containsExactly(
                "PUT /runbooks/azure-gahp-delete-resource-group",
                "PUT /runbooks/azure-gahp-delete-resource-group/draft/content",
                "POST /runbooks/azure-gahp-delete-resource-group/publish",
                "DELETE /schedules/azure-gahp-delete-pool1",
                "PUT /schedules/azure-gahp-delete-pool1",
                "PUT /jobSchedules/" + id);
        assertThat(request("PUT", "/draft/content").getBodyAsString()).contains("Remove-AzResourceGroup")
                .contains("Connect-AzAccount -Identity");
        assertThat(request("PUT", "/schedules/").getBodyAsString()).contains("\"startTime\":\"2026-11-27T12:00:00Z\"")
                .contains("\"frequency\":\"OneTime\"");
        assertThat(request("PUT", "/jobSchedules/").getBodyAsString()).contains("\"ResourceGroupName\":\"pool1\"")
                .contains("\"SubscriptionId\":\"" + SUB + "\"").contains(AutomationDeletionSchedules.RUNBOOK);
    }

    @Test
    void laterSchedulesReuseThePublishedRunbook() throws Exception {
        await(azure.account().deletionSchedules().schedule(new ScheduledDeletion("a", "westeurope",
                Instant.parse("2026-11-27T12:00:00Z"))));
        azure.resetJournal();
        await(azure.account().deletionSchedules().schedule(new ScheduledDeletion("b", "westeurope",
                Instant.parse("2026-11-27T13:00:00Z"))));
        assertThat(writes()).hasSize(3).noneMatch(w -> w.contains("runbooks"));
    }

    @Test
    void aTimeLessThanFiveMinutesAheadIsMovedToTheEarliestAllowedMoment() throws Exception {
        await(azure.account().deletionSchedules().schedule(new ScheduledDeletion("soon", "westeurope",
                NOW.plusSeconds(60))));
        assertThat(request("PUT", "/schedules/").getBodyAsString())
                .contains("\"startTime\":\"" + NOW.plus(AutomationDeletionSchedules.MIN_LEAD) + "\"");
    }

    @Test
    void cancelDeletesTheSchedule() throws Exception {
        await(azure.account().deletionSchedules().cancel("pool1"));
        assertThat(writes()).containsExactly("DELETE /schedules/azure-gahp-delete-pool1");
    }

    @Test
    void withoutAnAutomationAccountSchedulingIsAClearErrorAndCancelANoOp() throws Exception {
        try (AzureWireMock plain = new AzureWireMock()) {
            CloudException e = failure(plain.account().deletionSchedules().schedule(new ScheduledDeletion("x",
                    "westeurope", NOW.plusSeconds(3600))));
            assertThat(e.code()).isEqualTo(CloudException.NOT_AVAILABLE);
            assertThat(e.getMessage()).contains("--automation-account");
            await(plain.account().deletionSchedules().cancel("x"));
            assertThat(plain.armRequests()).isEmpty();
        }
    }

    @Test
    void anAutomationAccountWithoutASystemAssignedIdentityIsRefusedSayingHowToTurnItOn() {
        azure.stubFor(get(path(ACCOUNT)).atPriority(1).willReturn(json(200, "{\"id\":\"" + ACCOUNT + "\",\"name\":"
                + "\"gahp-auto\",\"location\":\"westeurope\",\"properties\":{\"state\":\"Ok\"}}")));
        CloudException e = failure(azure.account().deletionSchedules().schedule(new ScheduledDeletion("x",
                "westeurope", NOW.plusSeconds(3600))));
        assertThat(e.code()).isEqualTo(CloudException.INVALID_PARAMETER);
        assertThat(e.getMessage()).contains("gahp-auto").contains("system-assigned managed identity")
                .contains("--assign-identity");
        assertThat(writes()).isEmpty();
    }

    @Test
    void theRunbookTakesAScaleSetsVaultAccessOutBeforeItDeletesTheGroup() throws Exception {
        await(azure.account().deletionSchedules().schedule(new ScheduledDeletion("pool1", "westeurope",
                Instant.parse("2026-11-27T12:00:00Z"))));
        String script = request("PUT", "/draft/content").getBodyAsString();
        assertThat(script).contains("$group.Tags['azure-gahp-vault']").contains("Remove-AzKeyVaultAccessPolicy")
                .contains("Remove-AzRoleAssignment");
        assertThat(script.indexOf("Remove-AzKeyVaultAccessPolicy")).isLessThan(script.indexOf("Remove-AzResourceGroup"));
    }

    @Test
    void onlyOwnerOrContributorOnTheWholeSubscriptionConfirmsTheIdentityMayDeleteGroups() {
        String sub = "/subscriptions/" + SUB;
        String roles = sub + "/providers/Microsoft.Authorization/roleDefinitions/";
        assertThat(AutomationDeletionSchedules.mayDeleteGroups(List.of(sub + "|" + roles
                + AutomationDeletionSchedules.CONTRIBUTOR_ROLE), sub)).isTrue();
        assertThat(AutomationDeletionSchedules.mayDeleteGroups(List.of(sub + "|" + roles
                + AutomationDeletionSchedules.OWNER_ROLE), sub)).isTrue();
        assertThat(AutomationDeletionSchedules.mayDeleteGroups(List.of(sub + "/resourceGroups/other|" + roles
                + AutomationDeletionSchedules.CONTRIBUTOR_ROLE), sub)).isFalse();
        assertThat(AutomationDeletionSchedules.mayDeleteGroups(List.of(sub + "|" + roles
                + "acdd72a7-3385-48ef-bd42-f606fba81ae7"), sub)).as("Reader").isFalse();
        assertThat(AutomationDeletionSchedules.mayDeleteGroups(List.of(), sub)).isFalse();
    }

    @Test
    void aMissingAutomationAccountIsNotFound() {
        azure.stubFor(get(path(ACCOUNT)).atPriority(1).willReturn(AzureWireMock.error(404, "ResourceNotFound",
                "The Resource 'Microsoft.Automation/automationAccounts/gahp-auto' was not found")));
        CloudException e = failure(azure.account().deletionSchedules().schedule(new ScheduledDeletion("x",
                "westeurope", NOW.plusSeconds(3600))));
        assertThat(e.code()).isEqualTo(CloudException.NOT_FOUND);
        assertThat(e.getMessage()).contains("gahp-auto").contains("could not be found");
    }

    @Test
    void aRetryAfterGivenAsAnHttpDateIsWaitedFor() throws Exception {
        // Azure's Retry-After may be an IMF-fixdate; this one is 1 s after the (fixed) clock's now.
        String runbook = ACCOUNT + "/runbooks/" + AutomationDeletionSchedules.RUNBOOK;
        azure.stubFor(put(path(runbook + "/draft/content")).atPriority(1).willReturn(aResponse().withStatus(202)
                .withHeader("Location", azure.base + "/automationop/content")
                .withHeader("Retry-After", "Fri, 27 Nov 2026 00:00:01 GMT")));

        await(azure.account().deletionSchedules().schedule(new ScheduledDeletion("pool1", "westeurope",
                Instant.parse("2026-11-27T12:00:00Z"))));

        LoggedRequest content = request("PUT", "/draft/content");
        LoggedRequest poll = request("GET", "/automationop/content");
        assertThat(poll.getLoggedDate().getTime() - content.getLoggedDate().getTime()).isGreaterThanOrEqualTo(950);
    }
}
