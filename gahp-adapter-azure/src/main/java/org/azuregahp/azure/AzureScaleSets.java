package org.azuregahp.azure;

import com.azure.core.management.SubResource;
import com.azure.core.util.logging.ClientLogger;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineScaleSetInner;
import com.azure.resourcemanager.compute.models.ApiEntityReference;
import com.azure.resourcemanager.compute.models.DataDisk;
import com.azure.resourcemanager.compute.models.DiskDeleteOptionTypes;
import com.azure.resourcemanager.compute.models.OSDisk;
import com.azure.resourcemanager.compute.models.OSProfile;
import com.azure.resourcemanager.compute.models.OrchestrationMode;
import com.azure.resourcemanager.compute.models.PublicIpAddressSku;
import com.azure.resourcemanager.compute.models.PublicIpAddressSkuName;
import com.azure.resourcemanager.compute.models.ResourceIdentityType;
import com.azure.resourcemanager.compute.models.Sku;
import com.azure.resourcemanager.compute.models.StorageProfile;
import com.azure.resourcemanager.compute.models.UpgradeMode;
import com.azure.resourcemanager.compute.models.UpgradePolicy;
import com.azure.resourcemanager.compute.models.VirtualMachineEvictionPolicyTypes;
import com.azure.resourcemanager.compute.models.VirtualMachineIdentityUserAssignedIdentities;
import com.azure.resourcemanager.compute.models.VirtualMachinePriorityTypes;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetDataDisk;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetExtensionProfile;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetIdentity;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetIpConfiguration;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetManagedDiskParameters;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetNetworkConfiguration;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetNetworkProfile;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetOSDisk;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetOSProfile;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetPublicIpAddressConfiguration;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetStorageProfile;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetUpdate;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetVMProfile;
import com.azure.resourcemanager.compute.models.VirtualMachineStatusCodeCount;
import com.azure.resourcemanager.msi.fluent.models.IdentityInner;
import com.azure.resourcemanager.resources.fluent.models.ResourceGroupInner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.CloudRules;
import org.azuregahp.ports.DeletionSchedules;
import org.azuregahp.ports.MachineSpec;
import org.azuregahp.ports.PublicIpChoice;
import org.azuregahp.ports.ResourceRef;
import org.azuregahp.ports.ScaleSetSpec;
import org.azuregahp.ports.ScaleSetStatus;
import org.azuregahp.ports.ScaleSets;
import org.azuregahp.ports.VaultSecretRef;
import reactor.core.publisher.Mono;

/**
 * Scale sets (Uniform orchestration, manual upgrades, no single placement group), each in a resource
 * group of its own named after it and tagged as ours, joining the shared subnet behind the shared
 * SSH-only or RDP-only security group, with a Standard public IP per instance unless none. With a
 * vault secret: the secret's existence is checked first; a user-assigned identity is made in the
 * group and granted read access to that one secret ({@link VaultAccess}) before the scale set exists,
 * so the install extension in each VM finds it readable at first boot. The group and scale set are
 * tagged {@code azure-gahp-vault=<vault id>}; when the scale set is deleted (first), or its create
 * fails, that access is taken out of the vault again (best effort, logged when it fails).
 *
 * <p>A create answers once Azure has accepted the scale set (its PUT answered, provisioning under
 * way): a thousand instances can take longer than any request may, and {@code AZURE_VMSS_LIST} shows
 * the progress. A delete answers once Azure has accepted the deletion.
 */
final class AzureScaleSets implements ScaleSets {
    static final int MAX_CAPACITY = CloudRules.MAX_SCALE_SET_CAPACITY;
    static final String SECRET_DIR_LINUX = "/root/.azure-gahp/secrets";
    private static final ClientLogger LOG = new ClientLogger(AzureScaleSets.class);

    private final SdkCalls ops;
    private final SharedNetworks networks;
    private final ImageProfiles images;
    private final DeletionSchedules schedules;

