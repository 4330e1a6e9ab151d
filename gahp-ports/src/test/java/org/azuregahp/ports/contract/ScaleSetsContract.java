package org.azuregahp.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;
import org.azuregahp.ports.CloudAccount;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.ResourceRef;
import org.azuregahp.ports.ScaleSetSpec;
import org.azuregahp.ports.ScaleSetStatus;
import org.azuregahp.ports.ScaleSets;
import org.azuregahp.ports.VaultSecretRef;
import org.junit.jupiter.api.Test;

/** What any {@link ScaleSets} adapter must do. Subclass with a concrete account and secret seeding. */
public abstract class ScaleSetsContract extends ContractSupport {

    protected abstract CloudAccount account();

    /** Makes sure the vault (in resource group {@code resourceGroup}) exists and holds the secret. */
    protected abstract void seedSecret(String vault, String resourceGroup, String secret);

    protected ScaleSets sets() {
        return account().scaleSets();
    }

    private ScaleSetStatus status(String name) {
        List<ScaleSetStatus> all = await(sets().list(name));
        assertThat(all).extracting(ScaleSetStatus::name).containsExactly(name);
        return all.get(0);
    }

    private static String power(ScaleSetStatus s) {
        return s.statuses().get(s.statuses().size() - 1);
    }

    @Test
    public void createStopStartScaleRestartDelete() {
        String name = uniqueName("ctss");
        ResourceRef ref = ResourceRef.named(name);
        try {
            assertThat(await(sets().create(new ScaleSetSpec(machine(name), 2, null)))).isNull();
            ScaleSetStatus created = status(name);
            assertThat(created.capacity()).isEqualTo(2);
            assertThat(power(created)).isEqualTo("PowerState/running");
            assertThat(await(sets().list(null))).extracting(ScaleSetStatus::name).contains(name);

            await(sets().stop(ref));
            assertThat(power(status(name))).isEqualTo("PowerState/deallocated");

            await(sets().start(ref));
            assertThat(power(status(name))).isEqualTo("PowerState/running");

            await(sets().scale(ref, 0));
            ScaleSetStatus empty = status(name);
            assertThat(empty.capacity()).isZero();
            assertThat(power(empty)).isEqualTo("PowerState/deallocated");

            await(sets().scale(ref, 3));
            ScaleSetStatus back = status(name);
            assertThat(back.capacity()).isEqualTo(3);
            assertThat(power(back)).isEqualTo("PowerState/running");

            await(sets().restart(ref));
            assertThat(power(status(name))).isEqualTo("PowerState/running");

            assertThat(await(sets().delete(ref))).isNull();
            assertThat(await(sets().list(null))).extracting(ScaleSetStatus::name).doesNotContain(name);
        } finally {
            quietly(() -> await(sets().delete(ref)));
        }
    }

    @Test
    public void everyOperationOnAMissingScaleSetFailsWithCouldNotBeFound() {
        ResourceRef missing = ResourceRef.named(uniqueName("ctnone"));
        List<Function<ResourceRef, java.util.concurrent.CompletionStage<Void>>> ops = List.of(
                sets()::delete, sets()::start, sets()::stop, sets()::restart, r -> sets().scale(r, 2));
        for (var op : ops) {
            CloudException e = failure(op.apply(missing));
            assertThat(e.code()).isEqualTo(CloudException.NOT_FOUND);
            assertThat(e.getMessage()).contains("could not be found");
        }
    }

    @Test
    public void theEarlierServersGroupAndNameFormWorks() {
        String name = uniqueName("ctss");
        try {
            await(sets().create(new ScaleSetSpec(machine(name), 1, null)));
            await(sets().stop(new ResourceRef(name, name)));
            assertThat(power(status(name))).isEqualTo("PowerState/deallocated");
            await(sets().delete(new ResourceRef(name, name)));
            assertThat(await(sets().list(null))).extracting(ScaleSetStatus::name).doesNotContain(name);
        } finally {
            quietly(() -> await(sets().delete(ResourceRef.named(name))));
        }
    }

    @Test
    public void aMissingSecretFailsTheCreateBeforeAnythingIsMade() {
        String name = uniqueName("ctss");
        String vault = uniqueName("ctkv");
        seedSecret(vault, vault, "present");
        CloudException e = failure(sets().create(
                new ScaleSetSpec(machine(name), 1, new VaultSecretRef(vault, vault, "absent"))));
        assertThat(e.code()).isEqualTo(CloudException.NOT_FOUND);
        assertThat(e.getMessage()).contains("absent");
        assertThat(await(sets().list(null))).extracting(ScaleSetStatus::name).doesNotContain(name);
    }

    @Test
    public void aScaleSetWithASeededSecretIsCreated() {
        String name = uniqueName("ctss");
        String vault = uniqueName("ctkv");
        seedSecret(vault, vault, "pool-password");
        try {
            await(sets().create(new ScaleSetSpec(machine(name), 1, new VaultSecretRef(vault, vault, "pool-password"))));
            assertThat(power(status(name))).isEqualTo("PowerState/running");
        } finally {
            quietly(() -> await(sets().delete(ResourceRef.named(name))));
        }
    }
}
