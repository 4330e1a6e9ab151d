package org.azuregahp.fake;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.azuregahp.ports.CloudException;
import org.azuregahp.fake.Model.Group;
import org.azuregahp.fake.Model.Res;
import org.azuregahp.fake.Model.Subscription;
import org.azuregahp.fake.Model.Vault;
import org.azuregahp.fake.Model.Vm;
import org.azuregahp.fake.Model.Vmss;

/**
 * The whole fake cloud's state. Every method must be called holding this object's monitor
 * ({@code synchronized (world)}); each call is short and in-memory, so one lock is never the
 * bottleneck.
 */
final class CloudState {
    /** A pending deletion schedule. */
    record Schedule(String subscription, String resourceGroup, String location, Instant at) {
    }

    /** An injected failure: at which step of an operation, with which error. */
    record Fault(int step, CloudException error) {
    }

    private static final Pattern PIP_ID = Pattern.compile(
            "(?i)/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.Network/publicIPAddresses/([^/]+)/?");

    private static final Pattern GROUP_ID = Pattern.compile("(?i)/subscriptions/([^/]+)/resourceGroups/([^/]+)/");

    final Clock clock;
    final double failureRate;
    final Duration vmLifetime;
    /** For what no operation makes (ids filled in when a state document is loaded). */
    final Random random;
    private final long seed;
    /** How many operations with each key have started: the n-th one with a key draws from its own source. */
    private final Map<String, Integer> occurrences = new HashMap<>();
    final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    /** Vault names are unique across the whole cloud. */
    final Map<String, Vault> vaults = new LinkedHashMap<>();
    final Map<String, Map<String, Schedule>> schedules = new LinkedHashMap<>();
    /** Public addresses: the three documentation ranges first, then the benchmarking range 198.18.0.0/15. */
    private static final List<String> DOC_PREFIXES = List.of("203.0.113.", "198.51.100.", "192.0.2.");
    private static final int DOC_IPS = DOC_PREFIXES.size() * 251;
    private static final int IP_POOL_SIZE = DOC_IPS + 512 * 251;
    private final Set<String> usedIps = new HashSet<>();
    /** How many addresses of the documentation ranges are in use (when all are, the search skips them). */
    private int docIpsUsed;
    private int ipCursor;
    private int privateIpCounter;
    /** Resource provider namespaces (lower case) each subscription (lower case) is not registered for. */
    final Map<String, Set<String>> unregisteredProviders = new LinkedHashMap<>();
    /** Namespaces the principal may not register. */
    final Set<String> unregistrableProviders = new HashSet<>();
    /** Compute Gallery image definitions (lower-case id) and their security type ("" for none). */
    final Map<String, String> galleryImages = new HashMap<>();
    /** Marketplace images (lower-case publisher:offer:sku) sold with a plan: whether its terms are accepted. */
    final Map<String, Boolean> planImages = new HashMap<>();
    /** Soft-deleted vaults by lower-case name: their name stays reserved until recovered or purged. */
    final Map<String, Vault> deletedVaults = new LinkedHashMap<>();
    /** Whether the principal may create role assignments (for role-based vaults). */
    boolean mayAssignRoles = true;

    // ---- what changed since the state file last saved it (read and reset by StateStore) ----
    /** Counts changes: a result may be delivered once every change up to its count is saved. */
    long changeCount;
    /** Keys ({@link #groupKey}) of the resource groups changed since the last save. */
    final Set<String> changedGroups = new LinkedHashSet<>();
    boolean subscriptionWideChanged;
    /** Something changed without saying which group: the next save compares every group. */
    boolean unknownChange;
    /** The operation whose step runs now (set by StepScheduler): changes are counted against it. */
    StepScheduler.Op<?> running;

    CloudState(Clock clock, double failureRate, long seed, Duration vmLifetime) {
        this.clock = clock;
        this.failureRate = failureRate;
        this.vmLifetime = vmLifetime;
        this.random = new Random(seed);
        this.seed = seed;
    }

