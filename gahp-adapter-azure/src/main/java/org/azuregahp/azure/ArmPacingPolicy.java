package org.azuregahp.azure;

import com.azure.core.http.HttpHeader;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.util.BinaryData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;

/**
 * The last policy of the account's pipeline (after the retry policy, so every attempt is paced, and
 * after the token is added, so it knows the principal): holds each Resource Manager call until the
 * process's {@link ArmPacer} says its buckets can take it, then hands the response's
 * {@code x-ms-ratelimit-remaining-*} counts and any 429's {@code Retry-After} back to it.
 * The principal is the token's application id ({@code appid}, else {@code azp}, else {@code oid}), as
 * Resource Manager counts it; a token that is not a JWT counts as one unknown principal.
 */
final class ArmPacingPolicy implements HttpPipelinePolicy {
    private static final Pattern LOCATION = Pattern.compile("\"location\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern CLAIM = Pattern.compile("\"(appid|azp|oid)\"\\s*:\\s*\"([^\"]+)\"");
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

    private final ArmPacer pacer;
    private final java.time.Clock clock;
    private volatile String lastToken;
    private volatile String lastPrincipal;

    ArmPacingPolicy(ArmPacer pacer, java.time.Clock clock) {
        this.pacer = pacer;
        this.clock = clock;
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        SdkUrlCache.bound();
        ArmBudgets.Call call = call(context.getHttpRequest());
        if (call == null) {
            return next.process();
        }
        return pacer.admit(call).flatMap(ticket -> next.process()
                .doOnNext(response -> pacer.observe(ticket, response.getStatusCode(), headers(response.getHeaders())))
                .doOnError(e -> pacer.abandon(ticket))
                .doOnCancel(() -> pacer.abandon(ticket)));
    }

    /** The facts of a Resource Manager call, or null for anything else (the pipeline carries only ARM). */
    ArmBudgets.Call call(HttpRequest request) {
        String path = request.getUrl().getPath();
        if (path == null) {
            return null;
        }
        String[] s = path.startsWith("/") ? path.substring(1).split("/") : path.split("/");
        String method = request.getHttpMethod().name();
        String principal = principal(request.getHeaders().getValue(HttpHeaderName.AUTHORIZATION));
        String subscription = null;
        String group = null;
        int from = 0;
        if (s.length >= 2 && s[0].equalsIgnoreCase("subscriptions")) {
            subscription = s[1].toLowerCase(Locale.ROOT);
            from = 2;
            if (s.length >= 4 && s[2].equalsIgnoreCase("resourcegroups")) {
                group = s[3];
            }
        }
        String namespace = null;
        StringBuilder template = new StringBuilder();
        String region = null;
        int i = from;
        if (group != null) {
            template.append("resourcegroups/{}");
            i = from + 2;
        }
        for (; i < s.length; i++) {
            if (s[i].equalsIgnoreCase("providers") && i + 1 < s.length && namespace == null) {
                namespace = s[i + 1];
                template.setLength(0);
                i++;
                int k = 0;
                for (int j = i + 1; j < s.length; j++, k++) {
                    boolean name = k % 2 == 1;
                    template.append(template.length() == 0 ? "" : "/").append(name ? "{}" : s[j].toLowerCase(Locale.ROOT));
                    if (name && s[j - 1].equalsIgnoreCase("locations")) {
                        region = s[j].toLowerCase(Locale.ROOT);
                    }
                }
                break;
            }
        }
        if (region == null && (method.equals("PUT") || method.equals("PATCH"))) {
            region = bodyLocation(request);
        }
        String shape = method + " " + (namespace == null ? "" : namespace.toLowerCase(Locale.ROOT) + "/") + template;
        return new ArmBudgets.Call(subscription, principal, ArmBudgets.Op.of(method), namespace, shape, region, group,
                method);
    }

    private static String bodyLocation(HttpRequest request) {
        BinaryData body = request.getBodyAsBinaryData();
        if (body == null || request.getHttpMethod() == HttpMethod.GET) {
            return null;
        }
        try {
            Long length = body.getLength();
            if (length != null && length > 1_000_000) {
                return null;
            }
            Matcher m = LOCATION.matcher(body.toString());
            return m.find() ? m.group(1).replace(" ", "").toLowerCase(Locale.ROOT) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The principal a bearer token names; cached for the last token seen. */
    String principal(String authorization) {
        if (authorization == null) {
            return "anonymous";
        }
        if (authorization.equals(lastToken)) {
            return lastPrincipal;
        }
        String p = "unknown";
        String token = authorization.startsWith("Bearer ") ? authorization.substring(7) : authorization;
        String[] parts = token.split("\\.");
        if (parts.length >= 2) {
            try {
                String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
                String found = null;
                int rank = Integer.MAX_VALUE;
                Matcher m = CLAIM.matcher(claims);
                while (m.find()) {
                    int r = m.group(1).equals("appid") ? 0 : m.group(1).equals("azp") ? 1 : 2;
                    if (r < rank) {
                        rank = r;
                        found = m.group(2);
                    }
                }
                if (found != null) {
                    p = found.toLowerCase(Locale.ROOT);
                }
            } catch (IllegalArgumentException e) {
                // not a JWT
            }
        }
        lastPrincipal = p;
        lastToken = authorization;
        return p;
    }

    private ArmBudgets.Headers headers(HttpHeaders h) {
        return new ArmBudgets.Headers() {
            @Override
            public String get(String name) {
                HttpHeader header = h.get(HttpHeaderName.fromString(name));
                return header == null ? null : header.getValue();
            }

            @Override
            public long retryAfterNanos(long now) {
                for (String ms : new String[] {"retry-after-ms", "x-ms-retry-after-ms"}) {
                    String v = get(ms);
                    if (v != null) {
                        try {
                            return Math.max(0, (long) (Double.parseDouble(v.trim()) * 1_000_000));
                        } catch (NumberFormatException e) {
                            // try the next
                        }
                    }
                }
                Instant at = clock.instant();
                Duration d = ArmRest.retryAfter(get("Retry-After"), at, DEFAULT_RETRY_AFTER);
                return d.toNanos();
            }
        };
    }
}
