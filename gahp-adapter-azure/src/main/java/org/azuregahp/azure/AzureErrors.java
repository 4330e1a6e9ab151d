package org.azuregahp.azure;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.management.exception.ManagementError;
import com.azure.core.management.exception.ManagementException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.azuregahp.ports.CloudException;

/**
 * Turns every SDK, identity or I/O failure into a {@link CloudException} free of credential material.
 * The translated exception carries the original as its cause (for a log's stack trace); its message
 * and code are what a result line shows. Identity failures are the exception: MSAL's and
 * azure-identity's texts can echo the credential file's ids, so they keep only the AADSTS code and no
 * cause.
 */
final class AzureErrors {
    private static final Pattern AADSTS = Pattern.compile("AADSTS\\d{4,}");

    private AzureErrors() {
    }

    static CloudException translate(Throwable t, Redactor redactor) {
        Throwable e = unwrap(t);
        if (e instanceof CloudException ce) {
            return ce;
        }
        if (e instanceof ManagementException me) {
            ManagementError err = me.getValue();
            int status = me.getResponse() == null ? 0 : me.getResponse().getStatusCode();
            String code = err != null && err.getCode() != null && !err.getCode().isBlank() ? err.getCode()
                    : codeForStatus(status);
            String message = err != null && err.getMessage() != null ? err.getMessage() : me.getMessage();
            if (err != null && err.getDetails() != null && !err.getDetails().isEmpty()) {
                ManagementError d = err.getDetails().get(0);
                if (d.getMessage() != null && !message.contains(d.getMessage())) {
                    message = message + " (" + (d.getCode() == null ? "" : d.getCode() + ": ") + d.getMessage() + ")";
                }
            }
            return new CloudException(code, redactor.clean(message), e);
        }
        if (e instanceof ClientAuthenticationException || isIdentityFailure(e)) {
            return authentication(e, redactor);
        }
        if (e instanceof HttpResponseException hre) {
            int status = hre.getResponse() == null ? 0 : hre.getResponse().getStatusCode();
            return new CloudException(codeForStatus(status), redactor.clean(firstLine(hre.getMessage())), e);
        }
        if (e instanceof TimeoutException) {
            return new CloudException(CloudException.TIMEOUT, "the operation did not finish in time", e);
        }
        if (e instanceof UnknownHostException || e instanceof ConnectException) {
            return new CloudException(CloudException.NOT_AVAILABLE,
                    "could not reach Azure (" + e.getClass().getSimpleName() + ": " + redactor.clean(e.getMessage()) + ")", e);
        }
        if (e instanceof IOException) {
            return new CloudException(CloudException.NOT_AVAILABLE,
                    "connection to Azure failed (" + e.getClass().getSimpleName() + ")", e);
        }
        return new CloudException(CloudException.INTERNAL,
                e.getClass().getSimpleName() + ": " + redactor.clean(firstLine(e.getMessage())), e);
    }

    /** An identity failure: only the AADSTS code survives; MSAL's texts can echo ids from the file. */
    static CloudException authentication(Throwable e, Redactor redactor) {
        String codes = aadstsCodes(e);
        String detail = !codes.isEmpty() ? " (" + codes + ")"
                : unavailableDetail(e, redactor);
        return new CloudException(CloudException.AUTHENTICATION, "could not get an Azure token" + detail);
    }

    /** The variables {@code DefaultAzureCredential}'s environment credential reads for a client secret. */
    static final List<String> ENVIRONMENT_LOGIN = List.of("AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET");

    /**
     * An identity failure of the machine's own login (a request with credential file {@code NULL}):
     * what was tried, which of the environment variables are set (names only, never values), and what
     * to do. Only AADSTS codes are taken from the identity service's texts.
     */
    static CloudException ambientAuthentication(Throwable e, Map<String, String> env) {
        String codes = aadstsCodes(e);
        List<String> set = new ArrayList<>();
        for (String name : ENVIRONMENT_LOGIN) {
            String v = env.get(name);
            if (v != null && !v.isBlank()) {
                set.add(name);
            }
        }
        String variables = set.isEmpty() ? "none is set"
                : set.size() == ENVIRONMENT_LOGIN.size() ? "all are set" : "only " + String.join(" and ", set) + " set";
        String reach = codes.isEmpty() && unreachable(e) ? "; the identity service could not be reached" : "";
        return new CloudException(CloudException.AUTHENTICATION, "could not get an Azure token for this machine's"
                + " own login (credential NULL)" + (codes.isEmpty() ? "" : " (" + codes + ")")
                + ": tried the environment variables AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET ("
                + variables + "), workload identity, a managed identity and the Azure CLI's login (az login), and"
                + " none gave a token" + reach + ". To fix it, name a credential file on the request instead of NULL"
                + " (az ad sp create-for-rbac --sdk-auth), set those three variables for the user the GAHP runs as,"
                + " give this machine a managed identity, or run az login as that user");
    }

    private static String aadstsCodes(Throwable e) {
        StringBuilder codes = new StringBuilder();
        for (Throwable c = e; c != null; c = c.getCause()) {
            Matcher m = AADSTS.matcher(String.valueOf(c.getMessage()));
            if (m.find() && codes.indexOf(m.group()) < 0) {
                codes.append(codes.length() == 0 ? "" : ", ").append(m.group());
            }
        }
        return codes.toString();
    }

    private static boolean unreachable(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof UnknownHostException || c instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    private static String unavailableDetail(Throwable e, Redactor redactor) {
        if (e.getClass().getName().endsWith("CredentialUnavailableException")) {
            return ": no ambient Azure login found (environment, managed identity, Azure CLI)";
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof UnknownHostException || c instanceof ConnectException) {
                return ": the identity service could not be reached";
            }
        }
        return "";
    }

    private static boolean isIdentityFailure(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            String n = c.getClass().getName();
            if (n.startsWith("com.microsoft.aad.msal4j.") || n.startsWith("com.azure.identity.")) {
                return true;
            }
        }
        return false;
    }

    static String codeForStatus(int status) {
        switch (status) {
            case 400:
                return CloudException.INVALID_PARAMETER;
            case 401:
            case 403:
                return CloudException.AUTHENTICATION;
            case 404:
                return CloudException.NOT_FOUND;
            case 409:
                return CloudException.CONFLICT;
            case 429:
                return CloudException.THROTTLED;
            default:
                return status >= 500 ? CloudException.INTERNAL : "HttpError" + status;
        }
    }

    static boolean isNotFound(Throwable t) {
        Throwable e = unwrap(t);
        if (e instanceof HttpResponseException hre && hre.getResponse() != null) {
            return hre.getResponse().getStatusCode() == 404;
        }
        return e instanceof CloudException ce && CloudException.NOT_FOUND.equals(ce.code());
    }

    static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException
                || (e != null && e.getClass().getName().equals("reactor.core.Exceptions$ReactiveException")))
                && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
