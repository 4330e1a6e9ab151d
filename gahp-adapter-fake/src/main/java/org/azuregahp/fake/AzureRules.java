package org.azuregahp.fake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.azuregahp.ports.AdminCredential;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.MachineSpec;
import org.azuregahp.ports.OsType;

/** Azure's rules and error wording, as far as the GAHP can see them. Pure functions. */
final class AzureRules {
    private AzureRules() {
    }

    /** Region names ARM accepts (display names like "West Europe" normalize to these). */
    static final Set<String> LOCATIONS = new TreeSet<>(List.of(
            "eastus", "eastus2", "westus", "westus2", "westus3", "centralus", "northcentralus", "southcentralus",
            "westcentralus", "canadacentral", "canadaeast", "brazilsouth", "mexicocentral", "northeurope",
            "westeurope", "uksouth", "ukwest", "francecentral", "germanywestcentral", "switzerlandnorth",
            "norwayeast", "swedencentral", "polandcentral", "italynorth", "spaincentral", "eastasia",
            "southeastasia", "japaneast", "japanwest", "koreacentral", "australiaeast", "australiasoutheast",
            "centralindia", "southindia", "westindia", "uaenorth", "southafricanorth", "qatarcentral",
            "israelcentral", "newzealandnorth"));

    /** A VM size: vCPUs, its quota family and how many data disks it takes. */
    record Size(String name, int cores, String family, int maxDataDisks) {
    }

    static final Map<String, Size> SIZES = new LinkedHashMap<>();

    static {
        size("Standard_B1s", 1, "standardBSFamily", 2);
        size("Standard_B1ms", 1, "standardBSFamily", 2);
        size("Standard_B2s", 2, "standardBSFamily", 4);
        size("Standard_B2ms", 2, "standardBSFamily", 4);
        size("Standard_B4ms", 4, "standardBSFamily", 8);
        size("Standard_A1_v2", 1, "standardAv2Family", 2);
        size("Standard_A2_v2", 2, "standardAv2Family", 4);
        size("Standard_DS1_v2", 1, "standardDSv2Family", 4);
        size("Standard_DS2_v2", 2, "standardDSv2Family", 8);
        size("Standard_D2_v3", 2, "standardDv3Family", 4);
        size("Standard_D4_v3", 4, "standardDv3Family", 8);
        size("Standard_D2s_v3", 2, "standardDSv3Family", 4);
        size("Standard_D4s_v3", 4, "standardDSv3Family", 8);
        size("Standard_D8s_v3", 8, "standardDSv3Family", 16);
        size("Standard_D16s_v3", 16, "standardDSv3Family", 32);
        size("Standard_D2s_v4", 2, "standardDSv4Family", 4);
        size("Standard_D4s_v4", 4, "standardDSv4Family", 8);
        size("Standard_D2s_v5", 2, "standardDSv5Family", 4);
        size("Standard_D4s_v5", 4, "standardDSv5Family", 8);
        size("Standard_D8s_v5", 8, "standardDSv5Family", 16);
        size("Standard_D16s_v5", 16, "standardDSv5Family", 32);
        size("Standard_D32s_v5", 32, "standardDSv5Family", 32);
        size("Standard_D2as_v5", 2, "standardDASv5Family", 4);
        size("Standard_D4as_v5", 4, "standardDASv5Family", 8);
        size("Standard_E2s_v3", 2, "standardESv3Family", 4);
        size("Standard_E4s_v3", 4, "standardESv3Family", 8);
        size("Standard_E2s_v5", 2, "standardESv5Family", 4);
        size("Standard_E4s_v5", 4, "standardESv5Family", 8);
        size("Standard_F2s_v2", 2, "standardFSv2Family", 4);
        size("Standard_F4s_v2", 4, "standardFSv2Family", 8);
        size("Standard_F8s_v2", 8, "standardFSv2Family", 16);
        size("Standard_F16s_v2", 16, "standardFSv2Family", 32);
        size("Standard_L8s_v3", 8, "standardLSv3Family", 16);
        // Standard_NC6s_v3 (NCv3) was retired on 30 Sep 2025; Azure no longer takes it, so neither does the fake.
        size("Standard_NC4as_T4_v3", 4, "standardNCASv3_T4Family", 8);
        size("Standard_HB120rs_v3", 120, "standardHBv3Family", 32);
    }

