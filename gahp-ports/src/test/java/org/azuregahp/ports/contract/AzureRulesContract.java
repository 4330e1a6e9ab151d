package org.azuregahp.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.azuregahp.ports.AdminCredential;
import org.azuregahp.ports.CloudAccount;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.ImageRef;
import org.azuregahp.ports.MachineSpec;
import org.azuregahp.ports.OsType;
import org.azuregahp.ports.ResourceRef;
import org.azuregahp.ports.ScaleSetSpec;
import org.azuregahp.ports.ScaleSetStatus;
import org.azuregahp.ports.VaultSpec;
import org.azuregahp.ports.VmQuery;
import org.azuregahp.ports.VmStatus;
import org.junit.jupiter.api.Test;

/**
 * What a real subscription refuses or needs that a kind fake would let pass (issue 9): unregistered
 * resource providers, images that need Trusted Launch or a purchase plan, unmanaged disks, key types
 * and names Azure does not take, scale sets past 100 instances, role-based and soft-deleted vaults.
 * Each adapter's cloud is set up through the hooks below to behave as Azure does; the adapter must
 * then succeed, or fail with an error that says what to do.
 */
public abstract class AzureRulesContract extends ContractSupport {

    protected abstract CloudAccount account();

    /** The subscription is not registered for the namespace; the principal may or may not register it. */
    protected abstract void unregisterProvider(String namespace, boolean principalMayRegister);

    /** Every provider registered again, and registering allowed. */
    protected abstract void registerAllProviders();

    protected abstract boolean providerRegistered(String namespace);

    /** A Compute Gallery image definition whose features give this security type (null: none, generation 1). */
    protected abstract void seedGalleryImage(String definitionId, String securityType);

    /** A generation 2 marketplace image sold with a purchase plan whose terms are accepted or not. */
    protected abstract void seedPlanImage(String publisher, String offer, String sku, boolean termsAccepted);

    /** A vault in role-based (RBAC) mode holding the secret. */
    protected abstract void seedRbacVault(String vault, String resourceGroup, String secret);

    /** A soft-deleted vault of that name, deleted from {@code resourceGroup}. */
    protected abstract void seedSoftDeletedVault(String vault, String resourceGroup);

    /** Who may read the vault's secrets (role assignees of an RBAC vault, else its access policies). */
    protected abstract List<String> principalsWithSecretAccess(String vault);

    protected abstract void mayAssignRoles(boolean may);

    private static final String PRINCIPAL = "0b1f0c3e-aaaa-bbbb-cccc-0000000000aa";

    private MachineSpec withImage(String name, ImageRef image) {
        MachineSpec b = machine(name);
        return new MachineSpec(name, b.location(), b.size(), image, b.adminUsername(), b.credential(), null, null, null,
                null, null, OsType.LINUX, null);
    }

    private List<VmStatus> byName(String name) {
        return await(account().virtualMachines().list(new VmQuery.ByName(name)));
    }

    private String galleryDefinition(String gallery, String image) {
        return "/subscriptions/00000000-0000-0000-0000-0000000000ee/resourceGroups/images-rg/providers/"
                + "Microsoft.Compute/galleries/" + gallery + "/images/" + image;
    }

    // ---------------------------------------------------------------- provider registration

    @Test
    public void aWriteToAnUnregisteredProviderRegistersItAndSucceeds() {
        String name = uniqueName("ctreg");
        unregisterProvider("Microsoft.Network", true);
        try {
            assertThat(await(account().virtualMachines().create(machine(name))).vmId()).isNotBlank();
            assertThat(providerRegistered("Microsoft.Network")).isTrue();
        } finally {
            registerAllProviders();
            quietly(() -> await(account().virtualMachines().delete(ResourceRef.named(name))));
        }
    }