    AzureScaleSets(SdkCalls ops, SharedNetworks networks, ImageProfiles images, DeletionSchedules schedules) {
        this.ops = ops;
        this.networks = networks;
        this.images = images;
        this.schedules = schedules;
    }

    // ---------------------------------------------------------------- create

    @Override
    public CompletionStage<Void> create(ScaleSetSpec spec) {
        try {
            MachineProfiles.validate(spec.machine());
            if (spec.capacity() > MAX_CAPACITY) {
                throw CloudException.invalid("nodecount " + spec.capacity() + " is more than " + MAX_CAPACITY);
            }
            if (spec.machine().network() != null) {
                throw CloudException.invalid("scale sets join the server's shared network; vnetName is not supported");
            }
        } catch (CloudException e) {
            return CompletableFuture.failedFuture(e);
        }
        return ops.call("AZURE_VMSS_CREATE " + spec.name(), (c, budget) -> create(c, spec, budget));
    }

    private Mono<Void> create(Clients c, ScaleSetSpec spec, Duration budget) {
        MachineSpec m = spec.machine();
        String group = m.name();
        AtomicBoolean madeGroup = new AtomicBoolean();
        AtomicBoolean scaleSetRequested = new AtomicBoolean();
        AtomicReference<String> grantedTo = new AtomicReference<>();
        AtomicReference<String> grantVault = new AtomicReference<>();
        Map<String, String> baseTags = MachineProfiles.tags(m, Names.KIND_SCALE_SET);
        AzureSettings settings = c.connection().settings();
        String what = "AZURE_VMSS_CREATE " + spec.name();

        Mono<Optional<KeyVaultsRest.Vault>> vault = spec.secret() == null ? Mono.just(Optional.empty())
                : AzureSecretVaults.checkSecret(c, spec.secret()).map(Optional::of);
        Mono<Void> steps = Mono.zip(vault, images.facts(c, m.image(), m.location())).flatMap(found -> {
            Optional<KeyVaultsRest.Vault> v = found.getT1();
            ImageProfiles.Facts image = found.getT2();
            Map<String, String> tags = baseTags;
            if (v.isPresent()) {
                tags = new LinkedHashMap<>(baseTags);
                tags.put(Names.TAG_VAULT, v.get().id());
                grantVault.set(v.get().id());
            }
            Map<String, String> t = tags;
            return Mono.zip(networks.subnetId(c, settings, m.location()),
                            networks.securityGroupId(c, settings, m.location(), m.effectiveOsType()))
                    .flatMap(net -> ownGroup(c, m, t, madeGroup)
                            .then(v.isEmpty() ? Mono.just(Optional.<IdentityInner>empty())
                                    : identityWithAccess(c, m, t, v.get(), spec.secret(), grantedTo).map(Optional::of))
                            .flatMap(identity -> {
                                VirtualMachineScaleSetInner set = scaleSet(spec, t, net.getT1(), net.getT2(),
                                        identity.orElse(null), v.orElse(null), image);
                                scaleSetRequested.set(true);
                                // The PUT's own answer only: accepted means created, provisioning under way.
                                return c.compute().getVirtualMachineScaleSets()
                                        .createOrUpdateWithResponseAsync(group, m.name(), set, null, null)
                                        .flatMap(r -> r.getValue().then());
                            }));
        }).then();
        return steps.onErrorMap(e -> MachineProfiles.explainPurchaseFailure(e, m, c))
                .timeout(budget)
                .onErrorMap(java.util.concurrent.TimeoutException.class, e -> new CloudException(CloudException.TIMEOUT,
                        what + " did not finish within " + budget.toSeconds() + " s" + (scaleSetRequested.get()
                                ? "; Azure may still be creating it in resource group " + group
                                        + " (AZURE_VMSS_LIST shows it; AZURE_VMSS_DELETE removes it)"
                                : "; the resource group it made, if any, is being removed"), e))
                .doOnError(e -> networks.forgetIfNamed(c, settings, m.location(), e))
                .onErrorResume(e -> {
                    // Never delete on our own timeout once the scale set was asked for: Azure may have
                    // accepted it and be creating it; the list shows it and a delete removes it.
                    boolean cleanUp = madeGroup.get() && !(scaleSetRequested.get() && isTimeout(e));
                    return (cleanUp ? deleteMadeGroup(c, group, what) : Mono.<Void>empty())
                            .then(grantedTo.get() == null || !cleanUp ? Mono.<Void>empty()
                                    : VaultAccess.revokeQuietly(c, grantVault.get(), List.of(grantedTo.get()), what,
                                            VaultAccess.REVOKE_AFTER_FAILED_CREATE))
                            .then(Mono.error(e));
                });
    }

