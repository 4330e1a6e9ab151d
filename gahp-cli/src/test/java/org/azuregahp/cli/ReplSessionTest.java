package org.azuregahp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.azuregahp.domain.command.CommandTable;
import org.azuregahp.domain.engine.EngineListener;
import org.azuregahp.domain.engine.GahpEngine;
import org.azuregahp.domain.result.Outcome;
import org.azuregahp.domain.result.Result;
import org.azuregahp.fake.FakeCloud;
import org.azuregahp.ports.ScaleSetStatus;
import org.azuregahp.ports.VmStatus;
import org.jline.reader.Candidate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shell's logic without a terminal: friendly lines, escapes kept, results shown, help, completion. */
class ReplSessionTest {
    private final BlockingQueue<String> screen = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> wire = new LinkedBlockingQueue<>();
    private FakeCloud cloud;
    private GahpEngine engine;
    private ReplSession session;

    @BeforeEach
    void setUp() {
        cloud = FakeCloud.builder().seed(1).build();
        engine = GahpEngine.builder(cloud).output(line -> {
            wire.add(line);
            session.showEngineLine(line);
        }).build();
        session = new ReplSession(engine, CommandTable.standard(), Clock.systemUTC(),
                line -> screen.add(line.toString()), ReplSession.FAKE_SUBSCRIPTION);
        engine.addListener(new EngineListener() {
            @Override
            public void completed(Result result) {
                session.showResult(result);
            }
        });
    }

    @AfterEach
    void tearDown() {
        engine.shutdown();
        cloud.close();
    }

    private String shown() throws InterruptedException {
        String line = screen.poll(10, TimeUnit.SECONDS);
        assertThat(line).as("a line on the screen").isNotNull();
        return line;
    }

    private String shownContaining(String text) throws InterruptedException {
        while (true) {
            String line = shown();
            if (line.contains(text)) {
                return line;
            }
        }
    }

    @Test
    void friendlyRequestsGetAnIdTheCredentialFileAndTheSubscription() throws Exception {
        assertThat(session.handle("set cred=NULL subscription=sub-1")).isTrue();
        assertThat(shown()).isEqualTo("cred=NULL  subscription=sub-1");
        session.handle("vm_list");
        assertThat(wire.poll(5, TimeUnit.SECONDS)).isEqualTo("S");
        assertThat(shown()).isEqualTo("\u2192 [1] AZURE_VM_LIST sent");
        assertThat(shownContaining("AZURE_VM_LIST")).contains("[1] AZURE_VM_LIST succeeded").contains("0 VM(s)");
    }

    @Test
    void rawLinesGoToTheEngineWithTheirEscapesIntact() throws Exception {
        session.handle("AZURE_VM_CREATE 7 NULL " + ReplSession.FAKE_SUBSCRIPTION
                + " name=vm1 location=westeurope image=linux-ubuntu-latest size=Standard_B1s adminUsername=azureuser"
                + " key=ssh-rsa\\ AAAAB3NzaC1yc2EAAAADAQABAAABAQCstubkey\\ alice@laptop");
        assertThat(wire.poll(5, TimeUnit.SECONDS)).isEqualTo("S");
        String result = shownContaining("[7] AZURE_VM_CREATE succeeded");
        assertThat(result).contains("AZURE_VM_CREATE succeeded").contains("vmId");
        // the next friendly id does not collide with the raw one
        session.handle("vm_list");
        assertThat(shownContaining("AZURE_VM_LIST succeeded")).contains("[8]").contains("vm1").contains("PowerState/running");
    }

    @Test
    void typedResultsAreShownForPeopleWithoutReadingTheWireFormat() throws Exception {
        java.time.Instant now = java.time.Instant.now();
        session.showResult(new Result("3", "AZURE_VM_LIST", new Outcome.VmList(List.of(
                new VmStatus("web 1", List.of("ProvisioningState/succeeded", "PowerState/running")),
                new VmStatus("web2", List.of()))), now));
        assertThat(shown()).startsWith("\u2714 [3] AZURE_VM_LIST succeeded (").endsWith("): 2 VM(s)\n"
                + "    web 1  ProvisioningState/succeeded,PowerState/running\n    web2  (no status)");
        session.showResult(new Result("4", "AZURE_VMSS_LIST", new Outcome.ScaleSetList(List.of(
                new ScaleSetStatus("pool", 3, List.of("PowerState/running")))), now));
        assertThat(shown()).endsWith("): 1 scale set(s)\n    pool  nodes=3  PowerState/running");
        session.showResult(new Result("5", "AZURE_VM_CREATE", new Outcome.CreatedVm("6f0c", null), now));
        assertThat(shown()).endsWith(")\n    vmId 6f0c  public IP none");
        session.showResult(new Result("6", "AZURE_VMSS_DELETE", Outcome.done(), now));
        assertThat(shown()).startsWith("\u2714 [6] AZURE_VMSS_DELETE succeeded (").endsWith("s)");
        session.showResult(new Result("7", "AZURE_PING", new Outcome.Failed("AuthenticationFailed: no token"), now));
        assertThat(shown()).startsWith("\u2718 [7] AZURE_PING failed (").endsWith("): AuthenticationFailed: no token");
    }

    @Test
    void failuresAreShownWithTheirErrorText() throws Exception {
        session.handle("vm_delete nosuchvm");
        assertThat(shownContaining("failed")).contains("nosuchvm").contains("could not be found");
    }

    @Test
    void unknownCommandsGetTheEnginesE() throws Exception {
        session.handle("FROBNICATE");
        assertThat(wire.poll(5, TimeUnit.SECONDS)).startsWith("E");
        assertThat(shown()).startsWith("E");
    }

