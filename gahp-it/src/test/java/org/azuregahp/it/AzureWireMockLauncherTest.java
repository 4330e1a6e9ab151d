package org.azuregahp.it;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real launcher with {@code --cloud azure} (the default, what HTCondor starts) and a credential
 * file whose endpoints point at WireMock standing in for Azure over HTTPS, driven as the gridmanager
 * drives it. Asserts the results and the HTTP traffic itself: calls per warm ping, writes per VM
 * create once the shared network exists, one call per list, and no credential material anywhere.
 */
class AzureWireMockLauncherTest {
    static final String CANARY = "canary-ClientSecret_Zq81~it.never-shown";
    static final String SUB = AzureStandIn.SUB;
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String SSH_KEY = "ssh-rsa\\ AAAAB3NzaC1yc2EAAAADAQABAAABAQCstubkey\\ alice@laptop";

    @TempDir
    Path tmp;

    static List<String> run(GahpSession s, String line) throws Exception {
        assertThat(s.command(line)).as(line).containsExactly("S");
        return s.result(WAIT);
    }

    /** The gridmanager's create line: exactly these keys, in this order. */
    static String create(String id, String h, String name) {
        return "AZURE_VM_CREATE " + id + h + " name=" + name + " location=westeurope image=linux-ubuntu-latest"
                + " size=Standard_B1s adminUsername=azureuser key=" + SSH_KEY;
    }

