package org.azuregahp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutionException;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.credentials.Credentials;
import org.azuregahp.ports.credentials.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Credential files as the server reads them ({@link FileCredentialSource} over {@link CredentialFiles}):
 * both accepted forms, and every refusal naming the file and the problem but nothing from the file.
 */
class CredentialFilesTest {
    private static final String SECRET = "S3cr3t~Value.With-Chars_123";

    @TempDir
    Path dir;

    private final FileCredentialSource source = new FileCredentialSource();

    private Credentials read(Path file) {
        try {
            return source.credentials(file.toString()).toCompletableFuture().get();
        } catch (ExecutionException e) {
            throw (RuntimeException) e.getCause();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return p;
    }

    private CloudException failure(Path file) {
        CloudException e = catchThrowableOfType(CloudException.class, () -> read(file));
        assertThat(e).as("reading %s should fail", file).isNotNull();
        assertThat(e.code()).isEqualTo(CloudException.CREDENTIAL_FILE);
        assertThat(e.getMessage()).contains(file.toString()).doesNotContainIgnoringCase(SECRET);
        assertThat(e.resultText()).doesNotContainIgnoringCase(SECRET);
        return e;
    }

    @Test
    void readsTheSdkAuthJson() throws IOException {
        Path f = write("auth.json", """
                {
                  "clientId": "11111111-1111-1111-1111-111111111111",
                  "clientSecret": "%s",
                  "subscriptionId": "22222222-2222-2222-2222-222222222222",
                  "tenantId": "33333333-3333-3333-3333-333333333333",
                  "activeDirectoryEndpointUrl": "https://login.microsoftonline.com",
                  "resourceManagerEndpointUrl": "https://management.azure.com/",
                  "sqlManagementEndpointUrl": "https://management.core.windows.net:8443/",
                  "managementEndpointUrl": "https://management.core.windows.net/",
                  "nested": {"ignored": [1, 2, {"deep": true}]}
                }
                """.formatted(SECRET));
        Credentials c = read(f);
        assertThat(c.clientId()).isEqualTo("11111111-1111-1111-1111-111111111111");
        assertThat(c.clientSecret().reveal()).isEqualTo(SECRET);
        assertThat(c.tenantId()).isEqualTo("33333333-3333-3333-3333-333333333333");
        assertThat(c.subscriptionId()).isEqualTo("22222222-2222-2222-2222-222222222222");
        assertThat(c.activeDirectoryEndpoint()).isEqualTo("https://login.microsoftonline.com");
        assertThat(c.resourceManagerEndpoint()).isEqualTo("https://management.azure.com/");
        assertThat(c.certificatePath()).isNull();
        assertThat(c.setting("sqlManagementEndpointUrl")).contains("https://management.core.windows.net:8443/");
        assertThat(c.toString()).doesNotContain(SECRET);
        assertThat(c.settings().values()).doesNotContain(SECRET);
    }

    @Test
    void readsTheEarlierServersTextForm() throws IOException {
        Path f = write("auth.txt", """
                # comment
                client_id 11111111-1111-1111-1111-111111111111
                secret %s
                tenant_id=33333333-3333-3333-3333-333333333333
                subscription_id: 22222222-2222-2222-2222-222222222222
                AUTOMATION_ACCOUNT gahp-automation
                authority https://login.microsoftonline.us/
                """.formatted(SECRET));
        Credentials c = read(f);
        assertThat(c.clientId()).isEqualTo("11111111-1111-1111-1111-111111111111");
        assertThat(c.clientSecret().reveal()).isEqualTo(SECRET);
        assertThat(c.tenantId()).isEqualTo("33333333-3333-3333-3333-333333333333");
        assertThat(c.subscriptionId()).isEqualTo("22222222-2222-2222-2222-222222222222");
        assertThat(c.activeDirectoryEndpoint()).isEqualTo("https://login.microsoftonline.us/");
        assertThat(c.setting("automation_account")).contains("gahp-automation");
        assertThat(c.toString()).doesNotContain(SECRET);
    }

    @Test
    void aCertificateStandsInForTheSecret() throws IOException {
        Path f = write("cert.json", """
                {"clientId": "a", "tenantId": "b", "clientCertificate": "/etc/gahp/cert.pem",
                 "clientCertificatePassword": "%s"}
                """.formatted(SECRET));
        Credentials c = read(f);
        assertThat(c.clientSecret()).isNull();
        assertThat(c.certificatePath()).isEqualTo("/etc/gahp/cert.pem");
        assertThat(c.certificatePassword().reveal()).isEqualTo(SECRET);
        assertThat(c.toString()).doesNotContain(SECRET);
    }

    @Test
    void aByteOrderMarkIsSkipped() throws IOException {
        Path f = write("bom.json", "\uFEFF{\"clientId\":\"a\",\"tenantId\":\"b\",\"clientSecret\":\"" + SECRET + "\"}");
        assertThat(read(f).clientId()).isEqualTo("a");
    }

    @Test
    void aMissingFileIsNamed() {
        assertThat(failure(dir.resolve("nope.json")).getMessage()).contains("does not exist");
    }

    @Test
    void aDirectoryIsRefused() {
        assertThat(failure(dir).getMessage()).contains("is a directory");
    }

    @Test
    void aHugeFileIsRefused() throws IOException {
        Path f = write("huge.json", SECRET.repeat(CredentialFiles.MAX_BYTES / SECRET.length() + 10));
        assertThat(failure(f).getMessage()).contains("larger than");
    }

    @Test
    void nonUtf8IsRefused() throws IOException {
        Path f = dir.resolve("latin1.txt");
        Files.write(f, new byte[] {'c', 'l', 'i', 'e', 'n', 't', '_', 'i', 'd', ' ', (byte) 0xE9, (byte) 0xFF});
        assertThat(failure(f).getMessage()).contains("not UTF-8");
    }

    @Test
    void anEmptyFileIsRefused() throws IOException {
        assertThat(failure(write("empty.json", "  \n\n")).getMessage()).contains("is empty");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unterminated string | {\"clientId\": \"a\", \"clientSecret\": \"S3cr3t~Value.With-Chars_123",
        "missing comma       | {\"clientId\": \"a\" \"clientSecret\": \"S3cr3t~Value.With-Chars_123\"}",
        "bad literal         | {\"clientId\": S3cr3t~Value.With-Chars_123}",
        "trailing text       | {\"clientSecret\": \"S3cr3t~Value.With-Chars_123\"} S3cr3t~Value.With-Chars_123",
        "bad escape          | {\"clientSecret\": \"S3cr3t~Value.With-Chars_123\\u12\"}"})
    void invalidJsonIsRefusedWithoutQuotingIt(String what, String text) throws IOException {
        assertThat(failure(write("bad.json", text)).getMessage()).containsPattern("not valid JSON \\(line 1, column \\d+\\)$");
    }

    @Test
    void invalidJsonSaysWhereButNotWhat() throws IOException {
        Path f = write("where.json", "{\n  \"clientId\": \"a\",\n  \"clientSecret\": " + SECRET + "\n}\n");
        assertThat(failure(f).getMessage()).endsWith("is not valid JSON (line 3, column 19)");
        assertThat(failure(write("array.json", "{}]")).getMessage()).contains("not valid JSON");
        assertThat(failure(write("list.json", "{\"a\": 1} {\"b\": 2}")).getMessage()).contains("not valid JSON");
    }

    @Test
    void jsonValuesThatAreNotTextAreTakenAsTextOrSkipped() throws IOException {
        Path f = write("odd.json", "{\"clientId\": \"a\", \"tenantId\": \"b\", \"clientSecret\": \"" + SECRET + "\","
                + " \"retries\": 3, \"beta\": true, \"nothing\": null, \"list\": [1, \"x\"], \"object\": {\"k\": \"v\"}}");
        Credentials c = read(f);
        assertThat(c.settings()).containsOnly(java.util.Map.entry("retries", "3"), java.util.Map.entry("beta", "true"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no clientId      | {\"tenantId\": \"b\", \"clientSecret\": \"S3cr3t~Value.With-Chars_123\"}   | has no clientId",
        "no tenantId      | {\"clientId\": \"a\", \"clientSecret\": \"S3cr3t~Value.With-Chars_123\"}   | has no tenantId",
        "blank tenantId   | {\"clientId\": \"a\", \"tenantId\": \" \", \"clientSecret\": \"S3cr3t~Value.With-Chars_123\"} | has no tenantId",
        "no secret        | {\"clientId\": \"a\", \"tenantId\": \"b\"}                                 | neither clientSecret nor clientCertificate",
        "bad AD endpoint  | {\"clientId\": \"a\", \"tenantId\": \"b\", \"clientSecret\": \"S3cr3t~Value.With-Chars_123\", \"activeDirectoryEndpointUrl\": \"ftp://x\"} | activeDirectoryEndpointUrl that is not an https URL",
        "bad ARM endpoint | {\"clientId\": \"a\", \"tenantId\": \"b\", \"clientSecret\": \"S3cr3t~Value.With-Chars_123\", \"resourceManagerEndpointUrl\": \"S3cr3t~Value.With-Chars_123\"} | resourceManagerEndpointUrl that is not an https URL"})
    void incompleteJsonIsRefused(String what, String text, String problem) throws IOException {
        assertThat(failure(write("incomplete.json", text)).getMessage()).contains(problem);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no client_id      | tenant_id b\\nsecret S3cr3t~Value.With-Chars_123            | has no client_id",
        "no tenant_id      | client_id a\\nsecret S3cr3t~Value.With-Chars_123            | has no tenant_id",
        "no secret         | client_id a\\ntenant_id b                                   | has neither 'secret' nor 'client_certificate'",
        "lone value        | client_id a\\nS3cr3t~Value.With-Chars_123\\ntenant_id b     | line 2 is not of the form 'key value'",
        "key without value | client_id a\\ntenant_id b\\nsecret:                         | line 3 has no value",
        "odd key no value  | client_id a\\nS3cr3t~Value!With-Chars_123:                  | line 2 has no value",
        "bad authority     | client_id a\\ntenant_id b\\nsecret S3cr3t~Value.With-Chars_123\\nauthority S3cr3t~Value.With-Chars_123 | authority that is not an https URL"})
    void incompleteTextIsRefused(String what, String text, String problem) throws IOException {
        assertThat(failure(write("incomplete.txt", text.replace("\\n", "\n"))).getMessage()).contains(problem);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "key then =     | CANARY-7f3a=",
        "key then :     | CANARY-7f3a:",
        "key only       | CANARY-7f3a",
        "key then blank | CANARY-7f3a=   "})
    void aSecretWhereAKeyShouldBeIsNeverEchoed(String what, String line) throws IOException {
        Path f = write("keys.txt", "client_id a\ntenant_id b\n" + line + "\nsecret x\n");
        CloudException e = failure(f);
        assertThat(e.getMessage()).contains("line 3").doesNotContainIgnoringCase("canary")
                .doesNotContainIgnoringCase("7f3a");
    }

    @Test
    void secretLikeSettingsAreDropped() throws IOException {
        Path f = write("extra.txt", """
                client_id a
                tenant_id b
                secret %1$s
                storage_key %1$s
                api_token %1$s
                automation_account acct
                """.formatted(SECRET));
        Credentials c = read(f);
        assertThat(c.settings()).containsOnlyKeys("automation_account");
        assertThat(c.settings().values()).doesNotContain(SECRET);
    }

    @Test
    void secretsNeverShowThemselves() {
        assertThat(new Secret(SECRET).toString()).isEqualTo("***");
        assertThat(new Secret(SECRET)).isEqualTo(new Secret(SECRET));
    }

    @Test
    void plainHttpEndpointsAreRefusedSoTheSecretNeverTravelsInTheClear(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("http.json");
        Files.writeString(f, "{\"clientId\": \"a\", \"tenantId\": \"b\", \"clientSecret\": \"S3cr3t~http\","
                + " \"activeDirectoryEndpointUrl\": \"http://login.example\"}");
        assertThatThrownBy(() -> read(f)).isInstanceOf(CloudException.class)
                .hasMessageContaining("activeDirectoryEndpointUrl that is not an https URL")
                .hasMessageNotContaining("S3cr3t~http");
    }
}