    @Test
    void withoutASubscriptionFriendlyRequestsExplainWhatToSet() throws Exception {
        ReplSession azure = new ReplSession(engine, CommandTable.standard(), Clock.systemUTC(),
                line -> screen.add(line.toString()), null);
        azure.handle("AZURE_PING");
        assertThat(shown()).contains("set subscription=");
        assertThat(wire).isEmpty();
    }

    @Test
    void helpComesFromTheCommandTable() throws Exception {
        session.handle("help");
        String help = shown();
        for (String name : CommandTable.standard().names()) {
            assertThat(help).contains(name);
        }
        session.handle("help vm_create");
        assertThat(shown()).contains("AZURE_VM_CREATE").contains("usage:").contains("location=");
    }

    @Test
    void inflightListsRunningRequestsWithTheirAge() throws Exception {
        FakeCloud slow = FakeCloud.builder().latency(java.time.Duration.ofMinutes(1)).build();
        GahpEngine slowEngine = GahpEngine.builder(slow).build();
        try {
            ReplSession s = new ReplSession(slowEngine, CommandTable.standard(), Clock.systemUTC(),
                    line -> screen.add(line.toString()), ReplSession.FAKE_SUBSCRIPTION);
            s.handle("inflight");
            assertThat(shown()).isEqualTo("Nothing in flight.");
            assertThat(s.runningNote()).isEmpty();
            s.handle("AZURE_PING");
            assertThat(s.runningNote()).isEqualTo(" [1 running]");
            s.handle("inflight");
            assertThat(shown()).contains("1 in flight").contains("[1] AZURE_PING").contains("running for");
        } finally {
            slowEngine.shutdown();
            slow.close();
        }
    }

    @Test
    void aCredentialFileUnderHomeIsExpanded() throws Exception {
        session.handle("set cred=~/azure.json");
        assertThat(session.credentialFile()).isEqualTo(System.getProperty("user.home") + "/azure.json");
        assertThat(shown()).contains("cred=" + System.getProperty("user.home") + "/azure.json");
        session.handle("set cred=NULL");
        assertThat(session.credentialFile()).isNull();
    }

    @Test
    void quitAndExitEndTheShell() {
        assertThat(session.handle("quit")).isFalse();
        assertThat(session.handle("EXIT")).isFalse();
        assertThat(session.handle("")).isTrue();
    }

    @Test
    void rawAndFriendlyFormsAreToldApart() {
        assertThat(ReplSession.isRaw(List.of("AZURE_PING", "2", "NULL", "sub"))).isTrue();
        assertThat(ReplSession.isRaw(List.of("AZURE_VM_DELETE", "vm1"))).isFalse();
        assertThat(ReplSession.isRaw(List.of("AZURE_VMSS_SCALE", "rg", "set", "3"))).isFalse();
        assertThat(ReplSession.rawFirstWordEnd("AZURE\\ X rest")).isEqualTo(8);
    }

    @Test
    void trailingSpacesLeftByCompletionAreDroppedButEscapedOnesStay() {
        assertThat(ReplSession.withoutTrailingSpaces("vm_delete web1 ")).isEqualTo("vm_delete web1");
        assertThat(ReplSession.withoutTrailingSpaces("vm_delete web1   ")).isEqualTo("vm_delete web1");
        assertThat(ReplSession.withoutTrailingSpaces("tag=a\\ ")).isEqualTo("tag=a\\ ");
        assertThat(ReplSession.withoutTrailingSpaces("tag=a\\\\ ")).isEqualTo("tag=a\\\\");
        assertThat(ReplSession.withoutTrailingSpaces(" ")).isEmpty();
    }

    @Test
    void completionOffersCommandsKeysValuesAndExistingNames() throws Exception {
        session.handle("vm_create name=web1 location=westeurope image=linux-ubuntu-latest size=Standard_B1s"
                + " adminUsername=azureuser key=ssh-rsa\\ AAAAB3NzaC1yc2EAAAADAQABAAABAQCstubkey\\ a@b");
        shownContaining("succeeded");
        ReplCompleter completer = new ReplCompleter(CommandTable.standard(),
                new KnownValues(cloud::vmNames, cloud::scaleSetNames));
        assertThat(values(completer.candidates(List.of(""), 0, ""))).contains("AZURE_VM_CREATE", "RESULTS", "help")
                .doesNotContain("vm_create");
        assertThat(values(completer.candidates(List.of("vm_c"), 0, "vm_c"))).contains("vm_create", "vmss_create");
        assertThat(values(completer.candidates(List.of("AZURE_VM_CREATE", ""), 1, "")))
                .contains("name=", "location=", "size=", "image=");
        assertThat(values(completer.candidates(List.of("AZURE_VM_CREATE", "location=we"), 1, "location=we")))
                .contains("location=westeurope");
        assertThat(values(completer.candidates(List.of("vm_create", "size="), 1, "size=")))
                .contains("size=Standard_B1s");
        assertThat(values(completer.candidates(List.of("AZURE_VM_DELETE", ""), 1, ""))).contains("web1");
        assertThat(values(completer.candidates(List.of("help", ""), 1, ""))).contains("AZURE_VMSS_SCALE");
        assertThat(values(completer.candidates(List.of("set", ""), 1, ""))).contains("cred=", "subscription=");
    }

    private static List<String> values(List<Candidate> candidates) {
        return candidates.stream().map(Candidate::value).collect(Collectors.toList());
    }
}