    @Test
    void aJobsWholeLifeOnAzureAsTheGridmanagerDrivesIt() throws Exception {
        Path log = tmp.resolve("gahp.log");
        try (AzureStandIn azure = new AzureStandIn(tmp, CANARY);
                GahpProcess gahp = azure.launch("--log", log.toString(), "--log-level", "debug")) {
            // PUTs 201 + Azure-AsyncOperation polled to Succeeded, group deletes 202 + Location, as Azure answers.
            azure.gate.longRunning(true);
            GahpSession s = new GahpSession(gahp);
            assertThat(s.handshake()).contains("AZURE_PING", "AZURE_VM_CREATE", "AZURE_VM_DELETE", "AZURE_VM_LIST",
                    "AZURE_VMSS_CREATE", "AZURE_VMSS_SCALE", "AZURE_VMSS_DELETE", "RESULTS", "QUIT");
            assertThat(s.command("CONDOR_VERSION $CondorVersion:\\ 25.14.0\\ 2026-11-01\\ BuildID:\\ 1\\ $").get(0))
                    .isEqualTo("S");
            String h = " " + azure.credFile + " " + SUB;

            // Cold: one token, one read.
            assertThat(run(s, "AZURE_PING 2" + h)).containsExactly("2", "NULL");
            assertThat(azure.tokenRequests()).hasSize(1);
            assertThat(azure.armRequests()).hasSize(1);

            // Warm: exactly one read, no token request, no writes.
            azure.resetJournal();
            assertThat(run(s, "AZURE_PING 3" + h)).containsExactly("3", "NULL");
            assertThat(azure.armRequests()).as("ARM calls per warm ping").hasSize(1);
            assertThat(azure.armWrites()).isZero();
            assertThat(azure.tokenRequests()).isEmpty();

            assertThat(run(s, "AZURE_VM_LIST 4" + h)).containsExactly("4", "NULL", "0");

            // The first create also makes the shared network; the next ones write at most 4 times each.
            List<String> first = run(s, create("5", h, "condorc1p0"));
            assertThat(first).hasSize(4);
            assertThat(first.subList(0, 2)).containsExactly("5", "NULL");
            assertThat(first.get(2)).isNotBlank();
            assertThat(first.get(3)).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
            assertThat(azure.simulator.paths()).anyMatch(p -> p.contains("azure-gahp-net-westeurope"));

            azure.resetJournal();
            List<String> second = run(s, create("6", h, "condorc1p1"));
            assertThat(second).hasSize(4);
            assertThat(second.subList(0, 2)).containsExactly("6", "NULL");
            assertThat(second.get(2)).isNotBlank().isNotEqualTo(first.get(2));
            assertThat(second.get(3)).matches("\\d+\\.\\d+\\.\\d+\\.\\d+").isNotEqualTo(first.get(3));
            assertThat(azure.armWrites()).as("ARM writes per VM create with the shared network in place: %s",
                    describe(azure.armRequests())).isLessThanOrEqualTo(4);
            assertThat(azure.armRequests()).noneMatch(r -> r.getUrl().toLowerCase().contains("azure-gahp-net"));

            azure.resetJournal();
            List<String> listed = run(s, "AZURE_VM_LIST 7" + h);
            assertThat(listed).hasSize(7);
            assertThat(listed.subList(0, 3)).containsExactly("7", "NULL", "2");
            assertThat(List.of(listed.get(3), listed.get(5))).containsExactlyInAnyOrder("condorc1p0", "condorc1p1");
            assertThat(listed.get(4)).endsWith("PowerState/running");
            assertThat(listed.get(6)).endsWith("PowerState/running");
            assertThat(azure.armRequests()).as("ARM calls per list").hasSize(1);
            assertThat(azure.armRequests().get(0).getUrl()).containsIgnoringCase("statusOnly=true");

            assertThat(run(s, "AZURE_VM_DELETE 8" + h + " condorc1p0")).containsExactly("8", "NULL");
            assertThat(azure.simulator.paths()).noneMatch(p -> p.contains("/condorc1p0"));
            List<String> again = run(s, "AZURE_VM_DELETE 9" + h + " condorc1p0");
            assertThat(again).hasSize(2);
            assertThat(again.get(0)).isEqualTo("9");
            assertThat(again.get(1)).contains("could not be found");

            List<String> one = run(s, "AZURE_VM_LIST 10" + h + " condorc1p1");
            assertThat(one).hasSize(5);
            assertThat(one.subList(0, 4)).containsExactly("10", "NULL", "1", "condorc1p1");

            // A scale set: create, list, scale, stop, start, delete, delete again.
            assertThat(run(s, "AZURE_VMSS_CREATE 11" + h + " name=pool1 location=westeurope size=Standard_B1s"
                    + " image=linux-ubuntu-latest nodecount=2 adminUsername=azureuser key=" + SSH_KEY))
                    .containsExactly("11", "NULL");
            List<String> pools = run(s, "AZURE_VMSS_LIST 12" + h);
            assertThat(pools).hasSize(6);
            assertThat(pools.subList(0, 5)).containsExactly("12", "NULL", "1", "pool1", "2");
            assertThat(pools.get(5)).endsWith("PowerState/running");
            assertThat(run(s, "AZURE_VMSS_SCALE 13" + h + " name=pool1 nodecount=5")).containsExactly("13", "NULL");
            assertThat(run(s, "AZURE_VMSS_LIST 14" + h + " pool1").subList(0, 5))
                    .containsExactly("14", "NULL", "1", "pool1", "5");
            assertThat(run(s, "AZURE_VMSS_STOP 15" + h + " pool1")).containsExactly("15", "NULL");
            assertThat(run(s, "AZURE_VMSS_LIST 16" + h + " pool1").get(5)).endsWith("PowerState/deallocated");
            assertThat(run(s, "AZURE_VMSS_START 17" + h + " pool1 pool1")).containsExactly("17", "NULL");
            assertThat(run(s, "AZURE_VMSS_DELETE 18" + h + " pool1")).containsExactly("18", "NULL");
            assertThat(run(s, "AZURE_VMSS_LIST 19" + h)).containsExactly("19", "NULL", "0");
            List<String> poolGone = run(s, "AZURE_VMSS_DELETE 20" + h + " pool1");
            assertThat(poolGone).hasSize(2);
            assertThat(poolGone.get(1)).contains("could not be found");
            assertThat(azure.simulator.paths()).noneMatch(p -> p.contains("/pool1"));

            assertThat(run(s, "AZURE_VM_DELETE 21" + h + " condorc1p1")).containsExactly("21", "NULL");
            assertThat(run(s, "AZURE_VM_LIST 22" + h)).containsExactly("22", "NULL", "0");
            assertThat(azure.gate.calls()).as("VM creates poll their long-running operations")
                    .anyMatch(c -> c.path().startsWith(AzureStandIn.Gate.OPERATIONS + "put-"));
            assertThat(azure.gate.calls()).as("deletes answer once Azure accepted them (issue 9.5): not polled")
                    .noneMatch(c -> c.path().startsWith(AzureStandIn.Gate.OPERATIONS + "delete-"));
            assertThat(s.notices()).isGreaterThanOrEqualTo(1);

            assertThat(s.command("QUIT")).containsExactly("S");
            assertThat(gahp.waitFor(Duration.ofSeconds(5))).isTrue();
            assertThat(gahp.exitValue()).isZero();
            assertNoCredentialMaterial(azure, gahp, log);
        }
    }

