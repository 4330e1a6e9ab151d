package org.azuregahp.azure;

import java.time.Clock;
import org.azuregahp.ports.CloudAccount;
import org.azuregahp.ports.contract.DeletionSchedulesContract;
import org.azuregahp.ports.contract.ScaleSetsContract;
import org.azuregahp.ports.contract.SecretVaultsContract;
import org.azuregahp.ports.contract.VirtualMachinesContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;

/**
 * The port contracts every adapter passes (the fake cloud runs the same ones), run against the Azure
 * adapter talking HTTPS to WireMock with a stateful {@link ArmSimulator} behind it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContractsOnWireMockTest {
    private ArmSimulator simulator;
    private AzureWireMock azure;

    @BeforeAll
    void start() {
        simulator = new ArmSimulator(AzureWireMock.SUB, AzureWireMock.TENANT);
        azure = new AzureWireMock(AzureSettings.defaults().withAutomation("gahp-auto", "automation-rg"),
                Clock.systemUTC(), simulator);
        simulator.seedAutomationAccount("automation-rg", "gahp-auto");
    }

    @AfterAll
    void stop() {
        azure.close();
    }

    @Nested
    class VirtualMachines extends VirtualMachinesContract {
        @Override
        protected CloudAccount account() {
            return azure.account();
        }
    }

    @Nested
    class ScaleSets extends ScaleSetsContract {
        @Override
        protected CloudAccount account() {
            return azure.account();
        }

        @Override
        protected void seedSecret(String vault, String resourceGroup, String secret) {
            simulator.seedSecret(vault, resourceGroup, secret);
        }
    }

    @Nested
    class SecretVaults extends SecretVaultsContract {
        @Override
        protected CloudAccount account() {
            return azure.account();
        }

        @Override
        protected void seedSecret(String vault, String resourceGroup, String secret) {
            simulator.seedSecret(vault, resourceGroup, secret);
        }
    }

    @Nested
    class DeletionSchedules extends DeletionSchedulesContract {
        @Override
        protected CloudAccount account() {
            return azure.account();
        }
    }
}
