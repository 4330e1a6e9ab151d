package org.azuregahp.fake;

import java.time.Duration;
import org.azuregahp.ports.AccountRef;
import org.azuregahp.ports.CloudAccount;
import org.azuregahp.ports.contract.AzureRulesContract;
import org.azuregahp.ports.contract.DeletionSchedulesContract;
import org.azuregahp.ports.contract.ScaleSetsContract;
import org.azuregahp.ports.contract.SecretVaultsContract;
import org.azuregahp.ports.contract.VirtualMachinesContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;

/** The port contracts against the fake, without latency and with a little (to exercise the async paths). */
class FakeContractTests {
    static final String SUBSCRIPTION = "00000000-0000-0000-0000-00000000c0de";

    static FakeCloud cloud(Duration latency) {
        return FakeCloud.builder().latency(latency).seed(7).build();
    }

    static CloudAccount account(FakeCloud cloud) {
        return cloud.account(new AccountRef(null, SUBSCRIPTION));
    }

    @Nested
    class VirtualMachinesNow extends VirtualMachinesContract {
        final FakeCloud cloud = cloud(Duration.ZERO);

        @Override
        protected CloudAccount account() {
            return FakeContractTests.account(cloud);
        }

        @AfterEach
        void close() {
            cloud.close();
        }
    }

    @Nested
    class VirtualMachinesWithLatency extends VirtualMachinesContract {
        final FakeCloud cloud = cloud(Duration.ofMillis(20));

        @Override
        protected CloudAccount account() {
            return FakeContractTests.account(cloud);
        }

        @AfterEach
        void close() {
            cloud.close();
        }
    }

    @Nested
    class ScaleSetsNow extends ScaleSetsContract {
        final FakeCloud cloud = cloud(Duration.ZERO);

        @Override
        protected CloudAccount account() {
            return FakeContractTests.account(cloud);
        }

        @Override
        protected void seedSecret(String vault, String resourceGroup, String secret) {
            cloud.seedSecret(SUBSCRIPTION, resourceGroup, vault, location(), secret, null);
        }

        @AfterEach
        void close() {
            cloud.close();
        }
    }

    @Nested
    class ScaleSetsWithLatency extends ScaleSetsContract {
        final FakeCloud cloud = cloud(Duration.ofMillis(20));

        @Override
        protected CloudAccount account() {
            return FakeContractTests.account(cloud);
        }

        @Override
        protected void seedSecret(String vault, String resourceGroup, String secret) {
            cloud.seedSecret(SUBSCRIPTION, resourceGroup, vault, location(), secret, null);
        }

        @AfterEach
        void close() {
            cloud.close();
        }
    }

    @Nested
    class SecretVaults extends SecretVaultsContract {
        final FakeCloud cloud = cloud(Duration.ofMillis(5));

        @Override
        protected CloudAccount account() {
            return FakeContractTests.account(cloud);
        }

        @Override
        protected void seedSecret(String vault, String resourceGroup, String secret) {
            cloud.seedSecret(SUBSCRIPTION, resourceGroup, vault, location(), secret, "value-never-shown");
        }

        @AfterEach
        void close() {
            cloud.close();
        }
    }

    @Nested
    class AzureRules extends AzureRulesContract {
        final FakeCloud cloud = cloud(Duration.ofMillis(5));

        @Override
        protected CloudAccount account() {
            return FakeContractTests.account(cloud);
        }

        @Override
        protected void unregisterProvider(String namespace, boolean principalMayRegister) {
            cloud.unregisterProvider(SUBSCRIPTION, namespace, principalMayRegister);
        }

        @Override
        protected void registerAllProviders() {
            cloud.registerAllProviders();
        }

        @Override
        protected boolean providerRegistered(String namespace) {
            return cloud.providerRegistered(SUBSCRIPTION, namespace);
        }

        @Override
        protected void seedGalleryImage(String definitionId, String securityType) {
            cloud.seedGalleryImage(definitionId, securityType);
        }

        @Override
        protected void seedPlanImage(String publisher, String offer, String sku, boolean termsAccepted) {
            cloud.seedPlanImage(publisher, offer, sku, termsAccepted);
        }

        @Override
        protected void seedRbacVault(String vault, String resourceGroup, String secret) {
            cloud.seedSecret(SUBSCRIPTION, resourceGroup, vault, location(), secret, null);
            cloud.makeRbac(vault);
        }

        @Override
        protected void seedSoftDeletedVault(String vault, String resourceGroup) {
            cloud.seedSoftDeletedVault(SUBSCRIPTION, vault, resourceGroup, location());
        }

        @Override
        protected java.util.List<String> principalsWithSecretAccess(String vault) {
            return cloud.principalsWithSecretAccess(vault);
        }

        @Override
        protected void mayAssignRoles(boolean may) {
            cloud.mayAssignRoles(may);
        }

        @AfterEach
        void close() {
            cloud.close();
        }
    }

    @Nested
    class DeletionSchedules extends DeletionSchedulesContract {
        final FakeCloud cloud = cloud(Duration.ofMillis(5));

        @Override
        protected CloudAccount account() {
            return FakeContractTests.account(cloud);
        }

        @AfterEach
        void close() {
            cloud.close();
        }
    }
}
