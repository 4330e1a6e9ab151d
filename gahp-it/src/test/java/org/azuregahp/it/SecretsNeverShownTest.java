package org.azuregahp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.azuregahp.it.LauncherTestSupport.SUB;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Canary secrets (a credential file's clientSecret, the earlier text form's secret, {@code key=}
 * passwords, a vault secret seeded through the state file) never appear on stdout, stderr, in the
 * debug log or in the state file, on success and on every error path (bad image, weak password,
 * missing vault or secret, malformed credential files, injected faults).
 */
class SecretsNeverShownTest {

    @TempDir
    Path dir;

    private static String canary(Random r, String kind) {
        byte[] b = new byte[8];
        r.nextBytes(b);
        return kind + HexFormat.of().formatHex(b);
    }

    @ParameterizedTest(name = "failure rate {0}")
    @CsvSource({"0, 1", "0.5, 2"})
    void canariesNeverLeak(String failureRate, long seed) throws Exception {
        Random r = new Random(seed);
        String credSecret = canary(r, "CredCanary");
        String textSecret = canary(r, "TextCanary");
        String brokenSecret = canary(r, "BrokenCanary");
        String password = "Pw7!" + canary(r, "PassCanary");
        String weakPassword = canary(r, "weakcanary").toLowerCase(java.util.Locale.ROOT);
        String vaultSecret = canary(r, "VaultCanary");
        List<String> canaries = List.of(credSecret, textSecret, brokenSecret, password, weakPassword, vaultSecret);

        Path cred = write("cred.json", "{\"clientId\": \"11111111-1111-1111-1111-111111111111\",\n"
                + " \"clientSecret\": \"" + credSecret + "\",\n"
                + " \"tenantId\": \"22222222-2222-2222-2222-222222222222\",\n"
                + " \"subscriptionId\": \"" + SUB + "\",\n"
                + " \"activeDirectoryEndpointUrl\": \"https://login.microsoftonline.com\",\n"
                + " \"resourceManagerEndpointUrl\": \"https://management.azure.com/\"}\n");
        Path textCred = write("cred.txt", "client_id 11111111-1111-1111-1111-111111111111\nsecret " + textSecret
                + "\ntenant_id 22222222-2222-2222-2222-222222222222\n");
        Path broken = write("broken.json", "{\"clientId\": \"x\", \"clientSecret\": \"" + brokenSecret + "\", \"tenantId\"");
        Path noTenant = write("notenant.json", "{\"clientId\": \"x\", \"clientSecret\": \"" + brokenSecret + "\"}");
        Path badText = write("bad.txt", "secret " + brokenSecret + "\n" + brokenSecret + "\n");
        Path state = write("state.json", "{\"version\": 1, \"subscriptions\": [{\"id\": \"" + SUB + "\", "
                + "\"resourceGroups\": [{\"name\": \"vaultrg\", \"location\": \"westeurope\", \"tags\": {}, "
                + "\"resources\": [{\"type\": \"Microsoft.KeyVault/vaults\", \"name\": \"poolvault\", "
                + "\"location\": \"westeurope\", \"secrets\": [{\"name\": \"pool-password\", \"value\": \""
                + vaultSecret + "\"}]}]}]}], \"deletionSchedules\": []}");
        Path log = dir.resolve("gahp.log");

        String c = cred.toString();
        String win = " location=westeurope image=windows-server-latest size=Standard_B1s adminUsername=azureuser";
        String lin = " location=westeurope image=linux-ubuntu-latest size=Standard_B1s adminUsername=azureuser";
        String vault = " keyvaultname=poolvault keyvaultrg=vaultrg vaultkey=pool-password";
        List<String> lines = new ArrayList<>(List.of(
                "AZURE_PING 2 " + c + " " + SUB,
                "AZURE_PING 3 " + textCred + " " + SUB,
                "AZURE_PING 4 " + broken + " " + SUB,
                "AZURE_PING 5 " + noTenant + " " + SUB,
                "AZURE_PING 6 " + badText + " " + SUB,
                "AZURE_VM_CREATE 7 " + c + " " + SUB + " name=win1" + win + " key=" + password,
                "AZURE_VM_CREATE 8 " + c + " " + SUB + " name=win2 location=westeurope image=bogus size=Standard_B1s"
                        + " adminUsername=azureuser key=" + password,
                "AZURE_VM_CREATE 9 " + c + " " + SUB + " name=win3" + win + " key=" + weakPassword,
                "AZURE_VM_CREATE 10 " + c + " " + SUB + " name=lin1" + lin + " key=" + password,
                "AZURE_VM_CREATE 11 " + broken + " " + SUB + " name=lin2" + lin + " key=" + password,
                "AZURE_VM_CREATE 12 " + c + " " + SUB + " name=lin3" + lin + " key=" + password + " bogus=" + password,
                "AZURE_VMSS_CREATE 13 " + c + " " + SUB + " name=set1" + lin + " key=" + password + vault,
                "AZURE_VMSS_CREATE 14 " + c + " " + SUB + " name=set2" + lin + " key=" + password
                        + " keyvaultname=novault keyvaultrg=vaultrg vaultkey=pool-password",
                "AZURE_VMSS_CREATE 15 " + c + " " + SUB + " name=set3" + lin + " key=" + weakPassword
                        + " keyvaultname=poolvault keyvaultrg=vaultrg vaultkey=nosuchsecret",
                "AZURE_VMSS_CREATE 16 " + textCred + " " + SUB + " name=set4" + win + " key=" + weakPassword + vault,
                "AZURE_VM_LIST 17 " + c + " " + SUB,
                "AZURE_VMSS_LIST 18 " + c + " " + SUB,
                "AZURE_KEYVAULT_CREATE 21 " + c + " " + SUB + " name=poolvault location=westeurope"));
        // Deletes go after the creates have finished (a delete during its create cancels the create).
        List<String> deletes = List.of(
                "AZURE_VM_DELETE 19 " + c + " " + SUB + " win1",
                "AZURE_VMSS_DELETE 20 " + c + " " + SUB + " set1",
                "AZURE_VM_DELETE 22 " + broken + " " + SUB + " lin1");
        try (GahpProcess gahp = GahpProcess.start("--cloud", "fake", "--fake-state", state.toString(),
                "--fake-failure-rate", failureRate, "--fake-seed", String.valueOf(seed), "--log", log.toString(),
                "--log-level", "debug")) {
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            LauncherTestSupport.sendAllAccepted(s, lines);
            Map<String, List<String>> results = LauncherTestSupport.resultsById(s, lines.size(), Duration.ofSeconds(30));
            assertThat(results).hasSize(lines.size());
            if (failureRate.equals("0")) {
                // The success paths really ran: the canaries were used, not merely rejected early.
                assertThat(results.get("2").get(1)).isEqualTo("NULL");
                assertThat(results.get("3").get(1)).isEqualTo("NULL");
                assertThat(results.get("7").get(1)).isEqualTo("NULL");
                assertThat(results.get("13").get(1)).isEqualTo("NULL");
                for (String failing : List.of("4", "5", "6", "8", "9", "11", "14", "15")) {
                    assertThat(results.get(failing).get(1)).as("request %s fails", failing).isNotEqualTo("NULL");
                }
                assertThat(results.get("4").get(1)).contains(broken.toString());
            }
            LauncherTestSupport.sendAllAccepted(s, deletes);
            assertThat(LauncherTestSupport.resultsById(s, deletes.size(), Duration.ofSeconds(30))).hasSize(deletes.size());
            gahp.closeStdin();
            assertThat(gahp.waitFor(Duration.ofSeconds(10))).isTrue();
            assertThat(gahp.exitValue()).isZero();
            String stdout = String.join("\n", gahp.allStdout());
            String stderr = gahp.stderr();
            String logText = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            String stateText = LauncherTestSupport.stateText(state);
            assertThat(stateText).as("state file keeps the vault").contains("poolvault");
            for (String canary : canaries) {
                assertThat(stdout).as("stdout").doesNotContain(canary);
                assertThat(stderr).as("stderr").doesNotContain(canary);
                assertThat(logText).as("log file").doesNotContain(canary);
                assertThat(stateText).as("state file").doesNotContain(canary);
            }
            LauncherTestSupport.assertNoStackTraces(stderr);
        }
    }

