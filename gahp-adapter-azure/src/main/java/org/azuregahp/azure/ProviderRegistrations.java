package org.azuregahp.azure;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.util.logging.ClientLogger;
import com.azure.core.util.serializer.JacksonAdapter;
import com.azure.core.util.serializer.SerializerAdapter;
import com.azure.core.util.serializer.SerializerEncoding;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.azuregahp.ports.CloudException;
import reactor.core.publisher.Mono;

/**
 * Resource providers registered on demand. A subscription answers a write to a provider namespace
 * it is not registered for ({@code Microsoft.Compute}, {@code Microsoft.Network},
 * {@code Microsoft.ManagedIdentity}, {@code Microsoft.KeyVault}, {@code Microsoft.Automation}, ...)
 * with 409 {@code MissingSubscriptionRegistration}; the SDK's own registration policy is not in the
 * hand-built pipeline, so {@link #policy} does it: register the namespace
 * ({@code POST /subscriptions/{s}/providers/{ns}/register}), poll its {@code registrationState}
 * until {@code Registered}, and send the write once more. A namespace is registered at most once per
 * subscription and process: concurrent writes that meet the same 409 share one registration. A
 * principal without the right to register gets an error result that says who can and how.
 */
final class ProviderRegistrations {
    /** The Resource Manager API the registration calls use (providers: register, get). */
    static final String API = "2022-09-01";
    static final String CODE = "MissingSubscriptionRegistration";
    /** How many times the registration state is read before giving up (at the poll interval). */
    static final int MAX_POLLS = 120;
    private static final ClientLogger LOG = new ClientLogger(ProviderRegistrations.class);
    private static final SerializerAdapter JSON = JacksonAdapter.createDefaultSerializerAdapter();
    private static final Pattern NAMESPACE = Pattern.compile("namespace '([A-Za-z0-9.]+)'");

    private final ConcurrentHashMap<String, CompletableFuture<Void>> registrations = new ConcurrentHashMap<>();

    /** The pipeline policy for one account: sits before the retry policy, so the repeated write is retried as usual. */
    HttpPipelinePolicy policy(Clients clients) {
        return new HttpPipelinePolicy() {
            @Override
            public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
                HttpPipelineNextPolicy again = next.clone();
                return next.process().flatMap(response -> {
                    if (response.getStatusCode() != 409) {
                        return Mono.just(response);
                    }
                    HttpResponse buffered = response.buffer();
                    return buffered.getBodyAsString().defaultIfEmpty("").flatMap(body -> {
                        String namespace = missingNamespace(body);
                        if (namespace == null) {
                            return Mono.just(buffered);
                        }
                        return register(clients, namespace).then(Mono.defer(again::process));
                    });
                });
            }
        };
    }

    /** The namespace a 409 body says is not registered, or null when it says something else. */
    @SuppressWarnings("unchecked")
    static String missingNamespace(String body) {
        Map<String, Object> m;
        try {
            Object o = JSON.deserialize(body, Map.class, SerializerEncoding.JSON);
            m = o instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
        } catch (IOException | RuntimeException e) {
            return null;
        }
        Object err = m.get("error");
        if (!(err instanceof Map<?, ?> e) || !CODE.equalsIgnoreCase(String.valueOf(e.get("code")))) {
            return null;
        }
        if (e.get("details") instanceof List<?> details) {
            for (Object d : details) {
                if (d instanceof Map<?, ?> dm && dm.get("target") != null) {
                    return String.valueOf(dm.get("target"));
                }
            }
        }
        Matcher n = NAMESPACE.matcher(String.valueOf(e.get("message")));
        return n.find() ? n.group(1) : null;
    }

    /** Registers the namespace for the account's subscription, once per process; a failure is forgotten. */
    Mono<Void> register(Clients c, String namespace) {
        String key = c.subscription().toLowerCase(Locale.ROOT) + "|" + namespace.toLowerCase(Locale.ROOT);
        return Mono.defer(() -> {
            CompletableFuture<Void> f = registrations.computeIfAbsent(key, k -> {
                LOG.info("subscription {} is not registered for {}; registering it", c.subscription(), namespace);
                CompletableFuture<Void> made = registerAndWait(c, namespace).toFuture();
                made.whenComplete((v, e) -> {
                    if (e != null) {
                        registrations.remove(k);
                    } else {
                        LOG.info("subscription {} is registered for {}", c.subscription(), namespace);
                    }
                });
                return made;
            });
            return Mono.fromFuture(f, true);
        });
    }

    private static Mono<Void> registerAndWait(Clients c, String namespace) {
        String path = "subscriptions/" + c.subscription() + "/providers/" + namespace;
        String base = c.connection().armEndpoint() + path;
        return send(c, HttpMethod.POST, base + "/register?api-version=" + API)
                .onErrorMap(e -> !(e instanceof CloudException), e -> refused(c, namespace, e))
                .then(poll(c, base + "?api-version=" + API, namespace, 0));
    }

    private static Mono<Void> poll(Clients c, String url, String namespace, int n) {
        if (n >= MAX_POLLS) {
            return Mono.error(new CloudException(CODE, "the subscription is still registering resource provider "
                    + namespace + "; try again in a few minutes"));
        }
        Duration wait = n == 0 ? Duration.ZERO : c.connection().settings().pollInterval();
        return Mono.delay(wait).then(send(c, HttpMethod.GET, url)).flatMap(state -> {
            if ("registered".equalsIgnoreCase(state)) {
                return Mono.<Void>empty();
            }
            return poll(c, url, namespace, n + 1);
        });
    }

    /** Sends a request through the account's pipeline; answers the {@code registrationState} of the body. */
    @SuppressWarnings("unchecked")
    private static Mono<String> send(Clients c, HttpMethod method, String url) {
        return c.pipeline().send(new HttpRequest(method, url)).flatMap(r -> r.getBodyAsString().defaultIfEmpty("")
                .flatMap(text -> {
                    if (r.getStatusCode() >= 400) {
                        return Mono.error(new com.azure.core.management.exception.ManagementException(
                                "HTTP " + r.getStatusCode(), r));
                    }
                    try {
                        Object o = JSON.deserialize(text, Map.class, SerializerEncoding.JSON);
                        Object state = o instanceof Map<?, ?> m ? ((Map<String, Object>) m).get("registrationState") : null;
                        return Mono.just(state == null ? "" : String.valueOf(state));
                    } catch (IOException | RuntimeException e) {
                        return Mono.just("");
                    }
                }));
    }

    /** The principal may not register the namespace (or registering failed otherwise): say who can. */
    private static CloudException refused(Clients c, String namespace, Throwable e) {
        Throwable u = AzureErrors.unwrap(e);
        int status = u instanceof com.azure.core.exception.HttpResponseException h && h.getResponse() != null
                ? h.getResponse().getStatusCode() : 0;
        String why = status == 403
                ? "this identity may not register it (registering needs " + namespace + "/register/action, which"
                        + " Contributor on the subscription has)"
                : "registering it failed (" + AzureErrors.translate(u, c.connection().redactor()).code() + ")";
        return new CloudException(CODE, "the subscription is not registered to use namespace '" + namespace
                + "', and " + why + "; an administrator can register it with: az provider register --namespace "
                + namespace + " --subscription " + c.subscription(), e);
    }
}
