package org.azuregahp.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.azuregahp.fake.Support.SUB;
import static org.azuregahp.fake.Support.await;
import static org.azuregahp.fake.Support.failure;
import static org.azuregahp.fake.Support.vm;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.azuregahp.ports.AccountRef;
import org.azuregahp.ports.AdminCredential;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.MachineSpec;
import org.azuregahp.ports.NetworkRef;
import org.azuregahp.ports.OsType;
import org.azuregahp.ports.PublicIpChoice;
import org.azuregahp.ports.ResourceRef;
import org.azuregahp.ports.VirtualMachines;
import org.azuregahp.ports.VmCreated;
import org.azuregahp.ports.VmQuery;
import org.azuregahp.ports.VmStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FakeVirtualMachinesTest {
    private final List<FakeCloud> clouds = new ArrayList<>();

    private FakeCloud cloud(Duration latency) {
        FakeCloud c = FakeCloud.builder().latency(latency).seed(1).build();
        clouds.add(c);
        return c;
    }

    private VirtualMachines vms(FakeCloud c) {
        return c.account(new AccountRef(null, SUB)).virtualMachines();
    }

    @AfterEach
    void closeAll() {
        clouds.forEach(FakeCloud::close);
    }

    @Test
    void aVmUnderCreationIsListedAsCreatingThenRunning() {
        FakeCloud c = cloud(Duration.ofMillis(300));
        CompletableFuture<VmCreated> create = vms(c).create(vm("condorc1p0")).toCompletableFuture();
        CompletableFuture<List<VmStatus>> listing = vms(c).list(new VmQuery.ByName("condorc1p0")).toCompletableFuture();
        assertThat(create).isNotDone();
        List<VmStatus> during = await(listing);
        assertThat(during).singleElement().extracting(VmStatus::statusText)
                .isEqualTo("ProvisioningState/creating,PowerState/starting");
        await(create);
        assertThat(await(vms(c).list(VmQuery.all()))).singleElement().extracting(VmStatus::statusText)
                .isEqualTo("ProvisioningState/succeeded,PowerState/running");
    }

    @Test
    void aRepeatedCreateWhileCreatingWaitsForTheSameVm() {
        FakeCloud c = cloud(Duration.ofMillis(200));
        CompletableFuture<VmCreated> first = vms(c).create(vm("dup")).toCompletableFuture();
        CompletableFuture<VmCreated> second = vms(c).create(vm("dup")).toCompletableFuture();
        assertThat(second).isNotDone();
        VmCreated a = await(first);
        VmCreated b = await(second);
        assertThat(b).isEqualTo(a);
        assertThat(a.publicIp()).matches("(203\\.0\\.113|198\\.51\\.100|192\\.0\\.2)\\.\\d+");
        assertThat(a.vmId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }

    @Test
    void aCreateWithTheSameNameButAnotherSpecConflicts() {
        FakeCloud c = cloud(Duration.ZERO);
        await(vms(c).create(vm("same")));
        MachineSpec other = vm("same", "westeurope", "Standard_D2s_v3", null, Support.KEY);
        CloudException e = failure(vms(c).create(other));
        assertThat(e.code()).isEqualTo(CloudException.CONFLICT);
        assertThat(e.getMessage()).contains("already exists");
    }

    @Test
    void everythingMadeForAVmIsInItsOwnGroupAndGoesWithIt() {
        FakeCloud c = cloud(Duration.ZERO);
        await(vms(c).create(vm("full", new PublicIpChoice.New())));
        JsonNode groups = Support.groups(Support.state(c), SUB);
        assertThat(groups).hasSize(1);
        JsonNode g = groups.get(0);
        assertThat(g.get("name").asText()).isEqualTo("full");
        assertThat(g.get("tags").get("azure-gahp-name").asText()).isEqualTo("full");
        assertThat(g.get("tags").get("azure-gahp").asText()).isEqualTo("vm");
        List<String> types = new ArrayList<>();
        g.get("resources").forEach(r -> types.add(r.get("type").asText() + "/" + r.get("name").asText()));
        assertThat(types).contains("Microsoft.Compute/virtualMachines/full",
                "Microsoft.Network/networkInterfaces/full-nic", "Microsoft.Network/publicIPAddresses/full-ip",
                "Microsoft.Compute/disks/full-osdisk", "Microsoft.Compute/disks/full-datadisk-0",
                "Microsoft.Network/virtualNetworks/full-vnet", "Microsoft.Network/networkSecurityGroups/full-nsg");
        await(vms(c).delete(ResourceRef.named("full")));
        assertThat(Support.groups(Support.state(c), SUB)).isEmpty();
    }

    @Test
    void deleteOfAMissingVmInAnExistingGroupSaysCouldNotBeFound() {
        FakeCloud c = cloud(Duration.ZERO);
        await(vms(c).create(vm("there")));
        CloudException e = failure(vms(c).delete(new ResourceRef("there", "other")));
        assertThat(e.code()).isEqualTo(CloudException.NOT_FOUND);
        assertThat(e.getMessage()).contains("could not be found").contains("'other'");
    }

    @Test
    void removingTheGroupOfAVmUnderCreationCancelsTheCreate() {
        Support.MutableClock clock = new Support.MutableClock(java.time.Instant.parse("2026-11-27T10:00:00Z"));
        FakeCloud c = FakeCloud.builder().latency(Duration.ofMillis(300)).clock(clock).build();
        clouds.add(c);
        await(c.account(new AccountRef(null, SUB)).deletionSchedules().schedule(
                new org.azuregahp.ports.ScheduledDeletion("short", "westeurope", clock.instant().plusSeconds(60))));
        CompletableFuture<VmCreated> create = vms(c).create(vm("short")).toCompletableFuture();
        assertThat(create).isNotDone();
        clock.advance(Duration.ofMinutes(1));
        c.runDueDeletions();
        CloudException e = failure(create);
        assertThat(e.code()).isEqualTo("OperationCanceled");
        assertThat(Support.groups(Support.state(c), SUB)).isEmpty();
    }

    @Test
    void subscriptionsAreSeparate() {
        FakeCloud c = cloud(Duration.ZERO);
        await(vms(c).create(vm("mine")));
        VirtualMachines other = c.account(new AccountRef(null, "another-subscription")).virtualMachines();
        assertThat(await(other.list(VmQuery.all()))).isEmpty();
        assertThat(failure(other.delete(ResourceRef.named("mine"))).getMessage()).contains("could not be found");
    }

    @Test
    void namesAreCaseInsensitiveLikeAzure() {
        FakeCloud c = cloud(Duration.ZERO);
        VmCreated created = await(vms(c).create(vm("MixedCase")));
        assertThat(await(vms(c).list(new VmQuery.ByName("mixedcase")))).extracting(VmStatus::name)
                .containsExactly("MixedCase");
        assertThat(await(vms(c).create(vm("MixedCase")))).isEqualTo(created);
        await(vms(c).delete(ResourceRef.named("MIXEDCASE")));
        assertThat(await(vms(c).list(VmQuery.all()))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"_leading", "trailing-", "trailing.", "has space", "semi;colon",
        "a123456789012345678901234567890123456789012345678901234567890123456789"})
    void invalidLinuxNamesAreRefused(String name) {
        CloudException e = failure(vms(cloud(Duration.ZERO)).create(vm(name)));
        assertThat(e.code()).isEqualTo(CloudException.INVALID_PARAMETER);
        assertThat(e.getMessage()).contains("Linux host name");
    }

    @Test
    void windowsNamesAreAtMostFifteenCharacters() {
        FakeCloud c = cloud(Duration.ZERO);
        AdminCredential pw = new AdminCredential.Password("Correct-Horse-42");
        CloudException e = failure(vms(c).create(vm("sixteen-chars-xx", "westeurope", "Standard_B2s",
                OsType.WINDOWS, pw)));
        assertThat(e.getMessage()).contains("Windows computer name");
        assertThat(await(vms(c).create(vm("fifteen-chars-x", "westeurope", "Standard_B2s", OsType.WINDOWS, pw)))
                .vmId()).isNotBlank();
    }

    @Test
    void anUnknownLocationIsRefusedInAzuresWords() {
        CloudException e = failure(vms(cloud(Duration.ZERO)).create(vm("x1", "mars", "Standard_B1s", null,
                Support.KEY)));
        assertThat(e.code()).isEqualTo("LocationNotAvailableForResourceGroup");
        assertThat(e.getMessage()).contains("The provided location 'mars' is not available").contains("westeurope");
    }

    @Test
    void displayNamesOfLocationsAreAccepted() {
        assertThat(await(vms(cloud(Duration.ZERO)).create(vm("x2", "West Europe", "standard_b1s", null,
                Support.KEY))).vmId()).isNotBlank();
    }

    @Test
    void anUnknownSizeIsRefused() {
        CloudException e = failure(vms(cloud(Duration.ZERO)).create(vm("x3", "westeurope", "Standard_Huge", null,
                Support.KEY)));
        assertThat(e.code()).isEqualTo(CloudException.INVALID_PARAMETER);
        assertThat(e.getMessage()).contains("Standard_Huge").contains("Standard_D2s_v3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"short1A!", "alllowercaseletters", "ALLUPPERCASE123", "Short-Pw-1"})
    void weakPasswordsAreRefusedAndNeverEchoed(String password) {
        CloudException e = failure(vms(cloud(Duration.ZERO)).create(vm("pw", "westeurope", "Standard_B1s",
                OsType.WINDOWS, new AdminCredential.Password(password))));
        assertThat(e.getMessage()).contains("12-123 characters").doesNotContain(password);
    }

    @Test
    void windowsNeedsAPasswordLinuxMayGoWithoutKeyAndReservedUserNamesAreRefused() {
        FakeCloud c = cloud(Duration.ZERO);
        assertThat(failure(vms(c).create(vm("nocredwin", "westeurope", "Standard_B1s", OsType.WINDOWS, null)))
                .getMessage()).contains("adminPassword");
        assertThat(await(vms(c).create(vm("nocred", "westeurope", "Standard_B1s", null, null))).vmId()).isNotEmpty();
        MachineSpec root = new MachineSpec("rootvm", "westeurope", "Standard_B1s", Support.UBUNTU, "root",
                Support.KEY, null, null, null, null, null, null, null);
        assertThat(failure(vms(c).create(root)).getMessage()).contains("Admin Username specified is not allowed");
    }

    @Test
    void anExistingPublicIpIsUsedOrNotFound() {
        FakeCloud c = cloud(Duration.ZERO);
        VmCreated a = await(vms(c).create(vm("owner")));
        String id = "/subscriptions/" + SUB + "/resourceGroups/owner/providers/Microsoft.Network/publicIPAddresses/owner-ip";
        CloudException inUse = failure(vms(c).create(vm("borrower", new PublicIpChoice.Existing(id))));
        assertThat(inUse.code()).isEqualTo("PublicIPAddressInUse");
        CloudException missing = failure(vms(c).create(vm("borrower", new PublicIpChoice.Existing(
                id.replace("owner-ip", "nothing")))));
        assertThat(missing.code()).isEqualTo(CloudException.NOT_FOUND);
        assertThat(a.publicIp()).isNotNull();
        assertThat(Support.groups(Support.state(c), SUB)).hasSize(1);
    }

    @Test
    void aVmCanJoinAnotherVmsNetworkButNotAMissingOne() {
        FakeCloud c = cloud(Duration.ZERO);
        await(vms(c).create(vm("hub")));
        assertThat(await(vms(c).create(Support.vmIn("spoke", new NetworkRef("hub-vnet", "hub", "default"))))
                .vmId()).isNotBlank();
        CloudException e = failure(vms(c).create(Support.vmIn("lost", new NetworkRef("nowhere", "hub", null))));
        assertThat(e.code()).isEqualTo(CloudException.NOT_FOUND);
        assertThat(e.getMessage()).contains("nowhere");
    }

    @Test
    void aVmJoiningAnExistingNetworkStillGetsASecurityGroupOnItsNic() {
        // An open public IP without a network security group is what the earlier server got wrong.
        FakeCloud c = cloud(Duration.ZERO);
        await(vms(c).create(vm("hub")));
        await(vms(c).create(Support.vmIn("spoke", new NetworkRef("hub-vnet", "hub", "default"))));
        JsonNode spoke = null;
        for (JsonNode g : Support.groups(Support.state(c), SUB)) {
            if (g.get("name").asText().equals("spoke")) {
                spoke = g;
            }
        }
        assertThat(spoke).isNotNull();
        JsonNode nic = null;
        JsonNode nsg = null;
        for (JsonNode r : spoke.get("resources")) {
            if (r.get("type").asText().equals("Microsoft.Network/networkInterfaces")) {
                nic = r;
            } else if (r.get("type").asText().equals("Microsoft.Network/networkSecurityGroups")) {
                nsg = r;
            }
        }
        assertThat(nic).isNotNull();
        assertThat(nic.get("publicIpAddress").asText()).contains("/publicIPAddresses/");
        assertThat(nsg).as("security group in the VM's group").isNotNull();
        assertThat(nsg.get("securityRules").get(0).get("destinationPort").asInt()).isEqualTo(22);
        assertThat(nic.path("networkSecurityGroup").asText())
                .endsWith("/resourceGroups/spoke/providers/Microsoft.Network/networkSecurityGroups/"
                        + nsg.get("name").asText());
        await(vms(c).delete(ResourceRef.named("spoke")));
        assertThat(Support.groups(Support.state(c), SUB)).extracting(g -> g.get("name").asText()).containsExactly("hub");
    }

    @Test
    void aScaleSetJoiningAnExistingNetworkStillGetsASecurityGroup() {
        FakeCloud c = cloud(Duration.ZERO);
        await(vms(c).create(vm("hub")));
        await(c.account(new AccountRef(null, SUB)).scaleSets().create(new org.azuregahp.ports.ScaleSetSpec(
                Support.vmIn("pool", new NetworkRef("hub-vnet", "hub", null)), 2, null)));
        JsonNode vmss = null;
        List<String> names = new ArrayList<>();
        for (JsonNode g : Support.groups(Support.state(c), SUB)) {
            if (g.get("name").asText().equals("pool")) {
                for (JsonNode r : g.get("resources")) {
                    names.add(r.get("type").asText() + "/" + r.get("name").asText());
                    if (r.get("type").asText().equals("Microsoft.Compute/virtualMachineScaleSets")) {
                        vmss = r;
                    }
                }
            }
        }
        assertThat(names).contains("Microsoft.Network/networkSecurityGroups/pool-nsg");
        assertThat(vmss).isNotNull();
        assertThat(vmss.get("subnet").asText()).contains("/resourceGroups/hub/");
        assertThat(vmss.path("networkSecurityGroup").asText()).endsWith("/networkSecurityGroups/pool-nsg");
    }

    @Test
    void aVmWhoseNetworkOrAddressAnotherVmUsesCannotBeDeletedAndStaysWhole() {
        // As on Azure: a resource group cannot go while its subnet or public IP serves another group.
        FakeCloud c = cloud(Duration.ZERO);
        await(vms(c).create(vm("hub", new PublicIpChoice.None())));
        await(vms(c).create(Support.vmIn("spoke", new NetworkRef("hub-vnet", "hub", "default"))));
        String before = c.stateJson();
        CloudException e = failure(vms(c).delete(ResourceRef.named("hub")));
        assertThat(e.code()).isEqualTo("InUseSubnetCannotBeDeleted");
        assertThat(e.getMessage()).contains("spoke-nic").doesNotContain("could not be found");
        assertThat(c.stateJson()).isEqualTo(before);
        await(vms(c).delete(ResourceRef.named("spoke")));
        await(vms(c).delete(ResourceRef.named("hub")));
        assertThat(Support.groups(Support.state(c), SUB)).isEmpty();
    }

    @Test
    void moreDataDisksThanTheSizeTakesAreRefusedInAzuresWords() {
        FakeCloud c = cloud(Duration.ZERO);
        MachineSpec three = new MachineSpec("disky", "westeurope", "Standard_B1s", Support.UBUNTU, "azureuser",
                Support.KEY, List.of(8, 8, 8), null, null, null, java.util.Map.of(), null, null);
        CloudException e = failure(vms(c).create(three));
        assertThat(e.code()).isEqualTo("OperationNotAllowed");
        assertThat(e.getMessage()).startsWith(
                "The maximum number of data disks allowed to be attached to a VM of this size is 2.");
        assertThat(Support.groups(Support.state(c), SUB)).isEmpty();
        MachineSpec bigger = new MachineSpec("disky", "westeurope", "Standard_B2s", Support.UBUNTU, "azureuser",
                Support.KEY, List.of(8, 8, 8), null, null, null, java.util.Map.of(), null, null);
        assertThat(await(vms(c).create(bigger)).vmId()).isNotBlank();
    }

    @Test
    void deallocateMarksAVmFinished() {
        FakeCloud c = cloud(Duration.ZERO);
        await(vms(c).create(vm("job1")));
        await(vms(c).create(vm("job2")));
        c.deallocate("job1");
        assertThat(await(vms(c).list(VmQuery.all()))).extracting(VmStatus::statusText).containsExactly(
                "ProvisioningState/succeeded,PowerState/deallocated", "ProvisioningState/succeeded,PowerState/running");
        assertThat(c.vmNames()).containsExactly("job1", "job2");
        assertThat(failure(CompletableFuture.runAsync(() -> c.deallocate("nobody"))).code())
                .isEqualTo(CloudException.NOT_FOUND);
    }

    @Test
    void manyZeroLatencyOperationsAreFast() {
        FakeCloud c = cloud(Duration.ZERO);
        VirtualMachines v = vms(c);
        long start = System.nanoTime();
        for (int i = 0; i < 5000; i++) {
            await(v.create(vm("fast" + i, new PublicIpChoice.None())));
        }
        for (int i = 0; i < 5000; i++) {
            await(v.delete(ResourceRef.named("fast" + i)));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isLessThan(Duration.ofSeconds(5));
        assertThat(await(v.list(VmQuery.all()))).isEmpty();
    }
}
