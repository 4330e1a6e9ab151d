package org.azuregahp.azure;

import java.time.Clock;
import java.util.List;
import org.azuregahp.ports.CloudAccount;
import org.azuregahp.ports.contract.AzureRulesContract;
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
    class AzureRules extends AzureRulesContract {
        @Override
        protected CloudAccount account() {
            return azure.account();
        }

        @Override
        protected void unregisterProvider(String namespace, boolean principalMayRegister) {
            simulator.unregister(namespace, principalMayRegister);
        }

        @Override
        protected void registerAllProviders() {
            simulator.registerAll();
        }

        @Override
        protected boolean providerRegistered(String namespace) {
            return simulator.registered(namespace);
        }

        @Override
        protected void seedGalleryImage(String definitionId, String securityType) {
            simulator.seedGalleryImage(definitionId, securityType);
        }

        @Override
        protected void seedPlanImage(String publisher, String offer, String sku, boolean termsAccepted) {
            simulator.seedMarketplaceImage(publisher, offer, sku, true, true, termsAccepted);
        }

        @Override
        protected void seedRbacVault(String vault, String resourceGroup, String secret) {
            simulator.seedSecret(vault, resourceGroup, secret, true);
        }

        @Override
        protected void seedSoftDeletedVault(String vault, String resourceGroup) {
            simulator.seedSoftDeletedVault(vault, resourceGroup, location());
        }

        @Override
        protected List<String> principalsWithSecretAccess(String vault) {
            return simulator.principalsWithSecretAccess(vault, vault);
        }

        @Override
        protected void mayAssignRoles(boolean may) {
            simulator.mayAssignRoles(may);
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
