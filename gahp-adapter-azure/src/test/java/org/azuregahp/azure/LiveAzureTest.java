package org.azuregahp.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.azuregahp.ports.AccountRef;
import org.azuregahp.ports.AdminCredential;
import org.azuregahp.ports.CloudAccount;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.ImageRef;
import org.azuregahp.ports.MachineSpec;
import org.azuregahp.ports.ResourceRef;
import org.azuregahp.ports.ScaleSetSpec;
import org.azuregahp.ports.ScaleSetStatus;
import org.azuregahp.ports.VmCreated;
import org.azuregahp.ports.VmQuery;
import org.azuregahp.ports.VaultSpec;
import org.azuregahp.ports.VmStatus;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Against a real subscription; never run by CI. {@code mvn -pl gahp-adapter-azure install -Pazure-live}
 * with {@code AZURE_GAHP_LIVE_SUBSCRIPTION} set and either {@code AZURE_GAHP_LIVE_CREDENTIALS} (a
 * credential file in the {@code --sdk-auth} JSON form) or an ambient login ({@code az login}); without a subscription every test is
 * skipped. Creates, lists and deletes one small VM and one two-instance scale set in
 * {@code AZURE_GAHP_LIVE_LOCATION} (default westeurope), in a shared network of its own, and deletes
 * that too: it leaves nothing behind. The other tests check on a real subscription what issue 9 taught
 * the fakes: provider registration on the first write, a Trusted Launch gallery image, a scale set
 * past 100 instances, and a soft-deleted vault.
 */
