package org.azuregahp.azure;

import com.azure.core.management.SubResource;
import com.azure.core.util.logging.ClientLogger;
import com.azure.resourcemanager.authorization.models.PrincipalType;
import com.azure.resourcemanager.authorization.models.RoleAssignmentCreateParameters;
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
import com.azure.resourcemanager.keyvault.fluent.models.VaultAccessPolicyParametersInner;
import com.azure.resourcemanager.keyvault.fluent.models.VaultInner;
import com.azure.resourcemanager.keyvault.models.AccessPolicyEntry;
import com.azure.resourcemanager.keyvault.models.AccessPolicyUpdateKind;
import com.azure.resourcemanager.keyvault.models.Permissions;
import com.azure.resourcemanager.keyvault.models.SecretPermissions;
import com.azure.resourcemanager.keyvault.models.VaultAccessPolicyProperties;
import com.azure.resourcemanager.msi.fluent.models.IdentityInner;
import com.azure.resourcemanager.resources.fluent.models.ResourceGroupInner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.DeletionSchedules;
import org.azuregahp.ports.ImageRef;
import org.azuregahp.ports.MachineSpec;
import org.azuregahp.ports.PublicIpChoice;
import org.azuregahp.ports.ResourceRef;
import org.azuregahp.ports.ScaleSetSpec;
import org.azuregahp.ports.ScaleSetStatus;
import org.azuregahp.ports.ScaleSets;
import org.azuregahp.ports.VaultSecretRef;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Scale sets (Uniform orchestration, manual upgrades), each in a resource group of its own named
 * after it and tagged as ours, joining the shared subnet behind the shared SSH-only or RDP-only
 * security group, with a Standard public IP per instance unless none. With a vault secret: the
 * secret's existence is checked first; a user-assigned identity is made in the group and granted
 * read access to that one secret (an access policy, or a role assignment on an RBAC vault) before the
 * scale set exists, so the install extension in each VM finds it readable at first boot. The group
 * and scale set are tagged {@code azure-gahp-vault=<vault id>}; when the scale set is deleted, or
 * its create fails, that access is taken out of the vault again (best effort, logged when it fails).
 */
final class AzureScaleSets implements ScaleSets {
    static final int MAX_CAPACITY = 1000;
    /** Built-in role "Key Vault Secrets User". */
    static final String SECRETS_USER_ROLE = "4633458b-17de-408a-b874-0445c86b69e6";
    static final String SECRET_DIR_LINUX = "/root/.azure-gahp/secrets";
    private static final ClientLogger LOG = new ClientLogger(AzureScaleSets.class);

    private final SdkCalls ops;
    private final SharedNetworks networks;
    private final DeletionSchedules schedules;

    AzureScaleSets(SdkCalls ops, SharedNetworks networks, DeletionSchedules schedules) {
        this.ops = ops;
        this.networks = networks;
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
            if (spec.machine().image() instanceof ImageRef.VhdUri) {
                throw CloudException.invalid("a scale set cannot boot from a VHD URL; make a managed or gallery "
                        + "image from it and give its id");
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
        AtomicReference<String> grantedTo = new AtomicReference<>();
        AtomicReference<String> grantVault = new AtomicReference<>();
        Map<String, String> baseTags = MachineProfiles.tags(m, Names.KIND_SCALE_SET);
        AzureSettings settings = c.connection().settings();

        Mono<Optional<VaultInner>> vault = spec.secret() == null ? Mono.just(Optional.empty())
                : AzureSecretVaults.checkSecret(c, spec.secret()).map(Optional::of);
        Mono<Void> steps = vault.flatMap(v -> {
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
                            .flatMap(identity -> c.compute().getVirtualMachineScaleSets().createOrUpdateAsync(group,
                                    m.name(), scaleSet(spec, t, net.getT1(), net.getT2(), identity.orElse(null),
                                            v.orElse(null)))));
        }).then();
        return steps.timeout(budget)
                .onErrorMap(java.util.concurrent.TimeoutException.class, e -> new CloudException(CloudException.TIMEOUT,
                        "AZURE_VMSS_CREATE " + spec.name() + " did not finish within " + budget.toSeconds()
                                + " s; the resource group it made, if any, is being removed"))
                .doOnError(e -> networks.forgetIfNamed(c, settings, m.location(), e))
                .onErrorResume(e -> (madeGroup.get()
                        ? c.resources().getResourceGroups().deleteWithResponseAsync(group, null)
                                .onErrorResume(x -> Mono.empty()).then()
                        : Mono.<Void>empty())
                        .then(grantedTo.get() == null ? Mono.<Void>empty()
                                : revokeQuietly(c, grantVault.get(), List.of(grantedTo.get()),
                                        "AZURE_VMSS_CREATE " + spec.name(), REVOKE_AFTER_FAILED_CREATE))
                        .then(Mono.error(e)));
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
            VaultInner vault, VaultSecretRef secret, AtomicReference<String> grantedTo) {
        IdentityInner identity = new IdentityInner();
        identity.withLocation(m.location());
        identity.withTags(tags);
        return c.identities().getUserAssignedIdentities().createOrUpdateAsync(m.name(), m.name() + "-identity", identity)
                .doOnNext(id -> grantedTo.set(id.principalId() == null ? null : id.principalId().toString()))
                .flatMap(id -> grant(c, vault, secret, id).thenReturn(id));
    }

