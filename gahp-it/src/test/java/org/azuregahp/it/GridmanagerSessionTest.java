package org.azuregahp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recorded gridmanager session, replayed against the real launcher on the fake cloud. */
class GridmanagerSessionTest {
    static final String SUB = "00000000-0000-0000-0000-000000000001";
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    Path credFile() throws Exception {
        Path f = tmp.resolve("azure_auth.json");
        Files.writeString(f, """
                {
                  "clientId": "11111111-2222-3333-4444-555555555555",
                  "clientSecret": "canary-client-secret-Zq81",
                  "subscriptionId": "%s",
                  "tenantId": "66666666-7777-8888-9999-000000000000",
                  "activeDirectoryEndpointUrl": "https://login.microsoftonline.com",
                  "resourceManagerEndpointUrl": "https://management.azure.com/"
                }
                """.formatted(SUB));
        return f;
    }

    /** The state file is written within a second of a change: wait up to 5 s for it to show what we expect. */
    static String awaitState(Path state, java.util.function.Predicate<String> ok) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        String text = "";
        while (System.nanoTime() < deadline) {
            text = Files.exists(state) ? Files.readString(state) : "";
            if (ok.test(text)) {
                return text;
            }
            Thread.sleep(50);
        }
        assertThat(ok.test(text)).as("state file %s never matched; last content:%n%s", state, text).isTrue();
        return text;
    }

    @Test
    void aJobsWholeLifeWorksAsTheGridmanagerDrivesIt() throws Exception {
        Path state = tmp.resolve("state.json");
        Path cred = credFile();
        try (GahpProcess gahp = GahpProcess.start("--cloud", "fake", "--fake-state", state.toString())) {
            GahpSession s = new GahpSession(gahp);
            List<String> commands = s.handshake();
            assertThat(commands).contains("AZURE_PING", "AZURE_VM_CREATE", "AZURE_VM_DELETE", "AZURE_VM_LIST",
                    "RESULTS", "QUIT", "VERSION", "COMMANDS", "ASYNC_MODE_ON", "RESPONSE_PREFIX", "CONDOR_VERSION");

            assertThat(s.command("CONDOR_VERSION $CondorVersion:\\ 25.14.0\\ 2026-11-01\\ BuildID:\\ 1\\ $"))
                    .hasSize(2).first().isEqualTo("S");

            assertThat(s.command("AZURE_PING 2 " + cred + " " + SUB)).containsExactly("S");
            assertThat(s.command("AZURE_VM_LIST 3 " + cred + " " + SUB)).containsExactly("S");
            List<List<String>> first = s.results(2, WAIT);
            assertThat(first).containsExactlyInAnyOrder(List.of("2", "NULL"), List.of("3", "NULL", "0"));

            assertThat(s.command("AZURE_VM_CREATE 4 " + cred + " " + SUB + " name=condorc1p0 location=westeurope"
                    + " image=Canonical:UbuntuServer:18.04-LTS:latest size=Standard_B1s adminUsername=azureuser"
                    + " key=ssh-rsa\\ AAAAB3NzaC1yc2EAAAADAQABAAABAQCstubkey\\ alice@laptop")).containsExactly("S");
            List<String> created = s.result(WAIT);
            assertThat(created).hasSize(4);
            assertThat(created.get(0)).isEqualTo("4");
            assertThat(created.get(1)).isEqualTo("NULL");
            assertThat(created.get(2)).isNotEmpty();
            assertThat(created.get(3)).matches("NULL|\\d+\\.\\d+\\.\\d+\\.\\d+");

            assertThat(s.command("AZURE_VM_LIST 5 " + cred + " " + SUB)).containsExactly("S");
            List<String> listed = s.result(WAIT);
            assertThat(listed).hasSize(5);
            assertThat(listed.subList(0, 4)).containsExactly("5", "NULL", "1", "condorc1p0");
            assertThat(listed.get(4)).endsWith("PowerState/running");

            awaitState(state, text -> text.contains("condorc1p0"));

            assertThat(s.command("AZURE_VM_DELETE 6 " + cred + " " + SUB + " condorc1p0")).containsExactly("S");
            assertThat(s.result(WAIT)).containsExactly("6", "NULL");

            assertThat(s.command("AZURE_VM_DELETE 7 " + cred + " " + SUB + " condorc1p0")).containsExactly("S");
            List<String> gone = s.result(WAIT);
            assertThat(gone).hasSize(2);
            assertThat(gone.get(1)).contains("could not be found");

            assertThat(s.command("AZURE_VM_LIST 8 " + cred + " " + SUB)).containsExactly("S");
            assertThat(s.result(WAIT)).containsExactly("8", "NULL", "0");
            assertThat(s.notices()).isGreaterThanOrEqualTo(1);

            gahp.closeStdin();
            assertThat(gahp.waitFor(Duration.ofSeconds(5))).isTrue();
            assertThat(gahp.exitValue()).isZero();
            assertThat(gahp.stderr()).doesNotContain("canary-client-secret-Zq81").doesNotContain("Exception");
            assertThat(String.join("\n", gahp.allStdout())).doesNotContain("canary-client-secret-Zq81");
            assertThat(LauncherTestSupport.readState(state).toString()).doesNotContain("condorc1p0");
        }
    }

    @Test
    void aCreateWithABadImageIsAnErrorResultAfterS() throws Exception {
        try (GahpProcess gahp = GahpProcess.start("--cloud", "fake")) {
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            assertThat(s.command("AZURE_VM_CREATE 2 NULL " + SUB
                    + " name=vm1 location=westeurope image=not-an-image size=Standard_B1s")).containsExactly("S");
            List<String> r = s.result(WAIT);
            assertThat(r).hasSize(2);
            assertThat(r.get(0)).isEqualTo("2");
            assertThat(r.get(1)).isNotEqualTo("NULL").containsIgnoringCase("image");
        }
    }

    @Test
    void aMissingCredentialFileIsAnErrorResultNamingTheFile() throws Exception {
        Path missing = tmp.resolve("nope.json");
        try (GahpProcess gahp = GahpProcess.start("--cloud", "fake")) {
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            assertThat(s.command("AZURE_PING 2 " + missing + " " + SUB)).containsExactly("S");
            List<String> r = s.result(WAIT);
            assertThat(r).hasSize(2);
            assertThat(r.get(1)).contains(missing.toString());
        }
    }

    @Test
    void unknownCommandsAndTooFewArgumentsAreE_andTheServerKeepsServing() throws Exception {
        try (GahpProcess gahp = GahpProcess.start("--cloud", "fake")) {
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            assertThat(s.command("NO_SUCH_COMMAND 1 2 3").get(0)).isEqualTo("E");
            assertThat(s.command("AZURE_VM_DELETE 2 NULL").get(0)).isEqualTo("E");
            assertThat(s.command("azure_ping 3 NULL " + SUB)).containsExactly("S");
            assertThat(s.result(WAIT)).containsExactly("3", "NULL");
        }
    }

    @Test
    void sigtermEndsTheServerPromptlyWithStatusZero() throws Exception {
        try (GahpProcess gahp = GahpProcess.start("--cloud", "fake", "--fake-latency", "30s")) {
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            for (int i = 0; i < 100; i++) {
                assertThat(s.command("AZURE_VM_CREATE " + (i + 2) + " NULL " + SUB + " name=vm" + i
                        + " location=westeurope image=linux-ubuntu-latest size=Standard_B1s")).containsExactly("S");
            }
            gahp.process().destroy(); // SIGTERM
            // Target one second; five times that for a loaded CI (the creates take 30 s each, so an exit
            // that waited for them would not make it).
            assertThat(gahp.waitFor(Duration.ofSeconds(5))).as("exited within 5 s of SIGTERM").isTrue();
            assertThat(gahp.exitValue()).isZero();
            assertThat(gahp.stderr()).doesNotContain("Exception");
        }
    }
}
