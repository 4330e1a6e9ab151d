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
import org.azuregahp.ports.VmStatus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Against a real subscription; never run by CI. {@code mvn -pl gahp-adapter-azure install -Pazure-live}
 * with {@code AZURE_GAHP_LIVE_SUBSCRIPTION} set and either {@code AZURE_GAHP_LIVE_CREDENTIALS} (a
 * credential file in the {@code --sdk-auth} JSON form) or an ambient login ({@code az login}). Creates, lists and deletes one small VM and
 * one two-instance scale set in {@code AZURE_GAHP_LIVE_LOCATION} (default westeurope), in a shared
 * network of its own, and deletes that too: it leaves nothing behind.
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

    @Test
    void createListDeleteOneVmAndOneScaleSetLeavingNothingBehind() throws Exception {
        String subscription = System.getenv("AZURE_GAHP_LIVE_SUBSCRIPTION");
        assertThat(subscription).as("AZURE_GAHP_LIVE_SUBSCRIPTION").isNotBlank();
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

        TestCredentials credentials = new TestCredentials();
        if (file != null) {
            credentials.put(Path.of(file), TestCredentials.sdkAuthFile(Path.of(file)));
        }
        try (AzureCloud cloud = AzureCloud.create(settings, credentials)) {
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