    /** Something in group {@code g} (or the group itself: made, removed) changed. */
    void changed(Group g) {
        changedGroups.add(groupKey(g.subscription, g.name));
        counted();
    }

    /**
     * Something changed, without saying where: correct but slow with a large state (the next save
     * serializes every group to find what changed); prefer {@link #changed(Group)}.
     */
    void changed() {
        unknownChange = true;
        counted();
    }

    /** The group holding the resource with this id (or the group with this id) changed, if it exists. */
    void changedResource(String resourceId) {
        Matcher m = resourceId == null ? null : GROUP_ID.matcher(resourceId + "/");
        if (m != null && m.lookingAt()) {
            Group g = group(m.group(1), m.group(2));
            if (g != null) {
                changed(g);
            }
        }
    }

    private void counted() {
        changeCount++;
        if (running != null) {
            running.madeChanges = true;
        }
    }

    static String groupKey(String subscription, String group) {
        return Model.key(subscription) + "|" + Model.key(group);
    }

    /** The group with this {@link #groupKey}, or null. */
    Group groupByKey(String key) {
        int bar = key.indexOf('|');
        Subscription s = subscriptions.get(key.substring(0, bar));
        return s == null ? null : s.groups.get(key.substring(bar + 1));
    }

    /**
     * Takes a group out without touching any other (no access policy or address attachment is
     * undone elsewhere): for replaying a journal, whose records give every changed group whole.
     */
    void forget(Group g) {
        g.removed = true;
        Subscription s = existingSubscription(g.subscription);
        if (s != null && s.groups.get(Model.key(g.name)) == g) {
            s.groups.remove(Model.key(g.name));
        }
        for (Res r : g.resources.values()) {
            if (r.type.equals(Model.PIP) && r.str("ipAddress") != null) {
                if (usedIps.remove(r.str("ipAddress")) && isDocIp(r.str("ipAddress"))) {
                    docIpsUsed--;
                }
            } else if (r instanceof Vault v && vaults.get(Model.key(v.name)) == v) {
                vaults.remove(Model.key(v.name));
            }
        }
    }

    void subscriptionWideChanged() {
        subscriptionWideChanged = true;
        counted();
    }

    /**
     * The random source of an operation starting now: a function of the seed, the operation's key
     * (what it does to which resource) and how many operations with that key started before. So a
     * seed repeats the same outcomes and ids for the same requests even when concurrent requests
     * reach the cloud in another order.
     */
    Random operationRandom(String key) {
        int n = occurrences.merge(key, 1, Integer::sum);
        // Every input goes through the mixer: java.util.Random's first draws of nearby seeds are alike.
        return new Random(mix(mix(mix(seed ^ 0x5DEECE66DL) ^ fnv(key)) + n * 0x9E3779B97F4A7C15L));
    }

