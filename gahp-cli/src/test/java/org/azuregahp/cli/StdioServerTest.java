package org.azuregahp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.azuregahp.domain.codec.GahpCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stdio front end driven in-process, the way the gridmanager drives the real process. */
class StdioServerTest {
    private static final String SUB = "00000000-0000-0000-0000-000000000001";
    private static final String CREATE_ARGS = "name=condorc1p0 location=westeurope image=Canonical:UbuntuServer:18.04-LTS:latest"
            + " size=Standard_B1s adminUsername=azureuser key=ssh-rsa\\ AAAAB3NzaC1yc2EAAAADAQABAAABAQCstubkey\\ alice@laptop";

    private final PipedOutputStream stdin = new PipedOutputStream();
    private final LineCollector stdout = new LineCollector();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final AtomicInteger exits = new AtomicInteger();
    private CompletableFuture<Integer> server;

    private void start(String... args) throws IOException {
        CommandLine.Outcome outcome = CommandLine.parse(List.of(args), Map.of());
        Settings settings = ((CommandLine.Run) outcome).settings();
        PipedInputStream in = new PipedInputStream(stdin, 1 << 16);
        StdioServer s = new StdioServer(settings, new BuildInfo("1.0.0", "Nov 27 2026"),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
        Lifecycle lifecycle = new Lifecycle() {
            @Override
            public void afterBanner() {
            }

            @Override
            public void onReady(Shutdown shutdown) {
            }

            @Override
            public void exit(int status) {
                exits.incrementAndGet();
            }
        };
        server = CompletableFuture.supplyAsync(() -> s.serve(in, stdout, lifecycle));
    }

    private void send(String line) throws IOException {
        stdin.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    private void expect(String line) throws InterruptedException {
        assertThat(stdout.next()).isEqualTo(line);
    }

    @AfterEach
    void closeInput() throws IOException {
        stdin.close();
    }

    @Test
    void theGridmanagersConversationWorksOnTheFakeCloud() throws Exception {
        start("--cloud", "fake");
        assertThat(stdout.next()).matches("\\$GahpVersion: 1\\.0\\.0 Nov 27 2026 azure-gahp\\\\ \\(Java\\) \\$").hasSizeLessThan(150);
        send("COMMANDS");
        assertThat(stdout.next()).startsWith("S AZURE_PING AZURE_VM_CREATE AZURE_VM_DELETE AZURE_VM_LIST")
                .contains(" RESPONSE_PREFIX").contains(" ASYNC_MODE_ON").contains(" CONDOR_VERSION")
                .contains(" STATISTICS");
        send("RESPONSE_PREFIX GAHP:");
        assertThat(stdout.next()).isIn("S", "GAHP:S");
        send("ASYNC_MODE_ON");
        expect("GAHP:S");
        send("AZURE_PING 2 NULL " + SUB);
        expect("GAHP:S");
        expect("GAHP:R");
        send("RESULTS");
        expect("GAHP:S 1");
        expect("GAHP:2 NULL");

        send("AZURE_VM_CREATE 4 NULL " + SUB + " " + CREATE_ARGS);
        expect("GAHP:S");
        expect("GAHP:R");
        send("RESULTS");
        expect("GAHP:S 1");
        List<String> create = GahpCodec.split(stdout.next());
        assertThat(create).hasSize(4);
        assertThat(create.get(0)).isEqualTo("GAHP:4");
        assertThat(create.get(1)).isEqualTo("NULL");
        assertThat(create.get(2)).isNotEmpty();

        send("AZURE_VM_LIST 5 NULL " + SUB);
        expect("GAHP:S");
        expect("GAHP:R");
        send("RESULTS");
        expect("GAHP:S 1");
        List<String> list = GahpCodec.split(stdout.next());
        assertThat(list).hasSize(3 + 2);
        assertThat(list.subList(0, 3)).containsExactly("GAHP:5", "NULL", "1");
        assertThat(list.get(3)).isEqualToIgnoringCase("condorc1p0");
        assertThat(list.get(4)).endsWith("PowerState/running");

        send("AZURE_VM_DELETE 6 NULL " + SUB + " condorc1p0");
        expect("GAHP:S");
        expect("GAHP:R");
        send("RESULTS");
        expect("GAHP:S 1");
        expect("GAHP:6 NULL");
        send("AZURE_VM_DELETE 7 NULL " + SUB + " condorc1p0");
        expect("GAHP:S");
        expect("GAHP:R");
        send("RESULTS");
        expect("GAHP:S 1");
        String gone = stdout.next();
        assertThat(GahpCodec.split(gone)).hasSize(2).first().isEqualTo("GAHP:7");
        assertThat(gone).contains("could\\ not\\ be\\ found");

        stdin.close(); // end of input is QUIT
        assertThat(server.get(5, TimeUnit.SECONDS)).isZero();
        assertThat(exits.get()).isEqualTo(1);
    }

    @Test
    void quitAnswersSAndEndsTheSession() throws Exception {
        start("--cloud", "fake");
        stdout.next();
        send("QUIT");
        expect("S");
        assertThat(server.get(5, TimeUnit.SECONDS)).isZero();
        assertThat(stdout.poll(100)).isNull();
    }

    @Test
    void endOfInputWithWorkInFlightExitsWithoutWaitingForIt() throws Exception {
        start("--cloud", "fake", "--fake-latency", "1h");
        stdout.next();
        StringBuilder many = new StringBuilder();
        for (int i = 2; i < 2002; i++) {
            many.append("AZURE_PING ").append(i).append(" NULL ").append(SUB).append('\n');
        }
        stdin.write(many.toString().getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 2000; i++) {
            expect("S");
        }
        stdin.close();
        // Each ping takes an hour: a session that waited for them would not end here (the wait only
        // guards against a hang; how fast the exit is, is measured in gahp-it's benchmarks).
        assertThat(server.get(120, TimeUnit.SECONDS)).isZero();
        assertThat(stdout.poll(100)).isNull();
    }

    @Test
    void anOversizedLineGetsEAndTheServerKeepsServing() throws Exception {
        start("--cloud", "fake", "--max-line-bytes", "1024");
        stdout.next();
        send("AZURE_PING 2 NULL " + "x".repeat(5000));
        assertThat(stdout.next()).startsWith("E");
        send("VERSION");
        assertThat(stdout.next()).startsWith("S $GahpVersion:");
        send("AZURE_PING 3 NULL " + SUB);
        expect("S");
    }

    @Test
    void binaryAndMalformedLinesEachGetOneReturnLine() throws Exception {
        start("--cloud", "fake");
        stdout.next();
        stdin.write(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, '\n'});
        assertThat(stdout.next()).startsWith("E");
        send("AZURE_VM_CREATE 9 NULL " + SUB + " name=x bogus=1");
        expect("S");
        send("");
        assertThat(stdout.next()).startsWith("E");
        send("RESULTS");
        expect("S 1");
        assertThat(stdout.next()).startsWith("9 ");
    }

    @Test
    void theFakeStateFileIsWrittenAtExit(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state.json");
        start("--cloud", "fake", "--fake-state", state.toString());
        stdout.next();
        send("AZURE_VM_CREATE 2 NULL " + SUB + " " + CREATE_ARGS);
        expect("S");
        send("QUIT");
        expect("S");
        assertThat(server.get(5, TimeUnit.SECONDS)).isZero();
        // the create may or may not have finished before QUIT; the document exists either way
        assertThat(state).exists();
        assertThat(Files.readString(state)).contains("resourceGroups");
    }

    @Test
    void aBadStateFileIsAClearErrorAfterTheBanner(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state.json");
        Files.writeString(state, "{ not json");
        start("--cloud", "fake", "--fake-state", state.toString());
        assertThat(stdout.next()).startsWith("$GahpVersion:");
        assertThat(server.get(5, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("cannot start the fake cloud")
                .contains("state.json");
    }
}
