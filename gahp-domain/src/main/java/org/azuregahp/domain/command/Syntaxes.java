package org.azuregahp.domain.command;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.azuregahp.domain.command.CommandTable.Header;
import org.azuregahp.ports.AdminCredential;
import org.azuregahp.ports.ImageRef;
import org.azuregahp.ports.NetworkRef;
import org.azuregahp.ports.OsType;
import org.azuregahp.ports.PublicIpChoice;
import org.azuregahp.ports.ResourceRef;
import org.azuregahp.ports.SpotPricing;
import org.azuregahp.ports.VaultSecretRef;
import org.azuregahp.ports.VaultSpec;
import org.azuregahp.ports.VmQuery;

/**
 * The argument syntax of every cloud request (the arguments after the subscription); the
 * {@link CommandTable} rows refer to these. A bad value throws {@link Bad}.
 */
final class Syntaxes {

    static final List<String> VM_CREATE_KEYS = List.of("name", "location", "image", "size", "dataDisks",
            "adminUsername", "key", "vnetName", "vnetRGName", "subnetName", "publicIPAddress", "customData", "tag",
            "osType", "priority", "maxPrice");
    static final List<String> VMSS_CREATE_KEYS = Stream.concat(VM_CREATE_KEYS.stream(),
            Stream.of("nodecount", "deletionjob", "schedule", "keyvaultname", "keyvaultrg", "vaultkey")).toList();
    static final List<String> VMSS_SCALE_KEYS = List.of("name", "nodecount");
    static final List<String> KEYVAULT_KEYS = List.of("name", "location", "sku", "users");

    static final ImageRef UBUNTU_LATEST = new ImageRef.Marketplace("Canonical", "ubuntu-24_04-lts", "server",
            "latest");
    static final ImageRef WINDOWS_LATEST = new ImageRef.Marketplace("MicrosoftWindowsServer", "WindowsServer",
            "2022-datacenter-azure-edition", "latest");

    private static final DateTimeFormatter SCHEDULE = DateTimeFormatter.ofPattern("uuuuMMddHHmm", Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT);

    private Syntaxes() {
    }