    /** SplitMix64's finalizer. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** 64-bit FNV-1a of a string's UTF-16 units. */
    static long fnv(String s) {
        long h = 0xCBF29CE484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001B3L;
        }
        return h;
    }

    /**
     * Decides whether the operation starting now fails, at which step and how. Always draws the
     * same amount from the random source, so a seed repeats whatever the outcome.
     */
    Fault drawFault(Random random, AzureRules.OpKind kind, int steps, String location, String size) {
        double r = random.nextDouble();
        int step = random.nextInt(steps);
        int pick = random.nextInt(1 << 16);
        if (failureRate > 0 && r < failureRate) {
            return new Fault(step, AzureRules.fault(kind, pick, location, size));
        }
        return null;
    }

    String newGuid() {
        return newGuid(random);
    }

    static String newGuid(Random random) {
        long hi = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lo = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }

    /**
     * What the adapter does when a write meets a resource provider the subscription is not registered
     * for: registers it (Azure answers 409 MissingSubscriptionRegistration until then) when the
     * principal may, or fails saying who can and how.
     */
    void requireProviders(String subscription, String... namespaces) {
        Set<String> missing = unregisteredProviders.get(Model.key(subscription));
        if (missing == null) {
            return;
        }
        for (String ns : namespaces) {
            if (!missing.contains(Model.key(ns))) {
                continue;
            }
            if (unregistrableProviders.contains(Model.key(ns))) {
                throw new CloudException("MissingSubscriptionRegistration", "the subscription is not registered to use"
                        + " namespace '" + ns + "', and this identity may not register it (registering needs " + ns
                        + "/register/action, which Contributor on the subscription has); an administrator can register"
                        + " it with: az provider register --namespace " + ns + " --subscription " + subscription);
            }
            missing.remove(Model.key(ns));
            subscriptionWideChanged();
        }
    }

    void unregister(String subscription, String namespace) {
        unregisteredProviders.computeIfAbsent(Model.key(subscription), k -> new java.util.TreeSet<>())
                .add(Model.key(namespace));
        subscriptionWideChanged();
    }

    boolean registered(String subscription, String namespace) {
        Set<String> missing = unregisteredProviders.get(Model.key(subscription));
        return missing == null || !missing.contains(Model.key(namespace));
    }

    Subscription subscription(String id) {
        return subscriptions.computeIfAbsent(Model.key(id), k -> new Subscription(id));
    }

    Subscription existingSubscription(String id) {
        return subscriptions.get(Model.key(id));
    }

    Group group(String subscription, String name) {
        Subscription s = existingSubscription(subscription);
        return s == null ? null : s.group(name);
    }

    Group newGroup(String subscription, String name, String location) {
        Subscription s = subscription(subscription);
        Group g = new Group(s.id, name, location);
        s.groups.put(Model.key(name), g);
        changed(g);
        return g;
    }

    /** Removes a resource group with everything in it. */
    void removeGroup(Group g) {
        if (g.removed) {
            return;
        }
        g.removed = true;
        Subscription s = existingSubscription(g.subscription);
        if (s != null && s.groups.get(Model.key(g.name)) == g) {
            s.groups.remove(Model.key(g.name));
        }
        for (Res r : g.resources.values()) {
            if (r.type.equals(Model.PIP)) {
                String ip = r.str("ipAddress");
                if (ip != null) {
                    if (usedIps.remove(ip) && isDocIp(ip)) {
                        docIpsUsed--;
                    }
                }
            } else if (r instanceof Vault v && vaults.get(Model.key(v.name)) == v) {
                // Soft delete, as on Azure: the name stays reserved until the vault is recovered or purged.
                vaults.remove(Model.key(v.name));
                deletedVaults.put(Model.key(v.name), v);
            } else if (r.type.equals(Model.IDENTITY) && r.str("principalId") != null) {
                // The access policy granted to the identity goes with it, so a failed or deleted
                // scale set leaves the vault as it was.
                for (Vault v : vaults.values()) {
                    String principal = r.str("principalId");
                    boolean policy = v.principals.remove(principal);
                    boolean role = v.roleAssignees.remove(principal);
                    if (policy || role) {
                        changedResource(Model.id(v.subscription, v.group, Model.VAULT, v.name));
                    }
                }
            }
            String external = r instanceof Vm vm ? vm.externalPublicIpId : r.str("existingPublicIpAddressId");
            if (external != null) {
                Res pip = findPublicIp(external);
                if (pip != null) {
                    pip.props.remove("attachedTo");
                    changedResource(external);
                }
            }
        }
        changed(g);
    }

    /**
     * A free public address for the resource with this id. Where the search starts in the
     * documentation ranges is a function of the seed and the id, not of the order of creates, so a
     * seed repeats addresses however concurrent creates interleave (unless two of them race for the
     * same address). The benchmarking range is used, in order, once the documentation ranges are full.
     */
    /**
     * Fails as Azure does when {@code g} cannot be deleted because another group uses its subnet
     * (a VM or scale set that joined its network) or its public IP address.
     */
    void checkNotUsedElsewhere(Group g) {
        Subscription s = existingSubscription(g.subscription);
        if (s == null || !g.lent) {
            return;
        }
        String mine = Model.key(g.id()) + "/";
        for (Group other : s.groups.values()) {
            if (other == g) {
                continue;
            }
            for (Res r : other.resources.values()) {
                String user = Model.id(other.subscription, other.name, r.type, r.name);
                String subnet = r.str("subnet");
                if ((r.type.equals(Model.NIC) || r instanceof Vmss) && subnet != null
                        && Model.key(subnet).startsWith(mine)) {
                    throw new CloudException("InUseSubnetCannotBeDeleted", "Subnet "
                            + subnet.substring(subnet.lastIndexOf('/') + 1) + " is in use by " + user
                            + (r instanceof Vmss ? "" : "/ipConfigurations/ipconfig1")
                            + " and cannot be deleted. In order to delete the subnet, delete all the resources"
                            + " within the subnet. See aka.ms/deletesubnet.");
                }
                String pip = r instanceof Vm vm ? vm.externalPublicIpId : r.str("existingPublicIpAddressId");
                if (pip != null && Model.key(pip).startsWith(mine)) {
                    throw new CloudException("PublicIPAddressCannotBeDeleted", "Public IP address " + pip
                            + " can not be deleted since it is still allocated to resource " + user
                            + ". In order to delete the public IP, disassociate/detach the Public IP address from"
                            + " the resource. To learn how to do this, see aka.ms/deletepublicip.");
                }
            }
        }
    }

    /** After loading a document: marks every group whose subnet or public IP another group uses. */
    void markLentGroups() {
        for (Subscription s : subscriptions.values()) {
            for (Group g : s.groups.values()) {
                for (Res r : g.resources.values()) {
                    String subnet = r.str("subnet");
                    String pip = r instanceof Vm vm ? vm.externalPublicIpId : r.str("existingPublicIpAddressId");
                    for (String id : new String[] {subnet, pip}) {
                        Matcher m = id == null ? null : GROUP_ID.matcher(id);
                        if (m != null && m.lookingAt()) {
                            Group owner = group(m.group(1), m.group(2));
                            if (owner != null && owner != g) {
                                owner.lent = true;
                            }
                        }
                    }
                }
            }
        }
    }

    String allocateIp(String resourceId) {
        int start = (int) Long.remainderUnsigned(mix(seed ^ fnv(Model.key(resourceId))), DOC_IPS);
        for (int n = 0; n < DOC_IPS && docIpsUsed < DOC_IPS; n++) {
            String ip = ipAt((start + n) % DOC_IPS);
            if (usedIps.add(ip)) {
                docIpsUsed++;
                return ip;
            }
        }
        for (int n = 0; n < IP_POOL_SIZE - DOC_IPS; n++) {
            String ip = ipAt(DOC_IPS + (ipCursor + n) % (IP_POOL_SIZE - DOC_IPS));
            if (usedIps.add(ip)) {
                ipCursor = (ipCursor + n + 1) % (IP_POOL_SIZE - DOC_IPS);
                return ip;
            }
        }
        throw new CloudException("PublicIPCountLimitReached", "Cannot create more than " + IP_POOL_SIZE
                + " public IP addresses for this subscription in this region.");
    }

    static boolean isDocIp(String ip) {
        for (String p : DOC_PREFIXES) {
            if (ip.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** The address at {@code index} of the pool (host parts 4..254, so no network or broadcast address). */
    static String ipAt(int index) {
        if (index < DOC_IPS) {
            return DOC_PREFIXES.get(index / 251) + (4 + index % 251);
        }
        int i = index - DOC_IPS;
        int block = i / 251;
        return "198." + (18 + block / 256) + "." + (block % 256) + "." + (4 + i % 251);
    }

    void reserveIp(String ip) {
        if (usedIps.add(ip) && isDocIp(ip)) {
            docIpsUsed++;
        }
    }

    String nextPrivateIp() {
        int n = privateIpCounter++;
        return "10.0." + (n / 250 % 256) + "." + (n % 250 + 4);
    }

    Res findPublicIp(String id) {
        Matcher m = PIP_ID.matcher(id);
        if (!m.matches()) {
            return null;
        }
        Group g = group(m.group(1), m.group(2));
        return g == null ? null : g.find(Model.PIP, m.group(3));
    }

    /** The existing public IP a create names, or a not-found / in-use error. */
    Res existingPublicIp(String id) {
        Matcher m = PIP_ID.matcher(id);
        if (!m.matches()) {
            throw new CloudException("InvalidResourceReference",
                    "The public IP address id '" + id + "' is not a valid resource id.");
        }
        Res pip = findPublicIp(id);
        if (pip == null) {
            throw AzureRules.resourceNotFound(Model.PIP, m.group(3), m.group(2), "the public IP address");
        }
        Group owner = group(m.group(1), m.group(2));
        if (owner != null) {
            owner.lent = true;
        }
        if (pip.props.get("attachedTo") != null) {
            throw new CloudException("PublicIPAddressInUse", "Public IP address " + id
                    + " is already in use by " + pip.props.get("attachedTo") + ".");
        }
        return pip;
    }

    // ---- deletion schedules and VM lifetimes ----

    void schedule(String subscription, String group, String location, Instant at) {
        schedules.computeIfAbsent(Model.key(subscription), k -> new LinkedHashMap<>())
                .put(Model.key(group), new Schedule(subscription, group, location, at));
        subscriptionWideChanged();
    }

    void cancelSchedule(String subscription, String group) {
        Map<String, Schedule> m = schedules.get(Model.key(subscription));
        if (m != null && m.remove(Model.key(group)) != null) {
            subscriptionWideChanged();
        }
    }

    /** Deletes every resource group whose scheduled time has come; returns how many schedules fired. */
    int runDueDeletions() {
        Instant now = clock.instant();
        int fired = 0;
        for (Map<String, Schedule> m : schedules.values()) {
            for (Iterator<Schedule> it = m.values().iterator(); it.hasNext();) {
                Schedule s = it.next();
                if (!s.at().isAfter(now)) {
                    it.remove();
                    fired++;
                    Group g = group(s.subscription(), s.resourceGroup());
                    if (g != null && !usedElsewhere(g)) {
                        removeGroup(g);
                    }
                }
            }
        }
        if (fired > 0) {
            subscriptionWideChanged();
        }
        return fired;
    }

    /** A scheduled deletion of a group another group depends on fails (the group stays), as on Azure. */
    private boolean usedElsewhere(Group g) {
        try {
            checkNotUsedElsewhere(g);
            return false;
        } catch (CloudException e) {
            return true;
        }
    }

    /** Deallocates every running VM whose lifetime is over; returns how many. */
    int runDueLifetimes() {
        Instant now = clock.instant();
        int n = 0;
        for (Subscription s : subscriptions.values()) {
            for (Group g : s.groups.values()) {
                for (Res r : g.resources.values()) {
                    if (r instanceof Vm vm && vm.deallocateAt != null && !vm.deallocateAt.isAfter(now)) {
                        vm.deallocateAt = null;
                        if (vm.powerState.equals("running")) {
                            vm.powerState = "deallocated";
                            n++;
                        }
                        changed(g);
                    }
                }
            }
        }
        return n;
    }

    List<Vm> allVms() {
        List<Vm> out = new ArrayList<>();
        for (Subscription s : subscriptions.values()) {
            for (Group g : s.groups.values()) {
                for (Res r : g.resources.values()) {
                    if (r instanceof Vm vm) {
                        out.add(vm);
                    }
                }
            }
        }
        return out;
    }

    List<Vmss> allScaleSets() {
        List<Vmss> out = new ArrayList<>();
        for (Subscription s : subscriptions.values()) {
            for (Group g : s.groups.values()) {
                for (Res r : g.resources.values()) {
                    if (r instanceof Vmss v) {
                        out.add(v);
                    }
                }
            }
        }
        return out;
    }
}
