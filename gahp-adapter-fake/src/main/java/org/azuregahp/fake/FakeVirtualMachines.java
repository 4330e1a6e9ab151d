package org.azuregahp.fake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.azuregahp.fake.Model.Group;
import org.azuregahp.fake.Model.Res;
import org.azuregahp.fake.Model.Subscription;
import org.azuregahp.fake.Model.Vm;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.MachineSpec;
import org.azuregahp.ports.OsType;
import org.azuregahp.ports.PublicIpChoice;
import org.azuregahp.ports.ResourceRef;
import org.azuregahp.ports.SpotPricing;
import org.azuregahp.ports.VirtualMachines;
import org.azuregahp.ports.VmCreated;
import org.azuregahp.ports.VmQuery;
import org.azuregahp.ports.VmStatus;

/** Single VMs, each in a resource group of its own. */
final class FakeVirtualMachines implements VirtualMachines {
    private final CloudState world;
    private final StepScheduler runner;
    private final String subscription;

    FakeVirtualMachines(CloudState world, StepScheduler runner, String subscription) {
        this.world = world;
        this.runner = runner;
        this.subscription = subscription;
    }

    /** What a create's first steps found or made for the network. */
    record Network(String subnetId, String nsgId) {
    }

    @Override
    public CompletionStage<VmCreated> create(MachineSpec spec) {
        String fingerprint = AzureRules.fingerprint(spec);
        StepScheduler.Op<VmCreated> op = new StepScheduler.Op<>(AzureRules.OpKind.CREATE, 0, 0, 0, 1) {
            Group g;
            Vm vm;
            String ip;
            String pipId;
            Res externalPip;
            Network network;
            String[] imageNeeds;

            @Override
            CompletionStage<VmCreated> step(int i) {
                if (i == 0) {
                    AzureRules.checkMachine(spec);
                    world.requireProviders(subscription, "Microsoft.Compute", "Microsoft.Network");
                    imageNeeds = AzureRules.checkImage(world, subscription, spec);
                    String location = AzureRules.normalizeLocation(spec.location());
                    Group existing = world.group(subscription, spec.name());
                    if (existing != null) {
                        return Creates.existing(existing, "vm", fingerprint, "A virtual machine", spec.name());
                    }
                    // Everything that must already exist is checked before anything is made.
                    Network joined = Creates.joinNetwork(world, subscription, spec);
                    if (spec.publicIp() instanceof PublicIpChoice.Existing e) {
                        externalPip = world.existingPublicIp(e.resourceId());
                    }
                    g = world.newGroup(subscription, spec.name(), location);
                    g.tags.put(Model.MANAGED_TAG, "vm");
                    g.tags.put(Model.NAME_TAG, spec.name());
                    g.ownerKind = "vm";
                    g.fingerprint = fingerprint;
                    g.creation = self;
                    network = joined != null ? Creates.withSecurityGroup(g, spec, joined) : Creates.defaultNetwork(g, spec);
                    return null;
                }
                if (g.removed) {
                    throw AzureRules.canceled(g.name);
                }
                String name = spec.name();
                if (i == 1) {
                    Res nic = new Res(Model.NIC, name + "-nic");
                    nic.props.put("privateIpAddress", world.nextPrivateIp());
                    nic.props.put("subnet", network.subnetId());
                    if (network.nsgId() != null) {
                        nic.props.put("networkSecurityGroup", network.nsgId());
                    }
                    if (spec.publicIp() instanceof PublicIpChoice.New) {
                        Res pip = Creates.newPublicIp(world, g, name + "-ip");
                        ip = pip.str("ipAddress");
                        pipId = Model.id(subscription, g.name, Model.PIP, pip.name);
                        pip.props.put("attachedTo", Model.id(subscription, g.name, Model.NIC, nic.name));
                    } else if (externalPip != null) {
                        ip = externalPip.str("ipAddress");
                        pipId = ((PublicIpChoice.Existing) spec.publicIp()).resourceId();
                        externalPip.props.put("attachedTo", Model.id(subscription, g.name, Model.NIC, nic.name));
                    }
                    nic.props.put("publicIpAddress", pipId);
                    g.add(nic);
                    if (externalPip != null) {
                        world.changedResource(pipId);
                    }
                    Res os = new Res(Model.DISK, name + "-osdisk");
                    os.props.put("role", "os");
                    os.props.put("sizeGb", spec.effectiveOsType() == OsType.WINDOWS ? 127 : 30);
                    g.add(os);
                    int lun = 0;
                    for (int gb : spec.dataDiskSizesGb()) {
                        Res d = new Res(Model.DISK, name + "-datadisk-" + lun);
                        d.props.put("role", "data");
                        d.props.put("lun", lun);
                        d.props.put("sizeGb", gb);
                        g.add(d);
                        lun++;
                    }
                    world.changed(g);
                    return null;
                }
                if (i == 2) {
                    vm = new Vm(name);
                    vm.displayName = name;
                    vm.location = g.location;
                    vm.size = AzureRules.checkSize(spec.size(), g.location).name();
                    vm.osType = spec.effectiveOsType() == OsType.WINDOWS ? "Windows" : "Linux";
                    vm.vmId = CloudState.newGuid(random);
                    vm.provisioningState = "creating";
                    vm.powerState = "starting";
                    vm.fingerprint = fingerprint;
                    vm.publicIp = ip;
                    if (externalPip != null) {
                        vm.externalPublicIpId = pipId;
                    }
                    spec.tags().forEach((k, v) -> vm.tags.put(k, v == null ? "" : v));
                    vm.tags.put(Model.MANAGED_TAG, "vm");
                    vm.tags.put(Model.NAME_TAG, name);
                    vm.props.put("image", spec.image().toString());
                    if (!imageNeeds[0].isEmpty()) {
                        vm.props.put("securityType", imageNeeds[0]);
                    }
                    if (imageNeeds[1] != null) {
                        vm.props.put("plan", imageNeeds[1]);
                    }
                    vm.props.put("adminUsername", spec.adminUsername() == null ? "azureuser" : spec.adminUsername());
                    vm.props.put("authentication", spec.credential() instanceof
                            org.azuregahp.ports.AdminCredential.Password ? "password" : "sshPublicKey");
                    SpotPricing spot = spec.spot();
                    vm.props.put("priority", spot == null ? "Regular" : "Spot");
                    if (spot != null) {
                        vm.props.put("maxPrice", spot.maxPrice());
                    }
                    vm.props.put("networkInterface", name + "-nic");
                    vm.props.put("osDisk", name + "-osdisk");
                    g.add(vm);
                    world.changed(g);
                    return null;
                }
                // Also under a delete that is under way: should it fail, the VM shows what it has now.
                vm.provisioningState = "succeeded";
                vm.powerState = "running";
                if (world.vmLifetime != null) {
                    vm.deallocateAt = world.clock.instant().plus(world.vmLifetime);
                }
                world.changed(g);
                return CompletableFuture.completedFuture(new VmCreated(vm.vmId, ip));
            }

            @Override
            void rollback() {
                if (g != null) {
                    world.removeGroup(g);
                }
            }
        };
        op.location = spec.location();
        op.size = spec.size();
        op.cost = ArmBudgets.Cost.vmCreate(spec.publicIp() instanceof PublicIpChoice.New);
        op.key = "vm-create|" + Model.key(subscription) + "|" + Model.key(spec.name());
        return runner.run(op);
    }

