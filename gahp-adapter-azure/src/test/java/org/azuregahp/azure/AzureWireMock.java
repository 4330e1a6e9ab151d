package org.azuregahp.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.azuregahp.ports.AccountRef;
import org.azuregahp.ports.CloudAccount;
import org.azuregahp.ports.CloudException;

/**
 * WireMock over HTTPS standing in for Azure: the identity service's token endpoint and Resource
 * Manager, with helpers that answer like the recorded traffic (201 + {@code Azure-AsyncOperation},
 * {@code InProgress} then {@code Succeeded}; 202 + {@code Location} for deletes).
 */
final class AzureWireMock implements AutoCloseable {
    static final String SUB = "00000000-0000-0000-0000-000000000001";
    static final String TENANT = "7a8b9c0d-1111-2222-3333-444455556666";
    static final String CLIENT_ID = "c11e47a1-aaaa-bbbb-cccc-ddddeeeeffff";
    static final String SECRET = "Sup3r-Secret-Value_ZQXJ~never.shown";
    static final String TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.fake-test-token.sig";

    final WireMockServer server;
    final String base;
    final Path dir;
    final Path credFile;
    /** What the credential files the adapter is asked about hold (it reads no file itself). */
    final TestCredentials credentials = new TestCredentials();
    final AzureCloud cloud;
    private final AtomicInteger ops = new AtomicInteger();

    AzureWireMock() {
        this(AzureSettings.defaults());
    }

    AzureWireMock(AzureSettings settings) {
        this(settings, java.time.Clock.systemUTC());
    }

    AzureWireMock(AzureSettings settings, java.time.Clock clock) {
        this(settings, clock, null);
    }

    /** With a stateful {@link ArmSimulator} answering every request the token stub does not. */
    AzureWireMock(AzureSettings settings, java.time.Clock clock, ArmSimulator simulator) {
        this(settings, clock, simulator, System::nanoTime, () -> reactor.core.scheduler.Schedulers.parallel());
    }

