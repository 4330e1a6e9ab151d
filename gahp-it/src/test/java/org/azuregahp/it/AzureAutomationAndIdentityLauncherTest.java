package org.azuregahp.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real launcher with {@code --cloud azure} against the HTTPS stand-in, on what the
 * other launcher tests leave out: scheduled deletion over Azure Automation's REST paths as documented
 * for API 2023-11-01, and identity-service failures that echo the credential file's ids.
 */
class AzureAutomationAndIdentityLauncherTest {
    static final String CANARY = "canary-ClientSecret_Rv42~it.never-shown";
    static final String SUB = AzureStandIn.SUB;
    static final String ACCOUNT = "/subscriptions/" + SUB
            + "/resourceGroups/automation-rg/providers/Microsoft.Automation/automationAccounts/gahp-auto";
    static final String RUNBOOK = ACCOUNT + "/runbooks/azure-gahp-delete-resource-group";
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    static List<String> run(GahpSession s, String line) throws Exception {
        assertThat(s.command(line)).as(line).containsExactly("S");
        return s.result(WAIT);
    }

    private static String ci(String path) {
        return "(?i)" + Pattern.quote(path);
    }

    /** Azure Automation as its REST reference documents it (2023-11-01); anything else is a 404. */
    private static void stubAutomation(AzureStandIn azure) {
        var s = azure.server;
        s.stubFor(get(urlPathMatching(ci(ACCOUNT))).atPriority(1).willReturn(AzureStandIn.json(200, "{\"id\":\""
                + ACCOUNT + "\",\"name\":\"gahp-auto\",\"location\":\"westeurope\","
                + "\"identity\":{\"type\":\"SystemAssigned\"},\"properties\":{\"state\":\"Ok\"}}")));
        s.stubFor(put(urlPathMatching(ci(RUNBOOK))).atPriority(1).willReturn(AzureStandIn.json(201,
                "{\"id\":\"" + RUNBOOK + "\",\"name\":\"azure-gahp-delete-resource-group\","
                        + "\"properties\":{\"runbookType\":\"PowerShell\",\"state\":\"New\"}}")));
        s.stubFor(put(urlPathMatching(ci(RUNBOOK + "/draft/content"))).atPriority(1).willReturn(aResponse()
                .withStatus(202).withHeader("Location", azure.base + "/automationop/content")
                .withHeader("Retry-After", "0")));
        s.stubFor(get(urlPathEqualTo("/automationop/content")).atPriority(1).willReturn(aResponse().withStatus(200)));
        // Runbook - Publish: POST .../runbooks/{runbookName}/publish, 202 + Location.
        s.stubFor(post(urlPathMatching(ci(RUNBOOK + "/publish"))).atPriority(1).willReturn(aResponse()
                .withStatus(202).withHeader("Location", azure.base + "/automationop/publish")
                .withHeader("Retry-After", "0")));
        s.stubFor(get(urlPathEqualTo("/automationop/publish")).atPriority(1).willReturn(aResponse().withStatus(200)));
        s.stubFor(post(urlPathMatching(ci(RUNBOOK + "/draft/publish"))).atPriority(1)
                .willReturn(AzureStandIn.error(404, "NotFound", "no such operation")));
        s.stubFor(delete(urlPathMatching(ci(ACCOUNT + "/schedules/") + ".*")).atPriority(1)
                .willReturn(aResponse().withStatus(200)));
        s.stubFor(put(urlPathMatching(ci(ACCOUNT + "/schedules/") + ".*")).atPriority(1)
                .willReturn(AzureStandIn.json(201, "{\"name\":\"s\",\"properties\":{\"frequency\":\"OneTime\"}}")));
        s.stubFor(put(urlPathMatching(ci(ACCOUNT + "/jobSchedules/") + ".*")).atPriority(1)
                .willReturn(AzureStandIn.json(201, "{\"properties\":{\"jobScheduleId\":\"x\"}}")));
    }

    private static List<String> automationCalls(AzureStandIn azure) {
        return azure.armRequests().stream().filter(r -> r.getUrl().toLowerCase().contains("microsoft.automation"))
                .map(r -> r.getMethod().getName() + " " + r.getUrl().replaceAll("\\?.*", "").replace(ACCOUNT, ""))
                .toList();
    }

