package org.azuregahp.azure;

import com.azure.core.util.logging.ClientLogger;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineInner;
import com.azure.resourcemanager.compute.models.HardwareProfile;
import com.azure.resourcemanager.compute.models.InstanceViewStatus;
import com.azure.resourcemanager.compute.models.NetworkInterfaceReference;
import com.azure.resourcemanager.compute.models.NetworkProfile;
import com.azure.resourcemanager.compute.models.VirtualMachineEvictionPolicyTypes;
import com.azure.resourcemanager.compute.models.VirtualMachinePriorityTypes;
import com.azure.resourcemanager.compute.models.VirtualMachineSizeTypes;
import com.azure.resourcemanager.network.fluent.models.NetworkInterfaceInner;
import com.azure.resourcemanager.network.fluent.models.NetworkInterfaceIpConfigurationInner;
import com.azure.resourcemanager.network.fluent.models.NetworkSecurityGroupInner;
import com.azure.resourcemanager.network.fluent.models.PublicIpAddressInner;
import com.azure.resourcemanager.network.fluent.models.SubnetInner;
import com.azure.resourcemanager.network.fluent.models.VirtualNetworkInner;
import com.azure.resourcemanager.network.models.IpAllocationMethod;
import com.azure.resourcemanager.network.models.IpVersion;
import com.azure.resourcemanager.network.models.PublicIpAddressSku;
import com.azure.resourcemanager.network.models.PublicIpAddressSkuName;
import com.azure.resourcemanager.network.models.PublicIpAddressSkuTier;
import com.azure.resourcemanager.resources.fluent.models.ResourceGroupInner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.MachineSpec;
import org.azuregahp.ports.NetworkRef;
import org.azuregahp.ports.PublicIpChoice;
import org.azuregahp.ports.ResourceRef;
import org.azuregahp.ports.VirtualMachines;
import org.azuregahp.ports.VmCreated;
import org.azuregahp.ports.VmQuery;
import org.azuregahp.ports.VmStatus;
import reactor.core.publisher.Mono;

/**
 * Single VMs on Azure. A create makes, in a new resource group named after the VM and tagged as
 * ours: a Standard static public IP (unless none), a NIC in the shared (or given) subnet behind the
 * shared SSH-only or RDP-only security group, and the VM: four ARM writes once the shared network
 * exists. A list is one paged {@code statusOnly=true} call for the whole subscription.
 */
final class AzureVirtualMachines implements VirtualMachines {
    private static final ClientLogger LOG = new ClientLogger(AzureVirtualMachines.class);

    private final SdkCalls ops;
    private final SharedNetworks networks;
    private final ImageProfiles images;

    AzureVirtualMachines(SdkCalls ops, SharedNetworks networks, ImageProfiles images) {
        this.ops = ops;
        this.networks = networks;
        this.images = images;
    }

    @Override
    public CompletionStage<VmCreated> create(MachineSpec spec) {
        try {
            MachineProfiles.validate(spec);
        } catch (CloudException e) {
            return CompletableFuture.failedFuture(e);
        }
        return ops.call("AZURE_VM_CREATE " + spec.name(), (c, budget) -> create(c, spec, budget));
    }

    private Mono<VmCreated> create(Clients c, MachineSpec spec, Duration budget) {
        AzureSettings settings = c.connection().settings();
        String group = spec.name();
        String location = spec.location();
        AtomicBoolean madeGroup = new AtomicBoolean();
        Map<String, String> tags = MachineProfiles.tags(spec, Names.KIND_VM);

        Mono<String> subnet = subnetId(c, settings, spec);
        Mono<String> nsg = networks.securityGroupId(c, settings, location, spec.effectiveOsType());

        Mono<VmCreated> steps = Mono.zip(subnet, nsg, images.facts(c, spec.image(), location))
                .flatMap(net -> ensureOwnGroup(c, spec, tags, madeGroup)
                        .then(publicIp(c, spec, group, tags))
                        .map(Optional::of).defaultIfEmpty(Optional.empty())
                        .flatMap(ip -> nic(c, spec, group, tags, net.getT1(), net.getT2(), ip.orElse(null))
                                .flatMap(nicId -> vm(c, spec, group, tags, nicId, net.getT3()))
                                .map(vm -> new VmCreated(vmIdOf(vm), ip.map(PublicIp::address).orElse(null)))));
        return steps.onErrorMap(e -> MachineProfiles.explainPurchaseFailure(e, spec, c))
                .timeout(budget)
                .onErrorMap(java.util.concurrent.TimeoutException.class, e -> new CloudException(CloudException.TIMEOUT,
                        "AZURE_VM_CREATE " + spec.name() + " did not finish within " + budget.toSeconds()
                                + " s; the resource group it made, if any, is being removed"))
                .doOnError(e -> networks.forgetIfNamed(c, settings, location, e))
                .onErrorResume(e -> madeGroup.get()
                ? AzureScaleSets.deleteMadeGroup(c, group, "AZURE_VM_CREATE " + spec.name()).then(Mono.error(e))
                : Mono.error(e));
    }