    @Test
    public void withoutTheRightToRegisterTheErrorSaysWhoCanAndHowAndNothingIsLeft() {
        String name = uniqueName("ctnoreg");
        unregisterProvider("Microsoft.Compute", false);
        try {
            CloudException e = failure(account().virtualMachines().create(machine(name)));
            assertThat(e.code()).isEqualTo("MissingSubscriptionRegistration");
            assertThat(e.getMessage()).contains("az provider register --namespace Microsoft.Compute");
            assertThat(byName(name)).isEmpty();
            assertThat(providerRegistered("Microsoft.Compute")).isFalse();
        } finally {
            registerAllProviders();
        }
    }

    // ---------------------------------------------------------------- images

    @Test
    public void aGalleryImageThatNeedsTrustedLaunchMakesAVmAndAScaleSet() {
        String definition = galleryDefinition("gal1", uniqueName("tl"));
        seedGalleryImage(definition, "TrustedLaunch");
        String vm = uniqueName("cttlvm");
        String ss = uniqueName("cttlss");
        ImageRef image = new ImageRef.ResourceId(definition + "/versions/1.0.0");
        try {
            assertThat(await(account().virtualMachines().create(withImage(vm, image))).vmId()).isNotBlank();
            await(account().scaleSets().create(new ScaleSetSpec(withImage(ss, image), 1, null)));
            assertThat(await(account().scaleSets().list(ss))).extracting(ScaleSetStatus::name).containsExactly(ss);
        } finally {
            quietly(() -> await(account().virtualMachines().delete(ResourceRef.named(vm))));
            quietly(() -> await(account().scaleSets().delete(ResourceRef.named(ss))));
        }
    }

    @Test
    public void aGalleryImageWithoutASecurityTypeGetsNone() {
        String definition = galleryDefinition("gal1", uniqueName("gen1"));
        seedGalleryImage(definition, null);
        String vm = uniqueName("ctg1vm");
        try {
            assertThat(await(account().virtualMachines().create(withImage(vm, new ImageRef.ResourceId(definition))))
                    .vmId()).isNotBlank();
        } finally {
            quietly(() -> await(account().virtualMachines().delete(ResourceRef.named(vm))));
        }
    }

    @Test
    public void aMarketplaceImageWithAPurchasePlanIsCreatedWithItsPlan() {
        String offer = uniqueName("offer");
        seedPlanImage("contoso", offer, "plan1", true);
        String vm = uniqueName("ctplvm");
        String ss = uniqueName("ctplss");
        ImageRef image = new ImageRef.Marketplace("contoso", offer, "plan1", "latest");
        try {
            assertThat(await(account().virtualMachines().create(withImage(vm, image))).vmId()).isNotBlank();
            await(account().scaleSets().create(new ScaleSetSpec(withImage(ss, image), 1, null)));
        } finally {
            quietly(() -> await(account().virtualMachines().delete(ResourceRef.named(vm))));
            quietly(() -> await(account().scaleSets().delete(ResourceRef.named(ss))));
        }
    }

    @Test
    public void termsNotAcceptedAreReportedWithTheCommandThatAcceptsThem() {
        String offer = uniqueName("offer");
        seedPlanImage("contoso", offer, "plan1", false);
        String vm = uniqueName("ctterm");
        CloudException e = failure(account().virtualMachines().create(withImage(vm,
                new ImageRef.Marketplace("contoso", offer, "plan1", "latest"))));
        assertThat(e.getMessage()).contains("az vm image terms accept --urn contoso:" + offer + ":plan1");
        assertThat(byName(vm)).isEmpty();
    }

    @Test
    public void aVhdUrlIsRefusedBeforeAnythingIsMade() {
        String vm = uniqueName("ctvhd");
        CloudException e = failure(account().virtualMachines().create(withImage(vm,
                new ImageRef.VhdUri("https://store1.blob.core.windows.net/vhds/ubuntu.vhd"))));
        assertThat(e.getMessage()).contains("Managed Disks");
        assertThat(byName(vm)).isEmpty();
    }

    // ---------------------------------------------------------------- keys and names

