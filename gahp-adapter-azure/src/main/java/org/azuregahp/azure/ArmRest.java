package org.azuregahp.azure;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.management.exception.ManagementError;
import com.azure.core.management.exception.ManagementException;
import com.azure.core.util.serializer.JacksonAdapter;
import com.azure.core.util.serializer.SerializerAdapter;
import com.azure.core.util.serializer.SerializerEncoding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Plain REST calls to Resource Manager over the account's pipeline (token, retries, throttling
 * count), for APIs that have no client here: Azure Automation (2023-11-01) and the subscription
 * itself. Long-running answers (202 with {@code Azure-AsyncOperation} or {@code Location}) are
 * polled at the configured interval, or after the {@code Retry-After} Azure gives (seconds or an
 * HTTP date), at most {@link #MAX_RETRY_AFTER}.
 */
final class ArmRest {
    private static final SerializerAdapter JSON = JacksonAdapter.createDefaultSerializerAdapter();
    private static final HttpHeaderName ASYNC_OPERATION = HttpHeaderName.fromString("Azure-AsyncOperation");

    /** The longest wait a {@code Retry-After} can ask for between two polls. */
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

    private final Clients clients;
    private final Clock clock;

    ArmRest(Clients clients) {
        this(clients, Clock.systemUTC());
    }

    /** With the clock an HTTP-date {@code Retry-After} is measured against. */
    ArmRest(Clients clients, Clock clock) {
        this.clients = clients;
        this.clock = clock;
    }

    String url(String path, String apiVersion) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return clients.connection().armEndpoint() + p + (p.contains("?") ? "&" : "?") + "api-version=" + apiVersion;
    }

    Mono<Map<String, Object>> get(String path, String apiVersion) {
        return send(HttpMethod.GET, url(path, apiVersion), null, null);
    }

    Mono<Map<String, Object>> put(String path, String apiVersion, Object body) {
        return send(HttpMethod.PUT, url(path, apiVersion), body, null);
    }

    Mono<Map<String, Object>> putText(String path, String apiVersion, String text) {
        return send(HttpMethod.PUT, url(path, apiVersion), text, "text/powershell");
    }

    Mono<Map<String, Object>> post(String path, String apiVersion) {
        return send(HttpMethod.POST, url(path, apiVersion), null, null);
    }

    /** DELETE; a 404 counts as done. */
    Mono<Void> delete(String path, String apiVersion) {
        return AsyncUtil.orEmptyIfNotFound(send(HttpMethod.DELETE, url(path, apiVersion), null, null)).then();
    }

    private Mono<Map<String, Object>> send(HttpMethod method, String url, Object body, String contentType) {
        HttpRequest request = new HttpRequest(method, url);
        if (body != null) {
            String text = body instanceof String s && contentType != null ? s : serialize(body);
            request.setHeader(HttpHeaderName.CONTENT_TYPE, contentType != null ? contentType : "application/json");
            request.setBody(text);
        }
        return clients.pipeline().send(request).flatMap(response -> handle(response, method));
    }

    private Mono<Map<String, Object>> handle(HttpResponse response, HttpMethod method) {
        int status = response.getStatusCode();
        return response.getBodyAsString().defaultIfEmpty("").flatMap(text -> {
            if (status >= 400) {
                return Mono.error(failure(response, text));
            }
            String async = response.getHeaderValue(ASYNC_OPERATION);
            String location = response.getHeaderValue(HttpHeaderName.LOCATION);
            if (status == 202 || (status == 201 && async != null)) {
                String poll = async != null ? async : location;
                if (poll != null) {
                    return pollUntilDone(poll, async != null, delay(response)).then(Mono.just(parse(text)));
                }
            }
            return Mono.just(parse(text));
        });
    }

    private Mono<Void> pollUntilDone(String url, boolean asyncOperation, Duration wait) {
        return Mono.delay(wait).then(clients.pipeline().send(new HttpRequest(HttpMethod.GET, url)))
                .flatMap(r -> r.getBodyAsString().defaultIfEmpty("").flatMap(text -> {
                    int status = r.getStatusCode();
                    if (status >= 400) {
                        return Mono.error(failure(r, text));
                    }
                    if (asyncOperation) {
                        Map<String, Object> op = parse(text);
                        String state = String.valueOf(op.get("status")).toLowerCase(Locale.ROOT);
                        if (state.equals("succeeded")) {
                            return Mono.<Void>empty();
                        }
                        if (state.equals("failed") || state.equals("canceled")) {
                            return Mono.error(operationFailure(r, op));
                        }
                        return pollUntilDone(url, true, delay(r));
                    }
                    if (status == 202) {
                        String next = r.getHeaderValue(HttpHeaderName.LOCATION);
                        return pollUntilDone(next != null ? next : url, false, delay(r));
                    }
                    return Mono.<Void>empty();
                }));
    }

    private Duration delay(HttpResponse r) {
        return retryAfter(r.getHeaderValue(HttpHeaderName.RETRY_AFTER), clock.instant(),
                clients.connection().settings().pollInterval());
    }

    /**
     * The wait a {@code Retry-After} value asks for (RFC 7231 7.1.3: delay-seconds or an HTTP date,
     * IMF-fixdate), at most {@link #MAX_RETRY_AFTER}; {@code fallback} (the poll interval) when there
     * is none, it cannot be read, or it asks for no wait at all (0, a negative number, a date now or
     * past): Azure's {@code Retry-After: 0} means "poll again after the usual interval", not at once,
     * as the SDK's own poller reads it too.
     */
    static Duration retryAfter(String header, Instant now, Duration fallback) {
        if (header == null || header.isBlank()) {
            return fallback;
        }
        String value = header.trim();
        Duration wait;
        if (value.matches("-?[0-9]+")) {
            try {
                wait = Duration.ofSeconds(Long.parseLong(value));
            } catch (NumberFormatException e) {
                // more digits than a long holds: as far off as it gets
                wait = value.startsWith("-") ? Duration.ZERO : MAX_RETRY_AFTER;
            }
        } else {
            try {
                wait = Duration.between(now, ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException e) {
                return fallback;
            }
        }
        if (wait.isNegative() || wait.isZero()) {
            return fallback;
        }
        return wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait;
    }

    @SuppressWarnings("unchecked")
    private static ManagementException operationFailure(HttpResponse r, Map<String, Object> op) {
        Object err = op.get("error");
        String code = "OperationFailed";
        String message = "the operation failed";
        if (err instanceof Map<?, ?> m) {
            code = String.valueOf(((Map<String, Object>) m).getOrDefault("code", code));
            message = String.valueOf(((Map<String, Object>) m).getOrDefault("message", message));
        }
        return new ManagementException(message, r, new ManagementError(code, message));
    }

    @SuppressWarnings("unchecked")
    private static ManagementException failure(HttpResponse r, String text) {
        Map<String, Object> body = parseQuietly(text);
        Object err = body.get("error");
        String code = AzureErrors.codeForStatus(r.getStatusCode());
        String message = "HTTP " + r.getStatusCode();
        if (err instanceof Map<?, ?> m) {
            code = String.valueOf(((Map<String, Object>) m).getOrDefault("code", code));
            message = String.valueOf(((Map<String, Object>) m).getOrDefault("message", message));
        } else if (body.get("code") != null) {
            code = String.valueOf(body.get("code"));
            message = String.valueOf(body.getOrDefault("message", message));
        }
        return new ManagementException(message, r, new ManagementError(code, message));
    }

    private static Map<String, Object> parse(String text) {
        if (text == null || text.isBlank()) {
            return Map.of();
        }
        return parseQuietly(text);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parseQuietly(String text) {
        try {
            Object o = JSON.deserialize(text, Map.class, SerializerEncoding.JSON);
            return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    private static String serialize(Object body) {
        try {
            return JSON.serialize(body, SerializerEncoding.JSON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
