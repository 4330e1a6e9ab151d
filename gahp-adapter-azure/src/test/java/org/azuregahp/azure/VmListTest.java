package org.azuregahp.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.azuregahp.azure.AzureWireMock.SUB;
import static org.azuregahp.azure.AzureWireMock.await;
import static org.azuregahp.azure.AzureWireMock.error;
import static org.azuregahp.azure.AzureWireMock.failure;
import static org.azuregahp.azure.AzureWireMock.json;
import static org.azuregahp.azure.AzureWireMock.path;

import java.util.List;
import java.util.function.IntFunction;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.VmQuery;
import org.azuregahp.ports.VmStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VmListTest {
    static final String LIST = "/subscriptions/" + SUB + "/providers/Microsoft.Compute/virtualMachines";
    private AzureWireMock azure;

    @BeforeEach
    void start() {
        azure = new AzureWireMock();
    }

    @AfterEach
    void stop() {
        azure.close();
    }

    /** A VM as {@code statusOnly=true} lists it; the power state comes first here, as Azure sends it. */
    static String vm(String group, String vmName, String tagName, String power) {
        return "{\"name\":\"" + vmName + "\",\"id\":\"/subscriptions/" + SUB + "/resourceGroups/" + group
                + "/providers/Microsoft.Compute/virtualMachines/" + vmName + "\",\"type\":\"Microsoft.Compute/virtualMachines\","
                + "\"location\":\"westeurope\","
                + (tagName == null ? "" : "\"tags\":{\"azure-gahp\":\"vm\",\"azure-gahp-name\":\"" + tagName + "\",\"batch\":\"b1\"},")
                + "\"properties\":{\"instanceView\":{\"statuses\":["
                + "{\"code\":\"PowerState/" + power + "\",\"level\":\"Info\",\"displayStatus\":\"VM " + power + "\"},"
                + "{\"code\":\"ProvisioningState/succeeded\",\"level\":\"Info\",\"displayStatus\":\"Provisioning succeeded\","
                + "\"time\":\"2024-12-13T10:05:17.5Z\"}]}}}";
    }

    /** Stubs {@code pages} pages of {@code perPage} VMs each, linked by {@code nextLink}. */
    private void pages(int pages, int perPage, IntFunction<String> vmAt) {
        for (int p = 0; p < pages; p++) {
            StringBuilder b = new StringBuilder("{\"value\":[");
            for (int i = 0; i < perPage; i++) {
                b.append(i == 0 ? "" : ",").append(vmAt.apply(p * perPage + i));
            }
            b.append("]");
            if (p + 1 < pages) {
                b.append(",\"nextLink\":\"").append(azure.base).append(LIST)
                        .append("?api-version=2024-07-01&statusOnly=true&%24skiptoken=page").append(p + 1).append("\"");
            }
            b.append("}");
            azure.stubFor(get(path(LIST)).withQueryParam("statusOnly", equalTo("true"))
                    .withQueryParam("$skiptoken", p == 0 ? absent() : equalTo("page" + p))
                    .willReturn(json(200, b.toString())));
        }
    }

    @Test
    void namesComeFromTheCreateTagElseTheGroupAndThePowerStateIsLast() throws Exception {
        azure.stubFor(get(path(LIST)).withQueryParam("statusOnly", equalTo("true")).willReturn(json(200,
                "{\"value\":[" + vm("CONDORC1P0", "condorc1p0", "condorc1p0", "running") + ","
                        + vm("OTHER-RG", "somevm", null, "deallocated") + "]}")));
        List<VmStatus> list = await(azure.account().virtualMachines().list(VmQuery.all()));
        assertThat(list).containsExactly(
                new VmStatus("condorc1p0", List.of("ProvisioningState/succeeded", "PowerState/running"), true),
                new VmStatus("OTHER-RG", List.of("ProvisioningState/succeeded", "PowerState/deallocated"), false));
        assertThat(azure.armRequests()).hasSize(1);
    }

    @Test
    void fiveHundredVmsTakeOnePagedCallPerPageAndNoGetPerVm() throws Exception {
        pages(1, 500, i -> vm("condorc" + i + "p0", "condorc" + i + "p0", "condorc" + i + "p0", "running"));
        azure.resetJournal();
        List<VmStatus> list = await(azure.account().virtualMachines().list(VmQuery.all()));
        assertThat(list).hasSize(500);
        assertThat(azure.armRequests().stream().filter(r -> r.getUrl().contains("virtualMachines"))).hasSize(1);
    }

    @Test
    void thousandsOfVmsAcrossPagesAreListedCompletely() throws Exception {
        pages(8, 500, i -> vm("job" + i, "job" + i, "job" + i, i % 3 == 0 ? "deallocated" : "running"));
        List<VmStatus> list = await(azure.account().virtualMachines().list(VmQuery.all()));
        assertThat(list).hasSize(4000);
        assertThat(list).extracting(VmStatus::name).doesNotHaveDuplicates().contains("job0", "job3999");
        assertThat(azure.armRequests()).hasSize(8);
    }

    @Test
    void aFailingPageFailsTheWholeListNeverAPartialOne() {
        pages(3, 10, i -> vm("job" + i, "job" + i, "job" + i, "running"));
        azure.stubFor(get(path(LIST)).withQueryParam("$skiptoken", equalTo("page2")).atPriority(1)
                .willReturn(error(404, "NotFound", "The nextLink expired")));
        CloudException e = failure(azure.account().virtualMachines().list(VmQuery.all()));
        assertThat(e.code()).isEqualTo("NotFound");
    }

    @Test
    void listByNameAndByTag() throws Exception {
        azure.stubFor(get(path(LIST)).withQueryParam("statusOnly", equalTo("true")).willReturn(json(200,
                "{\"value\":[" + vm("A1", "a1", "a1", "running") + "," + vm("B2", "b2", null, "running") + "]}")));
        assertThat(await(azure.account().virtualMachines().list(new VmQuery.ByName("A1"))))
                .extracting(VmStatus::name).containsExactly("a1");
        assertThat(await(azure.account().virtualMachines().list(new VmQuery.ByName("nothing")))).isEmpty();
        assertThat(await(azure.account().virtualMachines().list(new VmQuery.ByTag("batch", "b1"))))
                .extracting(VmStatus::name).containsExactly("a1");
        assertThat(await(azure.account().virtualMachines().list(new VmQuery.ByTag("batch", "zz")))).isEmpty();
    }

    @Test
    void aListLongerThanOneResultLineIsAnsweredWholeForTheEncoderToFit() throws Exception {
        // 10,000 VMs of 60-character names: over 1 MB in full. Whether and how it fits in one result
        // line is the domain's ResultEncoder's to decide (it has compact forms), not the adapter's.
        String longName = "x".repeat(60);
        pages(10, 1000, i -> vm(longName + i, "v" + i, longName + i, "running"));
        List<VmStatus> list = await(azure.account().virtualMachines().list(VmQuery.all()));
        assertThat(list).hasSize(10_000).allSatisfy(v -> assertThat(v.createdByServer()).isTrue());
    }

    @Test
    void throttledListIsRetriedAfterRetryAfter() throws Exception {
        azure.stubFor(get(path(LIST)).inScenario("t").whenScenarioStateIs(
                        com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED).atPriority(1)
                .willReturn(error(429, "TooManyRequests", "slow down").withHeader("Retry-After", "1"))
                .willSetStateTo("ok"));
        pages(1, 2, i -> vm("j" + i, "j" + i, "j" + i, "running"));
        assertThat(await(azure.account().virtualMachines().list(VmQuery.all()))).hasSize(2);
        assertThat(azure.cloud.statistics().throttledRetries()).isEqualTo(1);
    }
}