    @Override
    public CompletionStage<Void> delete(ResourceRef ref) {
        return runner.run(new GroupDeletion<Vm>(world, subscription, ref, "vm", Model.VM, "the virtual machine") {
            @Override
            Vm find(Group group, String name) {
                return group.vm(name);
            }

            @Override
            void markDeleting(Vm vm, boolean deleting) {
                vm.deleting = deleting;
            }
        });
    }

    @Override
    public CompletionStage<List<VmStatus>> list(VmQuery query) {
        // The answer describes the cloud when the request arrived; it is delivered after the latency.
        return runner.run(new StepScheduler.Op<List<VmStatus>>(AzureRules.OpKind.READ, 0, 1) {
            List<VmStatus> answer;

            {
                key = "vm-list|" + Model.key(subscription) + "|" + query;
            }

            @Override
            CompletionStage<List<VmStatus>> step(int i) {
                if (i == 1) {
                    return CompletableFuture.completedFuture(answer);
                }
                List<VmStatus> out = new ArrayList<>();
                Subscription s = world.existingSubscription(subscription);
                if (s != null) {
                    for (Group g : s.groups.values()) {
                        for (Res r : g.resources.values()) {
                            if (r instanceof Vm vm && matches(vm, query)) {
                                out.add(new VmStatus(vm.displayName, vm.statuses(),
                                        vm.tags.get(Model.NAME_TAG) != null));
                            }
                        }
                    }
                }
                // By name, as the order of groups follows the order creates arrived in, which a seed
                // does not fix when requests run concurrently.
                out.sort(java.util.Comparator.comparing(VmStatus::name, String.CASE_INSENSITIVE_ORDER)
                        .thenComparing(VmStatus::name));
                answer = List.copyOf(out);
                return null;
            }
        });
    }

    private static boolean matches(Vm vm, VmQuery query) {
        if (query instanceof VmQuery.ByName n) {
            return vm.displayName.equalsIgnoreCase(n.name());
        }
        if (query instanceof VmQuery.ByTag t) {
            Map<String, String> tags = new LinkedHashMap<>();
            vm.tags.forEach((k, v) -> tags.put(Model.key(k), v));
            String v = tags.get(Model.key(t.tagName()));
            return v != null && (t.tagValue() == null || t.tagValue().equals(v));
        }
        return true;
    }

