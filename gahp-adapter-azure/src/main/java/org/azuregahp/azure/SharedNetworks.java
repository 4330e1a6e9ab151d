package org.azuregahp.azure;

import com.azure.resourcemanager.network.fluent.models.NetworkSecurityGroupInner;
import com.azure.resourcemanager.network.fluent.models.SecurityRuleInner;
import com.azure.resourcemanager.network.fluent.models.SubnetInner;
import com.azure.resourcemanager.network.fluent.models.VirtualNetworkInner;
import com.azure.resourcemanager.network.models.AddressSpace;
import com.azure.resourcemanager.network.models.SecurityRuleAccess;
import com.azure.resourcemanager.network.models.SecurityRuleDirection;
import com.azure.resourcemanager.network.models.SecurityRuleProtocol;
import com.azure.resourcemanager.resources.fluent.models.ResourceGroupInner;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.azuregahp.ports.OsType;
import reactor.core.publisher.Mono;

/**
 * The network VMs join when the request names none: per subscription and location, one resource
 * group holding one virtual network and two network security groups (SSH only, RDP only). Each is
 * looked up once (a read), created only if missing, and then remembered, so a warm VM create makes no
 * network writes besides its own public IP and NIC. A failed lookup or create is forgotten, so the
 * next create tries again.
 */
final class SharedNetworks {
    private final ConcurrentHashMap<String, CompletableFuture<String>> memo = new ConcurrentHashMap<>();

    /** The id of the shared subnet in {@code location}. */
    Mono<String> subnetId(Clients c, AzureSettings settings, String location) {
        String group = Names.networkGroup(settings, location);
        return remember(c.subscription() + "|" + group + "|vnet", () -> group(c, group, location)
                .then(AsyncUtil.orEmptyIfNotFound(c.network().getVirtualNetworks()
                        .getByResourceGroupWithResponseAsync(group, Names.VNET, null)).map(r -> r.getValue()))
                .switchIfEmpty(Mono.defer(() -> c.network().getVirtualNetworks()
                        .createOrUpdateAsync(group, Names.VNET, vnet(location))))
                .map(v -> subnetIdOf(v, c.subscription(), group)));
    }

    /** The id of the shared security group admitting only SSH (Linux) or RDP (Windows). */
    Mono<String> securityGroupId(Clients c, AzureSettings settings, String location, OsType os) {
        String group = Names.networkGroup(settings, location);
        String name = os == OsType.WINDOWS ? Names.NSG_RDP : Names.NSG_SSH;
        return remember(c.subscription() + "|" + group + "|" + name, () -> group(c, group, location)
                .then(AsyncUtil.orEmptyIfNotFound(c.network().getNetworkSecurityGroups()
                        .getByResourceGroupWithResponseAsync(group, name, null)).map(r -> r.getValue()))
                .switchIfEmpty(Mono.defer(() -> c.network().getNetworkSecurityGroups()
                        .createOrUpdateAsync(group, name, nsg(location, os))))
                .map(n -> n.id() != null ? n.id()
                        : Names.id(c.subscription(), group, "Microsoft.Network", "networkSecurityGroups", name)));
    }

    private Mono<String> group(Clients c, String group, String location) {
        return remember(c.subscription() + "|" + group, () -> AsyncUtil.orEmptyIfNotFound(
                        c.resources().getResourceGroups().getWithResponseAsync(group)).map(r -> r.getValue())
                .switchIfEmpty(Mono.defer(() -> c.resources().getResourceGroups().createOrUpdateAsync(group,
                        new ResourceGroupInner().withLocation(location)
                                .withTags(Map.of(Names.TAG_MANAGED, Names.KIND_NETWORK)))))
                .map(g -> group));
    }

    /**
     * Forgets what is remembered about {@code location}'s shared network when a failure names its
     * group (it may have been deleted behind the server's back), so the next create looks again.
     */
    void forgetIfNamed(Clients c, AzureSettings settings, String location, Throwable failure) {
        String group = Names.networkGroup(settings, location);
        String text = String.valueOf(AzureErrors.unwrap(failure).getMessage()).toLowerCase(Locale.ROOT);
        if (text.contains(group.toLowerCase(Locale.ROOT))) {
            String prefix = c.subscription() + "|" + group;
            memo.keySet().removeIf(k -> k.startsWith(prefix));
        }
    }

    private Mono<String> remember(String key, Supplier<Mono<String>> make) {
        return Mono.defer(() -> {
            CompletableFuture<String> f = memo.computeIfAbsent(key, k -> {
                CompletableFuture<String> made = make.get().toFuture();
                made.whenComplete((v, e) -> {
                    if (e != null) {
                        memo.remove(k);
                    }
                });
                return made;
            });
            return Mono.fromFuture(f, true);
        });
    }

    private static String subnetIdOf(VirtualNetworkInner v, String subscription, String group) {
        if (v.subnets() != null) {
            for (SubnetInner s : v.subnets()) {
                if (Names.SUBNET.equalsIgnoreCase(s.name()) && s.id() != null) {
                    return s.id();
                }
            }
        }
        return Names.id(subscription, group, "Microsoft.Network", "virtualNetworks", Names.VNET) + "/subnets/"
                + Names.SUBNET;
    }

    private static VirtualNetworkInner vnet(String location) {
        VirtualNetworkInner v = new VirtualNetworkInner()
                .withAddressSpace(new AddressSpace().withAddressPrefixes(List.of("10.0.0.0/16")))
                // Outbound internet for VMs without a public IP, stated rather than left to the API version's
                // default (from Network API 2025-07-01 on, a new subnet is private): free, through an address
                // Azure picks. A NAT gateway would give a fixed address at an hourly and per-GB charge.
                .withSubnets(List.of(new SubnetInner().withName(Names.SUBNET).withAddressPrefix("10.0.0.0/16")
                        .withDefaultOutboundAccess(true)));
        v.withLocation(location);
        v.withTags(Map.of(Names.TAG_MANAGED, Names.KIND_NETWORK));
        return v;
    }

    private static NetworkSecurityGroupInner nsg(String location, OsType os) {
        String port = os == OsType.WINDOWS ? "3389" : "22";
        NetworkSecurityGroupInner n = new NetworkSecurityGroupInner().withSecurityRules(List.of(new SecurityRuleInner()
                .withName((os == OsType.WINDOWS ? "rdp" : "ssh").toLowerCase(Locale.ROOT))
                .withProtocol(SecurityRuleProtocol.TCP)
                .withSourcePortRange("*")
                .withDestinationPortRange(port)
                .withSourceAddressPrefix("*")
                .withDestinationAddressPrefix("*")
                .withAccess(SecurityRuleAccess.ALLOW)
                .withPriority(1000)
                .withDirection(SecurityRuleDirection.INBOUND)));
        n.withLocation(location);
        n.withTags(Map.of(Names.TAG_MANAGED, Names.KIND_NETWORK));
        return n;
    }
}
