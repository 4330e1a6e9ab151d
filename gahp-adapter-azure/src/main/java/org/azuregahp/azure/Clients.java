package org.azuregahp.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.policy.AddDatePolicy;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.RequestIdPolicy;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.http.policy.UserAgentPolicy;
import com.azure.core.management.http.policy.ArmChallengeAuthenticationPolicy;
import com.azure.resourcemanager.authorization.fluent.AuthorizationManagementClient;
import com.azure.resourcemanager.authorization.implementation.AuthorizationManagementClientBuilder;
import com.azure.resourcemanager.compute.fluent.ComputeManagementClient;
import com.azure.resourcemanager.compute.implementation.ComputeManagementClientBuilder;
import com.azure.resourcemanager.msi.fluent.ManagedServiceIdentityClient;
import com.azure.resourcemanager.msi.implementation.ManagedServiceIdentityClientBuilder;
import com.azure.resourcemanager.network.fluent.NetworkManagementClient;
import com.azure.resourcemanager.network.implementation.NetworkManagementClientBuilder;
import com.azure.resourcemanager.resources.fluent.ResourceManagementClient;
import com.azure.resourcemanager.resources.implementation.ResourceManagementClientBuilder;
import com.azure.security.keyvault.secrets.SecretAsyncClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The SDK clients of one (credential file, subscription), each built on first use and reused. One
 * HTTP pipeline carries them all: request ids, retries of 429 (honouring {@code Retry-After}) and
 * transient faults with bounded exponential backoff, the bearer token, which the pipeline caches
 * until shortly before it expires, and the pacing of every call to Resource Manager's budgets
 * ({@link ArmPacingPolicy}). Only the service clients (not the umbrella fluent managers) are
 * built: each costs a fraction of a second, the umbrella several seconds.
 *
 * <p>They come from the SDK's generated builders, which live in {@code implementation} packages its
 * modules do not export (so this module has no {@code module-info.java}). The public route to the same
 * clients, {@code XxxManager.authenticate(pipeline, profile).serviceClient()}, is not taken: each
 * manager also builds a {@code ResourceManager} of nine clients, {@code ComputeManager} a storage, network
 * and authorization manager too, and no manager takes a poll interval ({@code SdkClientFootprintBench}).
 */
final class Clients {
    private final Connection connection;
    private final String subscription;
    private final AtomicLong throttled;
    private final Lazy<HttpPipeline> pipeline;
    private final Lazy<ResourceManagementClient> resources;
    private final Lazy<ComputeManagementClient> compute;
    private final Lazy<NetworkManagementClient> network;
    private final ProviderRegistrations registrations;
    private final ArmPacingPolicy pacing;
    private final Lazy<ManagedServiceIdentityClient> identities;
    private final Lazy<AuthorizationManagementClient> authorization;
    private final Lazy<HttpClient> httpClient;
    private final ConcurrentHashMap<String, SecretAsyncClient> secretClients = new ConcurrentHashMap<>();

    Clients(Connection connection, String subscription, AtomicLong throttled) {
        this(connection, subscription, throttled, new ProviderRegistrations(),
                new ArmPacer(new ArmBudgets(), System::nanoTime, reactor.core.scheduler.Schedulers.parallel()),
                java.time.Clock.systemUTC());
    }

    /**
     * With the process's provider registrations, so a namespace is registered once per subscription,
     * and its Resource Manager budgets, so every account of the process paces against the same counts.
     */
    Clients(Connection connection, String subscription, AtomicLong throttled, ProviderRegistrations registrations,
            ArmPacer pacer, java.time.Clock clock) {
        this.registrations = registrations;
        this.pacing = new ArmPacingPolicy(pacer, clock);
        this.connection = connection;
        this.subscription = subscription;
        this.throttled = throttled;
        this.httpClient = new Lazy<>(() -> connection.httpClient() != null ? connection.httpClient()
                : HttpClient.createDefault());
        this.pipeline = new Lazy<>(this::buildPipeline);
        Duration poll = connection.settings().pollInterval();
        this.resources = new Lazy<>(() -> new ResourceManagementClientBuilder()
                .pipeline(pipeline.get())
                .endpoint(connection.armEndpointNoSlash())
                .subscriptionId(subscription)
                .defaultPollInterval(poll)
                .buildClient());
        this.compute = new Lazy<>(() -> new ComputeManagementClientBuilder()
                .pipeline(pipeline.get())
                .endpoint(connection.armEndpointNoSlash())
                .subscriptionId(subscription)
                .defaultPollInterval(poll)
                .buildClient());
        this.network = new Lazy<>(() -> new NetworkManagementClientBuilder()
                .pipeline(pipeline.get())
                .endpoint(connection.armEndpointNoSlash())
                .subscriptionId(subscription)
                .defaultPollInterval(poll)
                .buildClient());
        this.identities = new Lazy<>(() -> new ManagedServiceIdentityClientBuilder()
                .pipeline(pipeline.get())
                .endpoint(connection.armEndpointNoSlash())
                .subscriptionId(subscription)
                .defaultPollInterval(poll)
                .buildClient());
        this.authorization = new Lazy<>(() -> new AuthorizationManagementClientBuilder()
                .pipeline(pipeline.get())
                .endpoint(connection.armEndpointNoSlash())
                .subscriptionId(subscription)
                .defaultPollInterval(poll)
                .buildClient());
    }

    ManagedServiceIdentityClient identities() {
        return identities.get();
    }

    AuthorizationManagementClient authorization() {
        return authorization.get();
    }

    Connection connection() {
        return connection;
    }

    String subscription() {
        return subscription;
    }

    HttpPipeline pipeline() {
        return pipeline.get();
    }

    ResourceManagementClient resources() {
        return resources.get();
    }

    ComputeManagementClient compute() {
        return compute.get();
    }

    NetworkManagementClient network() {
        return network.get();
    }

    HttpClient httpClient() {
        return httpClient.get();
    }

    /** One secrets client per vault, built on first use. */
    SecretAsyncClient secrets(String vaultUri, Function<String, SecretAsyncClient> build) {
        return secretClients.computeIfAbsent(vaultUri, build);
    }

    private HttpPipeline buildPipeline() {
        AzureSettings s = connection.settings();
        List<HttpPipelinePolicy> policies = new ArrayList<>();
        policies.add(new UserAgentPolicy("azure-gahp"));
        policies.add(new RequestIdPolicy());
        policies.add(registrations.policy(this));
        policies.add(new RetryPolicy(new BoundedRetry(s.maxRetries(), Duration.ofMillis(500),
                Duration.ofSeconds(30))));
        policies.add(new ThrottleCountingPolicy(throttled));
        policies.add(new AddDatePolicy());
        policies.add(new ArmChallengeAuthenticationPolicy(connection.tokenCredential(), connection.tokenScope()));
        // Last, so each attempt (the retry policy sits before it) waits for Azure's budgets, and the
        // principal is read from the token.
        policies.add(pacing);
        return new HttpPipelineBuilder()
                .httpClient(httpClient())
                .policies(policies.toArray(new HttpPipelinePolicy[0]))
                .build();
    }

    /** Thread-safe memoizing supplier. */
    static final class Lazy<T> implements Supplier<T> {
        private final Supplier<T> factory;
        private volatile T value;

        Lazy(Supplier<T> factory) {
            this.factory = factory;
        }

        @Override
        public T get() {
            T v = value;
            if (v == null) {
                synchronized (this) {
                    v = value;
                    if (v == null) {
                        v = factory.get();
                        value = v;
                    }
                }
            }
            return v;
        }
    }
}
