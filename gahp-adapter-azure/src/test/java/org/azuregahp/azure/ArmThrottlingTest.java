package org.azuregahp.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.azuregahp.azure.AzureWireMock.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import org.azuregahp.ports.VmCreated;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Azure's request budgets on the ARM simulator (issue 12.1), on a clock the test moves: the simulator
 * answers as Resource Manager and Compute do (counts on every answer, 429 with {@code Retry-After}
 * and Azure's words), and the adapter holds its calls back when the counts say so, rather than
 * learning from 429s.
 */
class ArmThrottlingTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final long S = ArmThrottling.S;
    static final String SUB = AzureWireMock.SUB;

    private final ManualTime time = new ManualTime();
    private AzureWireMock azure;
    private ArmSimulator simulator;

    @AfterEach
    void stop() {
        if (azure != null) {
            azure.close();
        }
    }

    // ---------------------------------------------------------------- the simulator, as Azure

    @Test
    void aPrincipalsWritesAre200AtOnceThen10ASecond() {
        ArmThrottling t = new ArmThrottling(time, ArmThrottling.Budgets.azure());
        ArmThrottling.Request put = new ArmThrottling.Request("PUT", SUB, "app", null, "", null);
        for (int i = 0; i < 200; i++) {
            ArmThrottling.Verdict v = t.admit(put);
            assertThat(v.refused()).isFalse();
            assertThat(v.headers()).containsEntry("x-ms-ratelimit-remaining-subscription-writes",
                    Integer.toString(199 - i)).containsEntry("x-ms-ratelimit-remaining-subscription-global-writes",
                            Integer.toString(2999 - i));
        }
        ArmThrottling.Verdict refused = t.admit(put);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
        assertThat(refused.refusal().path("error").path("code").asText()).isEqualTo("SubscriptionRequestsThrottled");
        assertThat(refused.refusal().path("error").path("message").asText()).isEqualTo("Number of 'write' requests"
                + " for subscription '" + SUB + "' actor 'app' exceeded. Please try again after '1' seconds after"
                + " additional tokens are available. Refer to https://aka.ms/arm-throttling for additional information.");
        time.advance(Duration.ofSeconds(3));
        int more = 0;
        while (!t.admit(put).refused()) {
            more++;
        }
        assertThat(more).isEqualTo(30);
        // Another principal has a bucket of its own; reads are another bucket.
        assertThat(t.admit(new ArmThrottling.Request("PUT", SUB, "other", null, "", null)).refused()).isFalse();
        assertThat(t.admit(new ArmThrottling.Request("GET", SUB, "app", null, "", null)).refused()).isFalse();
    }

    @Test
    void theGlobalBucketIsFifteenPrincipalsWorthAcrossThemAll() {
        ArmThrottling t = new ArmThrottling(time, ArmThrottling.Budgets.azure());
        int accepted = 0;
        for (int p = 0; p < 20; p++) {
            for (int i = 0; i < 200; i++) {
                if (!t.admit(new ArmThrottling.Request("DELETE", SUB, "p" + p, null, "", null)).refused()) {
                    accepted++;
                }
            }
        }
        assertThat(accepted).isEqualTo(3000);
    }

    @Test
    void networkTakesAThousandWritesPerFiveMinutesPerRegionAndReportsNoCounts() {
        ArmThrottling t = new ArmThrottling(time, new ArmThrottling.Budgets(1e6, 1e6, 1e6, 1e6, 1e6, 1e6, 15, 1000,
                10_000, 300));
        ArmThrottling.Request nic = new ArmThrottling.Request("PUT", SUB, "app", "Microsoft.Network",
                "networkinterfaces/{}", "westeurope");
        for (int i = 0; i < 1000; i++) {
            ArmThrottling.Verdict v = t.admit(nic);
            assertThat(v.refused()).isFalse();
            assertThat(v.headers()).doesNotContainKey("x-ms-ratelimit-remaining-resource");
        }
        ArmThrottling.Verdict refused = t.admit(nic);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
        assertThat(refused.refusal().path("error").path("code").asText()).isEqualTo("TooManyRequests");
        assertThat(t.admit(new ArmThrottling.Request("PUT", SUB, "app", "Microsoft.Network", "networkinterfaces/{}",
                "eastus")).refused()).isFalse();
    }

    @Test
    void computeReportsItsPoliciesPerRegionAndRefusesInItsOwnWords() {
        ArmThrottling t = new ArmThrottling(time, new ArmThrottling.Budgets(1e6, 1e6, 1e6, 1e6, 1e6, 1e6, 15, 1e6,
                1e6, 300));
        ArmThrottling.Request vm = new ArmThrottling.Request("PUT", SUB, "app", "Microsoft.Compute",
                "virtualmachines/{}", "westeurope");
        assertThat(t.admit(vm).headers()).containsEntry("x-ms-ratelimit-remaining-resource",
                "Microsoft.Compute/PutVM3Min;239,Microsoft.Compute/PutVM30Min;1199");
        for (int i = 0; i < 239; i++) {
            assertThat(t.admit(vm).refused()).isFalse();
        }
        ArmThrottling.Verdict refused = t.admit(vm);
        assertThat(refused.status()).isEqualTo(429);
        // One token of a 240-per-180-s policy: 0.75 s, so 1.
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
        assertThat(refused.headers().get("x-ms-ratelimit-remaining-resource")).startsWith("Microsoft.Compute/PutVM3Min;0,");
        assertThat(refused.refusal().path("code").asText()).isEqualTo("OperationNotAllowed");
        assertThat(refused.refusal().path("details").get(0).path("target").asText()).isEqualTo("PutVM3Min");
        assertThat(t.admit(new ArmThrottling.Request("PUT", SUB, "app", "Microsoft.Compute", "virtualmachines/{}",
                "eastus")).refused()).isFalse();
        assertThat(t.admit(new ArmThrottling.Request("GET", SUB, "app", "Microsoft.Compute", "virtualmachines", null))
                .headers().get("x-ms-ratelimit-remaining-resource")).isEqualTo(
                        "Microsoft.Compute/HighCostGet3Min;139,Microsoft.Compute/HighCostGet30Min;699");
    }

    @Test
    void everyAnswerCarriesTheCountsAndA429CarriesRetryAfterOnTheWire() throws Exception {
        simulator = new ArmSimulator(SUB, AzureWireMock.TENANT);
        azure = new AzureWireMock(AzureSettings.defaults(), Clock.systemUTC(), simulator, time, time::scheduler);
        simulator.throttling(time, ArmThrottling.Budgets.azure());
        HttpClient http = plainClient();
        String token = tokenFor(http, "c0ffee00-0000-4000-8000-000000000001");
        HttpResponse<String> read = http.send(get("/subscriptions/" + SUB + "/resourcegroups?api-version=2025-04-01",
                token), HttpResponse.BodyHandlers.ofString());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.headers().firstValue("x-ms-ratelimit-remaining-subscription-reads")).hasValue("249");
        assertThat(read.headers().firstValue("x-ms-ratelimit-remaining-subscription-global-reads")).hasValue("3749");
        drain(simulator, "c0ffee00-0000-4000-8000-000000000001", "PUT", 200);
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(azure.base + "/subscriptions/" + SUB
                + "/resourcegroups/g1?api-version=2025-04-01")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"location\":\"westeurope\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(refused.headers().firstValue("x-ms-ratelimit-remaining-subscription-writes")).hasValue("0");
        assertThat(JSON.readTree(refused.body()).path("error").path("message").asText())
                .contains("actor 'c0ffee00-0000-4000-8000-000000000001'");
    }

    // ---------------------------------------------------------------- the adapter against it

    @Test
    void theAdapterHoldsItsWritesBackWhenTheCountsSayTheBucketIsLowInsteadOfMeeting429s() throws Exception {
        start();
        // Other servers of this principal have left 3 writes in the bucket.
        drain(simulator, "unknown", "PUT", 197);
        CompletableFuture<VmCreated> create = azure.account().virtualMachines()
                .create(RealAzureRulesTest.ubuntu("paced1")).toCompletableFuture();
        // The first writes go; the counts they bring back say the bucket is nearly empty, so the next
        // is held until it refills (on the test's clock, which stands still).
        awaitCondition(() -> time.pending() > 0 && writes() >= 1);
        settle();
        assertThat(create).isNotDone();
        assertThat(simulator.throttling().refusals()).as("429s").isZero();
        long writesSoFar = writes();
        assertThat(writesSoFar).isBetween(1L, 3L);
        time.advance(Duration.ofMinutes(1));
        awaitCondition(create::isDone);
        assertThat(create.get().vmId()).isNotBlank();
        assertThat(simulator.throttling().refusals()).as("429s").isZero();
        assertThat(writes()).isGreaterThan(writesSoFar);
    }

    @Test
    void after429TheAdapterWaitsForItsRetryAfterInsteadOfRetryingAtOnce() throws Exception {
        start();
        drain(simulator, "unknown", "PUT", 200);
        CompletableFuture<VmCreated> create = azure.account().virtualMachines()
                .create(RealAzureRulesTest.ubuntu("paced2")).toCompletableFuture();
        awaitCondition(() -> simulator.throttling().refusals() >= 1 && time.pending() > 0);
        settle();
        // The SDK's retry comes back after Retry-After (real time), and the budgets hold it: the bucket
        // is closed until Retry-After on the test's clock, which has not moved.
        assertThat(create).isNotDone();
        assertThat(simulator.throttling().refusals()).isEqualTo(1);
        time.advance(Duration.ofSeconds(30));
        awaitCondition(create::isDone);
        assertThat(create.get().vmId()).isNotBlank();
        assertThat(simulator.throttling().refusals()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- helpers

    private void start() {
        simulator = new ArmSimulator(SUB, AzureWireMock.TENANT);
        azure = new AzureWireMock(AzureSettings.defaults(), Clock.systemUTC(), simulator, time, time::scheduler);
        simulator.throttling(time, ArmThrottling.Budgets.azure());
    }

    private long writes() {
        return azure.armWrites();
    }

    /** Lets the adapter's in-flight work finish (real time for its HTTP round trips, none for the test's clock). */
    private void settle() throws InterruptedException {
        int stable = 0;
        int last = -1;
        for (int i = 0; i < 200 && stable < 5; i++) {
            int n = azure.server.getAllServeEvents().size();
            stable = n == last ? stable + 1 : 0;
            last = n;
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private static void awaitCondition(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 1200 && !condition.getAsBoolean(); i++) {
            TimeUnit.MILLISECONDS.sleep(25);
        }
        assertThat(condition.getAsBoolean()).as("condition reached").isTrue();
    }

    /** Takes {@code n} tokens from the principal's bucket, as other servers' calls would. */
    private static void drain(ArmSimulator simulator, String principal, String method, int n) {
        for (int i = 0; i < n; i++) {
            assertThat(simulator.throttling().admit(new ArmThrottling.Request(method, SUB, principal, null, "", null))
                    .refused()).isFalse();
        }
    }

    private HttpRequest get(String path, String token) {
        return HttpRequest.newBuilder(URI.create(azure.base + path)).header("Authorization", "Bearer " + token).GET()
                .build();
    }

    private String tokenFor(HttpClient http, String clientId) throws Exception {
        // Straight to the simulator's identity service (the AzureWireMock stub answers the adapter's tenant).
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(azure.base + "/other-tenant/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("client_id=" + clientId + "&grant_type=client_credentials"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        return body.path("access_token").asText();
    }

    private static HttpClient plainClient() throws Exception {
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        try (var in = ArmThrottlingTest.class.getResourceAsStream("/tls/test-truststore.p12")) {
            trust.load(in, "changeit".toCharArray());
        }
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).build();
    }
}