@Tag("live")
class LiveAzureTest {

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    static String sshPublicKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        RSAPublicKey k = (RSAPublicKey) g.generateKeyPair().getPublic();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (byte[] part : new byte[][] {"ssh-rsa".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                k.getPublicExponent().toByteArray(), k.getModulus().toByteArray()}) {
            out.writeInt(part.length);
            out.write(part);
        }
        return "ssh-rsa " + Base64.getEncoder().encodeToString(bytes.toByteArray()) + " azure-gahp-live";
    }

    /** The subscription to run on; the test is skipped (not failed) without one. */
    static String subscription() {
        String subscription = System.getenv("AZURE_GAHP_LIVE_SUBSCRIPTION");
        Assumptions.assumeTrue(subscription != null && !subscription.isBlank(),
                "AZURE_GAHP_LIVE_SUBSCRIPTION is not set: no real subscription to run on");
        return subscription;
    }

    @Test
    void createListDeleteOneVmAndOneScaleSetLeavingNothingBehind() throws Exception {
        String subscription = subscription();
        String file = env("AZURE_GAHP_LIVE_CREDENTIALS", null);
        String location = env("AZURE_GAHP_LIVE_LOCATION", "westeurope");
        String run = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36).substring(0, 6);
        AzureSettings defaults = AzureSettings.defaults();
        AzureSettings settings = new AzureSettings(null, null, Duration.ofSeconds(5), 8, defaults.operationDeadline(),
                defaults.credentialFailureMemory(), defaults.maxRetries(), "azure-gahp-live-" + run);
        String networkGroup = Names.networkGroup(settings, location);
        ImageRef ubuntu = new ImageRef.Marketplace("Canonical", "ubuntu-24_04-lts", "server", "latest");
        AdminCredential key = new AdminCredential.SshPublicKey(sshPublicKey());
        String vm = "gahplive" + run + "vm";
        String ss = "gahplive" + run + "ss";

        try (AzureCloud cloud = cloud(settings, file)) {
            CloudAccount account = cloud.account(new AccountRef(file, subscription));
            try {
                AzureWireMock.await(account.ping());
                VmCreated created = AzureWireMock.await(account.virtualMachines().create(new MachineSpec(vm, location,
                        "Standard_B1s", ubuntu, "azureuser", key, List.of(), null, null, null, Map.of(), null, null)));
                assertThat(created.vmId()).isNotBlank();
                assertThat(created.publicIp()).isNotBlank();
                List<VmStatus> listed = AzureWireMock.await(account.virtualMachines().list(new VmQuery.ByName(vm)));
                assertThat(listed).hasSize(1);
                assertThat(listed.get(0).statuses()).last().asString().startsWith("PowerState/");

                AzureWireMock.await(account.scaleSets().create(new ScaleSetSpec(new MachineSpec(ss, location,
                        "Standard_B1s", ubuntu, "azureuser", key, List.of(), null, null, null, Map.of(), null, null), 2,
                        null)));
                List<ScaleSetStatus> sets = AzureWireMock.await(account.scaleSets().list(ss));
                assertThat(sets).hasSize(1);
                assertThat(sets.get(0).capacity()).isEqualTo(2);
            } finally {
                quietly(() -> AzureWireMock.await(account.virtualMachines().delete(ResourceRef.named(vm))));
                quietly(() -> AzureWireMock.await(account.scaleSets().delete(ResourceRef.named(ss))));
                Connection connection = new Connection(file, file == null ? null : TestCredentials.sdkAuthFile(Path.of(file)),
                        settings, null, System::nanoTime);
                Clients clients = new Clients(connection, subscription, new AtomicLong());
                quietly(() -> clients.resources().getResourceGroups().deleteAsync(networkGroup).block(Duration.ofMinutes(9)));
            }
            // Deletes answer once Azure accepted them: wait for the groups to go before looking.
            Clients look = clients(file, settings, subscription);
            for (String group : List.of(vm, ss)) {
                waitUntilGone(look, group);
            }
            assertThatThrownBy(() -> AzureWireMock.await(account.virtualMachines().delete(ResourceRef.named(vm))))
                    .isInstanceOf(CloudException.class).hasMessageContaining("could not be found");
            assertThat(AzureWireMock.await(account.scaleSets().list(ss))).isEmpty();
            for (String group : List.of(vm, ss, networkGroup)) {
                Connection connection = new Connection(file, file == null ? null : TestCredentials.sdkAuthFile(Path.of(file)),
                        settings, null, System::nanoTime);
                Boolean exists = new Clients(connection, subscription, new AtomicLong()).resources().getResourceGroups()
                        .checkExistenceAsync(group.toLowerCase(Locale.ROOT)).block(Duration.ofMinutes(1));
                assertThat(exists).as("resource group " + group + " is gone").isFalse();
            }
        }
    }

    /** The cloud under test, reading the live credential file (when one is named) in the --sdk-auth form. */
    static AzureCloud cloud(AzureSettings settings, String file) throws java.io.IOException {
        TestCredentials credentials = new TestCredentials();
        if (file != null) {
            credentials.put(Path.of(file), TestCredentials.sdkAuthFile(Path.of(file)));
        }
        return AzureCloud.create(settings, credentials);
    }

    static Clients clients(String file, AzureSettings settings, String subscription) throws java.io.IOException {
        Connection connection = new Connection(file, file == null ? null : TestCredentials.sdkAuthFile(Path.of(file)),
                settings, null, System::nanoTime);
        return new Clients(connection, subscription, new AtomicLong());
    }

    /** Azure takes minutes to delete a group after it accepted the deletion: look every 10 s, up to 20 minutes. */
    static void waitUntilGone(Clients c, String group) throws InterruptedException {
        for (int i = 0; i < 120; i++) {
            Boolean exists = c.resources().getResourceGroups().checkExistenceAsync(group).block(Duration.ofMinutes(1));
            if (!Boolean.TRUE.equals(exists)) {
                return;
            }
            Thread.sleep(10_000);
        }
    }

    static String run() {
        return Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36).substring(0, 6);
    }

    static AzureSettings settings(String run) {
        AzureSettings d = AzureSettings.defaults();
        return new AzureSettings(null, null, Duration.ofSeconds(5), 8, d.operationDeadline(), d.credentialFailureMemory(),
                d.maxRetries(), "azure-gahp-live-" + run);
    }

    static String registrationState(Clients c, String namespace) {
        Object state = new ArmRest(c).get("/subscriptions/" + c.subscription() + "/providers/" + namespace,
                ProviderRegistrations.API).block(Duration.ofMinutes(1)).get("registrationState");
        return String.valueOf(state);
    }

    /**
     * Registration on the first write: {@code AZURE_GAHP_LIVE_UNREGISTERED} names a namespace the
     * subscription is not registered for, {@code Microsoft.KeyVault} (a vault create) or
     * {@code Microsoft.Compute} / {@code Microsoft.Network} (a VM create). Skipped without it, or when the
     * namespace is registered already.
     */
    @Test
    void aNamespaceTheSubscriptionLacksIsRegisteredOnTheFirstWrite() throws Exception {
        String subscription = subscription();
        String namespace = env("AZURE_GAHP_LIVE_UNREGISTERED", null);
        Assumptions.assumeTrue(namespace != null, "AZURE_GAHP_LIVE_UNREGISTERED is not set");
        String file = env("AZURE_GAHP_LIVE_CREDENTIALS", null);
        String location = env("AZURE_GAHP_LIVE_LOCATION", "westeurope");
        String run = run();
        AzureSettings settings = settings(run);
        Clients c = clients(file, settings, subscription);
        Assumptions.assumeFalse("Registered".equalsIgnoreCase(registrationState(c, namespace)),
                namespace + " is registered already: nothing to check");
        try (AzureCloud cloud = cloud(settings, file)) {
            CloudAccount account = cloud.account(new AccountRef(file, subscription));
            if (namespace.equalsIgnoreCase("Microsoft.KeyVault")) {
                String vault = "gahplive" + run + "kv";
                try {
                    AzureWireMock.await(account.secretVaults().createVault(new VaultSpec(vault, location, "standard",
                            List.of())));
                } finally {
                    quietly(() -> c.resources().getResourceGroups().deleteAsync(vault).block(Duration.ofMinutes(15)));
                    quietly(() -> purge(c, location, vault));
                }
            } else {
                String vm = "gahplive" + run + "rg";
                try {
                    AzureWireMock.await(account.virtualMachines().create(new MachineSpec(vm, location, "Standard_B1s",
                            UBUNTU, "azureuser", new AdminCredential.SshPublicKey(sshPublicKey()), List.of(), null, null,
                            null, Map.of(), null, null)));
                } finally {
                    quietly(() -> AzureWireMock.await(account.virtualMachines().delete(ResourceRef.named(vm))));
                    quietly(() -> waitUntilGone(c, vm));
                    quietly(() -> c.resources().getResourceGroups().deleteAsync(Names.networkGroup(settings, location))
                            .block(Duration.ofMinutes(15)));
                }
            }
        }
        assertThat(registrationState(c, namespace)).isEqualTo("Registered");
    }

    static final ImageRef UBUNTU = new ImageRef.Marketplace("Canonical", "ubuntu-24_04-lts", "server", "latest");

    /**
     * A VM and a scale set from a Compute Gallery image whose definition says {@code TrustedLaunch}
     * ({@code AZURE_GAHP_LIVE_TL_IMAGE}, a gallery image version id; {@code AZURE_GAHP_LIVE_TL_SIZE}, a
     * size that supports Trusted Launch, default Standard_D2s_v5). Skipped without the image.
     */
    @Test
    void aTrustedLaunchGalleryImageMakesAVmAndAScaleSet() throws Exception {
        String subscription = subscription();
        String image = env("AZURE_GAHP_LIVE_TL_IMAGE", null);
        Assumptions.assumeTrue(image != null, "AZURE_GAHP_LIVE_TL_IMAGE is not set");
        String file = env("AZURE_GAHP_LIVE_CREDENTIALS", null);
        String location = env("AZURE_GAHP_LIVE_LOCATION", "westeurope");
        String size = env("AZURE_GAHP_LIVE_TL_SIZE", "Standard_D2s_v5");
        String run = run();
        AzureSettings settings = settings(run);
        Clients c = clients(file, settings, subscription);
        String vm = "gahplive" + run + "tl";
        String ss = "gahplive" + run + "tls";
        AdminCredential key = new AdminCredential.SshPublicKey(sshPublicKey());
        try (AzureCloud cloud = cloud(settings, file)) {
            CloudAccount account = cloud.account(new AccountRef(file, subscription));
            try {
                MachineSpec spec = new MachineSpec(vm, location, size, new ImageRef.ResourceId(image), "azureuser", key,
                        List.of(), null, null, null, Map.of(), null, null);
                assertThat(AzureWireMock.await(account.virtualMachines().create(spec)).vmId()).isNotBlank();
                AzureWireMock.await(account.scaleSets().create(new ScaleSetSpec(new MachineSpec(ss, location, size,
                        new ImageRef.ResourceId(image), "azureuser", key, List.of(), null, null, null, Map.of(), null,
                        null), 1, null)));
                assertThat(c.compute().getVirtualMachines().getByResourceGroupAsync(vm, vm).block(Duration.ofMinutes(1))
                        .securityProfile().securityType().toString()).isEqualTo("TrustedLaunch");
            } finally {
                quietly(() -> AzureWireMock.await(account.virtualMachines().delete(ResourceRef.named(vm))));
                quietly(() -> AzureWireMock.await(account.scaleSets().delete(ResourceRef.named(ss))));
                quietly(() -> waitUntilGone(c, vm));
                quietly(() -> waitUntilGone(c, ss));
                quietly(() -> c.resources().getResourceGroups().deleteAsync(Names.networkGroup(settings, location))
                        .block(Duration.ofMinutes(15)));
            }
        }
    }

    /**
     * A scale set made with no instances has no single placement group, so it can grow past 100; with
     * {@code AZURE_GAHP_LIVE_BIG=1} it is scaled to 101 instances of Standard_B1ls (mind the quota:
     * 101 vCPUs of the BS family) and back to 0.
     */
    @Test
    void aScaleSetGrowsPastOneHundredInstances() throws Exception {
        String subscription = subscription();
        String file = env("AZURE_GAHP_LIVE_CREDENTIALS", null);
        String location = env("AZURE_GAHP_LIVE_LOCATION", "westeurope");
        String run = run();
        AzureSettings settings = settings(run);
        Clients c = clients(file, settings, subscription);
        String ss = "gahplive" + run + "big";
        try (AzureCloud cloud = cloud(settings, file)) {
            CloudAccount account = cloud.account(new AccountRef(file, subscription));
            try {
                AzureWireMock.await(account.scaleSets().create(new ScaleSetSpec(new MachineSpec(ss, location,
                        "Standard_B1ls", UBUNTU, "azureuser", new AdminCredential.SshPublicKey(sshPublicKey()), List.of(),
                        null, new org.azuregahp.ports.PublicIpChoice.None(), null, Map.of(), null, null), 0, null)));
                assertThat(c.compute().getVirtualMachineScaleSets().getByResourceGroupAsync(ss, ss)
                        .block(Duration.ofMinutes(1)).singlePlacementGroup()).isFalse();
                if ("1".equals(env("AZURE_GAHP_LIVE_BIG", null))) {
                    AzureWireMock.await(account.scaleSets().scale(ResourceRef.named(ss), 101));
                    assertThat(AzureWireMock.await(account.scaleSets().list(ss))).singleElement()
                            .extracting(ScaleSetStatus::capacity).isEqualTo(101);
                    AzureWireMock.await(account.scaleSets().scale(ResourceRef.named(ss), 0));
                }
            } finally {
                quietly(() -> AzureWireMock.await(account.scaleSets().delete(ResourceRef.named(ss))));
                quietly(() -> waitUntilGone(c, ss));
                quietly(() -> c.resources().getResourceGroups().deleteAsync(Names.networkGroup(settings, location))
                        .block(Duration.ofMinutes(15)));
            }
        }
    }

    /**
     * A vault of the server's own that was deleted (soft-deleted: its name stays reserved) is recovered
     * by the next {@code AZURE_KEYVAULT_CREATE}; then deleted and purged, so the name is free again.
     */
    @Test
    void aSoftDeletedVaultIsRecoveredByTheNextCreate() throws Exception {
        String subscription = subscription();
        String file = env("AZURE_GAHP_LIVE_CREDENTIALS", null);
        String location = env("AZURE_GAHP_LIVE_LOCATION", "westeurope");
        String run = run();
        AzureSettings settings = settings(run);
        Clients c = clients(file, settings, subscription);
        String vault = "gahplive" + run + "sd";
        try (AzureCloud cloud = cloud(settings, file)) {
            CloudAccount account = cloud.account(new AccountRef(file, subscription));
            try {
                AzureWireMock.await(account.secretVaults().createVault(new VaultSpec(vault, location, "standard",
                        List.of())));
                c.resources().getResourceGroups().deleteAsync(vault).block(Duration.ofMinutes(15));
                assertThat(KeyVaultsRest.deleted(c, location, vault).block(Duration.ofMinutes(1))).isNotNull();
                AzureWireMock.await(account.secretVaults().createVault(new VaultSpec(vault, location, "standard",
                        List.of())));
                assertThat(KeyVaultsRest.get(c, vault, vault).block(Duration.ofMinutes(1))).isNotNull();
            } finally {
                quietly(() -> c.resources().getResourceGroups().deleteAsync(vault).block(Duration.ofMinutes(15)));
                quietly(() -> purge(c, location, vault));
            }
        }
    }

    /** Purges a soft-deleted vault, so its name is free (POST .../deletedVaults/{name}/purge). */
    static void purge(Clients c, String location, String vault) {
        new ArmRest(c).post("/subscriptions/" + c.subscription() + "/providers/Microsoft.KeyVault/locations/" + location
                + "/deletedVaults/" + vault + "/purge", KeyVaultsRest.API).block(Duration.ofMinutes(15));
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void quietly(Step step) {
        try {
            step.run();
        } catch (Exception | AssertionError e) {
            // cleanup is best effort; the assertions after it say what is left
        }
    }
}