    @Test
    public void anEcdsaKeyIsRefusedBeforeAnythingIsMade() {
        String vm = uniqueName("ctecdsa");
        MachineSpec b = machine(vm);
        CloudException e = failure(account().virtualMachines().create(new MachineSpec(vm, b.location(), b.size(),
                b.image(), b.adminUsername(), new AdminCredential.SshPublicKey(
                        "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTY= alice@laptop"),
                null, null, null, null, null, null, null)));
        assertThat(e.code()).isEqualTo(CloudException.INVALID_PARAMETER);
        assertThat(byName(vm)).isEmpty();
    }

    @Test
    public void aWindowsAdministratorNameOverTwentyCharactersIsRefused() {
        String vm = uniqueName("ctwin").substring(0, 12);
        MachineSpec b = machine(vm);
        CloudException e = failure(account().virtualMachines().create(new MachineSpec(vm, b.location(), b.size(),
                new ImageRef.Marketplace("MicrosoftWindowsServer", "WindowsServer", "2022-datacenter-azure-edition",
                        "latest"), "administrator-of-pool", new AdminCredential.Password("Str0ng!Passw0rd#2026"),
                null, null, null, null, null, OsType.WINDOWS, null)));
        assertThat(e.code()).isEqualTo(CloudException.INVALID_PARAMETER);
        assertThat(byName(vm)).isEmpty();
    }

    // ---------------------------------------------------------------- scale sets past 100

    @Test
    public void aSmallScaleSetGrowsPastOneHundredInstances() {
        String ss = uniqueName("ctbig");
        try {
            await(account().scaleSets().create(new ScaleSetSpec(machine(ss), 2, null)));
            await(account().scaleSets().scale(ResourceRef.named(ss), 150));
            assertThat(await(account().scaleSets().list(ss))).singleElement()
                    .extracting(ScaleSetStatus::capacity).isEqualTo(150);
        } finally {
            quietly(() -> await(account().scaleSets().delete(ResourceRef.named(ss))));
        }
    }

    // ---------------------------------------------------------------- vaults

    @Test
    public void creatingOnARoleBasedVaultGrantsRolesWhichAzureHonours() {
        String vault = uniqueName("ctrbac");
        seedRbacVault(vault, vault, "s1");
        await(account().secretVaults().createVault(new VaultSpec(vault, location(), "standard", List.of(PRINCIPAL))));
        assertThat(principalsWithSecretAccess(vault)).contains(PRINCIPAL);
    }

    @Test
    public void onARoleBasedVaultWithoutTheRightToAssignRolesTheErrorSaysWhy() {
        String vault = uniqueName("ctrbac");
        seedRbacVault(vault, vault, "s1");
        mayAssignRoles(false);
        try {
            CloudException e = failure(account().secretVaults().createVault(new VaultSpec(vault, location(), "standard",
                    List.of(PRINCIPAL))));
            assertThat(e.getMessage()).contains("role-based access control").contains("Key Vault Secrets Officer");
        } finally {
            mayAssignRoles(true);
        }
    }

    @Test
    public void aSoftDeletedVaultOfTheServersOwnIsRecovered() {
        String vault = uniqueName("ctsoft");
        seedSoftDeletedVault(vault, vault);
        await(account().secretVaults().createVault(new VaultSpec(vault, location(), "standard", List.of(PRINCIPAL))));
        assertThat(principalsWithSecretAccess(vault)).contains(PRINCIPAL);
    }

    @Test
    public void aSoftDeletedVaultFromElsewhereIsAnErrorNamingIt() {
        String vault = uniqueName("ctsoft");
        seedSoftDeletedVault(vault, "someone-elses-rg");
        CloudException e = failure(account().secretVaults().createVault(new VaultSpec(vault, location(), "standard",
                List.of())));
        assertThat(e.getMessage()).contains("soft-deleted").contains(vault).contains("someone-elses-rg")
                .contains("az keyvault recover");
    }
}