    /** Helpers shared by VM and scale-set creates. */
    static final class Creates {
        private Creates() {
        }

        /** A create naming a group that exists: the same create again, or a conflict. */
        @SuppressWarnings("unchecked")
        static <T> CompletionStage<T> existing(Group g, String kind, String fingerprint, String what, String name) {
            if (g.deleting()) {
                throw AzureRules.groupBeingDeleted(g.name);
            }
            if (!kind.equals(g.ownerKind) || g.creation == null) {
                throw new CloudException(CloudException.CONFLICT, "The resource group '" + g.name
                        + "' already exists and holds resources that were not made for " + what.toLowerCase(
                                java.util.Locale.ROOT) + " named '" + name + "'.");
            }
            if (!fingerprint.equals(g.fingerprint)) {
                throw new CloudException(CloudException.CONFLICT, what + " named '" + name
                        + "' already exists in resource group '" + g.name
                        + "' with different parameters; delete it first or choose another name.");
            }
            return (CompletionStage<T>) g.creation.copy();
        }

        /** The existing network a spec joins, or null for a network of the VM's own. */
        static Network joinNetwork(CloudState world, String subscription, MachineSpec spec) {
            if (spec.network() == null) {
                return null;
            }
            String rg = spec.network().resourceGroup() != null ? spec.network().resourceGroup() : spec.name();
            String vnetName = spec.network().vnetName();
            Group vg = world.group(subscription, rg);
            Res vnet = vg == null ? null : vg.find(Model.VNET, vnetName);
            if (vnet == null) {
                throw AzureRules.resourceNotFound(Model.VNET, vnetName, rg, "the virtual network");
            }
            vg.lent = true;
            String subnet = null;
            if (vnet.props.get("subnets") instanceof List<?> subnets) {
                for (Object o : subnets) {
                    if (o instanceof Map<?, ?> m && m.get("name") != null) {
                        String n = m.get("name").toString();
                        if (spec.network().subnetName() == null || n.equalsIgnoreCase(spec.network().subnetName())) {
                            subnet = n;
                            break;
                        }
                    }
                }
            }
            if (subnet == null) {
                String wanted = spec.network().subnetName() == null ? "(first subnet)" : spec.network().subnetName();
                throw CloudException.notFound("Subnet '" + wanted + "' could not be found in virtual network '"
                        + vnetName + "' of resource group '" + rg + "'.");
            }
            return new Network(Model.id(subscription, vg.name, Model.VNET, vnet.name) + "/subnets/" + subnet, null);
        }

        /** A virtual network, subnet and security group of the VM's own. */
        static Network defaultNetwork(Group g, MachineSpec spec) {
            String name = spec.name();
            Res vnet = new Res(Model.VNET, name + "-vnet");
            vnet.props.put("addressPrefix", "10.0.0.0/16");
            Map<String, Object> subnet = new LinkedHashMap<>();
            subnet.put("name", "default");
            subnet.put("addressPrefix", "10.0.0.0/24");
            vnet.props.put("subnets", new ArrayList<>(List.of(subnet)));
            g.add(vnet);
            Network own = withSecurityGroup(g, spec, null);
            return new Network(Model.id(g.subscription, g.name, Model.VNET, vnet.name) + "/subnets/default",
                    own.nsgId());
        }

        /**
         * The subnet given (or none yet) with a security group of the VM's own that lets in only SSH
         * (RDP for Windows): a VM joining an existing network gets one on its NIC too, so a public IP
         * is never open to everything.
         */
        static Network withSecurityGroup(Group g, MachineSpec spec, Network joined) {
            String name = spec.name();
            Res nsg = new Res(Model.NSG, name + "-nsg");
            boolean windows = spec.effectiveOsType() == OsType.WINDOWS;
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("name", windows ? "allow-rdp" : "allow-ssh");
            rule.put("direction", "Inbound");
            rule.put("protocol", "Tcp");
            rule.put("destinationPort", windows ? 3389 : 22);
            rule.put("access", "Allow");
            nsg.props.put("securityRules", new ArrayList<>(List.of(rule)));
            g.add(nsg);
            return new Network(joined == null ? null : joined.subnetId(),
                    Model.id(g.subscription, g.name, Model.NSG, nsg.name));
        }

        static Res newPublicIp(CloudState world, Group g, String name) {
            Res pip = new Res(Model.PIP, name);
            pip.props.put("ipAddress", world.allocateIp(Model.id(g.subscription, g.name, Model.PIP, name)));
            pip.props.put("sku", "Standard");
            pip.props.put("allocationMethod", "Static");
            g.add(pip);
            return pip;
        }
    }
}
