package org.azuregahp.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.azuregahp.fake.Support.SUB;
import static org.azuregahp.fake.Support.await;
import static org.azuregahp.fake.Support.failure;
import static org.azuregahp.fake.Support.vm;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.azuregahp.ports.AccountRef;
import org.azuregahp.ports.CloudAccount;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.PublicIpChoice;
import org.azuregahp.ports.ResourceRef;
import org.azuregahp.ports.VmQuery;
import org.azuregahp.ports.credentials.CredentialSource;
import org.azuregahp.ports.credentials.Credentials;
import org.azuregahp.ports.credentials.Secret;
import org.junit.jupiter.api.Test;

/**
 * The fake cloud with Azure's request budgets on ({@code armBudgets(true)}), on a clock the test
 * moves: an operation costs what its Resource Manager calls would, and one that does not fit fails
 * before it makes anything, in Azure's words, with the wait Azure's Retry-After would give.
 */
class ArmBudgetsTest {
    final Support.MutableClock clock = new Support.MutableClock(Instant.parse("2026-11-27T10:00:00Z"));

    /** The credential source: the file {@code /creds/<client id>.json} names that principal. */
    final CredentialSource credentials = path -> CompletableFuture.completedFuture(new Credentials(
            path.substring("/creds/".length(), path.length() - ".json".length()), new Secret("s3cret"), null, null,
            "7a8b9c0d-1111-2222-3333-444455556666", SUB, null, null, Map.of()));

    private FakeCloud cloud(boolean budgets) {
        return FakeCloud.builder().clock(clock).credentials(credentials).armBudgets(budgets).build();
    }

    /** The account of the principal (client id) {@code clientId}, through its credential file. */
    private AccountRef as(String clientId) {
        return new AccountRef("/creds/" + clientId + ".json", SUB);
    }

    @Test
    void fiftyCreatesTakeThePrincipalsTwoHundredWritesAndTheNextIsRefusedInAzuresWords() throws Exception {
        try (FakeCloud cloud = cloud(true)) {
            CloudAccount a = cloud.account(as("app-1"));
            for (int i = 0; i < 50; i++) {
                await(a.virtualMachines().create(vm("vm" + i)));
            }
            CloudException e = failure(a.virtualMachines().create(vm("vm50")));
            assertThat(e.code()).isEqualTo("SubscriptionRequestsThrottled");
            assertThat(e.getMessage()).isEqualTo("Number of 'write' requests for subscription '" + SUB + "' actor"
                    + " 'app-1' exceeded. Please try again after '1' seconds after additional tokens are available."
                    + " Refer to https://aka.ms/arm-throttling for additional information.");
            assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(1));
            // Refused before anything was made.
            assertThat(await(a.virtualMachines().list(VmQuery.all()))).hasSize(50);
            // Four writes a create at 10 a second: after 0.4 s, one more fits.
            clock.advance(Duration.ofMillis(400));
            await(a.virtualMachines().create(vm("vm50")));
            // Another principal has its own bucket; reads and deletes are other buckets.
            CloudAccount b = cloud.account(as("app-2"));
            await(b.virtualMachines().create(vm("other")));
            await(a.virtualMachines().delete(ResourceRef.named("vm0")));
            await(a.ping());
        }
    }

    @Test
    void withoutAPublicIpACreateWritesThreeTimes() throws Exception {
        try (FakeCloud cloud = cloud(true)) {
            CloudAccount a = cloud.account(as("app-1"));
            for (int i = 0; i < 66; i++) {
                await(a.virtualMachines().create(vm("vm" + i, new PublicIpChoice.None())));
            }
            // 198 of 200 taken: two left, not three.
            assertThat(failure(a.virtualMachines().create(vm("vm66", new PublicIpChoice.None()))).retryAfter())
                    .hasValue(Duration.ofSeconds(1));
        }
    }

    @Test
    void computeRefusesThe241stVmInARegionWithinThreeMinutesWhateverThePrincipal() throws Exception {
        try (FakeCloud cloud = cloud(true)) {
            int made = 0;
            CloudException refused = null;
            for (int p = 0; p < 10 && refused == null; p++) {
                CloudAccount a = cloud.account(as("app-" + p));
                for (int i = 0; i < 25 && refused == null; i++) {
                    try {
                        await(a.virtualMachines().create(vm("p" + p + "vm" + i, new PublicIpChoice.None())));
                        made++;
                    } catch (CloudException e) {
                        refused = e;
                    }
                }
            }
            assertThat(made).isEqualTo(240);
            assertThat(refused.code()).isEqualTo("OperationNotAllowed");
            assertThat(refused.getMessage()).contains("PutVM3Min").contains("too many requests have been received");
            // Another region's policy is its own.
            await(cloud.account(as("app-9")).virtualMachines().create(new org.azuregahp.ports.MachineSpec("east1",
                    "eastus", "Standard_B1s", Support.UBUNTU, "azureuser", Support.KEY, java.util.List.of(), null,
                    new PublicIpChoice.None(), null, java.util.Map.of(), null, null)));
        }
    }

    @Test
    void offByDefault() throws Exception {
        try (FakeCloud cloud = cloud(false)) {
            CloudAccount a = cloud.account(as("app-1"));
            for (int i = 0; i < 60; i++) {
                await(a.virtualMachines().create(vm("vm" + i)));
            }
        }
    }
}
