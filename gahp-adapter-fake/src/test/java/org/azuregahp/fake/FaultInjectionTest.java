package org.azuregahp.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.azuregahp.fake.Support.SUB;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.azuregahp.ports.AccountRef;
import org.azuregahp.ports.CloudAccount;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.PublicIpChoice;
import org.azuregahp.ports.ResourceRef;
import org.azuregahp.ports.ScaleSetSpec;
import org.azuregahp.ports.VmQuery;
import org.azuregahp.ports.VmStatus;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {
    private static final Set<String> FAULT_CODES = Set.of(CloudException.INTERNAL, CloudException.THROTTLED,
            CloudException.QUOTA_EXCEEDED, "AllocationFailed");

    /** The outcome of one call: "ok:<value>" or "<code>". */
    private static String outcome(CompletionStage<?> stage) {
        try {
            return "ok:" + Support.await(stage);
        } catch (CloudException e) {
            return e.code();
        }
    }

    /** A fixed workload of creates, deletes, scale-set changes and lists; returns every outcome. */
    private static List<String> workload(FakeCloud cloud, int seed) {
        CloudAccount a = cloud.account(new AccountRef(null, SUB));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String name = "s" + seed + "vm" + i;
            out.add(outcome(a.virtualMachines().create(Support.vm(name, new PublicIpChoice.New()))));
            checkConsistent(cloud);
            if (i % 3 == 0) {
                out.add(outcome(a.virtualMachines().delete(ResourceRef.named(name))));
                checkConsistent(cloud);
            }
            out.add(outcome(a.virtualMachines().list(VmQuery.all())));
        }
        for (int i = 0; i < 4; i++) {
            String name = "s" + seed + "ss" + i;
            out.add(outcome(a.scaleSets().create(new ScaleSetSpec(Support.vm(name), 2, null))));
            checkConsistent(cloud);
            out.add(outcome(a.scaleSets().scale(ResourceRef.named(name), 3)));
            out.add(outcome(a.scaleSets().stop(ResourceRef.named(name))));
            checkConsistent(cloud);
            out.add(outcome(a.scaleSets().delete(ResourceRef.named(name))));
            checkConsistent(cloud);
        }
        return out;
    }

    /**
     * Every resource group is whole: a VM group holds its VM, NIC, OS disk, network and public IP; a
     * scale-set group its scale set, network and load balancer; no IP is used twice.
     */
    private static void checkConsistent(FakeCloud cloud) {
        JsonNode groups = Support.groups(Support.state(cloud), SUB);
        Set<String> ips = new HashSet<>();
        for (JsonNode g : groups) {
            String name = g.get("name").asText();
            Set<String> resources = new HashSet<>();
            for (JsonNode r : g.get("resources")) {
                resources.add(r.get("type").asText() + "/" + r.get("name").asText());
                if (r.has("ipAddress")) {
                    assertThat(ips.add(r.get("ipAddress").asText())).as("IP used twice").isTrue();
                }
                if (r.has("provisioningState")) {
                    assertThat(r.get("provisioningState").asText()).isIn("succeeded");
                }
            }
            if (name.contains("vm")) {
                assertThat(resources).as("group " + name).containsExactlyInAnyOrder(
                        "Microsoft.Compute/virtualMachines/" + name, "Microsoft.Network/networkInterfaces/" + name + "-nic",
                        "Microsoft.Compute/disks/" + name + "-osdisk", "Microsoft.Compute/disks/" + name + "-datadisk-0",
                        "Microsoft.Network/publicIPAddresses/" + name + "-ip",
                        "Microsoft.Network/virtualNetworks/" + name + "-vnet",
                        "Microsoft.Network/networkSecurityGroups/" + name + "-nsg");
            } else {
                assertThat(resources).as("group " + name).containsExactlyInAnyOrder(
                        "Microsoft.Compute/virtualMachineScaleSets/" + name, "Microsoft.Network/loadBalancers/" + name + "-lb",
                        "Microsoft.Network/publicIPAddresses/" + name + "-lb-ip",
                        "Microsoft.Network/virtualNetworks/" + name + "-vnet",
                        "Microsoft.Network/networkSecurityGroups/" + name + "-nsg");
            }
        }
    }

    @Test
    void failedOperationsLeaveNothingHalfMadeOverManySeeds() {
        int failures = 0;
        Set<String> codes = new HashSet<>();
        for (int seed = 1; seed <= 60; seed++) {
            try (FakeCloud cloud = FakeCloud.builder().failureRate(0.4).seed(seed).build()) {
                for (String o : workload(cloud, seed)) {
                    if (!o.startsWith("ok:")) {
                        failures++;
                        codes.add(o);
                    }
                }
            }
        }
        assertThat(failures).isGreaterThan(100);
        // Not found: a delete or change of something whose create failed.
        Set<String> allowed = new HashSet<>(FAULT_CODES);
        allowed.add(CloudException.NOT_FOUND);
        assertThat(codes).isSubsetOf(allowed).containsAll(FAULT_CODES);
    }

    @Test
    void aCreateFailingPartWayRemovesItsGroupAfterShowingIt() {
        // With every operation failing, some creates fail after the VM existed for a while (the last step).
        for (int seed = 1; seed <= 20; seed++) {
            try (FakeCloud cloud = FakeCloud.builder().failureRate(1).seed(seed).build()) {
                CloudException e = Support.failure(cloud.account(new AccountRef(null, SUB)).virtualMachines()
                        .create(Support.vm("doomed")));
                assertThat(e.code()).isIn(FAULT_CODES);
                assertThat(Support.groups(Support.state(cloud), SUB)).isEmpty();
            }
        }
    }

    @Test
    void aSeedRepeatsOutcomesIdsAndAddresses() {
        List<String> first;
        String firstState;
        try (FakeCloud a = FakeCloud.builder().failureRate(0.3).seed(42).build()) {
            first = workload(a, 0);
            firstState = a.stateJson();
        }
        try (FakeCloud b = FakeCloud.builder().failureRate(0.3).seed(42).build()) {
            assertThat(workload(b, 0)).isEqualTo(first);
            assertThat(b.stateJson()).isEqualTo(firstState);
        }
        try (FakeCloud c = FakeCloud.builder().failureRate(0.3).seed(43).build()) {
            assertThat(workload(c, 0)).isNotEqualTo(first);
        }
        assertThat(first).anyMatch(o -> !o.startsWith("ok:")).anyMatch(o -> o.startsWith("ok:VmCreated"));
    }

    /** Per VM name: the outcome of its create and of its delete, issued in the given order. */
    private static java.util.Map<String, String> perName(FakeCloud cloud, List<String> names) {
        CloudAccount a = cloud.account(new AccountRef(null, SUB));
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        for (String n : names) {
            out.put(n + " create", outcome(a.virtualMachines().create(Support.vm(n, new PublicIpChoice.New()))));
        }
        out.put("list", outcome(a.virtualMachines().list(VmQuery.all())));
        for (String n : names) {
            out.put(n + " delete", outcome(a.virtualMachines().delete(ResourceRef.named(n))));
        }
        for (String n : names) {
            out.put(n + " scale-set", outcome(a.scaleSets().create(new ScaleSetSpec(Support.vm("ss" + n), 2, null))));
        }
        return out;
    }

    @Test
    void aSeedRepeatsEachRequestsOutcomeWhateverOrderConcurrentRequestsArriveIn() {
        // The engine runs requests on several threads, so requests sent together reach the cloud in
        // any order: each request's outcome, id and address must not depend on that order.
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            names.add("vm" + i);
        }
        List<String> reversed = new ArrayList<>(names);
        java.util.Collections.reverse(reversed);
        java.util.Map<String, String> forward;
        try (FakeCloud a = FakeCloud.builder().failureRate(0.3).seed(42).build()) {
            forward = perName(a, names);
        }
        try (FakeCloud b = FakeCloud.builder().failureRate(0.3).seed(42).build()) {
            assertThat(perName(b, reversed)).isEqualTo(forward);
        }
        assertThat(forward.values()).anyMatch(o -> !o.startsWith("ok:")).anyMatch(o -> o.startsWith("ok:VmCreated"));
    }

    @Test
    void quotaErrorsNameTheSizesFamilyInAzuresWords() {
        String message = AzureRules.fault(AzureRules.OpKind.CREATE, 3, "westeurope", "Standard_D2s_v3").getMessage();
        assertThat(message).startsWith("Operation could not be completed as it results in exceeding approved"
                + " standardDSv3Family Cores quota.");
    }

    @Test
    void withoutFaultsEverythingSucceeds() {
        try (FakeCloud cloud = FakeCloud.builder().seed(5).build()) {
            assertThat(workload(cloud, 5)).allMatch(o -> o.startsWith("ok:"));
            assertThat(Support.await(cloud.account(new AccountRef(null, SUB)).virtualMachines().list(VmQuery.all())))
                    .extracting(VmStatus::name).hasSize(8);
        }
    }

    @Test
    void aRetriedOperationDrawsAfreshEachTime() {
        // A request retried after an injected fault must not be doomed to fail again and again.
        try (FakeCloud cloud = FakeCloud.builder().failureRate(0.5).seed(21).build()) {
            CloudAccount a = cloud.account(new AccountRef(null, SUB));
            int failures = 0;
            for (int i = 0; i < 200; i++) {
                if (!outcome(a.ping()).startsWith("ok:")) {
                    failures++;
                }
            }
            assertThat(failures).isBetween(60, 140);
        }
    }
}