    private static void size(String name, int cores, String family, int maxDataDisks) {
        SIZES.put(Model.key(name), new Size(name, cores, family, maxDataDisks));
    }

    private static final Pattern VM_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern RG_NAME = Pattern.compile("[\\p{L}\\p{N}._()-]+");
    private static final Pattern VAULT_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]");
    private static final Pattern GUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Set<String> RESERVED_USERS = Set.of("administrator", "admin", "user", "user1", "test",
            "user2", "test1", "user3", "admin1", "1", "123", "a", "actuser", "adm", "admin2", "aspnet", "backup",
            "console", "david", "guest", "john", "owner", "root", "server", "sql", "support", "support_388945a0",
            "sys", "test2", "test3", "user4", "user5");

    static String normalizeLocation(String location) {
        return location.replace(" ", "").toLowerCase(Locale.ROOT);
    }

    static String checkLocation(String location) {
        String norm = normalizeLocation(location);
        if (!LOCATIONS.contains(norm)) {
            throw new CloudException("LocationNotAvailableForResourceGroup", "The provided location '" + location
                    + "' is not available for resource group. List of available regions is '"
                    + String.join(",", LOCATIONS) + "'.");
        }
        return norm;
    }

    static Size checkSize(String size, String location) {
        Size s = SIZES.get(Model.key(size));
        if (s == null) {
            throw new CloudException(CloudException.INVALID_PARAMETER, "The value " + size
                    + " provided for the VM size is not valid. The valid sizes in the current region ("
                    + location + ") are: " + String.join(", ", SIZES.values().stream().map(Size::name).toList())
                    + ". Target: 'hardwareProfile.vmSize'");
        }
        return s;
    }

    /** Computer-name rules: 1-64 characters (Linux) or 1-15 (Windows). */
    static void checkVmName(String name, OsType os) {
        boolean windows = os == OsType.WINDOWS;
        int max = windows ? 15 : 64;
        boolean ok = !name.isEmpty() && name.length() <= max && VM_NAME.matcher(name).matches()
                && !name.startsWith("_") && !name.endsWith(".") && !name.endsWith("-")
                && !(windows && (name.contains(".") || name.chars().allMatch(Character::isDigit)));
        if (!ok) {
            String rules = windows
                    ? "Windows computer name cannot be more than 15 characters long, be entirely numeric, start with"
                            + " '_', end with '-', or contain characters other than letters, digits, '_' and '-'."
                    : "Linux host name cannot exceed 64 characters in length, start with '_', end with '.' or '-',"
                            + " or contain characters other than letters, digits, '_', '.' and '-'.";
            throw new CloudException(CloudException.INVALID_PARAMETER,
                    "The virtual machine name '" + name + "' is not valid. " + rules + " Target: 'osProfile.computerName'");
        }
    }

    static void checkResourceGroupName(String name) {
        if (name.isEmpty() || name.length() > 90) {
            throw new CloudException("InvalidResourceGroup", "The provided resource group name '" + name
                    + "' is not valid: it must be 1 to 90 characters long.");
        }
        if (!RG_NAME.matcher(name).matches()) {
            throw new CloudException("InvalidResourceGroup", "The provided resource group name '" + name
                    + "' has invalid characters. The name can only be a letter, digit, '-', '.', '(', ')' or '_'.");
        }
        if (name.endsWith(".")) {
            throw new CloudException("InvalidResourceGroup", "The provided resource group name '" + name
                    + "' is not valid: resource group names cannot end with a period.");
        }
    }

    static void checkVaultName(String name) {
        if (!VAULT_NAME.matcher(name).matches() || name.contains("--")) {
            throw new CloudException("VaultNameNotValid", "The vault name '" + name + "' is invalid. A vault's name"
                    + " must be between 3-24 alphanumeric characters. The name must begin with a letter, end with"
                    + " a letter or digit, and not contain consecutive hyphens.");
        }
    }

    static String checkVaultSku(String sku) {
        String s = Model.key(sku);
        if (!s.equals("standard") && !s.equals("premium")) {
            throw new CloudException(CloudException.INVALID_PARAMETER,
                    "Invalid value found at properties.sku.name: '" + sku + "'. Allowed values: standard, premium.");
        }
        return s;
    }

    static void checkObjectId(String id) {
        if (!GUID.matcher(id).matches()) {
            throw new CloudException(CloudException.INVALID_PARAMETER,
                    "The object id '" + id + "' in the access policies is not a valid GUID.");
        }
    }

    /** Everything a create checks before making anything (except names of things that must exist). */
    static void checkMachine(MachineSpec spec) {
        if (spec.image() instanceof org.azuregahp.ports.ImageRef.VhdUri) {
            throw new CloudException("BadRequest", "Unmanaged disks have been retired. Please migrate to Managed Disks.");
        }
        OsType os = spec.effectiveOsType();
        checkVmName(spec.name(), os);
        String location = checkLocation(spec.location());
        Size size = checkSize(spec.size(), location);
        String user = spec.adminUsername() == null ? "azureuser" : spec.adminUsername();
        int maxUser = os == OsType.WINDOWS ? 20 : 64;
        if (user.isEmpty() || user.length() > maxUser || user.endsWith(".")
                || RESERVED_USERS.contains(Model.key(user))) {
            throw new CloudException(CloudException.INVALID_PARAMETER,
                    "The Admin Username specified is not allowed. Target: 'adminUsername'");
        }
        AdminCredential cred = spec.credential();
        // A Linux VM without key= is accepted here although Azure refuses it: the fake boots nothing, and
        // people exploring offline should not need a key to try the commands. Windows needs a password.
        if ((cred == null && os == OsType.WINDOWS)
                || (os == OsType.WINDOWS && cred instanceof AdminCredential.SshPublicKey)) {
            throw new CloudException(CloudException.INVALID_PARAMETER,
                    "Required parameter 'adminPassword' is missing (null). Target: 'adminPassword'");
        }
        if (cred instanceof AdminCredential.SshPublicKey k && !validSshKey(k.publicKey())) {
            throw new CloudException(CloudException.INVALID_PARAMETER,
                    "The value of parameter linuxConfiguration.ssh.publicKeys.keyData is invalid. Target:"
                            + " 'linuxConfiguration.ssh.publicKeys.keyData'");
        }
        if (cred instanceof AdminCredential.Password p && !goodPassword(p.value())) {
            throw new CloudException(CloudException.INVALID_PARAMETER,
                    "The supplied password must be between 12-123 characters long and must satisfy at least 3 of"
                            + " password complexity requirements from the following: 1) Contains an uppercase"
                            + " character 2) Contains a lowercase character 3) Contains a numeric digit 4) Contains a"
                            + " special character 5) Control characters are not allowed. Target: 'adminPassword'");
        }
        int lun = 0;
        for (Integer gb : spec.dataDiskSizesGb()) {
            if (gb == null || gb < 1 || gb > org.azuregahp.ports.CloudRules.MAX_DATA_DISK_GB) {
                throw new CloudException(CloudException.INVALID_PARAMETER, "The value of parameter"
                        + " dataDisks[" + lun + "].diskSizeGB is invalid: it must be between 1 and "
                        + org.azuregahp.ports.CloudRules.MAX_DATA_DISK_GB + "."
                        + " Target: 'diskSizeGB'");
            }
            lun++;
        }
        if (spec.dataDiskSizesGb().size() > size.maxDataDisks()) {
            throw new CloudException("OperationNotAllowed", "The maximum number of data disks allowed to be"
                    + " attached to a VM of this size is " + size.maxDataDisks() + ". Target: 'dataDisks'");
        }
        if (spec.customData() != null && Base64.getEncoder()
                .encodeToString(spec.customData().getBytes(StandardCharsets.UTF_8)).length() > 87380) {
            throw new CloudException(CloudException.INVALID_PARAMETER, "Custom data in OSProfile must be in Base64"
                    + " encoding and with a maximum length of 87380 characters. Target: 'customData'");
        }
        if (spec.tags().size() > 50) {
            throw new CloudException("InvalidTag", "The resource has more than 50 tags.");
        }
        for (Map.Entry<String, String> t : spec.tags().entrySet()) {
            String k = t.getKey();
            if (k.isEmpty() || k.length() > 512 || k.chars().anyMatch(c -> "<>%&\\?/".indexOf(c) >= 0)) {
                throw new CloudException("InvalidTagNameCharacters", "The tag name '" + k + "' is not valid: tag"
                        + " names are 1-512 characters and cannot contain <, >, %, &, \\, ? or /.");
            }
            if (t.getValue() != null && t.getValue().length() > 256) {
                throw new CloudException("InvalidTag", "The value of tag '" + k + "' is longer than 256 characters.");
            }
        }
    }

    /** Azure takes RSA and Ed25519 keys only (no ECDSA, no security-key types). */
    private static boolean validSshKey(String key) {
        String k = key.strip();
        return k.startsWith("ssh-rsa ") || k.startsWith("ssh-ed25519 ") || k.startsWith("---- BEGIN SSH2 PUBLIC KEY ----");
    }

    /**
     * What the image asks of the machine, as the Azure adapter reads it and Azure enforces it: the
     * security type (Trusted Launch for a gallery image whose definition needs or defaults to it, none
     * otherwise) and, for a marketplace image sold with a plan, the plan, refused while its terms are
     * not accepted. Answers the security type ("" for none) and the plan ({@code publisher:offer:sku}, or null).
     */
    static String[] checkImage(CloudState world, String subscription, MachineSpec spec) {
        String security = "";
        String plan = null;
        if (spec.image() instanceof org.azuregahp.ports.ImageRef.ResourceId r && r.gallery()) {
            String def = Model.key(r.id().replaceAll("(?i)/versions/[^/]+/?$", ""));
            String type = world.galleryImages.getOrDefault(def, "");
            if (type.toLowerCase(java.util.Locale.ROOT).startsWith("trustedlaunch")) {
                security = "TrustedLaunch";
            }
        } else if (spec.image() instanceof org.azuregahp.ports.ImageRef.Marketplace m) {
            String urn = Model.key(m.publisher() + ":" + m.offer() + ":" + m.sku());
            Boolean accepted = world.planImages.get(urn);
            if (accepted != null) {
                if (!accepted) {
                    throw new CloudException("ResourcePurchaseValidationFailed", "the image " + m + " is sold with a"
                            + " purchase plan whose terms are not accepted on subscription " + subscription + "; accept"
                            + " them once with: az vm image terms accept --urn " + m.publisher() + ":" + m.offer() + ":"
                            + m.sku() + ":" + m.version() + " --subscription " + subscription);
                }
                plan = m.publisher() + ":" + m.offer() + ":" + m.sku();
            }
        }
        return new String[] {security, plan};
    }

    static boolean goodPassword(String p) {
        if (p.length() < 12 || p.length() > 123 || p.chars().anyMatch(Character::isISOControl)) {
            return false;
        }
        int classes = 0;
        classes += p.chars().anyMatch(Character::isUpperCase) ? 1 : 0;
        classes += p.chars().anyMatch(Character::isLowerCase) ? 1 : 0;
        classes += p.chars().anyMatch(Character::isDigit) ? 1 : 0;
        classes += p.chars().anyMatch(c -> !Character.isLetterOrDigit(c)) ? 1 : 0;
        return classes >= 3;
    }

    /**
     * A short hash of what a create asked for, to tell a repeated create from a different one. The
     * password is left out (it never reaches the state document, not even hashed).
     */
    static String fingerprint(MachineSpec s, Object... extra) {
        StringBuilder b = new StringBuilder();
        b.append(Model.key(s.name())).append('|').append(normalizeLocation(s.location())).append('|')
                .append(Model.key(s.size())).append('|').append(s.image()).append('|')
                .append(s.adminUsername() == null ? "azureuser" : s.adminUsername()).append('|');
        if (s.credential() instanceof AdminCredential.SshPublicKey k) {
            b.append("ssh:").append(k.publicKey().strip());
        } else if (s.credential() instanceof AdminCredential.Password) {
            b.append("password");
        }
        b.append('|').append(s.dataDiskSizesGb()).append('|').append(s.network()).append('|').append(s.publicIp())
                .append('|').append(s.customData() == null ? "" : sha(s.customData())).append('|')
                .append(new java.util.TreeMap<>(s.tags())).append('|').append(s.effectiveOsType()).append('|')
                .append(s.spot());
        for (Object o : extra) {
            b.append('|').append(o);
        }
        return sha(b.toString()).substring(0, 24);
    }

    private static String sha(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- errors ----

    static CloudException resourceNotFound(String type, String name, String group, String what) {
        return CloudException.notFound("The Resource '" + type + "/" + name + "' under resource group '" + group
                + "' was not found: " + what + " '" + name + "' could not be found.");
    }

    static CloudException groupNotFound(String group) {
        return CloudException.notFound("Resource group '" + group + "' could not be found.");
    }

    static CloudException groupBeingDeleted(String group) {
        return new CloudException("ResourceGroupBeingDeleted", "The resource group '" + group
                + "' is in deprovisioning state and cannot perform this operation.");
    }

    static CloudException canceled(String group) {
        return new CloudException("OperationCanceled", "The operation was canceled: resource group '" + group
                + "' was deleted while it ran.");
    }

    /** The kinds of operation, for the errors fault injection picks from. */
    enum OpKind {
        /** Makes machines: any error, quota and allocation included. */
        CREATE,
        /** Starts or adds machines (start, restart, scale): any error. */
        GROW,
        /** Changes or removes something without needing capacity: internal errors and throttling. */
        CHANGE,
        READ
    }

    static CloudException fault(OpKind kind, int pick, String location, String size) {
        int n = switch (kind) {
            case CREATE, GROW -> 4;
            case CHANGE, READ -> 2;
        };
        Size s = size == null ? null : SIZES.get(Model.key(size));
        String loc = location == null ? "westeurope" : normalizeLocation(location);
        switch (pick % n) {
            case 0:
                return new CloudException(CloudException.INTERNAL,
                        "An internal execution error occurred. Please retry later.");
            case 1:
                return new CloudException(CloudException.THROTTLED, "The request is being throttled as the limit"
                        + " has been reached for operation type - " + (kind == OpKind.READ ? "Read" : "Write")
                        + "_1Min. For more information, see - https://aka.ms/armthrottling");
            case 2:
                return new CloudException("AllocationFailed", "Allocation failed. We do not have sufficient"
                        + " capacity for the requested VM size in this region. Read more about improving likelihood"
                        + " of allocation success at http://aka.ms/allocation-guidance");
            default:
                String family = s == null ? "standardDSv3Family" : s.family();
                int cores = s == null ? 2 : s.cores();
                return new CloudException(CloudException.QUOTA_EXCEEDED, "Operation could not be completed as it"
                        + " results in exceeding approved " + family + " Cores quota. Additional details -"
                        + " Deployment Model: Resource Manager, Location: " + loc + ", Current Limit: 10,"
                        + " Current Usage: 10, Additional Required: " + cores + ", (Minimum) New Limit Required: "
                        + (10 + cores) + ". Submit a request for Quota increase at"
                        + " https://aka.ms/ProdportalCRP/#blade/Microsoft_Azure_Capacity/UsageAndQuota.ReactView");
        }
    }
}
