package org.azuregahp.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.identity.ClientCertificateCredentialBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongSupplier;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.credentials.Credentials;
import reactor.core.publisher.Mono;

/**
 * What one credential file (or the ambient login) gives: a token credential, the endpoints of the
 * cloud it belongs to, the settings it carries, and a {@link Redactor} for its values. Built once per
 * version of the file; cheap to construct (identity clients are made on first token request).
 */
final class Connection {
    static final String PUBLIC_ARM = "https://management.azure.com/";
    private static final Set<String> WELL_KNOWN_AUTHORITIES = Set.of(
            "login.microsoftonline.com", "login.windows.net", "login.microsoftonline.us",
            "login.chinacloudapi.cn", "login.partner.microsoftonline.cn", "login.microsoftonline.de");

    private final String file;
    private final Credentials credentials;
    private final String armEndpoint;
    private final String tokenScope;
    private final Redactor redactor;
    private final AzureSettings settings;
    private final HttpClient httpClient;
    private final LongSupplier nanoClock;
    private final Object lock = new Object();
    private TokenCredential credential;
    private Throwable failure;
    private long failureUntilNanos;

    Connection(String file, Credentials credentials, AzureSettings settings, HttpClient httpClient,
            LongSupplier nanoClock) {
        this.file = file;
        this.credentials = credentials;
        this.settings = credentials == null ? settings : settings.overriddenBy(credentials.settings());
        this.httpClient = httpClient;
        this.nanoClock = nanoClock;
        String arm = credentials == null || credentials.resourceManagerEndpoint() == null ? PUBLIC_ARM
                : credentials.resourceManagerEndpoint();
        this.armEndpoint = arm.endsWith("/") ? arm : arm + "/";
        String audience = credentials == null ? null : credentials.settings().get("managementendpointurl");
        if (audience == null || !audience.startsWith("https://")) {
            audience = armEndpoint;
        }
        this.tokenScope = (audience.endsWith("/") ? audience : audience + "/") + ".default";
        List<String> sensitive = new ArrayList<>();
        if (credentials != null) {
            sensitive.add(credentials.clientId());
            sensitive.add(credentials.tenantId());
            if (credentials.clientSecret() != null) {
                sensitive.add(credentials.clientSecret().reveal());
            }
            if (credentials.certificatePassword() != null) {
                sensitive.add(credentials.certificatePassword().reveal());
            }
        }
        this.redactor = new Redactor(sensitive);
    }

    String file() {
        return file;
    }

    String armEndpoint() {
        return armEndpoint;
    }

    /** The ARM endpoint without its trailing slash, as the SDK's client builders want it. */
    String armEndpointNoSlash() {
        return armEndpoint.substring(0, armEndpoint.length() - 1);
    }

    String tokenScope() {
        return tokenScope;
    }

    /** The tenant the credential file names, or null for the ambient login. */
    String tenantId() {
        return credentials == null ? null : credentials.tenantId();
    }

    Redactor redactor() {
        return redactor;
    }

    AzureSettings settings() {
        return settings;
    }

    HttpClient httpClient() {
        return httpClient;
    }

    /** The token credential, remembering a failure for {@link AzureSettings#credentialFailureMemory()}. */
    TokenCredential tokenCredential() {
        return this::getToken;
    }

    private Mono<AccessToken> getToken(TokenRequestContext context) {
        TokenCredential delegate;
        synchronized (lock) {
            if (failure != null && nanoClock.getAsLong() - failureUntilNanos < 0) {
                return Mono.error(authenticationFailure(failure));
            }
            if (credential == null) {
                credential = build();
            }
            delegate = credential;
        }
        return delegate.getToken(context)
                .doOnNext(t -> {
                    synchronized (lock) {
                        failure = null;
                    }
                })
                .onErrorMap(e -> {
                    synchronized (lock) {
                        failure = e;
                        failureUntilNanos = nanoClock.getAsLong() + settings.credentialFailureMemory().toNanos();
                    }
                    return authenticationFailure(e);
                });
    }

    /** For the ambient login, what was tried and what to do; for a file, the AADSTS code at most. */
    private CloudException authenticationFailure(Throwable e) {
        return credentials == null ? AzureErrors.ambientAuthentication(e, System.getenv())
                : AzureErrors.authentication(e, redactor);
    }

    private TokenCredential build() {
        if (credentials == null) {
            DefaultAzureCredentialBuilder b = new DefaultAzureCredentialBuilder();
            if (httpClient != null) {
                b.httpClient(httpClient);
            }
            return b.build();
        }
        String authority = credentials.activeDirectoryEndpoint();
        boolean custom = authority != null && !WELL_KNOWN_AUTHORITIES.contains(host(authority));
        if (credentials.clientSecret() != null) {
            ClientSecretCredentialBuilder b = new ClientSecretCredentialBuilder()
                    .tenantId(credentials.tenantId())
                    .clientId(credentials.clientId())
                    .clientSecret(credentials.clientSecret().reveal());
            if (authority != null) {
                b.authorityHost(authority);
            }
            if (custom) {
                b.disableInstanceDiscovery();
            }
            if (httpClient != null) {
                b.httpClient(httpClient);
            }
            return b.build();
        }
        ClientCertificateCredentialBuilder b = new ClientCertificateCredentialBuilder()
                .tenantId(credentials.tenantId())
                .clientId(credentials.clientId());
        String path = credentials.certificatePath();
        if (path.toLowerCase(Locale.ROOT).endsWith(".pfx") || path.toLowerCase(Locale.ROOT).endsWith(".p12")) {
            b.pfxCertificate(path);
            if (credentials.certificatePassword() != null) {
                b.clientCertificatePassword(credentials.certificatePassword().reveal());
            }
        } else {
            b.pemCertificate(path);
        }
        if (authority != null) {
            b.authorityHost(authority);
        }
        if (custom) {
            b.disableInstanceDiscovery();
        }
        if (httpClient != null) {
            b.httpClient(httpClient);
        }
        return b.build();
    }

    private static String host(String url) {
        try {
            String h = URI.create(url).getHost();
            return h == null ? "" : h.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
