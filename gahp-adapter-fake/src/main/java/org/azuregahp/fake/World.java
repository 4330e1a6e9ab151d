package org.azuregahp.fake;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
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
final class World {
    /** A pending deletion schedule. */
    record Schedule(String subscription, String resourceGroup, String location, Instant at) {
    }

    /** An injected failure: at which step of an operation, with which error. */
    record Fault(int step, CloudException error) {
    }

    private static final Pattern PIP_ID = Pattern.compile(
            "(?i)/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.Network/publicIPAddresses/([^/]+)/?");

    final Clock clock;
    final double failureRate;
    final Duration vmLifetime;
    final Random random;
    final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    /** Vault names are unique across the whole cloud. */
    final Map<String, Vault> vaults = new LinkedHashMap<>();
    final Map<String, Map<String, Schedule>> schedules = new LinkedHashMap<>();
    /** Public addresses: the three documentation ranges first, then the benchmarking range 198.18.0.0/15. */
    private static final List<String> DOC_PREFIXES = List.of("203.0.113.", "198.51.100.", "192.0.2.");
    private static final int DOC_IPS = DOC_PREFIXES.size() * 251;
    private static final int IP_POOL_SIZE = DOC_IPS + 512 * 251;
    private final Set<String> usedIps = new HashSet<>();
    private int ipCursor;
    private int privateIpCounter;
    final AtomicBoolean dirty = new AtomicBoolean();

    World(Clock clock, double failureRate, long seed, Duration vmLifetime) {
        this.clock = clock;
        this.failureRate = failureRate;
        this.vmLifetime = vmLifetime;
        this.random = new Random(seed);
    }

    void changed() {
        dirty.set(true);
    }

    /**
     * Decides whether the operation starting now fails, at which step and how. Always draws the
     * same amount from the random source, so a seed repeats whatever the outcome.
     */
    Fault drawFault(Azure.OpKind kind, int steps, String location, String size) {
        double r = random.nextDouble();
        int step = random.nextInt(steps);
        int pick = random.nextInt(1 << 16);
        if (failureRate > 0 && r < failureRate) {
            return new Fault(step, Azure.fault(kind, pick, location, size));
        }
        return null;
    }

    String newGuid() {
        long hi = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lo = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
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
        changed();
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
                    usedIps.remove(ip);
                }
            } else if (r instanceof Vault v && vaults.get(Model.key(v.name)) == v) {
                vaults.remove(Model.key(v.name));
            }
            String external = r instanceof Vm vm ? vm.externalPublicIpId : r.str("existingPublicIpAddressId");
            if (external != null) {
                Res pip = findPublicIp(external);
                if (pip != null) {
                    pip.props.remove("attachedTo");
                }
            }
        }
        changed();
    }

    String allocateIp() {
        for (int n = 0; n < IP_POOL_SIZE; n++) {
            String ip = ipAt((ipCursor + n) % IP_POOL_SIZE);
            if (usedIps.add(ip)) {
                ipCursor = (ipCursor + n + 1) % IP_POOL_SIZE;
                return ip;
            }
        }
        throw new CloudException("PublicIPCountLimitReached", "Cannot create more than " + IP_POOL_SIZE
                + " public IP addresses for this subscription in this region.");
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
        usedIps.add(ip);
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
            throw Azure.resourceNotFound(Model.PIP, m.group(3), m.group(2), "the public IP address");
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
        changed();
    }

    void cancelSchedule(String subscription, String group) {
        Map<String, Schedule> m = schedules.get(Model.key(subscription));
        if (m != null && m.remove(Model.key(group)) != null) {
            changed();
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
                    if (g != null) {
                        removeGroup(g);
                    }
                }
            }
        }
        if (fired > 0) {
            changed();
        }
        return fired;
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
                    }
                }
            }
        }
        if (n > 0) {
            changed();
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