    private static Mono<Void> grant(Clients c, VaultInner vault, VaultSecretRef secret, IdentityInner id) {
        if (Boolean.TRUE.equals(vault.properties().enableRbacAuthorization())) {
            String scope = vault.id() + "/secrets/" + secret.secretName();
            String role = "/subscriptions/" + c.subscription() + "/providers/Microsoft.Authorization/roleDefinitions/"
                    + SECRETS_USER_ROLE;
            return c.authorization().getRoleAssignments().createAsync(scope, UUID.randomUUID().toString(),
                    new RoleAssignmentCreateParameters().withRoleDefinitionId(role)
                            .withPrincipalId(id.principalId().toString())
                            .withPrincipalType(PrincipalType.SERVICE_PRINCIPAL)).then();
        }
        return c.keyVault().getVaults().updateAccessPolicyAsync(secret.resourceGroup(), secret.vaultName(),
                AccessPolicyUpdateKind.ADD, new VaultAccessPolicyParametersInner().withProperties(
                        new VaultAccessPolicyProperties().withAccessPolicies(List.of(new AccessPolicyEntry()
                                .withTenantId(vault.properties().tenantId())
                                .withObjectId(id.principalId().toString())
                                .withPermissions(new Permissions().withSecrets(List.of(SecretPermissions.GET)))))))
                .then();
    }

    static VirtualMachineScaleSetInner scaleSet(ScaleSetSpec spec, Map<String, String> tags, String subnetId,
            String nsgId, IdentityInner identity, VaultInner vault) {
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
                .withOrchestrationMode(OrchestrationMode.UNIFORM)
                .withUpgradePolicy(new UpgradePolicy().withMode(UpgradeMode.MANUAL))
                .withOverprovision(false)
                .withSinglePlacementGroup(spec.capacity() <= 100)
                .withVirtualMachineProfile(profile);
        if (identity != null && vault != null) {
            vmss.withIdentity(new VirtualMachineScaleSetIdentity().withType(ResourceIdentityType.USER_ASSIGNED)
                    .withUserAssignedIdentities(Map.of(identity.id(), new VirtualMachineIdentityUserAssignedIdentities())));
            profile.withExtensionProfile(new VirtualMachineScaleSetExtensionProfile().withExtensions(List.of(
                    SecretInstall.extension(m.effectiveOsType(), vault.properties().vaultUri(),
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
                                // Read who the identity is before its group goes; revoke only once the delete worked.
                                Mono<List<String>> principals = vid == null ? Mono.just(List.<String>of())
                                        : principals(c, group, set).onErrorResume(e -> {
                                            warn(c, what, vid, e);
                                            return Mono.just(List.of());
                                        });
                                return principals.flatMap(p -> {
                                    Mono<Void> remove = ours ? c.resources().getResourceGroups().deleteAsync(group)
                                            : c.compute().getVirtualMachineScaleSets().deleteAsync(group, ref.name());
                                    return remove.then(Mono.fromFuture(() -> schedules.cancel(group).toCompletableFuture())
                                                    .onErrorResume(e -> Mono.empty()))
                                            .then(Mono.defer(() -> revokeQuietly(c, vid, p, what,
                                                    budget.minusNanos(System.nanoTime() - start))));
                                });
                            }));
        });
    }

    // ---------------------------------------------------------------- vault access of a scale set's identity

    /** How long a failed create may spend taking its grant out again (it runs in the deadline's margin). */
    static final Duration REVOKE_AFTER_FAILED_CREATE = Duration.ofSeconds(10);

