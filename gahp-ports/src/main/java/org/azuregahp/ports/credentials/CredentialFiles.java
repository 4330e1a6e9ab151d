package org.azuregahp.ports.credentials;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.azuregahp.ports.CloudException;

/**
 * Reads and validates credential files, the same way for every cloud adapter. Every failure is a
 * {@link CloudException} with code {@link CloudException#CREDENTIAL_FILE} whose message names the
 * file and the problem, and never repeats anything the file contains.
 */
public final class CredentialFiles {
    /** Larger files are refused: a credential file is a few hundred bytes. */
    public static final int MAX_BYTES = 64 * 1024;

    private CredentialFiles() {
    }

    public static Credentials read(Path file) {
        byte[] bytes;
        boolean others;
        try {
            if (Files.isDirectory(file)) {
                throw fail(file, "is a directory, not a file");
            }
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw fail(file, "is larger than " + MAX_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
            others = readableByOthers(file);
        } catch (NoSuchFileException e) {
            throw fail(file, "does not exist");
        } catch (java.nio.file.AccessDeniedException e) {
            throw fail(file, "cannot be read (permission denied)");
        } catch (IOException e) {
            throw fail(file, "cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw fail(file, "is not UTF-8 text");
        }
        return parse(file, text, others);
    }

    /** Parses a credential file's text; {@code file} only names it in error messages. */
    public static Credentials parse(Path file, String text, boolean readableByOthers) {
        String trimmed = text.strip();
        if (trimmed.startsWith("\uFEFF")) {
            trimmed = trimmed.substring(1).strip();
        }
        if (trimmed.isEmpty()) {
            throw fail(file, "is empty");
        }
        if (trimmed.startsWith("{")) {
            Map<String, String> json;
            try {
                json = new FlatJson(trimmed).object();
            } catch (IllegalArgumentException e) {
                throw fail(file, "is not valid JSON (" + e.getMessage() + ")");
            }
            return fromJson(file, json, readableByOthers);
        }
        return fromText(file, trimmed, readableByOthers);
    }

    private static Credentials fromJson(Path file, Map<String, String> json, boolean others) {
        Map<String, String> lower = new LinkedHashMap<>();
        json.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
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
                withoutSecrets(lower), others);
    }

    private static Credentials fromText(Path file, String text, boolean others) {
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
                throw fail(file, "line " + lineNo + " has no value for '" + safeKey(key) + "'");
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
                withoutSecrets(values), others);
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

    /** Keys we show in errors must look like keys, so a value pasted by mistake is never echoed. */
    private static String safeKey(String key) {
        return key.matches("[a-z0-9_.-]{1,40}") ? key : "(a key)";
    }

    private static String require(Path file, Map<String, String> values, String shown, String... keys) {
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
    private static void checkEndpoint(Path file, String name, String url) {
        if (url != null && !url.regionMatches(true, 0, "https://", 0, 8)) {
            throw fail(file, "has a " + name + " that is not an https URL");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** Whether users other than the file's owner may read it (group or others read permission). */
    public static boolean readableByOthers(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            return p.contains(PosixFilePermission.OTHERS_READ) || p.contains(PosixFilePermission.GROUP_READ);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    private static CloudException fail(Path file, String problem) {
        return new CloudException(CloudException.CREDENTIAL_FILE, "credential file " + file + " " + problem);
    }

    /** Just enough JSON for a credential file: one object; nested values are skipped. */
    private static final class FlatJson {
        private final String s;
        private int i;

        FlatJson(String s) {
            this.s = s;
        }

        Map<String, String> object() {
            Map<String, String> out = new LinkedHashMap<>();
            ws();
            expect('{');
            ws();
            if (peek() == '}') {
                i++;
            } else {
                while (true) {
                    ws();
                    String key = string();
                    ws();
                    expect(':');
                    ws();
                    String value = value();
                    if (value != null) {
                        out.put(key, value);
                    }
                    ws();
                    char c = next();
                    if (c == '}') {
                        break;
                    }
                    if (c != ',') {
                        throw new IllegalArgumentException("expected ',' or '}' at offset " + (i - 1));
                    }
                }
            }
            ws();
            if (i != s.length()) {
                throw new IllegalArgumentException("unexpected text after the object at offset " + i);
            }
            return out;
        }

        private String value() {
            char c = peek();
            if (c == '"') {
                return string();
            }
            if (c == '{' || c == '[') {
                skipNested();
                return null;
            }
            int start = i;
            while (i < s.length() && ",}] \t\r\n".indexOf(s.charAt(i)) < 0) {
                i++;
            }
            String lit = s.substring(start, i);
            if (lit.equals("null")) {
                return null;
            }
            if (lit.equals("true") || lit.equals("false") || lit.matches("-?[0-9][0-9.eE+-]*")) {
                return lit;
            }
            throw new IllegalArgumentException("unexpected value at offset " + start);
        }

        private void skipNested() {
            int depth = 0;
            do {
                char c = next();
                if (c == '"') {
                    i--;
                    string();
                } else if (c == '{' || c == '[') {
                    depth++;
                } else if (c == '}' || c == ']') {
                    depth--;
                }
            } while (depth > 0);
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return b.toString();
                }
                if (c == '\\') {
                    char e = next();
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'u' -> {
                            if (i + 4 > s.length()) {
                                throw new IllegalArgumentException("bad escape at offset " + i);
                            }
                            try {
                                b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            } catch (NumberFormatException ex) {
                                throw new IllegalArgumentException("bad escape at offset " + i);
                            }
                            i += 4;
                        }
                        default -> b.append(e);
                    }
                } else {
                    b.append(c);
                }
            }
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private char peek() {
            if (i >= s.length()) {
                throw new IllegalArgumentException("unexpected end at offset " + i);
            }
            return s.charAt(i);
        }

        private char next() {
            char c = peek();
            i++;
            return c;
        }

        private void expect(char c) {
            if (next() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at offset " + (i - 1));
            }
        }
    }
}
