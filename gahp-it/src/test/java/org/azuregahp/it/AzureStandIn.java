package org.azuregahp.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.azuregahp.azure.AzureSimulatorAccess;

/**
 * WireMock over HTTPS standing in for Azure in front of the real launcher: the identity service's
 * token endpoint, and the Azure adapter's stateful {@code ArmSimulator} (from its test-jar) for
 * everything else, behind a gate that can answer a share of Resource Manager calls with 429 and
 * {@code Retry-After}. WireMock serves the adapter's test-only certificate; the launcher trusts it
 * through {@code JAVA_OPTS} ({@link #env()}), exactly as a user would point it at Azure Stack.
 */
final class AzureStandIn implements AutoCloseable {
    static final String SUB = "00000000-0000-0000-0000-000000000001";
    static final String TENANT = "7a8b9c0d-1111-2222-3333-444455556666";
    static final String CLIENT_ID = "c11e47a1-aaaa-bbbb-cccc-ddddeeeeffff";
    /** The access token the stand-in issues; it belongs in Authorization headers, nowhere else. */
    static final String TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.it-canary-access-token.sig";
    static final String STOREPASS = "changeit";

    final WireMockServer server;
    final String base;
    final Path dir;
    final Path credFile;
    final Path trustStore;
    final String secret;
    final AzureSimulatorAccess simulator;
    final Gate gate;
    final Watch watch;