    /**
     * The principals of the user-assigned identities the scale set names; if it names none with a
     * principal, the one create makes ({@code <name>-identity} in its group), when it exists.
     */
    private static Mono<List<String>> principals(Clients c, String group, VirtualMachineScaleSetInner set) {
        List<String> found = new ArrayList<>();
        if (set.identity() != null && set.identity().userAssignedIdentities() != null) {
            set.identity().userAssignedIdentities().values().forEach(u -> {
                if (u != null && u.principalId() != null) {
                    found.add(u.principalId());
                }
            });
        }
        if (!found.isEmpty()) {
            return Mono.just(found);
        }
        return AsyncUtil.orEmptyIfNotFound(c.identities().getUserAssignedIdentities()
                        .getByResourceGroupWithResponseAsync(group, set.name() + "-identity"))
                .map(r -> r.getValue().principalId() == null ? List.<String>of()
                        : List.of(r.getValue().principalId().toString()))
                .defaultIfEmpty(List.of());
    }

    /**
     * Takes the principals' access out of the vault of that resource id, within {@code limit}; a
     * vault that is gone, or that no longer grants them anything, is left alone. Never fails: a
     * failure is logged at warn (its code and Azure's message, which hold no secret).
     */
    static Mono<Void> revokeQuietly(Clients c, String vaultId, List<String> principals, String what, Duration limit) {
        String vaultGroup = Names.resourceGroupOf(vaultId);
        if (vaultId == null || vaultGroup == null || principals.isEmpty()) {
            return Mono.empty();
        }
        String vaultName = vaultId.substring(vaultId.lastIndexOf('/') + 1);
        if (limit.isNegative() || limit.isZero()) {
            LOG.warning("{}: no time left to take its identity's access out of vault {}", what, vaultName);
            return Mono.empty();
        }
        return AsyncUtil.orEmptyIfNotFound(c.keyVault().getVaults()
                        .getByResourceGroupWithResponseAsync(vaultGroup, vaultName)).map(r -> r.getValue())
                .flatMap(v -> Flux.fromIterable(principals).concatMap(p -> revoke(c, v, vaultGroup, vaultName, p)).then())
                .timeout(limit)
                .onErrorResume(e -> {
                    warn(c, what, vaultId, e);
                    return Mono.empty();
                });
    }

    private static Mono<Void> revoke(Clients c, VaultInner vault, String vaultGroup, String vaultName, String principal) {
        UUID objectId = UUID.fromString(principal);
        if (vault.properties() != null && Boolean.TRUE.equals(vault.properties().enableRbacAuthorization())) {
            String prefix = vault.id().toLowerCase(Locale.ROOT);
            // The client puts $filter in the URL as given: it must come encoded.
            String filter = java.net.URLEncoder.encode("principalId eq '" + objectId + "'",
                    java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
            return c.authorization().getRoleAssignments().listForScopeAsync(noLeadingSlash(vault.id()), filter, null, null)
                    .filter(a -> a.scope() != null && a.id() != null
                            && (a.scope().toLowerCase(Locale.ROOT) + "/").startsWith(prefix + "/"))
                    .concatMap(a -> AsyncUtil.orEmptyIfNotFound(c.authorization().getRoleAssignments()
                            .deleteByIdAsync(noLeadingSlash(a.id()))))
                    .then();
        }
        List<AccessPolicyEntry> policies = vault.properties() == null ? null : vault.properties().accessPolicies();
        boolean held = policies != null && policies.stream().anyMatch(p -> principal.equalsIgnoreCase(p.objectId()));
        if (!held) {
            return Mono.empty();
        }
        return c.keyVault().getVaults().updateAccessPolicyAsync(vaultGroup, vaultName, AccessPolicyUpdateKind.REMOVE,
                new VaultAccessPolicyParametersInner().withProperties(new VaultAccessPolicyProperties()
                        .withAccessPolicies(List.of(new AccessPolicyEntry()
                                .withTenantId(vault.properties().tenantId())
                                .withObjectId(principal)
                                .withPermissions(new Permissions().withSecrets(List.of(SecretPermissions.GET)))))))
                .then();
    }

    /** The authorization client puts a scope or id after a '/' of its own. */
    private static String noLeadingSlash(String id) {
        return id.startsWith("/") ? id.substring(1) : id;
    }

    private static void warn(Clients c, String what, String vaultId, Throwable e) {
        CloudException ce = AzureErrors.translate(e, c.connection().redactor());
        String vaultName = vaultId.substring(vaultId.lastIndexOf('/') + 1);
        LOG.warning("{}: could not take its identity's access out of vault {} ({}: {}); remove it by hand",
                what, vaultName, ce.code(), ce.getMessage());
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
                        return c.compute().getVirtualMachineScaleSets().updateAsync(group, ref.name(),
                                new VirtualMachineScaleSetUpdate().withSku(new Sku().withName(sku.name())
                                        .withTier(sku.tier()).withCapacity((long) capacity)));
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