    @Test
    void aScaleSetsDeletionJobPublishesTheRunbookAtTheDocumentedPathAndItsDeleteCancelsTheSchedule() throws Exception {
        String when = ZonedDateTime.now(ZoneOffset.UTC).plusDays(2).format(DateTimeFormatter.ofPattern("yyyyMMddHHmm"));
        try (AzureStandIn azure = new AzureStandIn(tmp, CANARY);
                GahpProcess gahp = azure.launch("--automation-account", "gahp-auto",
                        "--automation-resource-group", "automation-rg")) {
            stubAutomation(azure);
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            String h = " " + azure.credFile + " " + SUB;
            List<String> created = run(s, "AZURE_VMSS_CREATE 2" + h + " name=pool7 location=westeurope"
                    + " size=Standard_B1s image=linux-ubuntu-latest nodecount=2 adminUsername=azureuser"
                    + " key=ssh-rsa\\ AAAAB3NzaC1yc2EAAAADAQABAAABAQCstubkey\\ alice@laptop deletionjob schedule=" + when);
            assertThat(created).as("automation calls: %s", automationCalls(azure)).containsExactly("2", "NULL");
            assertThat(automationCalls(azure)).contains(
                    "PUT /runbooks/azure-gahp-delete-resource-group",
                    "PUT /runbooks/azure-gahp-delete-resource-group/draft/content",
                    "POST /runbooks/azure-gahp-delete-resource-group/publish",
                    "PUT /schedules/azure-gahp-delete-pool7");
            assertThat(automationCalls(azure)).anyMatch(c -> c.startsWith("PUT /jobSchedules/"));
            LoggedRequest link = azure.armRequests().stream().filter(r -> r.getUrl().contains("/jobSchedules/"))
                    .findFirst().orElseThrow();
            assertThat(link.getBodyAsString()).contains("\"ResourceGroupName\":\"pool7\"")
                    .contains("\"runbook\":{\"name\":\"azure-gahp-delete-resource-group\"}");

            azure.resetJournal();
            assertThat(run(s, "AZURE_VMSS_DELETE 3" + h + " pool7")).containsExactly("3", "NULL");
            assertThat(automationCalls(azure)).contains("DELETE /schedules/azure-gahp-delete-pool7");
            assertThat(s.command("QUIT")).containsExactly("S");
            assertThat(gahp.waitFor(Duration.ofSeconds(5))).isTrue();
        }
    }

    /**
     * MSAL ({@code com.microsoft.aad.msal4j.ConfidentialClientApplication}, WARN) and azure-identity
     * ({@code com.azure.identity.ClientSecretCredential}, ERROR) log the identity service's text, which
     * names the credential file's client id; gahp-cli's logging set-up turns those two loggers off.
     */
    @Test
    void anIdentityRefusalThatEchoesTheClientIdLeavesNoIdOfTheFileInResultStderrOrLog() throws Exception {
        Path log = tmp.resolve("gahp.log");
        try (AzureStandIn azure = new AzureStandIn(tmp, CANARY);
                GahpProcess gahp = azure.launch("--log", log.toString(), "--log-level", "debug")) {
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            String tenant2 = "0badbad0-1111-2222-3333-444455556666";
            Path bad = azure.writeCredentials("bad_auth.json", tenant2, CANARY);
            azure.stubTokenRejected(tenant2);
            List<String> refused = run(s, "AZURE_PING 2 " + bad + " " + SUB);
            assertThat(refused).hasSize(2);
            assertThat(refused.get(1)).contains("AADSTS7000215").doesNotContain(AzureStandIn.CLIENT_ID)
                    .doesNotContain(tenant2).doesNotContain(CANARY);
            assertThat(s.command("QUIT")).containsExactly("S");
            assertThat(gahp.waitFor(Duration.ofSeconds(5))).isTrue();
            String everything = String.join("\n", gahp.allStdout()) + "\n" + gahp.stderr() + "\n"
                    + Files.readString(log);
            assertThat(everything).doesNotContain(CANARY).doesNotContain(AzureStandIn.CLIENT_ID);
        }
    }
}