    private static String vmIdOf(VirtualMachineInner vm) {
        if (vm.vmId() != null && !vm.vmId().isEmpty()) {
            return vm.vmId();
        }
        if (vm.id() != null) {
            return vm.id();
        }
        throw new CloudException(CloudException.INTERNAL, "Azure answered the VM create without a vmId");
    }

    /** The VM's group: created (and so ours to clean up) if missing; reused only if it is ours. */
    private Mono<Void> ensureOwnGroup(Clients c, MachineSpec spec, Map<String, String> tags, AtomicBoolean made) {
        String group = spec.name();
        return AsyncUtil.orEmptyIfNotFound(c.resources().getResourceGroups().getWithResponseAsync(group))
                .map(r -> r.getValue())
                .flatMap(existing -> {
                    String owner = Names.tagIgnoreCase(existing.tags(), Names.TAG_NAME);
                    if (Names.madeByUs(existing.tags(), Names.KIND_VM) && spec.name().equalsIgnoreCase(owner)) {
                        return Mono.just(Boolean.FALSE);
                    }
                    return Mono.<Boolean>error(new CloudException(CloudException.CONFLICT, "resource group " + group
                            + " already exists and was not made by azure-gahp for this VM; choose another name"));
                })
                .switchIfEmpty(Mono.defer(() -> c.resources().getResourceGroups()
                        .createOrUpdateAsync(group, new ResourceGroupInner().withLocation(spec.location()).withTags(tags))
                        .doOnNext(g -> made.set(true))
                        .thenReturn(Boolean.TRUE)))
                .then();
    }

    private Mono<String> subnetId(Clients c, AzureSettings settings, MachineSpec spec) {
        NetworkRef ref = spec.network();
        if (ref == null) {
            return networks.subnetId(c, settings, spec.location());
        }
        String group = ref.resourceGroup() != null ? ref.resourceGroup() : spec.name();
        String vnetId = Names.id(c.subscription(), group, "Microsoft.Network", "virtualNetworks", ref.vnetName());
        boolean noPublicIp = spec.publicIp() instanceof PublicIpChoice.None;
        if (ref.subnetName() != null) {
            if (!noPublicIp) {
                return Mono.just(vnetId + "/subnets/" + ref.subnetName());
            }
            // Only a VM without a public IP depends on the subnet for outbound access: read it to say so.
            return c.network().getSubnets().getWithResponseAsync(group, ref.vnetName(), ref.subnetName(), null)
                    .map(r -> {
                        outboundWarning(r.getValue(), spec).ifPresent(LOG::warning);
                        return r.getValue().id() != null ? r.getValue().id() : vnetId + "/subnets/" + ref.subnetName();
                    });
        }
        return c.network().getVirtualNetworks().getByResourceGroupWithResponseAsync(group, ref.vnetName(), null)
                .map(r -> {
                    SubnetInner first = firstSubnet(r.getValue(), ref);
                    if (noPublicIp) {
                        outboundWarning(first, spec).ifPresent(LOG::warning);
                    }
                    return first.id();
                });
    }

    private static SubnetInner firstSubnet(VirtualNetworkInner v, NetworkRef ref) {
        List<SubnetInner> subnets = v.subnets();
        if (subnets == null || subnets.isEmpty() || subnets.get(0).id() == null) {
            throw CloudException.invalid("virtual network " + ref.vnetName() + " has no subnet");
        }
        return subnets.get(0);
    }

    /**
     * The warning for a VM without a public IP on a subnet that gives it no way out: default outbound
     * access off (private subnets are the default from Network API 2025-07-01 on) and no NAT gateway.
     * Such a VM cannot reach the internet, so an HTCondor execute node could not call home.
     */
    static Optional<String> outboundWarning(SubnetInner subnet, MachineSpec spec) {
        if (!(spec.publicIp() instanceof PublicIpChoice.None) || subnet == null || subnet.natGateway() != null
                || !Boolean.FALSE.equals(subnet.defaultOutboundAccess())) {
            return Optional.empty();
        }
        return Optional.of("AZURE_VM_CREATE " + spec.name() + ": subnet " + subnet.name() + " is private (no default"
                + " outbound access) and has no NAT gateway, and the VM has no public IP: it cannot reach the internet"
                + " (an execute node could not call home); give the subnet a NAT gateway or the VM a public IP");
    }

