package org.azuregahp.fake;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.azuregahp.fake.FakeVirtualMachines.Creates;
import org.azuregahp.fake.FakeVirtualMachines.Network;
import org.azuregahp.fake.Model.Group;
import org.azuregahp.fake.Model.Instance;
import org.azuregahp.fake.Model.Res;
import org.azuregahp.fake.Model.Subscription;
import org.azuregahp.fake.Model.Vault;
import org.azuregahp.fake.Model.Vmss;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.OsType;
import org.azuregahp.ports.PublicIpChoice;
import org.azuregahp.ports.ResourceRef;
import org.azuregahp.ports.ScaleSetSpec;
import org.azuregahp.ports.ScaleSetStatus;
import org.azuregahp.ports.ScaleSets;
import org.azuregahp.ports.VaultSecretRef;

/**
 * Scale sets, each in a resource group of its own with a network, a load balancer and (with a
 * secret) a user-assigned identity.
 *
 * <p>Capacity: Azure's {@code singlePlacementGroup=true} limits a set to 100 VMs; this fake sets it
 * to false by itself when a set is created with, or scaled to, more than 100 (as one would in an
 * ARM template), so only more than 1,000 is an error.
 */
final class FakeScaleSets implements ScaleSets {
    static final int MAX_CAPACITY = org.azuregahp.ports.CloudRules.MAX_SCALE_SET_CAPACITY;
    static final int SINGLE_PLACEMENT_GROUP_MAX = org.azuregahp.ports.CloudRules.SINGLE_PLACEMENT_GROUP_MAX;

    private final CloudState world;
    private final StepScheduler runner;
    private final String subscription;

    FakeScaleSets(CloudState world, StepScheduler runner, String subscription) {
        this.world = world;
        this.runner = runner;
        this.subscription = subscription;
    }

    static void checkCapacity(String name, int capacity) {
        if (capacity < 0 || capacity > MAX_CAPACITY) {
            throw new CloudException(CloudException.INVALID_PARAMETER, "The value " + capacity
                    + " of parameter 'sku.capacity' of virtual machine scale set '" + name
                    + "' is out of range. The value must be between 0 and " + MAX_CAPACITY
                    + ", inclusive (at most " + SINGLE_PLACEMENT_GROUP_MAX
                    + " with singlePlacementGroup set to true). Target: 'sku.capacity'");
        }
    }

