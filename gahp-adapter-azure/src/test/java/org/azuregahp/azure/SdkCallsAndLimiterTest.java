package org.azuregahp.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.azuregahp.azure.AzureWireMock.failure;
import static org.azuregahp.azure.AzureWireMock.json;
import static org.azuregahp.azure.AzureWireMock.path;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.VmQuery;
import org.junit.jupiter.api.Test;

class SdkCallsAndLimiterTest {

    @Test
    void theLimiterHoldsAtMostItsPermitsAndServesWaitersInOrder() {
        Limiter limiter = new Limiter(2);
        assertThat(limiter.acquire()).isCompleted();
        assertThat(limiter.acquire()).isCompleted();
        CompletableFuture<Void> third = limiter.acquire();
        CompletableFuture<Void> fourth = limiter.acquire();
        assertThat(third).isNotDone();
        assertThat(limiter.waiting()).isEqualTo(2);
        limiter.release();
        assertThat(third).isCompleted();
        assertThat(fourth).isNotDone();
        limiter.release();
        assertThat(fourth).isCompleted();
        limiter.release();
        limiter.release();
        assertThat(limiter.inUse()).isZero();
    }

    @Test
    void anOperationPastItsDeadlineIsAClearErrorResult() {
        try (AzureWireMock azure = new AzureWireMock(AzureSettings.defaults().withOperationDeadline(Duration.ofMillis(1500)))) {
            azure.stubFor(get(path("/subscriptions/" + AzureWireMock.SUB + "/providers/Microsoft.Compute/virtualMachines"))
                    .willReturn(json(200, "{\"value\":[]}").withFixedDelay(5000)));
            long t0 = System.nanoTime();
            CloudException e = failure(azure.account().virtualMachines().list(VmQuery.all()));
            assertThat(e.code()).isEqualTo(CloudException.TIMEOUT);
            assertThat(e.getMessage()).contains("AZURE_VM_LIST").contains("did not finish within 1 s");
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(4000);
        }
    }

    @Test
    void aCreateThatOutlivesItsDeadlineFailsClearlyAndRemovesItsGroup() {
        try (AzureWireMock azure = new AzureWireMock(AzureSettings.defaults().withOperationDeadline(Duration.ofSeconds(2)))) {
            azure.sharedNetworkExists("westeurope");
            azure.vmCreateOk("slow", "id-slow", "20.0.0.1");
            azure.groupDeleteOk("slow");
            String vm = AzureWireMock.providerPath("slow", "Microsoft.Compute", "virtualMachines", "slow");
            azure.stubFor(com.github.tomakehurst.wiremock.client.WireMock.put(path(vm)).atPriority(1)
                    .willReturn(json(201, AzureWireMock.vmBody("slow", "slow", "Creating", "id-slow"))
                            .withHeader("Azure-AsyncOperation", azure.base + "/never/finishes")));
            azure.stubFor(get(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/never/finishes"))
                    .willReturn(json(200, "{\"status\":\"InProgress\"}")));
            CloudException e = failure(azure.account().virtualMachines().create(VirtualMachinesTest.spec("slow")));
            assertThat(e.code()).isEqualTo(CloudException.TIMEOUT);
            assertThat(e.getMessage()).contains("AZURE_VM_CREATE slow did not finish");
            azure.server.verify(1, com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor(
                    path(AzureWireMock.rgPath("slow"))));
        }
    }

    @Test
    void operationsBeyondTheCapWaitTheirTurnAndAllComplete() throws Exception {
        try (AzureWireMock azure = new AzureWireMock(AzureSettings.defaults().withMaxConcurrentPerSubscription(2))) {
            azure.stubFor(get(path("/subscriptions/" + AzureWireMock.SUB + "/providers/Microsoft.Compute/virtualMachines"))
                    .willReturn(json(200, "{\"value\":[]}").withFixedDelay(300)));
            AzureWireMock.await(azure.account().ping().exceptionally(t -> null)); // warm the token
            List<CompletionStage<?>> stages = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < 6; i++) {
                stages.add(azure.account().virtualMachines().list(VmQuery.all()));
            }
            for (CompletionStage<?> s : stages) {
                AzureWireMock.await(s);
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            // six 300 ms calls, two at a time: at least three rounds
            assertThat(ms).isGreaterThanOrEqualTo(850);
        }
    }
}