    @Test
    void azureErrorsAreErrorResultsAfterS_andNothingIsLeftBehind() throws Exception {
        Path log = tmp.resolve("gahp.log");
        try (AzureStandIn azure = new AzureStandIn(tmp, CANARY);
                GahpProcess gahp = azure.launch("--log", log.toString())) {
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            String h = " " + azure.credFile + " " + SUB;
            assertThat(run(s, "AZURE_PING 2" + h)).containsExactly("2", "NULL");

            // 409 on the VM itself: an error result with Azure's code; what the create made is removed.
            azure.server.stubFor(put(urlPathMatching("(?i)/subscriptions/" + SUB
                    + "/resourceGroups/condorc9p0/providers/Microsoft.Compute/virtualMachines/condorc9p0"))
                    .atPriority(1).willReturn(AzureStandIn.error(409, "OperationNotAllowed",
                            "Operation could not be completed as it results in exceeding approved standardBSFamily"
                                    + " Cores quota.")));
            List<String> quota = run(s, create("3", h, "condorc9p0"));
            assertThat(quota).hasSize(2);
            assertThat(quota.get(0)).isEqualTo("3");
            assertThat(quota.get(1)).contains("OperationNotAllowed").contains("quota");
            awaitGone(azure, "/resourcegroups/condorc9p0");
            assertThat(run(s, "AZURE_VM_LIST 4" + h)).containsExactly("4", "NULL", "0");

            // 404: a subscription Azure does not know.
            String other = "00000000-0000-0000-0000-00000000dead";
            azure.server.stubFor(get(urlPathMatching("(?i)/subscriptions/" + other + "(/.*)?")).atPriority(1)
                    .willReturn(AzureStandIn.error(404, "SubscriptionNotFound", "The subscription '" + other
                            + "' could not be found.")));
            List<String> noSub = run(s, "AZURE_PING 5 " + azure.credFile + " " + other);
            assertThat(noSub).hasSize(2);
            assertThat(noSub.get(1)).contains("SubscriptionNotFound");

            // 500 on the list (every retry too): an error result, never a partial list.
            azure.resetJournal();
            StubMapping broken = azure.server.stubFor(get(urlPathMatching("(?i)/subscriptions/" + SUB
                    + "/providers/Microsoft.Compute/virtualMachines")).atPriority(1)
                    .willReturn(AzureStandIn.error(500, "InternalServerError", "An unexpected error occured.")
                            .withHeader("Retry-After", "0")));
            List<String> failedList = run(s, "AZURE_VM_LIST 6" + h);
            assertThat(failedList).hasSize(2);
            assertThat(failedList.get(0)).isEqualTo("6");
            assertThat(failedList.get(1)).isNotEqualTo("NULL").contains("InternalServerError");
            assertThat(azure.armRequests()).as("retried, then given up").hasSizeGreaterThan(1);
            azure.server.removeStub(broken);
            assertThat(run(s, "AZURE_VM_LIST 7" + h)).containsExactly("7", "NULL", "0");

            // 429 with Retry-After: waited for, then the call succeeds.
            azure.resetJournal();
            azure.server.stubFor(get(urlPathMatching("(?i)/subscriptions/" + SUB + "/resourcegroups"))
                    .atPriority(1).inScenario("throttled").whenScenarioStateIs(Scenario.STARTED)
                    .willReturn(AzureStandIn.error(429, "TooManyRequests", "slow down").withHeader("Retry-After", "1"))
                    .willSetStateTo("served"));
            assertThat(run(s, "AZURE_PING 8" + h)).containsExactly("8", "NULL");
            List<LoggedRequest> pings = azure.armRequests();
            assertThat(pings).hasSize(2);
            assertThat(Duration.between(pings.get(0).getLoggedDate().toInstant(),
                    pings.get(1).getLoggedDate().toInstant())).isGreaterThanOrEqualTo(Duration.ofMillis(990));

            // The identity service refuses a secret: an error result naming AADSTS, never the secret.
            String tenant2 = "0badbad0-1111-2222-3333-444455556666";
            Path bad = azure.writeCredentials("bad_auth.json", tenant2, CANARY);
            azure.stubTokenRejected(tenant2);
            List<String> refused = run(s, "AZURE_PING 9 " + bad + " " + SUB);
            assertThat(refused).hasSize(2);
            assertThat(refused.get(1)).contains("AADSTS7000215").doesNotContain(CANARY);

            // A VM that does not exist: could not be found.
            List<String> missing = run(s, "AZURE_VM_DELETE 10" + h + " condorc404p0");
            assertThat(missing).hasSize(2);
            assertThat(missing.get(1)).contains("could not be found");

            assertThat(s.command("QUIT")).containsExactly("S");
            assertThat(gahp.waitFor(Duration.ofSeconds(5))).isTrue();
            assertThat(gahp.exitValue()).isZero();
            assertNoCredentialMaterial(azure, gahp, log);
        }
    }