    /** Serves on a dynamic HTTPS port; {@code secret} is the credential file's clientSecret (a canary). */
    AzureStandIn(Path dir, String secret) throws IOException {
        this.dir = dir;
        this.secret = secret;
        Path keystore = extract("/tls/test-keystore.p12", dir.resolve("wiremock-keystore.p12"));
        trustStore = extract("/tls/test-truststore.p12", dir.resolve("truststore.p12"));
        simulator = new AzureSimulatorAccess(SUB, TENANT);
        gate = new Gate(simulator);
        watch = new Watch(secret, TOKEN);
        server = new WireMockServer(options().dynamicHttpsPort().httpDisabled(true)
                .keystorePath(keystore.toString()).keystoreType("PKCS12").keystorePassword(STOREPASS)
                .keyManagerPassword(STOREPASS).containerThreads(80).jettyAcceptors(2)
                .asynchronousResponseEnabled(false).extensions(gate, watch));
        server.start();
        base = "https://localhost:" + server.httpsPort();
        simulator.base(base);
        gate.base(base);
        credFile = writeCredentials("azure_auth.json", TENANT, secret);
        stubToken(TENANT);
        server.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withTransformers(Gate.NAME)));
    }

    private static Path extract(String resource, Path target) throws IOException {
        try (InputStream in = AzureStandIn.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is not on the test class path (gahp-adapter-azure's test-jar)");
            }
            Files.copy(in, target);
        }
        return target;
    }

    /** A credential file in the {@code az ad sp create-for-rbac --sdk-auth} form, endpoints at the stand-in. */
    Path writeCredentials(String fileName, String tenant, String clientSecret) throws IOException {
        Path f = dir.resolve(fileName);
        Files.writeString(f, "{\n"
                + "  \"clientId\": \"" + CLIENT_ID + "\",\n"
                + "  \"clientSecret\": \"" + clientSecret + "\",\n"
                + "  \"subscriptionId\": \"" + SUB + "\",\n"
                + "  \"tenantId\": \"" + tenant + "\",\n"
                + "  \"activeDirectoryEndpointUrl\": \"" + base + "\",\n"
                + "  \"resourceManagerEndpointUrl\": \"" + base + "/\",\n"
                + "  \"activeDirectoryGraphResourceId\": \"https://graph.windows.net/\",\n"
                + "  \"managementEndpointUrl\": \"https://management.core.windows.net/\"\n"
                + "}\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    /** The environment the launcher needs to trust the stand-in: the JVM's standard trust-store options. */
    Map<String, String> env() {
        return Map.of("JAVA_OPTS", "-Djavax.net.ssl.trustStore=" + trustStore + " -Djavax.net.ssl.trustStorePassword="
                + STOREPASS + " -Djavax.net.ssl.trustStoreType=PKCS12");
    }

    /** The real launcher on Azure (the stand-in), polling long-running operations every 10 ms. */
    GahpProcess launch(String... extraArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of("--cloud", "azure", "--azure-poll-interval", "10ms"));
        args.addAll(List.of(extraArgs));
        return GahpProcess.start(env(), args.toArray(String[]::new));
    }

    // ---------------------------------------------------------------- identity

    void stubToken(String tenant) {
        server.stubFor(post(urlPathEqualTo("/" + tenant + "/oauth2/v2.0/token")).atPriority(5)
                .willReturn(json(200, "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"ext_expires_in\":3599,"
                        + "\"access_token\":\"" + TOKEN + "\"}")));
    }

    /** The identity service refuses the secret for this tenant, as Azure AD does (AADSTS7000215). */
    void stubTokenRejected(String tenant) {
        server.stubFor(post(urlPathEqualTo("/" + tenant + "/oauth2/v2.0/token")).atPriority(1)
                .willReturn(json(401, "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: "
                        + "Invalid client secret provided. Ensure the secret being sent in the request is the client "
                        + "secret value, not the client secret ID, for a secret added to app '" + CLIENT_ID
                        + "'. Trace ID: x\",\"error_codes\":[7000215]}")));
    }

    // ---------------------------------------------------------------- journal

    /** Every request, oldest first. */
    List<LoggedRequest> allRequests() {
        List<LoggedRequest> all = new ArrayList<>(server.getAllServeEvents().stream().map(ServeEvent::getRequest)
                .toList());
        Collections.reverse(all); // the journal lists the newest first
        return all;
    }

    List<LoggedRequest> tokenRequests() {
        return allRequests().stream().filter(AzureStandIn::isToken).toList();
    }

    /** Every request to Resource Manager (everything but the identity service), oldest first. */
    List<LoggedRequest> armRequests() {
        return allRequests().stream().filter(r -> !isToken(r)).toList();
    }

    long armWrites() {
        return armRequests().stream().filter(AzureStandIn::isWrite).count();
    }

    static boolean isToken(LoggedRequest r) {
        return r.getUrl().contains("/oauth2/");
    }

    static boolean isWrite(LoggedRequest r) {
        return !r.getMethod().getName().equals("GET") && !r.getMethod().getName().equals("HEAD");
    }

    void resetJournal() {
        server.resetRequests();
    }

    // ---------------------------------------------------------------- answers

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=utf-8")
                .withHeader("x-ms-request-id", UUID.randomUUID().toString()).withBody(body);
    }

    static ResponseDefinitionBuilder error(int status, String code, String message) {
        return json(status, "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}");
    }

    @Override
    public void close() {
        server.stop();
    }

    /**
     * In front of the simulator: answers an exact share of Resource Manager calls with
     * {@code 429 TooManyRequests} and {@code Retry-After}, as a throttled subscription does (never
     * more than {@code maxConsecutive} times in a row for one method and URL), and records every
     * call it sees with its arrival time.
     */
    static final class Gate implements ResponseDefinitionTransformerV2 {
        static final String NAME = "azure-it-gate";

        /** One call the gate saw: arrival (System.nanoTime), method, lower-cased path, and whether it was throttled. */
        record Call(long nanos, String method, String path, boolean throttled) {
        }

        private final AzureSimulatorAccess simulator;
        private final List<Call> calls = new ArrayList<>();
        /** Long-running operations in progress: id to the polls still to answer "in progress". */
        private final Map<String, Integer> operations = new HashMap<>();
        private volatile String base = "";
        private volatile boolean longRunning;
        private final Map<String, Integer> consecutive = new HashMap<>();
        private double offset;
        private long decided;
        private double rate;
        private int maxConsecutive;
        private int retryAfterSeconds = 1;

        Gate(AzureSimulatorAccess simulator) {
            this.simulator = simulator;
        }

        @Override
        public String getName() {
            return NAME;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        /** From now on, answer {@code rate} of the calls with 429 and {@code Retry-After: retryAfterSeconds}. */
        synchronized void throttle(double rate, long seed, int maxConsecutive, int retryAfterSeconds) {
            this.rate = rate;
            this.offset = new Random(seed).nextDouble();
            this.decided = 0;
            this.maxConsecutive = maxConsecutive;
            this.retryAfterSeconds = retryAfterSeconds;
            consecutive.clear();
        }

        void base(String base) {
            this.base = base;
        }

        /**
         * Answer as Azure does for real resources: a PUT of a resource (not a group) 201 with
         * {@code provisioningState: Creating} and an {@code Azure-AsyncOperation} that reports
         * {@code InProgress} once, then {@code Succeeded}; a resource group DELETE 202 with a
         * {@code Location} that answers 202 once, then 200. Off: the simulator's synchronous answers.
         */
        void longRunning(boolean on) {
            this.longRunning = on;
        }

        synchronized List<Call> calls() {
            return List.copyOf(calls);
        }

        synchronized void clear() {
            calls.clear();
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            Request r = event.getRequest();
            String url = r.getUrl();
            String path = (url.contains("?") ? url.substring(0, url.indexOf('?')) : url).toLowerCase(Locale.ROOT);
            String key = r.getMethod().getName() + " " + url;
            long now = System.nanoTime();
            boolean throttled;
            synchronized (this) {
                int inARow = consecutive.getOrDefault(key, 0);
                // An exact share: this call is throttled when it carries the running count of throttle
                // decisions past the next whole number (3 in every 10 at 30%; the seed only sets the phase).
                boolean due = false;
                if (rate > 0 && inARow < maxConsecutive) {
                    decided++;
                    due = Math.floor(decided * rate + offset) > Math.floor((decided - 1) * rate + offset);
                }
                throttled = due;
                if (throttled) {
                    consecutive.put(key, inARow + 1);
                } else {
                    consecutive.remove(key);
                }
                calls.add(new Call(now, r.getMethod().getName(), path, throttled));
            }
            if (throttled) {
                return error(429, "TooManyRequests", "The request is being throttled.")
                        .withHeader("Retry-After", Integer.toString(retryAfterSeconds)).build();
            }
            if (path.startsWith(OPERATIONS)) {
                return operation(path);
            }
            ResponseDefinition answer = simulator.answer(event);
            return longRunning ? asLongRunning(r.getMethod().getName(), path, answer) : answer;
        }

        static final String OPERATIONS = "/gate-operations/";

        private ResponseDefinition asLongRunning(String method, String path, ResponseDefinition answer) {
            int segments = path.split("/").length; // "", subscriptions, s, resourcegroups, g, providers, p, t, n
            boolean resourcePut = method.equals("PUT") && segments == 9 && path.contains("/providers/");
            boolean groupDelete = method.equals("DELETE") && segments == 5;
            if (answer.getStatus() >= 300 || !(resourcePut || groupDelete)) {
                return answer;
            }
            String id = UUID.randomUUID().toString();
            synchronized (this) {
                operations.put(id, 1);
            }
            if (groupDelete) {
                return aResponse().withStatus(202).withHeader("Location", base + OPERATIONS + "delete-" + id).build();
            }
            String body = answer.getBody() == null ? "" : answer.getBody()
                    .replace("\"provisioningState\":\"Succeeded\"", "\"provisioningState\":\"Creating\"");
            return ResponseDefinitionBuilder.like(answer).withStatus(201).withBody(body)
                    .withHeader("Azure-AsyncOperation", base + OPERATIONS + "put-" + id + "?api-version=2024-07-01")
                    .build();
        }

        private ResponseDefinition operation(String path) {
            String name = path.substring(OPERATIONS.length());
            String id = name.substring(name.indexOf('-') + 1);
            boolean inProgress;
            synchronized (this) {
                Integer left = operations.get(id);
                inProgress = left != null && left > 0;
                if (inProgress) {
                    operations.put(id, left - 1);
                } else {
                    operations.remove(id);
                }
            }
            if (name.startsWith("delete-")) {
                return inProgress
                        ? aResponse().withStatus(202).withHeader("Location", base + path).build()
                        : aResponse().withStatus(200).build();
            }
            return json(200, inProgress ? "{\"status\":\"InProgress\"}" : "{\"status\":\"Succeeded\"}").build();
        }
    }

    /**
     * Sees every request as it arrives (the journal can be reset, this never is) and notes where the
     * credential file's secret (raw or form-encoded) and the issued access token went: the secret
     * belongs only in token request bodies, the token only in {@code Authorization} headers. The
     * notes describe the place, never the value.
     */
    static final class Watch implements ServeEventListener {
        private final List<String> secretForms;
        private final String token;
        private final List<String> secretElsewhere = new ArrayList<>();
        private final List<String> tokenElsewhere = new ArrayList<>();
        private int tokenRequests;
        private int tokenRequestsWithSecret;
        private int requests;

        Watch(String secret, String token) {
            this.secretForms = List.of(secret, URLEncoder.encode(secret, StandardCharsets.UTF_8));
            this.token = token;
        }

        @Override
        public String getName() {
            return "azure-it-watch";
        }

        @Override
        public boolean applyGlobally() {
            return true;
        }

        @Override
        public void beforeMatch(ServeEvent event, Parameters parameters) {
            Request r = event.getRequest();
            String where = r.getMethod() + " " + r.getUrl();
            boolean tokenRequest = r.getUrl().contains("/oauth2/");
            String body = r.getBodyAsString() == null ? "" : r.getBodyAsString();
            synchronized (this) {
                requests++;
                if (tokenRequest) {
                    tokenRequests++;
                    if (carriesSecret(body)) {
                        tokenRequestsWithSecret++;
                    }
                } else if (carriesSecret(body)) {
                    secretElsewhere.add("body of " + where);
                }
                if (carriesSecret(r.getAbsoluteUrl())) {
                    secretElsewhere.add("URL of " + r.getMethod());
                }
                if (r.getAbsoluteUrl().contains(token)) {
                    tokenElsewhere.add("URL of " + r.getMethod());
                }
                if (body.contains(token)) {
                    tokenElsewhere.add("body of " + where);
                }
                for (var h : r.getHeaders().all()) {
                    String text = h.key() + ": " + String.join(",", h.values());
                    if (carriesSecret(text)) {
                        secretElsewhere.add("header " + h.key() + " of " + where);
                    }
                    if (text.contains(token) && !h.key().equalsIgnoreCase("Authorization")) {
                        tokenElsewhere.add("header " + h.key() + " of " + where);
                    }
                }
            }
        }

        private boolean carriesSecret(String text) {
            return secretForms.stream().anyMatch(text::contains);
        }

        /** Places other than a token request's body where the secret went. */
        synchronized List<String> secretElsewhere() {
            return List.copyOf(secretElsewhere);
        }

        /** Places other than an Authorization header where the access token went. */
        synchronized List<String> tokenElsewhere() {
            return List.copyOf(tokenElsewhere);
        }

        synchronized int tokenRequests() {
            return tokenRequests;
        }

        synchronized int tokenRequestsWithSecret() {
            return tokenRequestsWithSecret;
        }

        synchronized int requests() {
            return requests;
        }
    }
}
