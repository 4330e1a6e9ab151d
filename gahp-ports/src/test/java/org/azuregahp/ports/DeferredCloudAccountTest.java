package org.azuregahp.ports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class DeferredCloudAccountTest {

    /** Records what was called on it; every operation succeeds at once. */
    private static final class Recording implements CloudAccount, VirtualMachines, ScaleSets, SecretVaults,
            DeletionSchedules {
        final List<String> calls = new ArrayList<>();

        private <T> CompletionStage<T> call(String what, T value) {
            calls.add(what);
            return CompletableFuture.completedFuture(value);
        }

        @Override
        public CompletionStage<Void> ping() {
            return call("ping", null);
        }

        @Override
        public VirtualMachines virtualMachines() {
            return this;
        }

        @Override
        public ScaleSets scaleSets() {
            return this;
        }

        @Override
        public SecretVaults secretVaults() {
            return this;
        }

        @Override
        public DeletionSchedules deletionSchedules() {
            return this;
        }

        @Override
        public CompletionStage<VmCreated> create(MachineSpec spec) {
            return call("vm create", new VmCreated("id", "203.0.113.1"));
        }

        @Override
        public CompletionStage<Void> delete(ResourceRef vm) {
            return call("delete " + vm.name(), null);
        }

        @Override
        public CompletionStage<List<VmStatus>> list(VmQuery query) {
            return call("vm list", List.of());
        }

        @Override
        public CompletionStage<Void> create(ScaleSetSpec spec) {
            return call("vmss create", null);
        }

        @Override
        public CompletionStage<Void> start(ResourceRef scaleSet) {
            return call("start", null);
        }

        @Override
        public CompletionStage<Void> stop(ResourceRef scaleSet) {
            return call("stop", null);
        }

        @Override
        public CompletionStage<Void> restart(ResourceRef scaleSet) {
            return call("restart", null);
        }

        @Override
        public CompletionStage<Void> scale(ResourceRef scaleSet, int capacity) {
            return call("scale " + capacity, null);
        }

        @Override
        public CompletionStage<List<ScaleSetStatus>> list(String name) {
            return call("vmss list", List.of());
        }

        @Override
        public CompletionStage<Void> checkSecret(VaultSecretRef secret) {
            return call("check secret", null);
        }

        @Override
        public CompletionStage<Void> createVault(VaultSpec vault) {
            return call("create vault", null);
        }

        @Override
        public CompletionStage<Void> schedule(ScheduledDeletion deletion) {
            return call("schedule", null);
        }

        @Override
        public CompletionStage<Void> cancel(String resourceGroup) {
            return call("cancel " + resourceGroup, null);
        }
    }

    @Test
    void operationsWaitForTheAccountAndThenRunOnIt() {
        CompletableFuture<CloudAccount> later = new CompletableFuture<>();
        CloudAccount deferred = DeferredCloudAccount.of(later);
        ResourceRef x = ResourceRef.named("x");
        List<CompletableFuture<?>> ops = List.of(deferred.ping().toCompletableFuture(),
                deferred.virtualMachines().delete(x).toCompletableFuture(),
                deferred.virtualMachines().list(new VmQuery.All()).toCompletableFuture(),
                deferred.scaleSets().start(x).toCompletableFuture(),
                deferred.scaleSets().stop(x).toCompletableFuture(),
                deferred.scaleSets().restart(x).toCompletableFuture(),
                deferred.scaleSets().scale(x, 3).toCompletableFuture(),
                deferred.scaleSets().delete(x).toCompletableFuture(),
                deferred.scaleSets().list("x").toCompletableFuture(),
                deferred.deletionSchedules().cancel("g").toCompletableFuture());
        assertThat(ops).noneMatch(CompletableFuture::isDone);
        Recording account = new Recording();
        later.complete(account);
        assertThat(ops).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(account.calls).containsExactlyInAnyOrder("ping", "delete x", "vm list", "start", "stop", "restart", "scale 3",
                "delete x", "vmss list", "cancel g");
    }

    @Test
    void whenTheAccountCannotBeHadEveryOperationFailsWithThatFailure() {
        CloudException refused = new CloudException(CloudException.CREDENTIAL_FILE, "credential file /x does not exist");
        CloudAccount deferred = DeferredCloudAccount.of(CompletableFuture.failedFuture(refused));
        for (CompletionStage<?> op : List.of(deferred.ping(), deferred.secretVaults().createVault(null),
                deferred.secretVaults().checkSecret(null), deferred.deletionSchedules().schedule(null),
                deferred.virtualMachines().create(null), deferred.scaleSets().create(null))) {
            CompletableFuture<?> f = op.toCompletableFuture();
            assertThat(f).isCompletedExceptionally();
            Throwable cause = f.handle((v, e) -> e instanceof CompletionException ? e.getCause() : e).join();
            assertThat(cause).isSameAs(refused);
        }
    }
}
