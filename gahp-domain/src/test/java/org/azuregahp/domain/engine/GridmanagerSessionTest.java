package org.azuregahp.domain.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.ImageRef;
import org.azuregahp.ports.MachineSpec;
import org.azuregahp.ports.VmCreated;
import org.azuregahp.ports.VmStatus;
import org.junit.jupiter.api.Test;

/**
 * The recorded sessions of HTCondor 25.14's gridmanager (shared/spec/gridmanager-session.md),
 * replayed byte for byte. Only the banner and the COMMANDS list differ: we implement more commands.
 */
class GridmanagerSessionTest {

    static final String CRED = "/home/alice/azure_auth.json";
    static final String SUB = "00000000-0000-0000-0000-000000000001";
    static final String H = " " + CRED + " " + SUB;
    static final String CREATE = "name=condorc1p0 location=westeurope image=Canonical:UbuntuServer:18.04-LTS:latest "
            + "size=Standard_B1s adminUsername=azureuser "
            + "key=ssh-rsa\\ AAAAB3NzaC1yc2EAAAADAQABAAABAQCstubkey\\ alice@laptop";
    static final String VM_ID = "/subscriptions/" + SUB
            + "/resourceGroups/condorc1p0/providers/Microsoft.Compute/virtualMachines/condorc1p0";
    static final String ALL_COMMANDS = "S AZURE_PING AZURE_VM_CREATE AZURE_VM_DELETE AZURE_VM_LIST AZURE_VMSS_CREATE "
            + "AZURE_VMSS_DELETE AZURE_VMSS_START AZURE_VMSS_STOP AZURE_VMSS_RESTART AZURE_VMSS_SCALE AZURE_VMSS_LIST "
            + "AZURE_KEYVAULT_CREATE ASYNC_MODE_ON ASYNC_MODE_OFF COMMANDS CONDOR_VERSION QUIT RESPONSE_PREFIX RESULTS "
            + "STATISTICS VERSION";

    static VmStatus vm(String power) {
        return new VmStatus("CONDORC1P0", List.of("ProvisioningState/succeeded", "PowerState/" + power));
    }

    @Test
    void aJobsWholeLife() {
        StubCloud cloud = new StubCloud();
        List<List<VmStatus>> lists = List.of(List.of(), List.of(vm("running")), List.of(vm("running")),
                List.of(vm("deallocated")), List.of(vm("deallocated")));
        AtomicInteger listNo = new AtomicInteger();
        cloud.on("vm.list", q -> CompletableFuture.completedFuture(lists.get(listNo.getAndIncrement())));
        cloud.on("vm.create", spec -> CompletableFuture.completedFuture(new VmCreated(VM_ID, "10.0.0.4")));
        try (Conversation c = new Conversation(cloud)) {
            c.engine.start();
            c.expect("$GahpVersion: 1.0.0 Nov 27 2026 azure-gahp\\ (Java) $");
            c.send("COMMANDS").expect(ALL_COMMANDS);
            c.send("RESPONSE_PREFIX GAHP:").expect("S");
            c.send("ASYNC_MODE_ON").expect("GAHP:S");
            c.send("AZURE_PING 2" + H).expect("GAHP:S").expect("GAHP:R");
            c.awaitResults(1);
            c.send("AZURE_VM_LIST 3" + H).expect("GAHP:S");
            c.awaitResults(1);
            c.send("RESULTS").expect("GAHP:S 2").expect("GAHP:2 NULL").expect("GAHP:3 NULL 0");
            c.send("AZURE_VM_CREATE 4" + H + " " + CREATE).expect("GAHP:S").expect("GAHP:R");
            c.awaitResults(1);
            c.send("RESULTS").expect("GAHP:S 1").expect("GAHP:4 NULL " + VM_ID + " 10.0.0.4");
            for (int id = 5; id <= 7; id++) {
                String power = id == 7 ? "deallocated" : "running";
                c.send("AZURE_VM_LIST " + id + H).expect("GAHP:S").expect("GAHP:R");
                c.awaitResults(1);
                c.send("RESULTS").expect("GAHP:S 1")
                        .expect("GAHP:" + id + " NULL 1 CONDORC1P0 ProvisioningState/succeeded,PowerState/" + power);
            }
            c.send("AZURE_VM_LIST 8" + H).expect("GAHP:S").expect("GAHP:R");
            c.awaitResults(1);
            c.send("AZURE_VM_DELETE 9" + H + " condorc1p0").expect("GAHP:S");
            c.awaitResults(1);
            c.send("RESULTS").expect("GAHP:S 2")
                    .expect("GAHP:8 NULL 1 CONDORC1P0 ProvisioningState/succeeded,PowerState/deallocated")
                    .expect("GAHP:9 NULL");
            // SIGTERM: the front end shuts the engine down; nothing more is written.
            c.engine.shutdown();
            c.send("RESULTS").expectNothing();
            assertThat(c.lastAccept).isFalse();
        }
        StubCloud.Call create = cloud.calls.stream().filter(x -> x.op().equals("vm.create")).findFirst().orElseThrow();
        MachineSpec spec = (MachineSpec) create.arg();
        assertThat(spec.name()).isEqualTo("condorc1p0");
        assertThat(spec.image()).isEqualTo(new ImageRef.Marketplace("Canonical", "UbuntuServer", "18.04-LTS", "latest"));
        assertThat(create.account().credentialFile()).isEqualTo(CRED);
        assertThat(create.account().subscription()).isEqualTo(SUB);
    }