    /** As above, with the adapter's pacing on the test's clock ({@code nanos}) and timer ({@code timers}). */
    AzureWireMock(AzureSettings settings, java.time.Clock clock, ArmSimulator simulator,
            java.util.function.LongSupplier nanos, java.util.function.Supplier<reactor.core.scheduler.Scheduler> timers) {
        var options = options().dynamicHttpsPort().httpDisabled(true).containerThreads(40).jettyAcceptors(2)
                .keystorePath(resource("/tls/test-keystore.p12")).keystoreType("PKCS12").keystorePassword("changeit")
                .keyManagerPassword("changeit");
        if (simulator != null) {
            options.extensions(simulator);
        }
        server = new WireMockServer(options);
        server.start();
        base = "https://localhost:" + server.httpsPort();
        try {
            dir = Files.createTempDirectory("azure-gahp-wm");
            credFile = dir.resolve("azure_auth.json");
            writeCredentials(SECRET);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        cloud = AzureCloud.create(settings.withPollInterval(Duration.ofMillis(20)).withMaxRetries(3), credentials,
                trustingClient(), nanos, clock, timers);
        stubToken();
        if (simulator != null) {
            simulator.base(base);
            server.stubFor(any(com.github.tomakehurst.wiremock.client.WireMock.anyUrl()).atPriority(10)
                    .willReturn(aResponse().withTransformers(ArmSimulator.NAME)));
        }
    }

    /** The credential file now holds this client secret (and the stand-in's endpoints), as a new version. */
    void writeCredentials(String secret) throws IOException {
        credentials.put(credFile, TestCredentials.secret(CLIENT_ID, secret, TENANT, base,
                Map.of("activedirectorygraphresourceid", "https://graph.windows.net/",
                        "managementendpointurl", "https://management.core.windows.net/")));
    }

    /**
     * The adapter's HTTP client (the JDK's, as in production) trusting only the test certificate
     * WireMock serves ({@code src/test/resources/tls}, valid for localhost): TLS and host-name checks
     * stay on, as against Azure.
     */
    static HttpClient trustingClient() {
        try (InputStream in = AzureWireMock.class.getResourceAsStream("/tls/test-truststore.p12")) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(in, "changeit".toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(ssl)).build();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A class-path resource as a file (copied out when it sits in a jar, as in gahp-it). */
    static String resource(String name) {
        try (InputStream in = AzureWireMock.class.getResourceAsStream(name)) {
            Path f = Files.createTempFile("azure-gahp-wm", name.substring(name.lastIndexOf('/') + 1));
            Files.copy(in, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            f.toFile().deleteOnExit();
            return f.toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    CloudAccount account() {
        return cloud.account(new AccountRef(credFile.toString(), SUB));
    }

    // ---------------------------------------------------------------- identity

    void stubToken() {
        server.stubFor(post(urlPathMatching("/" + TENANT + "/oauth2/v2.0/token")).atPriority(5)
                .willReturn(json(200, "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"ext_expires_in\":3599,"
                        + "\"access_token\":\"" + TOKEN + "\"}")));
    }

    void stubTokenRejected() {
        server.stubFor(post(urlPathMatching("/" + TENANT + "/oauth2/v2.0/token")).atPriority(1)
                .willReturn(json(401, "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: "
                        + "Invalid client secret provided. Ensure the secret being sent in the request is the client "
                        + "secret value, not the client secret ID, for a secret added to app '" + CLIENT_ID
                        + "'. Trace ID: x\",\"error_codes\":[7000215]}")));
    }

    List<LoggedRequest> tokenRequests() {
        return server.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                urlPathMatching("/.*/oauth2/v2.0/token")));
    }

    /** Every request to Resource Manager (everything but the identity service). */
    List<LoggedRequest> armRequests() {
        List<LoggedRequest> all = new java.util.ArrayList<>(server.getAllServeEvents().stream().map(e -> e.getRequest())
                .filter(r -> !r.getUrl().contains("/oauth2/"))
                .toList());
        java.util.Collections.reverse(all); // the journal lists the newest first
        return all;
    }

    long armWrites() {
        return armRequests().stream().filter(r -> !r.getMethod().getName().equals("GET")).count();
    }

    void resetJournal() {
        server.resetRequests();
    }

    // ---------------------------------------------------------------- ARM paths

    static String rgPath(String group) {
        return "/subscriptions/" + SUB + "/resourcegroups/" + group;
    }

    static String providerPath(String group, String provider, String type, String name) {
        return "/subscriptions/" + SUB + "/resourceGroups/" + group + "/providers/" + provider + "/" + type + "/" + name;
    }

    static String id(String group, String provider, String type, String name) {
        return providerPath(group, provider, type, name);
    }

    /** Matches a path case-insensitively (the SDK writes {@code resourcegroups} or {@code resourceGroups}). */
    static com.github.tomakehurst.wiremock.matching.UrlPathPattern path(String p) {
        return urlPathMatching("(?i)" + Pattern.quote(p));
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=utf-8")
                .withHeader("x-ms-request-id", UUID.randomUUID().toString()).withBody(body);
    }

    static ResponseDefinitionBuilder error(int status, String code, String message) {
        return json(status, "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}");
    }

    void stubFor(MappingBuilder m) {
        server.stubFor(m);
    }

    // ---------------------------------------------------------------- resource groups

    static String rgBody(String group, String location, String tagsJson, String state) {
        return "{\"id\":\"/subscriptions/" + SUB + "/resourceGroups/" + group + "\",\"name\":\"" + group
                + "\",\"type\":\"Microsoft.Resources/resourceGroups\",\"location\":\"" + location + "\","
                + (tagsJson == null ? "" : "\"tags\":" + tagsJson + ",")
                + "\"properties\":{\"provisioningState\":\"" + state + "\"}}";
    }

    void groupMissing(String group) {
        server.stubFor(get(path(rgPath(group))).willReturn(error(404, "ResourceGroupNotFound",
                "Resource group '" + group + "' could not be found.")));
    }

    void groupExists(String group, String tagsJson) {
        server.stubFor(get(path(rgPath(group))).willReturn(json(200, rgBody(group, "westeurope", tagsJson,
                "Succeeded"))));
    }

    void groupPutOk(String group) {
        server.stubFor(put(path(rgPath(group))).willReturn(json(201, rgBody(group, "westeurope", "{}",
                "Succeeded"))));
    }

    /** DELETE answers 202 with a Location that reports 202 once, then 200. */
    void groupDeleteOk(String group) {
        String op = base + "/subscriptions/" + SUB + "/operationresults/" + nextOp("rgdel");
        server.stubFor(delete(path(rgPath(group))).willReturn(aResponse().withStatus(202)
                .withHeader("Location", op).withHeader("Retry-After", "0")));
        String scenario = "rgdel-" + group + "-" + ops.incrementAndGet();
        String opPath = op.substring(base.length());
        server.stubFor(get(urlPathEqualTo(opPath)).inScenario(scenario).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(202).withHeader("Location", op).withHeader("Retry-After", "0"))
                .willSetStateTo("done"));
        server.stubFor(get(urlPathEqualTo(opPath)).inScenario(scenario).whenScenarioStateIs("done")
                .willReturn(aResponse().withStatus(200)));
    }

    String nextOp(String prefix) {
        return prefix + "-" + ops.incrementAndGet() + "-" + UUID.randomUUID();
    }

    // ---------------------------------------------------------------- long-running PUTs

    /**
     * PUT answers 201 with {@code Azure-AsyncOperation}; the operation reports InProgress once, then
     * Succeeded (or the given failure); the final GET of the resource answers {@code finalBody}.
     */
    void lroPut(String resourcePath, String creatingBody, String finalBody, String failureCode) {
        String opPath = "/subscriptions/" + SUB + "/providers/Microsoft.Test/locations/westeurope/operations/"
                + nextOp("op");
        String opUrl = base + opPath + "?api-version=2024-07-01";
        server.stubFor(put(path(resourcePath)).willReturn(json(201, creatingBody)
                .withHeader("Azure-AsyncOperation", opUrl).withHeader("Retry-After", "0")
                .withHeader("x-ms-ratelimit-remaining-subscription-writes", "1198")));
        String scenario = "lro-" + opPath;
        server.stubFor(get(urlPathEqualTo(opPath)).inScenario(scenario).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(200, "{\"startTime\":\"2024-12-13T10:04:25Z\",\"status\":\"InProgress\","
                        + "\"name\":\"x\"}").withHeader("Retry-After", "0"))
                .willSetStateTo("done"));
        String done = failureCode == null
                ? "{\"startTime\":\"2024-12-13T10:04:25Z\",\"endTime\":\"2024-12-13T10:05:17Z\",\"status\":\"Succeeded\",\"name\":\"x\"}"
                : "{\"status\":\"Failed\",\"error\":{\"code\":\"" + failureCode + "\",\"message\":\"Operation failed: "
                        + failureCode + " in the test\"}}";
        server.stubFor(get(urlPathEqualTo(opPath)).inScenario(scenario).whenScenarioStateIs("done")
                .willReturn(json(200, done)));
        server.stubFor(get(path(resourcePath)).willReturn(json(200, finalBody)));
    }

    // ---------------------------------------------------------------- network

    String vnetBody(String group) {
        String vnetId = id(group, "Microsoft.Network", "virtualNetworks", Names.VNET);
        return "{\"name\":\"" + Names.VNET + "\",\"id\":\"" + vnetId + "\",\"location\":\"westeurope\","
                + "\"type\":\"Microsoft.Network/virtualNetworks\",\"properties\":{\"provisioningState\":\"Succeeded\","
                + "\"addressSpace\":{\"addressPrefixes\":[\"10.0.0.0/16\"]},\"subnets\":[{\"name\":\"" + Names.SUBNET
                + "\",\"id\":\"" + vnetId + "/subnets/" + Names.SUBNET + "\",\"properties\":{\"addressPrefix\":"
                + "\"10.0.0.0/16\",\"provisioningState\":\"Succeeded\"}}]}}";
    }

    String nsgBody(String group, String name) {
        return "{\"name\":\"" + name + "\",\"id\":\"" + id(group, "Microsoft.Network", "networkSecurityGroups", name)
                + "\",\"location\":\"westeurope\",\"type\":\"Microsoft.Network/networkSecurityGroups\","
                + "\"properties\":{\"provisioningState\":\"Succeeded\"}}";
    }

    /** The shared network group, virtual network and security groups already exist. */
    void sharedNetworkExists(String location) {
        String group = "azure-gahp-net-" + location;
        groupExists(group, "{\"azure-gahp\":\"network\"}");
        server.stubFor(get(path(providerPath(group, "Microsoft.Network", "virtualNetworks", Names.VNET)))
                .willReturn(json(200, vnetBody(group))));
        for (String nsg : List.of(Names.NSG_SSH, Names.NSG_RDP)) {
            server.stubFor(get(path(providerPath(group, "Microsoft.Network", "networkSecurityGroups", nsg)))
                    .willReturn(json(200, nsgBody(group, nsg))));
        }
    }

    /** Nothing shared exists yet: the first create makes the group, virtual network and security group. */
    void sharedNetworkMissing(String location) {
        String group = "azure-gahp-net-" + location;
        groupMissing(group);
        groupPutOk(group);
        String vnet = providerPath(group, "Microsoft.Network", "virtualNetworks", Names.VNET);
        server.stubFor(get(path(vnet)).inScenario("vnet-" + group).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(error(404, "ResourceNotFound", "The Resource 'Microsoft.Network/virtualNetworks/"
                        + Names.VNET + "' under resource group '" + group + "' was not found.")));
        server.stubFor(put(path(vnet)).inScenario("vnet-" + group).willSetStateTo("made")
                .willReturn(json(201, vnetBody(group).replace("Succeeded", "Updating"))
                        .withHeader("Azure-AsyncOperation", base + "/netop/" + group + "/vnet")));
        server.stubFor(get(path(vnet)).inScenario("vnet-" + group).whenScenarioStateIs("made")
                .willReturn(json(200, vnetBody(group))));
        server.stubFor(get(urlPathEqualTo("/netop/" + group + "/vnet")).willReturn(json(200, "{\"status\":\"Succeeded\"}")));
        for (String nsg : List.of(Names.NSG_SSH, Names.NSG_RDP)) {
            String p = providerPath(group, "Microsoft.Network", "networkSecurityGroups", nsg);
            server.stubFor(get(path(p)).inScenario("nsg-" + nsg).whenScenarioStateIs(Scenario.STARTED)
                    .willReturn(error(404, "ResourceNotFound", "not found")));
            server.stubFor(put(path(p)).inScenario("nsg-" + nsg).willSetStateTo("made")
                    .willReturn(json(201, nsgBody(group, nsg)).withHeader("Azure-AsyncOperation",
                            base + "/netop/" + group + "/" + nsg)));
            server.stubFor(get(path(p)).inScenario("nsg-" + nsg).whenScenarioStateIs("made")
                    .willReturn(json(200, nsgBody(group, nsg))));
            server.stubFor(get(urlPathEqualTo("/netop/" + group + "/" + nsg))
                    .willReturn(json(200, "{\"status\":\"Succeeded\"}")));
        }
    }

    // ---------------------------------------------------------------- VM create

    static String publicIpBody(String group, String name, String state, String address) {
        return "{\"name\":\"" + name + "\",\"id\":\"" + id(group, "Microsoft.Network", "publicIPAddresses", name)
                + "\",\"location\":\"westeurope\",\"sku\":{\"name\":\"Standard\",\"tier\":\"Regional\"},"
                + "\"properties\":{\"provisioningState\":\"" + state + "\","
                + (address == null ? "" : "\"ipAddress\":\"" + address + "\",")
                + "\"publicIPAddressVersion\":\"IPv4\",\"publicIPAllocationMethod\":\"Static\"}}";
    }

    static String nicBody(String group, String name, String state) {
        return "{\"name\":\"" + name + "\",\"id\":\"" + id(group, "Microsoft.Network", "networkInterfaces", name)
                + "\",\"location\":\"westeurope\",\"properties\":{\"provisioningState\":\"" + state + "\","
                + "\"ipConfigurations\":[{\"name\":\"ipconfig1\",\"properties\":{\"privateIPAddress\":\"10.0.0.4\"}}]}}";
    }

    static String vmBody(String group, String name, String state, String vmId) {
        return "{\"name\":\"" + name + "\",\"id\":\"" + id(group, "Microsoft.Compute", "virtualMachines", name)
                + "\",\"type\":\"Microsoft.Compute/virtualMachines\",\"location\":\"westeurope\","
                + "\"tags\":{\"azure-gahp\":\"vm\",\"azure-gahp-name\":\"" + name + "\"},"
                + "\"properties\":{\"hardwareProfile\":{\"vmSize\":\"Standard_B1s\"},\"provisioningState\":\"" + state
                + "\",\"vmId\":\"" + vmId + "\"}}";
    }

    /** Every step of {@code AZURE_VM_CREATE name} succeeds (the shared network must be stubbed separately). */
    void vmCreateOk(String name, String vmId, String address) {
        groupMissing(name);
        groupPutOk(name);
        String ip = providerPath(name, "Microsoft.Network", "publicIPAddresses", name + "-ip");
        lroPut(ip, publicIpBody(name, name + "-ip", "Updating", null), publicIpBody(name, name + "-ip", "Succeeded",
                address), null);
        String nic = providerPath(name, "Microsoft.Network", "networkInterfaces", name + "-nic");
        lroPut(nic, nicBody(name, name + "-nic", "Updating"), nicBody(name, name + "-nic", "Succeeded"), null);
        String vm = providerPath(name, "Microsoft.Compute", "virtualMachines", name);
        lroPut(vm, vmBody(name, name, "Creating", vmId), vmBody(name, name, "Succeeded", vmId), null);
    }

    /** A POST (start, deallocate, restart, publish) answering 202 with an operation that succeeds on the second poll. */
    void lroPost(String actionPath) {
        String opPath = "/subscriptions/" + SUB + "/providers/Microsoft.Test/locations/westeurope/operations/"
                + nextOp("post");
        server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(path(actionPath))
                .willReturn(aResponse().withStatus(202).withHeader("Azure-AsyncOperation", base + opPath)
                        .withHeader("Retry-After", "0")));
        String scenario = "post-" + opPath;
        server.stubFor(get(urlPathEqualTo(opPath)).inScenario(scenario).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(200, "{\"status\":\"InProgress\"}")).willSetStateTo("done"));
        server.stubFor(get(urlPathEqualTo(opPath)).inScenario(scenario).whenScenarioStateIs("done")
                .willReturn(json(200, "{\"status\":\"Succeeded\"}")));
    }

    // ---------------------------------------------------------------- helpers for tests

    static <T> T await(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) AzureErrors.unwrap(e);
        }
    }

    static CloudException failure(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable t = AzureErrors.unwrap(e);
            if (t instanceof CloudException ce) {
                return ce;
            }
            throw new AssertionError("expected a CloudException, got " + t, t);
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("stage did not complete", e);
        }
        throw new AssertionError("expected the stage to fail");
    }

    static boolean containsIgnoreCase(String text, String needle) {
        return text != null && text.toLowerCase(Locale.ROOT).contains(needle.toLowerCase(Locale.ROOT));
    }

    static MappingBuilder anyRequest() {
        return any(urlPathMatching(".*"));
    }

    @Override
    public void close() {
        cloud.close();
        server.stop();
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temp files only
        }
    }
}
