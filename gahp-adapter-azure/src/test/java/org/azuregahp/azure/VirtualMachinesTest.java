package org.azuregahp.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.azuregahp.azure.AzureWireMock.await;
import static org.azuregahp.azure.AzureWireMock.error;
import static org.azuregahp.azure.AzureWireMock.failure;
import static org.azuregahp.azure.AzureWireMock.path;
import static org.azuregahp.azure.AzureWireMock.providerPath;
import static org.azuregahp.azure.AzureWireMock.rgPath;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.List;
import java.util.Map;
import org.azuregahp.ports.AdminCredential;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.ImageRef;
import org.azuregahp.ports.MachineSpec;
import org.azuregahp.ports.PublicIpChoice;
import org.azuregahp.ports.ResourceRef;
import org.azuregahp.ports.SpotPricing;
import org.azuregahp.ports.VmCreated;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VirtualMachinesTest {
    static final String KEY = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCstubkey alice@laptop";
    static final ImageRef UBUNTU = new ImageRef.Marketplace("Canonical", "UbuntuServer", "18.04-LTS", "latest");

    private AzureWireMock azure;

    @BeforeEach
    void start() {
        azure = new AzureWireMock();
    }

    @AfterEach
    void stop() {
        azure.close();
    }

    static MachineSpec spec(String name) {
        return new MachineSpec(name, "westeurope", "Standard_B1s", UBUNTU, "azureuser",
                new AdminCredential.SshPublicKey(KEY), List.of(), null, null, null, Map.of(), null, null);
    }

    private List<LoggedRequest> writes() {
        return azure.armRequests().stream().filter(r -> !r.getMethod().getName().equals("GET")).toList();
    }

    @Test
    void createMakesGroupIpNicAndVmAndAnswersVmIdAndAddress() throws Exception {
        azure.sharedNetworkExists("westeurope");
        azure.vmCreateOk("condorc1p0", "3554777e-ce7d-441f-acfa-e3fa42e2182d", "20.1.2.3");

        VmCreated created = await(azure.account().virtualMachines().create(spec("condorc1p0")));

        assertThat(created.vmId()).isEqualTo("3554777e-ce7d-441f-acfa-e3fa42e2182d");
        assertThat(created.publicIp()).isEqualTo("20.1.2.3");
        assertThat(writes()).extracting(r -> r.getMethod().getName() + " " + r.getUrl().replaceAll("\\?.*", ""))
                .containsExactly(
                        "PUT " + rgPath("condorc1p0"),
                        "PUT " + providerPath("condorc1p0", "Microsoft.Network", "publicIPAddresses", "condorc1p0-ip"),
                        "PUT " + providerPath("condorc1p0", "Microsoft.Network", "networkInterfaces", "condorc1p0-nic"),
                        "PUT " + providerPath("condorc1p0", "Microsoft.Compute", "virtualMachines", "condorc1p0"));
        String vmPut = writes().get(3).getBodyAsString();
        assertThat(vmPut).contains("\"disablePasswordAuthentication\":true").contains("AAAAB3NzaC1yc2EAAAADAQABAAABAQCstubkey")
                .contains("\"azure-gahp-name\":\"condorc1p0\"").contains("\"publisher\":\"Canonical\"")
                .doesNotContain("adminPassword");
        String nicPut = writes().get(2).getBodyAsString();
        assertThat(nicPut).contains(Names.NSG_SSH).contains("/subnets/" + Names.SUBNET);
        assertThat(writes().get(1).getBodyAsString()).contains("\"Standard\"").contains("\"Static\"");
    }

    @Test
    void theFirstCreateInALocationMakesTheSharedNetworkOnceAndLaterCreatesReuseIt() throws Exception {
        azure.sharedNetworkMissing("westeurope");
        azure.vmCreateOk("vm1", "id-1", "20.0.0.1");
        azure.vmCreateOk("vm2", "id-2", "20.0.0.2");
        azure.vmCreateOk("vm3", "id-3", "20.0.0.3");

        await(azure.account().virtualMachines().create(spec("vm1")));
        long firstWrites = writes().size();
        azure.resetJournal();
        await(azure.account().virtualMachines().create(spec("vm2")));
        await(azure.account().virtualMachines().create(spec("vm3")));

        assertThat(firstWrites).isEqualTo(3 + 4); // network group, virtual network, SSH security group; then the VM's 4
        assertThat(writes()).hasSize(8); // 4 ARM writes per VM once the network exists
        assertThat(azure.armRequests().stream().filter(r -> r.getUrl().contains("azure-gahp-net"))).isEmpty();
    }

    @Test
    void concurrentFirstCreatesShareOneNetworkCreation() throws Exception {
        azure.sharedNetworkMissing("westeurope");
        for (int i = 0; i < 5; i++) {
            azure.vmCreateOk("par" + i, "id-" + i, "20.0.1." + i);
        }
        var stages = java.util.stream.IntStream.range(0, 5)
                .mapToObj(i -> azure.account().virtualMachines().create(spec("par" + i))).toList();
        for (var s : stages) {
            await(s);
        }
        long vnetPuts = writes().stream().filter(r -> r.getUrl().contains("virtualNetworks")).count();
        assertThat(vnetPuts).isEqualTo(1);
        assertThat(writes()).hasSize(3 + 5 * 4);
    }

    @Test
    void noPublicIpMeansThreeWritesAndNullAddress() throws Exception {
        azure.sharedNetworkExists("westeurope");
        azure.vmCreateOk("nopip", "id-n", "20.0.0.9");
        MachineSpec s = spec("nopip");
        MachineSpec none = new MachineSpec(s.name(), s.location(), s.size(), s.image(), null, s.credential(), List.of(),
                null, new PublicIpChoice.None(), null, Map.of(), null, null);
        VmCreated created = await(azure.account().virtualMachines().create(none));
        assertThat(created.publicIp()).isNull();
        assertThat(writes()).hasSize(3);
        assertThat(writes().get(1).getBodyAsString()).doesNotContain("publicIPAddress");
    }

    @Test
    void spotPricingAndPasswordAndDataDisksReachTheVmDefinition() throws Exception {
        azure.sharedNetworkExists("westeurope");
        azure.vmCreateOk("spot1", "id-s", "20.0.0.7");
        String password = "Corr3ct-Horse!Battery";
        MachineSpec s = new MachineSpec("spot1", "westeurope", "Standard_D2s_v3", UBUNTU, "alice",
                new AdminCredential.Password(password), List.of(10, 20), null, null, "#!/bin/sh\necho hi\n",
                Map.of("project", "x"), null, new SpotPricing(0.05));
        await(azure.account().virtualMachines().create(s));
        String body = writes().get(3).getBodyAsString();
        assertThat(body).contains("\"priority\":\"Spot\"").contains("\"evictionPolicy\":\"Deallocate\"")
                .contains("\"maxPrice\":0.05").contains("\"diskSizeGB\":10").contains("\"diskSizeGB\":20")
                .contains("\"disablePasswordAuthentication\":false").contains("\"project\":\"x\"")
                .contains("\"customData\":\"IyEvYmluL3NoCmVjaG8gaGkK\"");
        // the password goes to the VM definition and nowhere else
        for (LoggedRequest r : azure.armRequests()) {
            if (!r.getUrl().contains("virtualMachines/spot1") || !r.getMethod().getName().equals("PUT")) {
                assertThat(r.getBodyAsString() + r.getUrl() + r.getHeaders()).doesNotContain(password);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ip", "nic", "vm", "vm-lro"})
    void aCreateFailingAtAnyStepRemovesItsGroupAndReportsTheOriginalError(String step) throws Exception {
        String name = "fail-" + step;
        azure.sharedNetworkExists("westeurope");
        azure.vmCreateOk(name, "id-f", "20.0.0.5");
        azure.groupDeleteOk(name);
        switch (step) {
            case "ip" -> azure.stubFor(put(path(providerPath(name, "Microsoft.Network", "publicIPAddresses", name + "-ip")))
                    .willReturn(error(400, "PublicIPCountLimitReached", "Cannot create more than 10 public IP addresses")));
            case "nic" -> azure.stubFor(put(path(providerPath(name, "Microsoft.Network", "networkInterfaces", name + "-nic")))
                    .willReturn(error(400, "InvalidResourceReference", "Resource referenced by the NIC was not found")));
            case "vm" -> azure.stubFor(put(path(providerPath(name, "Microsoft.Compute", "virtualMachines", name)))
                    .willReturn(error(409, "OperationNotAllowed", "Operation could not be completed as it results in "
                            + "exceeding approved standardBSFamily Cores quota")));
            default -> azure.lroPut(providerPath(name, "Microsoft.Compute", "virtualMachines", name),
                    AzureWireMock.vmBody(name, name, "Creating", "id-f"), AzureWireMock.vmBody(name, name, "Failed", "id-f"),
                    "AllocationFailed");
        }

        CloudException e = failure(azure.account().virtualMachines().create(spec(name)));

        String expected = switch (step) {
            case "ip" -> "PublicIPCountLimitReached";
            case "nic" -> "InvalidResourceReference";
            case "vm" -> "OperationNotAllowed";
            default -> "AllocationFailed";
        };
        assertThat(e.code()).isEqualTo(expected);
        azure.server.verify(1, deleteRequestedFor(path(rgPath(name))));
    }

    @Test
    void aSharedNetworkDeletedBehindOurBackIsLookedUpAgainAfterTheFailureItCauses() throws Exception {
        azure.sharedNetworkExists("westeurope");
        azure.vmCreateOk("first", "id-1", "20.0.0.1");
        azure.vmCreateOk("second", "id-2", "20.0.0.2");
        azure.vmCreateOk("third", "id-3", "20.0.0.3");
        azure.groupDeleteOk("second");
        await(azure.account().virtualMachines().create(spec("first")));
        azure.stubFor(put(path(providerPath("second", "Microsoft.Network", "networkInterfaces", "second-nic")))
                .willReturn(error(400, "InvalidResourceReference", "Resource /subscriptions/" + AzureWireMock.SUB
                        + "/resourceGroups/azure-gahp-net-westeurope/providers/Microsoft.Network/virtualNetworks/"
                        + "azure-gahp-vnet referenced by resource second-nic was not found.")));
        failure(azure.account().virtualMachines().create(spec("second")));
        azure.resetJournal();
        await(azure.account().virtualMachines().create(spec("third")));
        assertThat(azure.armRequests().stream().filter(r -> r.getUrl().contains("azure-gahp-net-westeurope"))).isNotEmpty();
    }

    @Test
    void aGroupOfThatNameNotMadeByUsIsNeverTouched() {
        azure.sharedNetworkExists("westeurope");
        azure.groupExists("precious", "{\"owner\":\"someone-else\"}");
        CloudException e = failure(azure.account().virtualMachines().create(spec("precious")));
        assertThat(e.code()).isEqualTo(CloudException.CONFLICT);
        assertThat(writes()).isEmpty();
    }

    @Test
    void badRequestValuesFailBeforeAnyCall() {
        MachineSpec noKey = new MachineSpec("nokey", "westeurope", "Standard_B1s", UBUNTU, null, null, List.of(),
                null, null, null, Map.of(), null, null);
        MachineSpec weak = new MachineSpec("weak", "westeurope", "Standard_B1s", UBUNTU, null,
                new AdminCredential.Password("password"), List.of(), null, null, null, Map.of(), null, null);
        MachineSpec winKey = new MachineSpec("win", "westeurope", "Standard_B1s",
                new ImageRef.Marketplace("MicrosoftWindowsServer", "WindowsServer", "2022-datacenter", "latest"), null,
                new AdminCredential.SshPublicKey(KEY), List.of(), null, null, null, Map.of(), null, null);
        assertThat(failure(azure.account().virtualMachines().create(noKey)).getMessage()).contains("key= is required");
        CloudException w = failure(azure.account().virtualMachines().create(weak));
        assertThat(w.code()).isEqualTo(CloudException.INVALID_PARAMETER);
        assertThat(w.getMessage()).doesNotContain("password\"").contains("three of");
        assertThat(failure(azure.account().virtualMachines().create(winKey)).getMessage()).contains("Windows");
        assertThat(azure.armRequests()).isEmpty();
    }

    @Test
    void throttledCallsAreRetriedAfterRetryAfterAndCounted() throws Exception {
        azure.sharedNetworkExists("westeurope");
        azure.vmCreateOk("thr", "id-t", "20.0.0.6");
        String nic = providerPath("thr", "Microsoft.Network", "networkInterfaces", "thr-nic");
        azure.stubFor(put(path(nic)).inScenario("thr").whenScenarioStateIs(Scenario.STARTED).atPriority(1)
                .willReturn(error(429, "TooManyRequests", "Too many requests").withHeader("Retry-After", "1"))
                .willSetStateTo("ok"));
        long before = azure.cloud.statistics().throttledRetries();
        long t0 = System.nanoTime();
        await(azure.account().virtualMachines().create(spec("thr")));
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(900);
        assertThat(azure.cloud.statistics().throttledRetries() - before).isEqualTo(1);
    }

    @Test
    void aTransientServerErrorIsRetried() throws Exception {
        azure.sharedNetworkExists("westeurope");
        azure.vmCreateOk("flaky", "id-fl", "20.0.0.8");
        azure.stubFor(put(path(rgPath("flaky"))).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .atPriority(1).willReturn(error(500, "InternalServerError", "boom")).willSetStateTo("ok"));
        assertThat(await(azure.account().virtualMachines().create(spec("flaky"))).vmId()).isEqualTo("id-fl");
    }

    @Test
    void persistentServerErrorsBecomeAnErrorResultAfterBoundedRetries() {
        azure.sharedNetworkExists("westeurope");
        azure.vmCreateOk("down", "id-d", "20.0.0.8");
        azure.stubFor(get(path(rgPath("down"))).atPriority(1).willReturn(error(503, "ServiceUnavailable", "later")));
        CloudException e = failure(azure.account().virtualMachines().create(spec("down")));
        assertThat(e.code()).isEqualTo("ServiceUnavailable");
        assertThat(azure.armRequests().stream().filter(r -> r.getUrl().contains("/resourcegroups/down"))).hasSize(4);
    }

    // ---------------------------------------------------------------- delete

    @Test
    void deleteAsksAzureToRemoveTheGroupWeMadeAndAnswersOnceAzureAcceptedIt() throws Exception {
        azure.groupExists("condorc1p0", "{\"azure-gahp\":\"vm\",\"azure-gahp-name\":\"condorc1p0\"}");
        azure.groupDeleteOk("condorc1p0");
        await(azure.account().virtualMachines().delete(ResourceRef.named("condorc1p0")));
        azure.server.verify(1, deleteRequestedFor(path(rgPath("condorc1p0"))));
        // 202 Accepted is the answer: the deletion's minutes are not spent inside the request.
        assertThat(azure.armRequests().stream().filter(r -> r.getUrl().contains("operationresults"))).isEmpty();
    }

    @Test
    void deletingSomethingThatDoesNotExistSaysCouldNotBeFound() {
        azure.groupMissing("ghost");
        CloudException e = failure(azure.account().virtualMachines().delete(ResourceRef.named("ghost")));
        assertThat(e.code()).isEqualTo(CloudException.NOT_FOUND);
        assertThat(e.getMessage()).contains("could not be found");
        assertThat(writes()).isEmpty();
    }

    @Test
    void aGroupWeCannotRecogniseIsNeverDeleted() {
        azure.groupExists("production", "{\"team\":\"payroll\"}");
        azure.stubFor(get(path(providerPath("production", "Microsoft.Compute", "virtualMachines", "productionvm")))
                .willReturn(error(404, "ResourceNotFound", "not found")));
        CloudException e = failure(azure.account().virtualMachines().delete(ResourceRef.named("production")));
        assertThat(e.getMessage()).contains("could not be found").contains("left untouched");
        assertThat(writes()).isEmpty();
    }

    @Test
    void theEarlierServersLayoutIsRecognisedAndDeleted() throws Exception {
        azure.groupExists("oldjob", null);
        azure.stubFor(get(path(providerPath("oldjob", "Microsoft.Compute", "virtualMachines", "oldjobvm")))
                .willReturn(AzureWireMock.json(200, AzureWireMock.vmBody("oldjob", "oldjobvm", "Succeeded", "x"))));
        azure.groupDeleteOk("oldjob");
        await(azure.account().virtualMachines().delete(ResourceRef.named("oldjob")));
        azure.server.verify(1, deleteRequestedFor(path(rgPath("oldjob"))));
    }

    @Test
    void theGroupAndVmFormDeletesOnlyTheVmInAGroupWeDidNotMake() throws Exception {
        azure.groupExists("shared-rg", "{\"team\":\"x\"}");
        String vm = providerPath("shared-rg", "Microsoft.Compute", "virtualMachines", "worker7");
        azure.stubFor(get(path(vm)).willReturn(AzureWireMock.json(200, AzureWireMock.vmBody("shared-rg", "worker7",
                "Succeeded", "x"))));
        azure.stubFor(com.github.tomakehurst.wiremock.client.WireMock.delete(path(vm))
                .willReturn(aResponse().withStatus(200)));
        await(azure.account().virtualMachines().delete(new ResourceRef("shared-rg", "worker7")));
        azure.server.verify(1, deleteRequestedFor(path(vm)));
        azure.server.verify(0, deleteRequestedFor(path(rgPath("shared-rg"))));
    }
}
