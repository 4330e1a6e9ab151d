package org.azuregahp.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.credentials.Credentials;
import org.azuregahp.ports.credentials.Secret;

/**
 * Parses a credential file's bytes, in either form the GAHP accepts: the JSON of
 * {@code az ad sp create-for-rbac --sdk-auth} (read with Jackson), or the earlier Python server's text,
 * one {@code key value} per line. Every failure is a {@link CloudException} with code
 * {@link CloudException#CREDENTIAL_FILE} whose message names the file and the problem (a line or column
 * number at most) and never repeats anything the file contains, not even a key: a secret pasted into
 * the wrong place must not reach a result line or the log.
 */
final class CredentialFiles {
    /** Larger files are refused: a credential file is a few hundred bytes. */
    static final int MAX_BYTES = 64 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private CredentialFiles() {
    }

    /** Parses a credential file's content; {@code file} only names it in error messages. */
    static Credentials parse(String file, byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw fail(file, "is not UTF-8 text");
        }
        return parse(file, text);
    }

    /** Parses a credential file's text; {@code file} only names it in error messages. */
    static Credentials parse(String file, String text) {
        String trimmed = text.strip();
        if (trimmed.startsWith("\uFEFF")) {
            trimmed = trimmed.substring(1).strip();
        }
        if (trimmed.isEmpty()) {
            throw fail(file, "is empty");
        }
        if (trimmed.startsWith("{")) {
            return fromJson(file, jsonObject(file, trimmed));
        }
        return fromText(file, trimmed);
    }

    /** The object's scalar members as text, keys lower-cased; nested objects, arrays and nulls are skipped. */
    private static Map<String, String> jsonObject(String file, String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            // Jackson's own message quotes the text it choked on: only the position is safe to show.
            JsonLocation at = e.getLocation();
            throw fail(file, "is not valid JSON" + (at == null || at.getLineNr() < 1 ? ""
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
        if (root == null || !root.isObject()) {
            throw fail(file, "is not valid JSON (expected one object)");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> member : root.properties()) {
            JsonNode value = member.getValue();
            if (value.isValueNode() && !value.isNull()) {
                out.put(member.getKey().toLowerCase(Locale.ROOT), value.asText());
            }
        }
        return out;
    }

    private static Credentials fromJson(String file, Map<String, String> lower) {
        String clientId = require(file, lower, "clientId", "clientid");
        String tenantId = require(file, lower, "tenantId", "tenantid");
        String secret = blankToNull(lower.remove("clientsecret"));
        String cert = blankToNull(lower.remove("clientcertificate"));
        if (cert == null) {
            cert = blankToNull(lower.remove("clientcertificatepath"));
        }
        String certPassword = blankToNull(lower.remove("clientcertificatepassword"));
        if (secret == null && cert == null) {
            throw fail(file, "has neither clientSecret nor clientCertificate");
        }
        String subscription = blankToNull(lower.remove("subscriptionid"));
        String authority = blankToNull(lower.remove("activedirectoryendpointurl"));
        String arm = blankToNull(lower.remove("resourcemanagerendpointurl"));
        checkEndpoint(file, "activeDirectoryEndpointUrl", authority);
        checkEndpoint(file, "resourceManagerEndpointUrl", arm);
        return new Credentials(clientId, secret == null ? null : new Secret(secret), cert,
                certPassword == null ? null : new Secret(certPassword), tenantId, subscription, authority, arm,
                withoutSecrets(lower));
    }

    private static Credentials fromText(String file, String text) {
        Map<String, String> values = new LinkedHashMap<>();
        int lineNo = 0;
        for (String raw : text.split("\r?\n|\r")) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int cut = indexOfSeparator(line);
            if (cut <= 0) {
                throw fail(file, "line " + lineNo + " is not of the form 'key value'");
            }
            String key = line.substring(0, cut).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(cut + 1).strip();
            if (value.isEmpty()) {
                // Neither the key nor anything else from the line: a secret may sit where a key should.
                throw fail(file, "line " + lineNo + " has no value");
            }
            values.put(key, value);
        }
        String clientId = require(file, values, "client_id", "client_id", "clientid");
        String tenantId = require(file, values, "tenant_id", "tenant_id", "tenantid");
        String secret = blankToNull(values.remove("secret"));
        if (secret == null) {
            secret = blankToNull(values.remove("client_secret"));
        }
        String cert = blankToNull(values.remove("client_certificate"));
        if (cert == null) {
            cert = blankToNull(values.remove("certificate"));
        }
        String certPassword = blankToNull(values.remove("client_certificate_password"));
        if (secret == null && cert == null) {
            throw fail(file, "has neither 'secret' nor 'client_certificate'");
        }
        String subscription = firstOf(values, "subscription_id", "subscription");
        String authority = firstOf(values, "authority", "active_directory_endpoint", "activedirectoryendpointurl");
        String arm = firstOf(values, "resource_manager_endpoint", "resource", "resourcemanagerendpointurl");
        checkEndpoint(file, "authority", authority);
        checkEndpoint(file, "resource_manager_endpoint", arm);
        return new Credentials(clientId, secret == null ? null : new Secret(secret), cert,
                certPassword == null ? null : new Secret(certPassword), tenantId, subscription, authority, arm,
                withoutSecrets(values));
    }

    private static int indexOfSeparator(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t' || c == '=' || c == ':') {
                return i;
            }
        }
        return -1;
    }

    private static String require(String file, Map<String, String> values, String shown, String... keys) {
        String v = firstOf(values, keys);
        if (v == null) {
            throw fail(file, "has no " + shown);
        }
        return v;
    }

    private static String firstOf(Map<String, String> values, String... keys) {
        for (String k : keys) {
            String v = blankToNull(values.remove(k));
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static Map<String, String> withoutSecrets(Map<String, String> rest) {
        Map<String, String> out = new LinkedHashMap<>();
        rest.forEach((k, v) -> {
            if (!(k.contains("secret") || k.contains("password") || k.contains("key") || k.contains("token"))) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** Endpoints must be https: the client secret goes to the authority, tokens to Resource Manager. */
    private static void checkEndpoint(String file, String name, String url) {
        if (url != null && !url.regionMatches(true, 0, "https://", 0, 8)) {
            throw fail(file, "has a " + name + " that is not an https URL");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    static CloudException fail(String file, String problem) {
        return new CloudException(CloudException.CREDENTIAL_FILE, "credential file " + file + " " + problem);
    }
}
