package org.azuregahp.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.azuregahp.ports.AdminCredential;
import org.azuregahp.ports.CloudAccount;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.CloudRules;
import org.azuregahp.ports.MachineSpec;
import org.azuregahp.ports.PublicIpChoice;
import org.azuregahp.ports.ResourceRef;
import org.azuregahp.ports.VirtualMachines;
import org.azuregahp.ports.VmCreated;
import org.azuregahp.ports.VmQuery;
import org.azuregahp.ports.VmStatus;
import org.junit.jupiter.api.Test;

/**
 * What any {@link VirtualMachines} adapter must do, as the GAHP engine (and the gridmanager behind
 * it) relies on it. Run it by subclassing with a concrete {@link #account()}.
 */
public abstract class VirtualMachinesContract extends ContractSupport {

    /** The account under test; may be a new one per call or the same. */
    protected abstract CloudAccount account();

    protected VirtualMachines vms() {
        return account().virtualMachines();
    }

    private List<VmStatus> byName(String name) {
        return await(vms().list(new VmQuery.ByName(name)));
    }

    @Test
    public void pingSucceeds() {
        assertThat(await(account().ping())).isNull();
    }

    @Test
    public void createListDeleteRoundTrip() {
        String name = uniqueName("ctvm");
        try {
            VmCreated created = await(vms().create(machine(name)));
            assertThat(created.vmId()).isNotBlank();
            assertThat(created.publicIp()).isNotBlank();

            List<VmStatus> listed = byName(name);
            assertThat(listed).hasSize(1);
            assertThat(listed.get(0).name()).isEqualToIgnoringCase(name);
            assertThat(listed.get(0).statuses()).last().isEqualTo("PowerState/running");
            assertThat(listed.get(0).statuses()).contains("ProvisioningState/succeeded");
            assertThat(listed.get(0).createdByServer()).as("carries the name tag this server writes").isTrue();
            assertThat(await(vms().list(VmQuery.all()))).extracting(VmStatus::name).contains(name);

            assertThat(await(vms().delete(ResourceRef.named(name)))).isNull();
            assertThat(byName(name)).isEmpty();
            assertThat(await(vms().list(VmQuery.all()))).extracting(VmStatus::name).doesNotContain(name);
        } finally {
            quietly(() -> await(vms().delete(ResourceRef.named(name))));
        }
    }

    @Test
    public void deletingAMissingVmFailsWithCouldNotBeFound() {
        CloudException e = failure(vms().delete(ResourceRef.named(uniqueName("ctmissing"))));
        assertThat(e.code()).isEqualTo(CloudException.NOT_FOUND);
        assertThat(e.getMessage()).contains("could not be found");
    }

    @Test
    public void deletingTwiceFailsTheSecondTimeWithCouldNotBeFound() {
        String name = uniqueName("ctvm");
        await(vms().create(machine(name)));
        await(vms().delete(ResourceRef.named(name)));
        CloudException e = failure(vms().delete(ResourceRef.named(name)));
        assertThat(e.getMessage()).contains("could not be found");
    }

    @Test
    public void deleteAcceptsTheEarlierServersGroupAndNameForm() {
        String name = uniqueName("ctvm");
        try {
            await(vms().create(machine(name)));
            assertThat(await(vms().delete(new ResourceRef(name, name)))).isNull();
            assertThat(byName(name)).isEmpty();
        } finally {
            quietly(() -> await(vms().delete(ResourceRef.named(name))));
        }
    }

    @Test
    public void repeatingACreateAnswersTheSameVm() {
        String name = uniqueName("ctvm");
        try {
            VmCreated first = await(vms().create(machine(name)));
            VmCreated again = await(vms().create(machine(name)));
            assertThat(again).isEqualTo(first);
            assertThat(byName(name)).hasSize(1);
        } finally {
            quietly(() -> await(vms().delete(ResourceRef.named(name))));
        }
    }

    @Test
    public void listingAMissingNameAnswersAnEmptyList() {
        assertThat(byName(uniqueName("ctnone"))).isEmpty();
    }

    @Test
    public void listByTagFindsTaggedVmsOnly() {
        String tagged = uniqueName("cttag");
        String plain = uniqueName("ctplain");
        String tagName = uniqueName("team");
        MachineSpec base = machine(tagged);
        MachineSpec withTag = new MachineSpec(tagged, base.location(), base.size(), base.image(),
                base.adminUsername(), base.credential(), null, null, null, null, Map.of(tagName, "physics"), null, null);
        try {
            await(vms().create(withTag));
            await(vms().create(machine(plain)));
            assertThat(await(vms().list(new VmQuery.ByTag(tagName, "physics")))).extracting(VmStatus::name)
                    .containsExactly(tagged);
            assertThat(await(vms().list(new VmQuery.ByTag(tagName, null)))).extracting(VmStatus::name)
                    .containsExactly(tagged);
            assertThat(await(vms().list(new VmQuery.ByTag(tagName, "chemistry")))).isEmpty();
        } finally {
            quietly(() -> await(vms().delete(ResourceRef.named(tagged))));
            quietly(() -> await(vms().delete(ResourceRef.named(plain))));
        }
    }

    @Test
    public void bothCloudsTagAVmWithTheSharedNameTag() {
        String name = uniqueName("ctname");
        try {
            await(vms().create(machine(name)));
            assertThat(await(vms().list(new VmQuery.ByTag(CloudRules.NAME_TAG, name)))).extracting(VmStatus::name)
                    .containsExactly(name);
            assertThat(await(vms().list(new VmQuery.ByTag(CloudRules.MANAGED_TAG, "vm")))).extracting(VmStatus::name)
                    .contains(name);
        } finally {
            quietly(() -> await(vms().delete(ResourceRef.named(name))));
        }
    }

    @Test
    public void aVmWithoutPublicIpAnswersNoAddress() {
        String name = uniqueName("ctnoip");
        MachineSpec base = machine(name);
        MachineSpec noIp = new MachineSpec(name, base.location(), base.size(), base.image(), base.adminUsername(),
                base.credential(), List.of(8), null, new PublicIpChoice.None(), null, null, null, null);
        try {
            VmCreated created = await(vms().create(noIp));
            assertThat(created.vmId()).isNotBlank();
            assertThat(created.publicIp()).isNull();
        } finally {
            quietly(() -> await(vms().delete(ResourceRef.named(name))));
        }
    }

    @Test
    public void anUnknownLocationFailsAndLeavesNothingBehind() {
        String name = uniqueName("ctloc");
        MachineSpec base = machine(name);
        MachineSpec bad = new MachineSpec(name, "atlantis", base.size(), base.image(), base.adminUsername(),
                base.credential(), null, null, null, null, null, null, null);
        CloudException e = failure(vms().create(bad));
        assertThat(e.getMessage()).contains("atlantis");
        assertThat(byName(name)).isEmpty();
    }

    @Test
    public void aWeakPasswordFailsWithoutEchoingIt() {
        String name = uniqueName("ctpw");
        String password = "weakpass";
        MachineSpec base = machine(name);
        MachineSpec weak = new MachineSpec(name, base.location(), base.size(), base.image(), base.adminUsername(),
                new AdminCredential.Password(password), null, null, null, null, null, null, null);
        CloudException e = failure(vms().create(weak));
        assertThat(e.getMessage()).doesNotContain(password);
        assertThat(e.resultText()).doesNotContain(password);
        assertThat(byName(name)).isEmpty();
    }
}