    record PublicIp(String id, String address) {
    }

    private Mono<PublicIp> publicIp(Clients c, MachineSpec spec, String group, Map<String, String> tags) {
        PublicIpChoice choice = spec.publicIp();
        if (choice instanceof PublicIpChoice.None) {
            return Mono.empty();
        }
        if (choice instanceof PublicIpChoice.Existing existing) {
            String id = existing.resourceId();
            String rg = Names.resourceGroupOf(id);
            String name = id.substring(id.lastIndexOf('/') + 1);
            if (rg == null || name.isEmpty()) {
                return Mono.error(CloudException.invalid("publicIPAddress " + id + " is not a public IP resource id"));
            }
            return c.network().getPublicIpAddresses().getByResourceGroupWithResponseAsync(rg, name, null)
                    .map(r -> new PublicIp(id, r.getValue().ipAddress()));
        }
        PublicIpAddressInner ip = new PublicIpAddressInner()
                .withSku(new PublicIpAddressSku().withName(PublicIpAddressSkuName.STANDARD)
                        .withTier(PublicIpAddressSkuTier.REGIONAL))
                .withPublicIpAllocationMethod(IpAllocationMethod.STATIC)
                .withPublicIpAddressVersion(IpVersion.IPV4);
        ip.withLocation(spec.location());
        ip.withTags(tags);
        return c.network().getPublicIpAddresses().createOrUpdateAsync(group, spec.name() + "-ip", ip)
                .map(p -> new PublicIp(p.id(), p.ipAddress()));
    }

    private Mono<String> nic(Clients c, MachineSpec spec, String group, Map<String, String> tags, String subnetId,
            String nsgId, PublicIp ip) {
        NetworkInterfaceIpConfigurationInner config = new NetworkInterfaceIpConfigurationInner()
                .withName("ipconfig1")
                .withPrivateIpAllocationMethod(IpAllocationMethod.DYNAMIC)
                .withSubnet(new SubnetInner().withId(subnetId));
        if (ip != null) {
            config.withPublicIpAddress(new PublicIpAddressInner().withId(ip.id()));
        }
        NetworkInterfaceInner nic = new NetworkInterfaceInner()
                .withIpConfigurations(List.of(config))
                .withNetworkSecurityGroup(new NetworkSecurityGroupInner().withId(nsgId));
        nic.withLocation(spec.location());
        nic.withTags(tags);
        return c.network().getNetworkInterfaces().createOrUpdateAsync(group, spec.name() + "-nic", nic)
                .map(n -> n.id() != null ? n.id()
                        : Names.id(c.subscription(), group, "Microsoft.Network", "networkInterfaces",
                                spec.name() + "-nic"));
    }

    private Mono<VirtualMachineInner> vm(Clients c, MachineSpec spec, String group, Map<String, String> tags,
            String nicId, ImageProfiles.Facts image) {
        VirtualMachineInner vm = new VirtualMachineInner()
                .withHardwareProfile(new HardwareProfile().withVmSize(VirtualMachineSizeTypes.fromString(spec.size())))
                .withStorageProfile(MachineProfiles.storageProfile(spec, spec.name()))
                .withOsProfile(MachineProfiles.osProfile(spec, MachineProfiles.computerName(spec)))
                .withNetworkProfile(new NetworkProfile().withNetworkInterfaces(List.of(
                        new NetworkInterfaceReference().withId(nicId).withPrimary(true))))
                .withSecurityProfile(image.securityProfile())
                .withPlan(image.plan());
        if (spec.spot() != null) {
            vm.withPriority(VirtualMachinePriorityTypes.SPOT)
                    .withEvictionPolicy(VirtualMachineEvictionPolicyTypes.DEALLOCATE)
                    .withBillingProfile(MachineProfiles.billing(spec));
        }
        vm.withLocation(spec.location());
        vm.withTags(tags);
        return c.compute().getVirtualMachines().createOrUpdateAsync(group, spec.name(), vm);
    }

    @Override
    public CompletionStage<Void> delete(ResourceRef ref) {
        return ops.call("AZURE_VM_DELETE " + ref, c -> delete(c, ref));
    }