    private static boolean isTimeout(Throwable e) {
        return e instanceof CloudException ce && CloudException.TIMEOUT.equals(ce.code());
    }

    /** Asks Azure to delete a group a failed create made; a refusal is logged with the group's name. */
    static Mono<Void> deleteMadeGroup(Clients c, String group, String what) {
        return c.resources().getResourceGroups().deleteWithResponseAsync(group, null)
                .flatMap(r -> r.getValue().then())
                .onErrorResume(x -> {
                    CloudException ce = AzureErrors.translate(x, c.connection().redactor());
                    LOG.warning("{} failed; removing the resource group it made, {}, failed too ({}: {});"
                            + " delete it by hand", what, group, ce.code(), ce.getMessage());
                    return Mono.empty();
                });
    }

    private static Mono<Void> ownGroup(Clients c, MachineSpec m, Map<String, String> tags, AtomicBoolean made) {
        String group = m.name();
        return AsyncUtil.orEmptyIfNotFound(c.resources().getResourceGroups().getWithResponseAsync(group))
                .map(r -> Optional.of(r.getValue())).defaultIfEmpty(Optional.empty())
                .flatMap(existing -> {
                    if (existing.isPresent()) {
                        ResourceGroupInner g = existing.get();
                        if (Names.madeByUs(g.tags(), Names.KIND_SCALE_SET)
                                && m.name().equalsIgnoreCase(Names.tagIgnoreCase(g.tags(), Names.TAG_NAME))) {
                            return Mono.<Void>empty();
                        }
                        return Mono.<Void>error(new CloudException(CloudException.CONFLICT, "resource group " + group
                                + " already exists and was not made by azure-gahp for this scale set; choose another name"));
                    }
                    return c.resources().getResourceGroups()
                            .createOrUpdateAsync(group, new ResourceGroupInner().withLocation(m.location()).withTags(tags))
                            .doOnNext(g -> made.set(true)).then();
                });
    }

    /** A user-assigned identity in the scale set's group with read access to the one secret. */
    private static Mono<IdentityInner> identityWithAccess(Clients c, MachineSpec m, Map<String, String> tags,
            KeyVaultsRest.Vault vault, VaultSecretRef secret, AtomicReference<String> grantedTo) {
        IdentityInner identity = new IdentityInner();
        identity.withLocation(m.location());
        identity.withTags(tags);
        return c.identities().getUserAssignedIdentities().createOrUpdateAsync(m.name(), m.name() + "-identity", identity)
                .doOnNext(id -> grantedTo.set(id.principalId() == null ? null : id.principalId().toString()))
                .flatMap(id -> VaultAccess.grantSecretRead(c, vault, secret.secretName(), id.principalId().toString())
                        .thenReturn(id));
    }

