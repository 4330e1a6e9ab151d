package org.azuregahp.ports;

import java.util.Objects;

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

    public CloudException(String code, String message) {
        super(message, null, false, false);
        this.code = Objects.requireNonNull(code, "code");
    }

    public CloudException(String code, String message, Throwable cause) {
        super(message, cause, false, false);
        this.code = Objects.requireNonNull(code, "code");
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