    /**
     * A secret pasted where a key belongs in the text form ({@code CANARY-7f3a=} on a line) was echoed,
     * lower-cased, in the error result and the debug log. Nothing from the file may appear, in any case.
     */
    @org.junit.jupiter.api.Test
    void aSecretInTheKeyPositionOfATextCredentialFileIsNeverEchoed() throws Exception {
        String canary = "CANARY-" + HexFormat.of().formatHex(new byte[] {0x7f, 0x3a, 0x11, 0x5c});
        Path keyOnly = write("key-only.txt", "client_id 11111111-1111-1111-1111-111111111111\ntenant_id 2222\n"
                + canary + "=\nsecret x\n");
        Path keyColon = write("key-colon.txt", "client_id a\n" + canary + ":\n");
        Path bare = write("bare.txt", "client_id a\n" + canary + "\n");
        Path asSetting = write("setting.txt", "client_id a\ntenant_id b\nsecret x\n" + canary + "=" + canary + "\n");
        Path log = dir.resolve("canary.log");
        try (GahpProcess gahp = GahpProcess.start("--cloud", "fake", "--log", log.toString(), "--log-level", "debug")) {
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            List<Path> files = List.of(keyOnly, keyColon, bare, asSetting);
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                lines.add("AZURE_PING " + (i + 2) + " " + files.get(i) + " " + SUB);
            }
            LauncherTestSupport.sendAllAccepted(s, lines);
            Map<String, List<String>> results = LauncherTestSupport.resultsById(s, lines.size(), Duration.ofSeconds(20));
            assertThat(results.get("2").get(1)).isEqualTo("CredentialFileError: credential file " + keyOnly
                    + " line 3 has no value");
            assertThat(results.get("3").get(1)).contains(keyColon.toString()).contains("line 2");
            assertThat(results.get("4").get(1)).contains(bare.toString()).contains("line 2");
            assertThat(results.get("5")).containsExactly("5", "NULL");
            gahp.closeStdin();
            assertThat(gahp.waitFor(Duration.ofSeconds(10))).isTrue();
            String everything = String.join("\n", gahp.allStdout()) + gahp.stderr()
                    + Files.readString(log, StandardCharsets.UTF_8);
            assertThat(everything).doesNotContainIgnoringCase(canary).doesNotContainIgnoringCase(canary.substring(7));
        }
    }

    @org.junit.jupiter.api.Test
    void aCredentialFileOthersCanReadIsWarnedAboutInTheLog() throws Exception {
        String secret = canary(new Random(3), "OpenCanary");
        String json = "{\"clientId\": \"11111111-1111-1111-1111-111111111111\", \"clientSecret\": \"" + secret
                + "\", \"tenantId\": \"22222222-2222-2222-2222-222222222222\"}";
        Path open = write("open.json", json);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        Path closed = write("closed.json", json);
        Path log = dir.resolve("perm.log");
        try (GahpProcess gahp = GahpProcess.start("--cloud", "fake", "--log", log.toString())) {
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            LauncherTestSupport.sendAllAccepted(s, List.of("AZURE_PING 2 " + open + " " + SUB,
                    "AZURE_PING 3 " + closed + " " + SUB));
            Map<String, List<String>> results = LauncherTestSupport.resultsById(s, 2, Duration.ofSeconds(20));
            assertThat(results.get("2")).containsExactly("2", "NULL");
            assertThat(results.get("3")).containsExactly("3", "NULL");
            gahp.closeStdin();
            assertThat(gahp.waitFor(Duration.ofSeconds(10))).isTrue();
            String logText = Files.readString(log, StandardCharsets.UTF_8);
            List<String> warnings = logText.lines().filter(l -> l.contains("WARN")).toList();
            assertThat(warnings).as("log:%n%s", logText).anySatisfy(l -> assertThat(l).contains(open.toString())
                    .containsIgnoringCase("other users"));
            assertThat(warnings).as("no warning for a file only its owner can read")
                    .noneMatch(l -> l.contains(closed.toString()));
            assertThat(logText + gahp.stderr() + String.join("\n", gahp.allStdout())).doesNotContain(secret);
        }
    }

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return p;
    }
}