    @Override
    public CompletionStage<Void> create(ScaleSetSpec spec) {
        String fingerprint = AzureRules.fingerprint(spec.machine(), spec.capacity(), spec.secret());
        String name = spec.name();
        StepScheduler.Op<Void> op = new StepScheduler.Op<>(AzureRules.OpKind.CREATE, 0, 0, 0, 1) {
            Group g;
            Vmss vmss;
            Network network;
            String[] imageNeeds;

            @Override
            CompletionStage<Void> step(int i) {
                if (i == 0) {
                    AzureRules.checkMachine(spec.machine());
                    checkCapacity(name, spec.capacity());
                    world.requireProviders(subscription, "Microsoft.Compute", "Microsoft.Network");
                    if (spec.secret() != null) {
                        world.requireProviders(subscription, "Microsoft.ManagedIdentity", "Microsoft.KeyVault");
                    }
                    imageNeeds = AzureRules.checkImage(world, subscription, spec.machine());
                    Group existing = world.group(subscription, name);
                    if (existing != null) {
                        return Creates.existing(existing, "vmss", fingerprint, "A virtual machine scale set", name);
                    }
                    Network joined = Creates.joinNetwork(world, subscription, spec.machine());
                    Res externalPip = null;
                    if (spec.machine().publicIp() instanceof PublicIpChoice.Existing e) {
                        externalPip = world.existingPublicIp(e.resourceId());
                    }
                    if (spec.secret() != null) {
                        FakeSecretVaults.requireSecret(world, subscription, spec.secret());
                    }
                    g = world.newGroup(subscription, name, AzureRules.normalizeLocation(spec.machine().location()));
                    g.tags.put(Model.MANAGED_TAG, "vmss");
                    g.tags.put(Model.NAME_TAG, name);
                    g.ownerKind = "vmss";
                    g.fingerprint = fingerprint;
                    g.creation = self;
                    network = joined != null ? Creates.withSecurityGroup(g, spec.machine(), joined)
                            : Creates.defaultNetwork(g, spec.machine());
                    Res lb = new Res(Model.LB, name + "-lb");
                    lb.props.put("sku", "Standard");
                    if (spec.machine().publicIp() instanceof PublicIpChoice.New) {
                        Res pip = Creates.newPublicIp(world, g, name + "-lb-ip");
                        lb.props.put("frontendPublicIpAddress", Model.id(subscription, g.name, Model.PIP, pip.name));
                        lb.props.put("frontendIpAddress", pip.str("ipAddress"));
                        pip.props.put("attachedTo", Model.id(subscription, g.name, Model.LB, lb.name));
                    } else if (externalPip != null) {
                        String id = ((PublicIpChoice.Existing) spec.machine().publicIp()).resourceId();
                        lb.props.put("frontendPublicIpAddress", id);
                        lb.props.put("frontendIpAddress", externalPip.str("ipAddress"));
                        lb.props.put("existingPublicIpAddressId", id);
                        externalPip.props.put("attachedTo", Model.id(subscription, g.name, Model.LB, lb.name));
                        world.changedResource(id);
                    }
                    g.add(lb);
                    world.changed(g);
                    return null;
                }
                if (g.removed) {
                    throw AzureRules.canceled(g.name);
                }
                if (i == 1) {
                    if (spec.secret() != null) {
                        Vault vault = FakeSecretVaults.requireSecret(world, subscription, spec.secret());
                        Res identity = new Res(Model.IDENTITY, name + "-identity");
                        String principal = CloudState.newGuid(random);
                        identity.props.put("principalId", principal);
                        identity.props.put("clientId", CloudState.newGuid(random));
                        VaultSecretRef s = spec.secret();
                        identity.props.put("secretAccess", Model.id(vault.subscription, vault.group, Model.VAULT,
                                vault.name) + "/secrets/" + s.secretName());
                        g.add(identity);
                        (vault.rbac ? vault.roleAssignees : vault.principals).add(principal);
                        world.changedResource(Model.id(vault.subscription, vault.group, Model.VAULT, vault.name));
                    }
                    world.changed(g);
                    return null;
                }
                if (i == 2) {
                    vmss = new Vmss(name);
                    vmss.displayName = name;
                    vmss.location = g.location;
                    vmss.size = AzureRules.checkSize(spec.machine().size(), g.location).name();
                    vmss.osType = spec.machine().effectiveOsType() == OsType.WINDOWS ? "Windows" : "Linux";
                    vmss.capacity = spec.capacity();
                    // As the Azure adapter makes every set: without a single placement group, so it can grow past 100.
                    vmss.singlePlacementGroup = false;
                    vmss.provisioningState = "creating";
                    vmss.fingerprint = fingerprint;
                    spec.machine().tags().forEach((k, v) -> vmss.tags.put(k, v == null ? "" : v));
                    vmss.tags.put(Model.MANAGED_TAG, "vmss");
                    vmss.tags.put(Model.NAME_TAG, name);
                    vmss.props.put("image", spec.machine().image().toString());
                    if (!imageNeeds[0].isEmpty()) {
                        vmss.props.put("securityType", imageNeeds[0]);
                    }
                    if (imageNeeds[1] != null) {
                        vmss.props.put("plan", imageNeeds[1]);
                    }
                    vmss.props.put("subnet", network.subnetId());
                    vmss.props.put("networkSecurityGroup", network.nsgId());
                    if (spec.secret() != null) {
                        vmss.props.put("identity", Model.id(subscription, g.name, Model.IDENTITY, name + "-identity"));
                        vmss.props.put("secret", spec.secret().vaultName() + "/" + spec.secret().secretName());
                    }
                    for (int n = 0; n < spec.capacity(); n++) {
                        vmss.instances.add(new Instance(vmss.nextInstanceId++, "creating", "starting"));
                    }
                    g.add(vmss);
                    world.changed(g);
                    return null;
                }
                // Also under a delete that is under way: should it fail, the set shows what it has now.
                vmss.provisioningState = "succeeded";
                for (Instance in : vmss.instances) {
                    in.provisioningState = "succeeded";
                    in.powerState = "running";
                }
                world.changed(g);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            void rollback() {
                if (g != null) {
                    world.removeGroup(g);
                }
            }
        };
        op.location = spec.machine().location();
        op.size = spec.machine().size();
        op.key = "vmss-create|" + Model.key(subscription) + "|" + Model.key(name);
        return runner.run(op);
    }

    /** Finds a scale set or fails with "could not be found". */
    private Vmss find(ResourceRef ref) {
        String group = ref.groupOrName();
        Group g = world.group(subscription, group);
        Vmss vmss = g == null ? null : g.vmss(ref.name());
        if (vmss == null) {
            throw AzureRules.resourceNotFound(Model.VMSS, ref.name(), group, "the virtual machine scale set");
        }
        if (g.deleting()) {
            throw AzureRules.groupBeingDeleted(g.name);
        }
        return vmss;
    }

    @Override
    public CompletionStage<Void> delete(ResourceRef ref) {
        return runner.run(new GroupDeletion<Vmss>(world, subscription, ref, "vmss", Model.VMSS,
                "the virtual machine scale set") {
            @Override
            Vmss find(Group group, String name) {
                return group.vmss(name);
            }

            @Override
            void markDeleting(Vmss vmss, boolean deleting) {
                vmss.deleting = deleting;
            }
        });
    }

    /** start, stop, restart and scale: mark the change at once, finish it at the latency, undo on failure. */
    private CompletionStage<Void> change(ResourceRef ref, AzureRules.OpKind kind, Integer newCapacity,
            String transitional, String target, String what) {
        StepScheduler.Op<Void> op = new StepScheduler.Op<>(kind, 0, 1) {
            Group group;
            Vmss vmss;
            List<Instance> before;
            int capacityBefore;
            boolean spgBefore;
            String provisioningBefore;

            @Override
            CompletionStage<Void> step(int i) {
                if (i == 0) {
                    vmss = find(ref);
                    group = world.group(subscription, ref.groupOrName());
                    if (!"succeeded".equals(vmss.provisioningState)) {
                        throw new CloudException(CloudException.CONFLICT, "Another operation on virtual machine"
                                + " scale set '" + vmss.name + "' is in progress (provisioning state '"
                                + vmss.provisioningState + "'); retry when it has finished.");
                    }
                    if (newCapacity != null) {
                        checkCapacity(vmss.name, newCapacity);
                    }
                    before = vmss.snapshot();
                    capacityBefore = vmss.capacity;
                    spgBefore = vmss.singlePlacementGroup;
                    provisioningBefore = vmss.provisioningState;
                    vmss.provisioningState = "updating";
                    if (newCapacity == null) {
                        for (Instance in : vmss.instances) {
                            in.powerState = transitional;
                        }
                    } else {
                        vmss.capacity = newCapacity;
                        if (newCapacity > SINGLE_PLACEMENT_GROUP_MAX) {
                            vmss.singlePlacementGroup = false;
                        }
                        for (int n = vmss.instances.size(); n < newCapacity; n++) {
                            vmss.instances.add(new Instance(vmss.nextInstanceId++, "creating", "starting"));
                        }
                        for (int n = newCapacity; n < vmss.instances.size(); n++) {
                            vmss.instances.get(n).provisioningState = "deleting";
                        }
                    }
                    world.changed(group);
                    return null;
                }
                if (newCapacity == null) {
                    for (Instance in : vmss.instances) {
                        in.powerState = target;
                        in.provisioningState = "succeeded";
                    }
                } else {
                    List<Instance> kept = new ArrayList<>();
                    for (Instance in : vmss.instances) {
                        if (!"deleting".equals(in.provisioningState)) {
                            if ("creating".equals(in.provisioningState)) {
                                in.provisioningState = "succeeded";
                                in.powerState = "running";
                            }
                            kept.add(in);
                        }
                    }
                    vmss.instances = kept;
                }
                vmss.provisioningState = "succeeded";
                world.changed(group);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            void rollback() {
                // Also under a delete that is under way (it shows over these states): should the delete
                // fail, the set shows the states it had before this change.
                if (before != null) {
                    vmss.instances = before;
                    vmss.capacity = capacityBefore;
                    vmss.singlePlacementGroup = spgBefore;
                    vmss.provisioningState = provisioningBefore;
                    world.changed(group);
                }
            }
        };
        op.key = what + "|" + Model.key(subscription) + "|" + Model.key(ref.toString());
        return runner.run(op);
    }

    @Override
    public CompletionStage<Void> start(ResourceRef scaleSet) {
        return change(scaleSet, AzureRules.OpKind.GROW, null, "starting", "running", "vmss-start");
    }

    @Override
    public CompletionStage<Void> stop(ResourceRef scaleSet) {
        return change(scaleSet, AzureRules.OpKind.CHANGE, null, "deallocating", "deallocated", "vmss-stop");
    }

    @Override
    public CompletionStage<Void> restart(ResourceRef scaleSet) {
        return change(scaleSet, AzureRules.OpKind.GROW, null, "starting", "running", "vmss-restart");
    }

    @Override
    public CompletionStage<Void> scale(ResourceRef scaleSet, int capacity) {
        return change(scaleSet, AzureRules.OpKind.GROW, capacity, null, null, "vmss-scale-" + capacity);
    }

    @Override
    public CompletionStage<List<ScaleSetStatus>> list(String name) {
        return runner.run(new StepScheduler.Op<List<ScaleSetStatus>>(AzureRules.OpKind.READ, 0, 1) {
            List<ScaleSetStatus> answer;

            {
                key = "vmss-list|" + Model.key(subscription) + "|" + (name == null ? "" : Model.key(name));
            }

            @Override
            CompletionStage<List<ScaleSetStatus>> step(int i) {
                if (i == 1) {
                    return CompletableFuture.completedFuture(answer);
                }
                List<ScaleSetStatus> out = new ArrayList<>();
                Subscription s = world.existingSubscription(subscription);
                if (s != null) {
                    for (Group g : s.groups.values()) {
                        for (Res r : g.resources.values()) {
                            if (r instanceof Vmss v && (name == null || v.displayName.equalsIgnoreCase(name))) {
                                out.add(new ScaleSetStatus(v.displayName, v.capacity, v.statuses()));
                            }
                        }
                    }
                }
                out.sort(java.util.Comparator.comparing(ScaleSetStatus::name, String.CASE_INSENSITIVE_ORDER)
                        .thenComparing(ScaleSetStatus::name));
                answer = List.copyOf(out);
                return null;
            }
        });
    }
}