    static VirtualMachineScaleSetInner scaleSet(ScaleSetSpec spec, Map<String, String> tags, String subnetId,
            String nsgId, IdentityInner identity, KeyVaultsRest.Vault vault, ImageProfiles.Facts image) {
        MachineSpec m = spec.machine();
        OSProfile os = MachineProfiles.osProfile(m, "x");
        String prefix = m.name().length() > 9 ? m.name().substring(0, 9) : m.name();
        VirtualMachineScaleSetOSProfile osProfile = new VirtualMachineScaleSetOSProfile()
                .withComputerNamePrefix(prefix.replace("_", "-").replace(".", "-"))
                .withAdminUsername(os.adminUsername())
                .withAdminPassword(os.adminPassword())
                .withCustomData(os.customData())
                .withLinuxConfiguration(os.linuxConfiguration())
                .withWindowsConfiguration(os.windowsConfiguration());
        StorageProfile sp = MachineProfiles.storageProfile(m, m.name());
        OSDisk vmOs = sp.osDisk();
        VirtualMachineScaleSetStorageProfile storage = new VirtualMachineScaleSetStorageProfile()
                .withImageReference(sp.imageReference())
                .withOsDisk(new VirtualMachineScaleSetOSDisk().withCreateOption(vmOs.createOption())
                        .withCaching(vmOs.caching()).withOsType(vmOs.osType())
                        .withManagedDisk(new VirtualMachineScaleSetManagedDiskParameters()
                                .withStorageAccountType(vmOs.managedDisk().storageAccountType()))
                        .withDeleteOption(DiskDeleteOptionTypes.DELETE));
        if (sp.dataDisks() != null && !sp.dataDisks().isEmpty()) {
            List<VirtualMachineScaleSetDataDisk> disks = new ArrayList<>();
            for (DataDisk d : sp.dataDisks()) {
                disks.add(new VirtualMachineScaleSetDataDisk().withLun(d.lun()).withDiskSizeGB(d.diskSizeGB())
                        .withCreateOption(d.createOption())
                        .withManagedDisk(new VirtualMachineScaleSetManagedDiskParameters()
                                .withStorageAccountType(d.managedDisk().storageAccountType())));
            }
            storage.withDataDisks(disks);
        }
        VirtualMachineScaleSetIpConfiguration ip = new VirtualMachineScaleSetIpConfiguration().withName("ipconfig1")
                .withPrimary(true).withSubnet(new ApiEntityReference().withId(subnetId));
        if (m.publicIp() instanceof PublicIpChoice.New) {
            ip.withPublicIpAddressConfiguration(new VirtualMachineScaleSetPublicIpAddressConfiguration()
                    .withName("pip").withSku(new PublicIpAddressSku().withName(PublicIpAddressSkuName.STANDARD)));
        }
        VirtualMachineScaleSetVMProfile profile = new VirtualMachineScaleSetVMProfile()
                .withOsProfile(osProfile)
                .withStorageProfile(storage)
                .withSecurityProfile(image.securityProfile())
                .withNetworkProfile(new VirtualMachineScaleSetNetworkProfile().withNetworkInterfaceConfigurations(
                        List.of(new VirtualMachineScaleSetNetworkConfiguration().withName("nic").withPrimary(true)
                                .withNetworkSecurityGroup(new SubResource().withId(nsgId))
                                .withIpConfigurations(List.of(ip)))));
        if (m.spot() != null) {
            profile.withPriority(VirtualMachinePriorityTypes.SPOT)
                    .withEvictionPolicy(VirtualMachineEvictionPolicyTypes.DEALLOCATE)
                    .withBillingProfile(MachineProfiles.billing(m));
        }
        VirtualMachineScaleSetInner vmss = new VirtualMachineScaleSetInner()
                .withSku(new Sku().withName(m.size()).withTier("Standard").withCapacity((long) spec.capacity()))
                .withPlan(image.plan())
                .withOrchestrationMode(OrchestrationMode.UNIFORM)
                .withUpgradePolicy(new UpgradePolicy().withMode(UpgradeMode.MANUAL))
                .withOverprovision(false)
                // Off from the start, whatever the size: a set with a single placement group cannot grow past 100.
                .withSinglePlacementGroup(false)
                .withVirtualMachineProfile(profile);
        if (identity != null && vault != null) {
            vmss.withIdentity(new VirtualMachineScaleSetIdentity().withType(ResourceIdentityType.USER_ASSIGNED)
                    .withUserAssignedIdentities(Map.of(identity.id(), new VirtualMachineIdentityUserAssignedIdentities())));
            profile.withExtensionProfile(new VirtualMachineScaleSetExtensionProfile().withExtensions(List.of(
                    SecretInstall.extension(m.effectiveOsType(), vault.vaultUri(),
                            spec.secret().secretName(), identity.clientId().toString()))));
        }
        vmss.withLocation(m.location());
        vmss.withTags(tags);
        return vmss;
    }