    @Test
    void aCreateThatFails() {
        StubCloud cloud = new StubCloud();
        cloud.on("vm.create", spec -> CompletableFuture.failedFuture(new CloudException("QuotaExceeded", "stub says no")));
        try (Conversation c = new Conversation(cloud)) {
            c.engine.start();
            c.expect(c.engine.banner());
            c.send("COMMANDS").expect(ALL_COMMANDS);
            c.send("RESPONSE_PREFIX GAHP:").expect("S");
            c.send("ASYNC_MODE_ON").expect("GAHP:S");
            c.send("AZURE_PING 2" + H).expect("GAHP:S").expect("GAHP:R");
            c.awaitResults(1);
            c.send("AZURE_VM_LIST 3" + H).expect("GAHP:S");
            c.awaitResults(1);
            c.send("RESULTS").expect("GAHP:S 2").expect("GAHP:2 NULL").expect("GAHP:3 NULL 0");
            c.send("AZURE_VM_CREATE 4" + H + " " + CREATE.replace("condorc1p0", "condorc4p0"))
                    .expect("GAHP:S").expect("GAHP:R");
            c.awaitResults(1);
            c.send("RESULTS").expect("GAHP:S 1").expect("GAHP:4 QuotaExceeded:\\ stub\\ says\\ no");
            c.send("AZURE_VM_LIST 5" + H).expect("GAHP:S").expect("GAHP:R");
            c.engine.shutdown();
            c.expectNothing();
        }
    }

    @Test
    void condorVersionIsListedAndAnsweredWithExactlyTwoFields() {
        try (Conversation c = new Conversation(new StubCloud())) {
            c.engine.start();
            c.expect("$GahpVersion: 1.0.0 Nov 27 2026 azure-gahp\\ (Java) $");
            c.send("CONDOR_VERSION $CondorVersion:\\ 25.14.0\\ 2026-11-01\\ BuildID:\\ 1\\ $")
                    .expect("S $GahpVersion:\\ 1.0.0\\ Nov\\ 27\\ 2026\\ azure-gahp\\ (Java)\\ $");
            assertThat(c.engine.callerVersion()).isEqualTo("$CondorVersion: 25.14.0 2026-11-01 BuildID: 1 $");
            c.send("VERSION").expect("S $GahpVersion:\\ 1.0.0\\ Nov\\ 27\\ 2026\\ azure-gahp\\ (Java)\\ $");
        }
    }
}