    /** A bad argument value; its message is ours and safe to show. */
    static final class Bad extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Bad(String message) {
            super(message, null, false, false);
        }
    }

    // ---- the commands -------------------------------------------------------------------------------------

    static CloudRequest.Ping ping(Header h, List<String> rest, Clock clock) {
        noMore(rest, 0, "no arguments after the subscription");
        return new CloudRequest.Ping(h.id(), h.cred(), h.sub());
    }

    static CloudRequest.VmCreate vmCreate(Header h, List<String> rest, Clock clock) {
        KeyValues kv = KeyValues.parse(rest, VM_CREATE_KEYS, Set.of());
        return new CloudRequest.VmCreate(h.id(), h.cred(), h.sub(), machine(kv));
    }

    static CloudRequest.VmDelete vmDelete(Header h, List<String> rest, Clock clock) {
        return new CloudRequest.VmDelete(h.id(), h.cred(), h.sub(), ref(rest));
    }

    static CloudRequest.VmList vmList(Header h, List<String> rest, Clock clock) {
        noMore(rest, 1, "at most one argument: <name> or <tag>=[<value>]");
        VmQuery q = VmQuery.all();
        if (rest.size() == 1 && !rest.get(0).isEmpty()) {
            String arg = rest.get(0);
            int eq = arg.indexOf('=');
            if (eq < 0) {
                q = new VmQuery.ByName(arg);
            } else {
                String tag = arg.substring(0, eq);
                String value = arg.substring(eq + 1);
                if (tag.isEmpty()) {
                    throw new Bad("a tag filter needs a tag name before '='");
                }
                q = new VmQuery.ByTag(tag, value.isEmpty() ? null : value);
            }
        }
        return new CloudRequest.VmList(h.id(), h.cred(), h.sub(), q);
    }

    static CloudRequest.VmssCreate vmssCreate(Header h, List<String> rest, Clock clock) {
        KeyValues kv = KeyValues.parse(rest, VMSS_CREATE_KEYS, Set.of("deletionjob"));
        MachineRequest m = machine(kv);
        int nodes = kv.has("nodecount") ? nodeCount(kv.get("nodecount")) : 1;
        VaultSecretRef secret = vault(kv);
        Instant at = deletion(kv, clock);
        return new CloudRequest.VmssCreate(h.id(), h.cred(), h.sub(), m, nodes, secret, at);
    }

    static CloudRequest.VmssDelete vmssDelete(Header h, List<String> rest, Clock clock) {
        return new CloudRequest.VmssDelete(h.id(), h.cred(), h.sub(), ref(rest));
    }

    static CloudRequest.VmssStart vmssStart(Header h, List<String> rest, Clock clock) {
        return new CloudRequest.VmssStart(h.id(), h.cred(), h.sub(), ref(rest));
    }

    static CloudRequest.VmssStop vmssStop(Header h, List<String> rest, Clock clock) {
        return new CloudRequest.VmssStop(h.id(), h.cred(), h.sub(), ref(rest));
    }

    static CloudRequest.VmssRestart vmssRestart(Header h, List<String> rest, Clock clock) {
        return new CloudRequest.VmssRestart(h.id(), h.cred(), h.sub(), ref(rest));
    }

    static CloudRequest.VmssScale vmssScale(Header h, List<String> rest, Clock clock) {
        boolean keyed = rest.stream().anyMatch(s -> s.indexOf('=') >= 0);
        if (keyed) {
            KeyValues kv = KeyValues.parse(rest, VMSS_SCALE_KEYS, Set.of());
            return new CloudRequest.VmssScale(h.id(), h.cred(), h.sub(), ResourceRef.named(kv.require("name")),
                    nodeCount(kv.require("nodecount")));
        }
        if (rest.size() == 2) {
            return new CloudRequest.VmssScale(h.id(), h.cred(), h.sub(), ResourceRef.named(nonEmpty(rest.get(0),
                    "the scale set name")), nodeCount(rest.get(1)));
        }
        if (rest.size() == 3) {
            return new CloudRequest.VmssScale(h.id(), h.cred(), h.sub(),
                    new ResourceRef(nonEmpty(rest.get(0), "the resource group"),
                            nonEmpty(rest.get(1), "the scale set name")),
                    nodeCount(rest.get(2)));
        }
        throw new Bad("expected name=<name> nodecount=<n>, or <resource-group> <scale-set> <n>");
    }

    static CloudRequest.VmssList vmssList(Header h, List<String> rest, Clock clock) {
        noMore(rest, 1, "at most one argument: <name>");
        String name = rest.isEmpty() || rest.get(0).isEmpty() ? null : rest.get(0);
        return new CloudRequest.VmssList(h.id(), h.cred(), h.sub(), name);
    }

    static CloudRequest.KeyvaultCreate keyvaultCreate(Header h, List<String> rest, Clock clock) {
        KeyValues kv = KeyValues.parse(rest, KEYVAULT_KEYS, Set.of());
        String name = kv.require("name");
        String location = kv.require("location");
        String sku = null;
        if (kv.has("sku")) {
            sku = kv.get("sku").toLowerCase(Locale.ROOT);
            if (!sku.equals("standard") && !sku.equals("premium")) {
                throw new Bad("sku must be standard or premium, not '" + shown(kv.get("sku")) + "'");
            }
        }
        List<String> users = new ArrayList<>();
        if (kv.has("users")) {
            for (String u : kv.get("users").split(",", -1)) {
                String t = u.strip();
                if (t.isEmpty()) {
                    throw new Bad("users must be a comma list of object ids without empty entries");
                }
                users.add(t);
            }
        }
        return new CloudRequest.KeyvaultCreate(h.id(), h.cred(), h.sub(), new VaultSpec(name, location, sku, users));
    }

    // ---- values -------------------------------------------------------------------------------------------

    static MachineRequest machine(KeyValues kv) {
        String name = kv.require("name");
        String location = kv.require("location");
        String size = kv.require("size");
        ImageRef image = image(kv.require("image"));
        NetworkRef network = null;
        if (kv.has("vnetName")) {
            network = new NetworkRef(kv.get("vnetName"), kv.get("vnetRGName"), kv.get("subnetName"));
        } else if (kv.has("vnetRGName") || kv.has("subnetName")) {
            throw new Bad("vnetRGName and subnetName need vnetName");
        }
        OsType os = null;
        if (kv.has("osType")) {
            String v = kv.get("osType").toLowerCase(Locale.ROOT);
            if (v.equals("linux")) {
                os = OsType.LINUX;
            } else if (v.equals("windows")) {
                os = OsType.WINDOWS;
            } else {
                throw new Bad("osType must be linux or windows, not '" + shown(kv.get("osType")) + "'");
            }
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (String t : kv.tags()) {
            int eq = t.indexOf('=');
            String tn = eq < 0 ? t : t.substring(0, eq);
            if (tn.isEmpty()) {
                throw new Bad("a tag needs a name: tag=<name>=<value> or tag=<name>");
            }
            tags.put(tn, eq < 0 ? "" : t.substring(eq + 1));
        }
        String custom = kv.get("customData");
        CustomDataSource customData = custom == null ? null
                : looksLikePath(custom) ? new CustomDataSource.PathOrText(custom) : new CustomDataSource.Text(custom);
        return new MachineRequest(name, location, size, image, kv.get("adminUsername"), key(kv.get("key")),
                disks(kv.get("dataDisks")), network, publicIp(kv.get("publicIPAddress")), customData, tags, os,
                spot(kv.get("priority"), kv.get("maxPrice")));
    }

    static ImageRef image(String v) {
        String l = v.toLowerCase(Locale.ROOT);
        if (l.equals("linux-ubuntu-latest")) {
            return UBUNTU_LATEST;
        }
        if (l.equals("windows-server-latest")) {
            return WINDOWS_LATEST;
        }
        boolean plain = v.chars().noneMatch(ch -> Character.isWhitespace(ch) || Character.isISOControl(ch));
        if (plain && l.startsWith("/subscriptions/") && l.contains("/providers/microsoft.compute/")) {
            return new ImageRef.ResourceId(v);
        }
        if (plain && l.startsWith("https://") && l.endsWith(".vhd") && l.length() > "https://".length() + 5) {
            return new ImageRef.VhdUri(v);
        }
        String[] p = v.split(":", -1);
        if (plain && p.length == 4 && v.indexOf('/') < 0 && Stream.of(p).noneMatch(String::isEmpty)) {
            return new ImageRef.Marketplace(p[0], p[1], p[2], p[3]);
        }
        throw new Bad("image '" + shown(v) + "' is not linux-ubuntu-latest, windows-server-latest, a "
                + "publisher:offer:sku:version URN, an image resource id (/subscriptions/...) or an https VHD URL");
    }

    static KeySource key(String v) {
        if (v == null) {
            return null;
        }
        if (looksLikeSshKey(v)) {
            return new KeySource.Given(new AdminCredential.SshPublicKey(v.strip()));
        }
        if (looksLikePath(v)) {
            return new KeySource.KeyFile(v);
        }
        return new KeySource.Given(new AdminCredential.Password(v));
    }

    /** {@code <type> <base64> [comment]} with an OpenSSH public-key type. */
    static boolean looksLikeSshKey(String v) {
        String k = v.strip();
        int end = 0;
        while (end < k.length() && !Character.isWhitespace(k.charAt(end))) {
            end++;
        }
        if (end == k.length()) {
            return false; // a type with no key data
        }
        String t = k.substring(0, end);
        return t.equals("ssh-rsa") || t.equals("ssh-ed25519") || t.equals("ssh-dss")
                || (t.startsWith("ecdsa-sha2-") && t.length() > 11) || (t.startsWith("sk-") && t.length() > 3);
    }

    static boolean looksLikePath(String v) {
        return v.startsWith("/") || v.startsWith("~") || v.startsWith("./");
    }

    static List<Integer> disks(String v) {
        List<Integer> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        for (String s : v.split(",", -1)) {
            String t = s.strip();
            Integer gb = smallInt(t);
            if (gb == null || gb < 1 || gb > CommandParser.MAX_DISK_GB) {
                throw new Bad("dataDisks must be a comma list of sizes in GB, each 1.." + CommandParser.MAX_DISK_GB
                        + "; '" + shown(t) + "' is not");
            }
            out.add(gb);
        }
        return out;
    }

    static PublicIpChoice publicIp(String v) {
        if (v == null) {
            return new PublicIpChoice.New();
        }
        String l = v.toLowerCase(Locale.ROOT);
        if (l.equals("dynamic")) {
            return new PublicIpChoice.New();
        }
        if (l.equals("none")) {
            return new PublicIpChoice.None();
        }
        if (l.startsWith("/subscriptions/") && l.contains("/publicipaddresses/")) {
            return new PublicIpChoice.Existing(v);
        }
        throw new Bad("publicIPAddress must be dynamic, none or a public IP address resource id, not '"
                + shown(v) + "'");
    }

    static SpotPricing spot(String priority, String maxPrice) {
        boolean isSpot = false;
        if (priority != null) {
            String l = priority.toLowerCase(Locale.ROOT);
            if (l.equals("spot")) {
                isSpot = true;
            } else if (!l.equals("regular")) {
                throw new Bad("priority must be spot or regular, not '" + shown(priority) + "'");
            }
        }
        if (maxPrice == null) {
            return isSpot ? new SpotPricing(-1) : null;
        }
        if (!isSpot) {
            throw new Bad("maxPrice needs priority=spot");
        }
        double p;
        try {
            p = Double.parseDouble(maxPrice);
        } catch (NumberFormatException e) {
            p = Double.NaN;
        }
        if (Double.isNaN(p) || Double.isInfinite(p) || !(p == -1 || p > 0)) {
            throw new Bad("maxPrice must be -1 or a positive price in US dollars per hour, not '" + shown(maxPrice)
                    + "'");
        }
        return new SpotPricing(p);
    }

    static int nodeCount(String v) {
        Integer n = smallInt(v);
        if (n == null || n > CommandParser.MAX_NODE_COUNT) {
            throw new Bad("nodecount must be a whole number from 0 to " + CommandParser.MAX_NODE_COUNT + ", not '"
                    + shown(v) + "'");
        }
        return n;
    }

    static VaultSecretRef vault(KeyValues kv) {
        List<String> names = List.of("keyvaultname", "keyvaultrg", "vaultkey");
        List<String> missing = names.stream().filter(k -> !kv.has(k)).toList();
        if (missing.size() == names.size()) {
            return null;
        }
        if (!missing.isEmpty()) {
            throw new Bad("keyvaultname, keyvaultrg and vaultkey go together; missing: " + String.join(", ", missing));
        }
        return new VaultSecretRef(kv.get("keyvaultname"), kv.get("keyvaultrg"), kv.get("vaultkey"));
    }

    /**
     * A scheduled deletion is wanted with {@code deletionjob} (bare or {@code =true}) or a
     * {@code schedule=} alone; {@code deletionjob=false} turns it off (a schedule given anyway is
     * still checked). A wanted deletion needs a schedule in the future.
     */
    static Instant deletion(KeyValues kv, Clock clock) {
        Boolean job = null;
        if (kv.flag("deletionjob")) {
            job = true;
        } else if (kv.has("deletionjob")) {
            String v = kv.get("deletionjob").toLowerCase(Locale.ROOT);
            if (v.equals("true")) {
                job = true;
            } else if (v.equals("false")) {
                job = false;
            } else {
                throw new Bad("deletionjob must be given bare, or as deletionjob=true or deletionjob=false");
            }
        }
        Instant at = null;
        if (kv.has("schedule")) {
            String v = kv.get("schedule");
            if (!v.matches("[0-9]{12}")) {
                throw new Bad("schedule must be YYYYMMDDhhmm in UTC, not '" + shown(v) + "'");
            }
            try {
                at = LocalDateTime.parse(v, SCHEDULE).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw new Bad("schedule '" + v + "' is not a valid date and time (YYYYMMDDhhmm, UTC)");
            }
            if (!at.isAfter(clock.instant())) {
                throw new Bad("schedule " + v + " is not in the future (times are UTC)");
            }
        }
        if (Boolean.FALSE.equals(job)) {
            return null;
        }
        if (Boolean.TRUE.equals(job) && at == null) {
            throw new Bad("deletionjob needs schedule=YYYYMMDDhhmm (UTC)");
        }
        return at;
    }

    static ResourceRef ref(List<String> rest) {
        if (rest.size() == 1) {
            return ResourceRef.named(nonEmpty(rest.get(0), "the name"));
        }
        if (rest.size() == 2) {
            return new ResourceRef(nonEmpty(rest.get(0), "the resource group"), nonEmpty(rest.get(1), "the name"));
        }
        throw new Bad("too many arguments: expected <name> or <resource-group> <name>, got " + rest.size());
    }

    private static String nonEmpty(String v, String what) {
        if (v.isEmpty()) {
            throw new Bad(what + " is empty");
        }
        return v;
    }

    private static void noMore(List<String> rest, int max, String what) {
        if (rest.size() > max) {
            throw new Bad("too many arguments: expected " + what);
        }
    }

    /** A non-negative int of at most 7 digits, or null. */
    private static Integer smallInt(String v) {
        if (v == null || v.isEmpty() || v.length() > 7 || !v.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            return null;
        }
        return Integer.parseInt(v);
    }

    /** A value fit to repeat in an error: printable, and cut to a reasonable length. */
    static String shown(String v) {
        String s = v.codePoints().map(cp -> Character.isISOControl(cp) ? '?' : cp)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    /** A key name fit to repeat: it must look like a key, so a value pasted by mistake is never echoed. */
    static String shownKey(String k) {
        return k.matches("[A-Za-z0-9_.-]{1,40}") ? "'" + k + "'" : "(not a key name)";
    }

    /** The {@code key=value} arguments of one request. */
    static final class KeyValues {
        private final Map<String, String> canonical;
        private final Map<String, String> values = new LinkedHashMap<>();
        private final Set<String> seen = new HashSet<>();
        private final Set<String> flags = new HashSet<>();
        private final List<String> tags = new ArrayList<>();

        /** Lower-cased key to its spelling, per list of allowed keys (the lists are constants). */
        private static final Map<List<String>, Map<String, String>> CANONICAL =
                new java.util.concurrent.ConcurrentHashMap<>();

        private KeyValues(List<String> allowed) {
            canonical = CANONICAL.computeIfAbsent(allowed, a -> java.util.Collections.unmodifiableMap(a.stream()
                    .collect(Collectors.toMap(k -> k.toLowerCase(Locale.ROOT), k -> k, (x, y) -> x,
                            LinkedHashMap::new))));
        }

        static KeyValues parse(List<String> rest, List<String> allowed, Set<String> bareFlags) {
            KeyValues kv = new KeyValues(allowed);
            for (String arg : rest) {
                int eq = arg.indexOf('=');
                if (eq < 0) {
                    String l = arg.toLowerCase(Locale.ROOT);
                    if (bareFlags.contains(l)) {
                        if (!kv.seen.add(l)) {
                            throw new Bad("key '" + l + "' given more than once");
                        }
                        kv.flags.add(l);
                        continue;
                    }
                    if (arg.isEmpty()) {
                        continue;
                    }
                    throw new Bad("argument " + shownKey(arg) + " is not of the form key=value");
                }
                String key = arg.substring(0, eq);
                String l = key.toLowerCase(Locale.ROOT);
                String canon = kv.canonical.get(l);
                if (canon == null) {
                    throw new Bad("unknown key " + shownKey(key) + "; known keys: "
                            + String.join(" ", kv.canonical.values()));
                }
                String value = arg.substring(eq + 1);
                if (l.equals("tag")) {
                    if (!value.isEmpty()) {
                        kv.tags.add(value);
                    }
                    continue;
                }
                if (!kv.seen.add(l)) {
                    throw new Bad("key '" + canon + "' given more than once");
                }
                if (!value.isEmpty()) {
                    kv.values.put(l, value);
                }
            }
            return kv;
        }

        boolean has(String key) {
            return values.containsKey(key.toLowerCase(Locale.ROOT));
        }

        /** The value, or null when not given or empty. */
        String get(String key) {
            return values.get(key.toLowerCase(Locale.ROOT));
        }

        String require(String key) {
            String v = get(key);
            if (v == null) {
                throw new Bad("missing required key '" + canonical.getOrDefault(key.toLowerCase(Locale.ROOT), key)
                        + "'");
            }
            return v;
        }

        boolean flag(String key) {
            return flags.contains(key.toLowerCase(Locale.ROOT));
        }

        List<String> tags() {
            return tags;
        }
    }
}