    // ---------------------------------------------------------------- find, delete, power

    /** The scale set's group and name; fails "could not be found" when there is none. */
    private static Mono<String[]> locate(Clients c, ResourceRef ref) {
        String group = ref.groupOrName();
        return AsyncUtil.orEmptyIfNotFound(c.compute().getVirtualMachineScaleSets()
                        .getByResourceGroupWithResponseAsync(group, ref.name(), null))
                .map(r -> new String[] {group, ref.name()})
                .switchIfEmpty(Mono.error(() -> CloudException.notFound("scale set " + ref + " could not be found")));
    }

    /**
     * Takes the scale set's identity's vault access out first (so no deadline can skip it), then asks
     * Azure to delete the group (ours) or the scale set alone, and answers once Azure has accepted
     * that; the pending scheduled deletion is cancelled.
     */
    @Override
    public CompletionStage<Void> delete(ResourceRef ref) {
        String what = "AZURE_VMSS_DELETE " + ref;
        return ops.call(what, (c, budget) -> {
            long start = System.nanoTime();
            String group = ref.groupOrName();
            return AsyncUtil.orEmptyIfNotFound(c.compute().getVirtualMachineScaleSets()
                            .getByResourceGroupWithResponseAsync(group, ref.name(), null))
                    .switchIfEmpty(Mono.error(() -> CloudException.notFound("scale set " + ref + " could not be found")))
                    .map(r -> r.getValue())
                    .flatMap(set -> c.resources().getResourceGroups().getWithResponseAsync(group).map(r -> r.getValue())
                            .flatMap(g -> {
                                boolean ours = Names.madeByUs(g.tags(), Names.KIND_SCALE_SET);
                                String vaultId = Names.tagIgnoreCase(set.tags(), Names.TAG_VAULT);
                                if (vaultId == null && ours) {
                                    vaultId = Names.tagIgnoreCase(g.tags(), Names.TAG_VAULT);
                                }
                                String vid = vaultId;
                                Mono<Void> revoke = vid == null ? Mono.empty()
                                        : VaultAccess.principals(c, group, set)
                                                .onErrorResume(e -> {
                                                    VaultAccess.warn(c, what, vid, e);
                                                    return Mono.just(List.of());
                                                })
                                                .flatMap(p -> VaultAccess.revokeQuietly(c, vid, p, what,
                                                        budget.minusNanos(System.nanoTime() - start).dividedBy(2)));
                                Mono<Void> remove = (ours
                                        ? c.resources().getResourceGroups().deleteWithResponseAsync(group, null)
                                        : c.compute().getVirtualMachineScaleSets().deleteWithResponseAsync(group,
                                                ref.name(), null))
                                        .flatMap(r -> r.getValue().then());
                                return revoke.then(remove)
                                        .then(Mono.fromFuture(() -> schedules.cancel(group).toCompletableFuture())
                                                .onErrorResume(e -> Mono.empty()));
                            }));
        });
    }

    @Override
    public CompletionStage<Void> start(ResourceRef ref) {
        return ops.call("AZURE_VMSS_START " + ref, c -> locate(c, ref)
                .flatMap(at -> c.compute().getVirtualMachineScaleSets().startAsync(at[0], at[1])));
    }

    @Override
    public CompletionStage<Void> stop(ResourceRef ref) {
        return ops.call("AZURE_VMSS_STOP " + ref, c -> locate(c, ref)
                .flatMap(at -> c.compute().getVirtualMachineScaleSets().deallocateAsync(at[0], at[1])));
    }