    private Mono<Void> delete(Clients c, ResourceRef ref) {
        String group = ref.groupOrName();
        return AsyncUtil.orEmptyIfNotFound(c.resources().getResourceGroups().getWithResponseAsync(group))
                .map(r -> Optional.of(r.getValue()))
                .defaultIfEmpty(Optional.empty())
                .flatMap(found -> {
                    if (found.isEmpty()) {
                        return notFound(ref, "");
                    }
                    ResourceGroupInner g = found.get();
                    if (ref.resourceGroup() == null) {
                        if (isOurVmGroup(g, ref.name())) {
                            return deleteGroup(c, group);
                        }
                        // The earlier server's layout: group <name> holding VM <name>vm.
                        return vmExists(c, group, ref.name() + "vm").flatMap(exists -> exists ? deleteGroup(c, group)
                                : notFound(ref, " (resource group " + group
                                        + " exists but was not made by azure-gahp; it was left untouched)"));
                    }
                    return vmExists(c, group, ref.name()).flatMap(exists -> {
                        if (!exists) {
                            return notFound(ref, "");
                        }
                        if (isOurVmGroup(g, ref.name()) || ref.name().equalsIgnoreCase(group + "vm")) {
                            return deleteGroup(c, group);
                        }
                        // A group we cannot recognise: remove only the VM itself.
                        return c.compute().getVirtualMachines().deleteWithResponseAsync(group, ref.name(), null)
                                .flatMap(r -> r.getValue().then());
                    });
                });
    }

    private static Mono<Void> notFound(ResourceRef ref, String detail) {
        return Mono.error(CloudException.notFound("VM " + ref + " could not be found" + detail));
    }

    private static boolean isOurVmGroup(ResourceGroupInner g, String name) {
        String owner = Names.tagIgnoreCase(g.tags(), Names.TAG_NAME);
        return Names.madeByUs(g.tags(), Names.KIND_VM) && (owner == null || owner.equalsIgnoreCase(name)
                || owner.equalsIgnoreCase(g.name()));
    }

    private static Mono<Boolean> vmExists(Clients c, String group, String vm) {
        return AsyncUtil.orEmptyIfNotFound(c.compute().getVirtualMachines()
                        .getByResourceGroupWithResponseAsync(group, vm, null))
                .map(r -> Boolean.TRUE).defaultIfEmpty(Boolean.FALSE);
    }

    /** Asks Azure to delete the group and answers once it has accepted (deleting takes minutes more). */
    private static Mono<Void> deleteGroup(Clients c, String group) {
        return c.resources().getResourceGroups().deleteWithResponseAsync(group, null).flatMap(r -> r.getValue().then());
    }

    @Override
    public CompletionStage<List<VmStatus>> list(VmQuery query) {
        return ops.call("AZURE_VM_LIST", c -> c.compute().getVirtualMachines().listAsync("true", null, null)
                .collectList()
                .map(vms -> toStatuses(vms, query)));
    }

    static List<VmStatus> toStatuses(List<VirtualMachineInner> vms, VmQuery query) {
        List<VmStatus> out = new ArrayList<>();
        for (VirtualMachineInner vm : vms) {
            String name = Names.tagIgnoreCase(vm.tags(), Names.TAG_NAME);
            boolean ours = name != null && !name.isEmpty();
            if (!ours) {
                name = Names.resourceGroupOf(vm.id());
            }
            if (name == null) {
                name = vm.name();
            }
            if (!matches(query, name, vm.tags())) {
                continue;
            }
            // Whether it fits in one result line is the encoder's to decide (it has compact forms).
            out.add(new VmStatus(name, statuses(vm), ours));
        }
        return out;
    }

    private static boolean matches(VmQuery query, String name, Map<String, String> tags) {
        if (query instanceof VmQuery.ByName byName) {
            return byName.name().equalsIgnoreCase(name);
        }
        if (query instanceof VmQuery.ByTag byTag) {
            if (tags == null) {
                return false;
            }
            for (Map.Entry<String, String> e : tags.entrySet()) {
                if (e.getKey().equalsIgnoreCase(byTag.tagName())
                        && (byTag.tagValue() == null || byTag.tagValue().equals(e.getValue()))) {
                    return true;
                }
            }
            return false;
        }
        return true;
    }

    /** The instance view's status codes with the power state last. */
    static List<String> statuses(VirtualMachineInner vm) {
        List<String> first = new ArrayList<>();
        List<String> power = new ArrayList<>();
        if (vm.instanceView() != null && vm.instanceView().statuses() != null) {
            for (InstanceViewStatus s : vm.instanceView().statuses()) {
                if (s.code() == null) {
                    continue;
                }
                (s.code().startsWith("PowerState/") ? power : first).add(s.code());
            }
        }
        if (first.isEmpty() && vm.provisioningState() != null) {
            first.add("ProvisioningState/" + vm.provisioningState().toLowerCase(java.util.Locale.ROOT));
        }
        first.addAll(power);
        return first;
    }
}