    static void awaitGone(AzureStandIn azure, String pathPart) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (azure.simulator.paths().stream().anyMatch(p -> p.contains(pathPart)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(azure.simulator.paths()).as("left behind").noneMatch(p -> p.contains(pathPart));
    }

    /** The secret went to the identity service (token request bodies) and nowhere else; the token only in Authorization. */
    static void assertNoCredentialMaterial(AzureStandIn azure, GahpProcess gahp, Path log) throws Exception {
        AzureStandIn.Watch w = azure.watch;
        assertThat(w.tokenRequests()).isPositive();
        assertThat(w.tokenRequestsWithSecret()).as("token requests carry the secret (so the watch can see it)")
                .isEqualTo(w.tokenRequests());
        assertThat(w.secretElsewhere()).as("requests carrying the secret elsewhere").isEmpty();
        assertThat(w.tokenElsewhere()).as("requests carrying the access token outside Authorization").isEmpty();
        String stdout = String.join("\n", gahp.allStdout());
        assertThat(stdout).doesNotContain(azure.secret).doesNotContain(AzureStandIn.TOKEN);
        assertThat(gahp.stderr()).doesNotContain(azure.secret).doesNotContain(AzureStandIn.TOKEN)
                .doesNotContain("Exception");
        String logText = Files.readString(log);
        assertThat(logText).isNotEmpty().doesNotContain(azure.secret).doesNotContain(AzureStandIn.TOKEN);
        String formEncoded = java.net.URLEncoder.encode(azure.secret, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(stdout + gahp.stderr() + logText).doesNotContain(formEncoded);
    }

    static String describe(List<LoggedRequest> requests) {
        StringBuilder b = new StringBuilder();
        for (LoggedRequest r : requests) {
            b.append("\n  ").append(r.getMethod()).append(' ').append(r.getUrl());
        }
        return b.toString();
    }

    /**
     * {@code --cloud azure} and a request with credential {@code NULL} on a machine with no login at all
     * (no AZURE_* variables, no Azure CLI, a home without caches, and an instance metadata service, on
     * WireMock, that answers as Azure's does where no managed identity is assigned): the error says what
     * was tried and what to do, and shows no secret. It used to say only "could not get an Azure token".
     */
    @Test
    void withNoCredentialAtAllTheErrorSaysWhatWasTriedAndWhatToDo() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("empty-home"));
        Path log = tmp.resolve("ambient.log");
        com.github.tomakehurst.wiremock.WireMockServer imds = new com.github.tomakehurst.wiremock.WireMockServer(
                com.github.tomakehurst.wiremock.core.WireMockConfiguration.options().dynamicPort());
        imds.start();
        try {
            imds.stubFor(get(urlPathMatching("/+metadata/identity/oauth2/token")).willReturn(AzureStandIn.json(400,
                    "{\"error\":\"invalid_request\",\"error_description\":\"Identity not found\"}")));
            java.util.Map<String, String> env = new java.util.HashMap<>();
            for (String name : List.of("AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET",
                    "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_USERNAME", "IDENTITY_ENDPOINT",
                    "IDENTITY_HEADER", "MSI_ENDPOINT", "MSI_SECRET", "IMDS_ENDPOINT", "AZURE_CONFIG_DIR")) {
                env.put(name, null);
            }
            env.put("HOME", home.toString());
            env.put("PATH", "/usr/bin:/bin");
            env.put("AZURE_POD_IDENTITY_AUTHORITY_HOST", "http://localhost:" + imds.port());
            try (GahpProcess gahp = GahpProcess.start(env, "--cloud", "azure", "--log", log.toString(),
                    "--log-level", "debug")) {
                GahpSession s = new GahpSession(gahp);
                s.handshake();
                List<String> result = run(s, "AZURE_PING 2 NULL " + SUB);
                assertThat(result).hasSize(2);
                assertThat(result.get(1)).startsWith("AuthenticationFailed: could not get an Azure token for this"
                        + " machine's own login (credential NULL): tried the environment variables AZURE_CLIENT_ID,"
                        + " AZURE_TENANT_ID and AZURE_CLIENT_SECRET (none is set), workload identity, a managed identity"
                        + " and the Azure CLI's login (az login)")
                        .contains("name a credential file on the request").contains("az login as that user");
                assertThat(imds.getAllServeEvents()).as("the managed identity was asked for").isNotEmpty();
                gahp.closeStdin();
                assertThat(gahp.waitFor(Duration.ofSeconds(20))).isTrue();
                LauncherTestSupport.assertNoStackTraces(gahp.stderr());
            }
        } finally {
            imds.stop();
        }
    }
}