    @Override
    public CompletionStage<Void> restart(ResourceRef ref) {
        return ops.call("AZURE_VMSS_RESTART " + ref, c -> locate(c, ref)
                .flatMap(at -> c.compute().getVirtualMachineScaleSets().restartAsync(at[0], at[1])));
    }

    @Override
    public CompletionStage<Void> scale(ResourceRef ref, int capacity) {
        if (capacity < 0 || capacity > MAX_CAPACITY) {
            return CompletableFuture.failedFuture(CloudException.invalid("nodecount must be 0-" + MAX_CAPACITY));
        }
        return ops.call("AZURE_VMSS_SCALE " + ref, c -> {
            String group = ref.groupOrName();
            return AsyncUtil.orEmptyIfNotFound(c.compute().getVirtualMachineScaleSets()
                            .getByResourceGroupWithResponseAsync(group, ref.name(), null))
                    .switchIfEmpty(Mono.error(() -> CloudException.notFound("scale set " + ref + " could not be found")))
                    .flatMap(r -> {
                        Sku sku = r.getValue().sku();
                        VirtualMachineScaleSetUpdate update = new VirtualMachineScaleSetUpdate().withSku(new Sku()
                                .withName(sku.name()).withTier(sku.tier()).withCapacity((long) capacity));
                        // A set made with a single placement group (before the server made every set without
                        // one) holds at most 100 instances: switch it off on the way up (it cannot be switched on again).
                        if (capacity > CloudRules.SINGLE_PLACEMENT_GROUP_MAX
                                && !Boolean.FALSE.equals(r.getValue().singlePlacementGroup())) {
                            update.withSinglePlacementGroup(false);
                        }
                        return c.compute().getVirtualMachineScaleSets().updateAsync(group, ref.name(), update);
                    }).then();
        });
    }

    // ---------------------------------------------------------------- list

    @Override
    public CompletionStage<List<ScaleSetStatus>> list(String name) {
        return ops.call("AZURE_VMSS_LIST", c -> c.compute().getVirtualMachineScaleSets().listAsync()
                .filter(s -> name == null || name.equalsIgnoreCase(displayName(s)) || name.equalsIgnoreCase(s.name()))
                .flatMapSequential(s -> status(c, s), 8)
                .collectList());
    }

    private static String displayName(VirtualMachineScaleSetInner s) {
        String tagged = Names.tagIgnoreCase(s.tags(), Names.TAG_NAME);
        if (tagged != null && !tagged.isEmpty()) {
            return tagged;
        }
        String group = Names.resourceGroupOf(s.id());
        return group != null ? group : s.name();
    }

    private static Mono<ScaleSetStatus> status(Clients c, VirtualMachineScaleSetInner s) {
        int capacity = s.sku() == null || s.sku().capacity() == null ? 0 : s.sku().capacity().intValue();
        String group = Names.resourceGroupOf(s.id());
        List<String> codes = new ArrayList<>();
        codes.add("ProvisioningState/" + String.valueOf(s.provisioningState()).toLowerCase(Locale.ROOT));
        if (capacity == 0) {
            codes.add("PowerState/deallocated");
            return Mono.just(new ScaleSetStatus(displayName(s), 0, codes));
        }
        return c.compute().getVirtualMachineScaleSets().getInstanceViewAsync(group, s.name()).map(view -> {
            codes.add(powerState(view.virtualMachine() == null ? null : view.virtualMachine().statusesSummary()));
            return new ScaleSetStatus(displayName(s), capacity, codes);
        });
    }

    /** One power state for the set: running if any instance runs, else the most common one. */
    static String powerState(List<VirtualMachineStatusCodeCount> summary) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        if (summary != null) {
            for (VirtualMachineStatusCodeCount s : summary) {
                if (s.code() != null && s.code().startsWith("PowerState/")) {
                    counts.merge(s.code(), s.count() == null ? 0 : s.count(), Integer::sum);
                }
            }
        }
        if (counts.isEmpty()) {
            return "PowerState/unknown";
        }
        if (counts.containsKey("PowerState/running")) {
            return "PowerState/running";
        }
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).get().getKey();
    }
}
