package org.azuregahp.ports;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A failure of a cloud operation, in words fit for a GAHP result line.
 *
 * <p>{@link #code()} is an Azure-style error code ({@code ResourceNotFound}, {@code QuotaExceeded},
 * {@code TooManyRequests}, {@code InvalidParameter}, ...); {@link #getMessage()} says what went wrong
 * for a person. Neither may ever carry a secret (credential-file contents, passwords, keys, vault
 * secrets). Adapters translate every SDK or I/O failure into this type at the port boundary.
 */
public class CloudException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Well-known codes. Adapters may use others (Azure's own codes pass through). */
    public static final String NOT_FOUND = "ResourceNotFound";
    public static final String INVALID_PARAMETER = "InvalidParameter";
    public static final String CONFLICT = "Conflict";
    public static final String QUOTA_EXCEEDED = "QuotaExceeded";
    public static final String THROTTLED = "TooManyRequests";
    public static final String INTERNAL = "InternalServerError";
    public static final String AUTHENTICATION = "AuthenticationFailed";
    public static final String CREDENTIAL_FILE = "CredentialFileError";
    public static final String NOT_AVAILABLE = "NotAvailable";
    public static final String TIMEOUT = "OperationTimedOut";

    private final String code;
    private final Duration retryAfter;

    public CloudException(String code, String message) {
        this(code, message, (Throwable) null);
    }

    public CloudException(String code, String message, Throwable cause) {
        this(code, message, cause, null);
    }

    private CloudException(String code, String message, Throwable cause, Duration retryAfter) {
        super(message, cause, false, false);
        this.code = Objects.requireNonNull(code, "code");
        this.retryAfter = retryAfter;
    }

    /**
     * The cloud refused the request for now (its request budget is spent) and said when to try
     * again: Azure's {@code Retry-After}.
     */
    public static CloudException throttled(String code, String message, Duration retryAfter) {
        return new CloudException(code, message, null, Objects.requireNonNull(retryAfter, "retryAfter"));
    }

    /** As {@link #throttled(String, String, Duration)}, keeping the failure it translates. */
    public static CloudException throttled(String code, String message, Duration retryAfter, Throwable cause) {
        return new CloudException(code, message, cause, Objects.requireNonNull(retryAfter, "retryAfter"));
    }

    /** How long the cloud asked to wait before trying again, when it refused for its request budget. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public String code() {
        return code;
    }

    /** The text a result line carries: {@code "<code>: <message>"}. */
    public String resultText() {
        return code + ": " + getMessage();
    }

    public static CloudException notFound(String message) {
        return new CloudException(NOT_FOUND, message);
    }

    public static CloudException invalid(String message) {
        return new CloudException(INVALID_PARAMETER, message);
    }

    @Override
    public String toString() {
        return "CloudException[" + resultText() + "]";
    }
}
