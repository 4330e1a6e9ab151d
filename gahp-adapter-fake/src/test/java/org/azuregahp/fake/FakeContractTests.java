package org.azuregahp.fake;

import java.time.Duration;
import org.azuregahp.ports.AccountRef;
import org.azuregahp.ports.CloudAccount;
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
