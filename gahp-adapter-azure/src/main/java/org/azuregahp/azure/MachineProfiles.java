package org.azuregahp.azure;

import com.azure.resourcemanager.compute.models.BillingProfile;
import com.azure.resourcemanager.compute.models.CachingTypes;
import com.azure.resourcemanager.compute.models.DataDisk;
import com.azure.resourcemanager.compute.models.DiskCreateOptionTypes;
import com.azure.resourcemanager.compute.models.DiskDeleteOptionTypes;
import com.azure.resourcemanager.compute.models.ImageReference;
import com.azure.resourcemanager.compute.models.LinuxConfiguration;
import com.azure.resourcemanager.compute.models.ManagedDiskParameters;
import com.azure.resourcemanager.compute.models.OSDisk;
import com.azure.resourcemanager.compute.models.OSProfile;
import com.azure.resourcemanager.compute.models.OperatingSystemTypes;
import com.azure.resourcemanager.compute.models.SshConfiguration;
import com.azure.resourcemanager.compute.models.SshPublicKey;
import com.azure.resourcemanager.compute.models.StorageAccountTypes;
import com.azure.resourcemanager.compute.models.StorageProfile;
import com.azure.resourcemanager.compute.models.WindowsConfiguration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.azuregahp.ports.AdminCredential;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.CloudRules;
import org.azuregahp.ports.ImageRef;
import org.azuregahp.ports.MachineSpec;
import org.azuregahp.ports.OsType;

/**
 * Builds the parts of a VM (or scale-set VM) definition that do not depend on networking: image,
 * disks, OS profile, spot pricing; and checks the request against Azure's rules before anything is
 * written. Messages never include a password or key.
 */
final class MachineProfiles {
    static final String DEFAULT_ADMIN = "azureuser";
    /** Azure's limit on a Windows administrator's name (Linux allows 32, which the pattern below checks). */
    static final int MAX_WINDOWS_ADMIN = 20;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}[A-Za-z0-9_]|[A-Za-z0-9]");
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}", Pattern.CASE_INSENSITIVE);
    private static final List<String> RESERVED_USERS = List.of("administrator", "admin", "user", "user1", "test",
            "user2", "test1", "user3", "admin1", "1", "123", "a", "actuser", "adm", "admin2", "aspnet", "backup",
            "console", "david", "guest", "john", "owner", "root", "server", "sql", "support", "support_388945a0",
            "sys", "test2", "test3", "user4", "user5");

    private MachineProfiles() {
    }

    /** Checks what Azure would refuse, before any write. */
    static void validate(MachineSpec spec) {
        if (!NAME.matcher(spec.name()).matches()) {
            throw CloudException.invalid("name '" + spec.name()
                    + "' is not a valid Azure VM name (1-64 letters, digits, '-', '_', '.')");
        }
        if (spec.image() instanceof ImageRef.VhdUri vhd) {
            throw CloudException.invalid("image " + vhd.uri() + " is a VHD URL, which would boot from an unmanaged"
                    + " disk, and Azure no longer creates those (Unmanaged disks have been retired. Please migrate to"
                    + " Managed Disks.); make a managed image from the VHD (az image create --source <the VHD URL>"
                    + " --os-type linux|windows ...) or a Compute Gallery image version, and give its resource id"
                    + " (/subscriptions/.../providers/Microsoft.Compute/images/...) as image=");
        }
        String user = adminUser(spec);
        OsType os = spec.effectiveOsType();
        if (!USER.matcher(user).matches() || RESERVED_USERS.contains(user.toLowerCase(java.util.Locale.ROOT))) {
            throw CloudException.invalid("adminUsername '" + user + "' is not allowed by Azure");
        }
        if (os == OsType.WINDOWS && user.length() > MAX_WINDOWS_ADMIN) {
            throw CloudException.invalid("adminUsername '" + user + "' is longer than the " + MAX_WINDOWS_ADMIN
                    + " characters Azure allows for a Windows administrator");
        }
        AdminCredential cred = spec.credential();
        if (cred == null) {
            throw CloudException.invalid(os == OsType.WINDOWS ? "key= is required: a password for the Windows VM"
                    : "key= is required: an SSH public key (or a password)");
        }
        if (cred instanceof AdminCredential.SshPublicKey && os == OsType.WINDOWS) {
            throw CloudException.invalid("a Windows VM needs a password in key=, not an SSH key");
        }
        if (cred instanceof AdminCredential.Password p) {
            checkPassword(p.value(), os, user);
        }
        if (cred instanceof AdminCredential.SshPublicKey k) {
            String key = k.publicKey().strip();
            if (!key.matches("(ssh-|ecdsa-|sk-)\\S+ \\S+.*")) {
                throw CloudException.invalid("key= is not an SSH public key in OpenSSH format");
            }
            String type = key.substring(0, key.indexOf(' '));
            if (!type.equals("ssh-rsa") && !type.equals("ssh-ed25519")) {
                throw CloudException.invalid("key= is an " + type + " key; Azure accepts only RSA (ssh-rsa, 2048 bits"
                        + " or more) and Ed25519 (ssh-ed25519) SSH keys");
            }
        }
        for (int size : spec.dataDiskSizesGb()) {
            if (size < 1 || size > CloudRules.MAX_DATA_DISK_GB) {
                throw CloudException.invalid("data disk size " + size + " GB is outside 1-" + CloudRules.MAX_DATA_DISK_GB);
            }
        }
    }

    /** Azure's password rules: length, and three of lower case, upper case, digit, special character. */
    static void checkPassword(String password, OsType os, String user) {
        int min = os == OsType.WINDOWS ? 8 : 6;
        int max = os == OsType.WINDOWS ? 123 : 72;
        if (password.length() < min || password.length() > max) {
            throw CloudException.invalid("the password in key= must be " + min + "-" + max + " characters long");
        }
        int classes = 0;
        classes += password.chars().anyMatch(Character::isLowerCase) ? 1 : 0;
        classes += password.chars().anyMatch(Character::isUpperCase) ? 1 : 0;
        classes += password.chars().anyMatch(Character::isDigit) ? 1 : 0;
        classes += password.chars().anyMatch(ch -> !Character.isLetterOrDigit(ch)) ? 1 : 0;
        if (classes < 3) {
            throw CloudException.invalid("the password in key= must contain three of: a lower-case letter, "
                    + "an upper-case letter, a digit, a special character");
        }
        if (password.toLowerCase(java.util.Locale.ROOT).contains(user.toLowerCase(java.util.Locale.ROOT))) {
            throw CloudException.invalid("the password in key= must not contain the user name");
        }
        List<String> weak = List.of("abc@123", "P@$$w0rd", "P@ssw0rd", "P@ssword123", "Pa$$word", "pass@word1",
                "Password!", "Password1", "Password22", "iloveyou!");
        if (weak.contains(password)) {
            throw CloudException.invalid("the password in key= is one Azure refuses as too common");
        }
    }

    static String adminUser(MachineSpec spec) {
        return spec.adminUsername() == null || spec.adminUsername().isBlank() ? DEFAULT_ADMIN : spec.adminUsername();
    }

    static String computerName(MachineSpec spec) {
        String n = spec.name();
        if (spec.effectiveOsType() == OsType.WINDOWS && n.length() > 15) {
            n = n.substring(0, 15);
        }
        return n.replace("_", "-").replace(".", "-");
    }

    static OSProfile osProfile(MachineSpec spec, String computerName) {
        String user = adminUser(spec);
        OSProfile p = new OSProfile().withComputerName(computerName).withAdminUsername(user);
        if (spec.customData() != null) {
            p.withCustomData(Base64.getEncoder().encodeToString(spec.customData().getBytes(StandardCharsets.UTF_8)));
        }
        if (spec.effectiveOsType() == OsType.WINDOWS) {
            p.withWindowsConfiguration(new WindowsConfiguration().withProvisionVMAgent(true));
        }
        AdminCredential cred = spec.credential();
        if (cred instanceof AdminCredential.SshPublicKey k) {
            p.withLinuxConfiguration(new LinuxConfiguration().withDisablePasswordAuthentication(true)
                    .withSsh(new SshConfiguration().withPublicKeys(List.of(new SshPublicKey()
                            .withPath("/home/" + user + "/.ssh/authorized_keys")
                            .withKeyData(k.publicKey().strip())))));
        } else if (cred instanceof AdminCredential.Password pw) {
            p.withAdminPassword(pw.value());
            if (spec.effectiveOsType() == OsType.LINUX) {
                p.withLinuxConfiguration(new LinuxConfiguration().withDisablePasswordAuthentication(false));
            }
        }
        return p;
    }

    static StorageProfile storageProfile(MachineSpec spec, String diskPrefix) {
        StorageProfile sp = new StorageProfile();
        OSDisk os = new OSDisk().withCreateOption(DiskCreateOptionTypes.FROM_IMAGE).withCaching(CachingTypes.READ_WRITE)
                .withOsType(spec.effectiveOsType() == OsType.WINDOWS ? OperatingSystemTypes.WINDOWS
                        : OperatingSystemTypes.LINUX);
        ImageRef image = spec.image();
        List<DataDisk> data = new ArrayList<>();
        // Managed disks only: a VHD URL is refused in validate (Azure no longer creates unmanaged disks).
        os.withManagedDisk(new ManagedDiskParameters().withStorageAccountType(StorageAccountTypes.STANDARD_SSD_LRS))
                .withDeleteOption(DiskDeleteOptionTypes.DELETE);
        sp.withImageReference(imageReference(image));
        int lun = 0;
        for (int size : spec.dataDiskSizesGb()) {
            data.add(new DataDisk().withLun(lun++).withDiskSizeGB(size)
                    .withCreateOption(DiskCreateOptionTypes.EMPTY)
                    .withManagedDisk(new ManagedDiskParameters()
                            .withStorageAccountType(StorageAccountTypes.STANDARD_SSD_LRS))
                    .withDeleteOption(DiskDeleteOptionTypes.DELETE));
        }
        sp.withOsDisk(os);
        if (!data.isEmpty()) {
            sp.withDataDisks(data);
        }
        return sp;
    }

    static ImageReference imageReference(ImageRef image) {
        if (image instanceof ImageRef.Marketplace m) {
            return new ImageReference().withPublisher(m.publisher()).withOffer(m.offer()).withSku(m.sku())
                    .withVersion(m.version());
        }
        if (image instanceof ImageRef.ResourceId r) {
            return new ImageReference().withId(r.id());
        }
        throw CloudException.invalid("image " + image + " cannot be used here");
    }

    /**
     * Azure's refusal of a marketplace image whose purchase plan's terms are not accepted on the
     * subscription, said with the command that accepts them; any other failure as it is.
     */
    static Throwable explainPurchaseFailure(Throwable failure, MachineSpec spec, Clients c) {
        CloudException ce = AzureErrors.translate(failure, c.connection().redactor());
        boolean terms = ce.code().equalsIgnoreCase("ResourcePurchaseValidationFailed")
                || ce.code().equalsIgnoreCase("MarketplacePurchaseEligibilityFailed")
                || ce.getMessage().contains("legal terms");
        if (!terms || !(spec.image() instanceof ImageRef.Marketplace m)) {
            return failure;
        }
        return new CloudException(ce.code(), "the image " + m + " is sold with a purchase plan whose terms are not"
                + " accepted on subscription " + c.subscription() + "; accept them once with: az vm image terms accept"
                + " --urn " + m.publisher() + ":" + m.offer() + ":" + m.sku() + ":" + m.version() + " --subscription "
                + c.subscription() + " (Azure: " + ce.getMessage() + ")", failure);
    }

    static BillingProfile billing(MachineSpec spec) {
        return spec.spot() == null ? null : new BillingProfile().withMaxPrice(spec.spot().maxPrice());
    }

    /** The user's tags plus the ones by which the server recognises what it made. */
    static Map<String, String> tags(MachineSpec spec, String kind) {
        Map<String, String> t = new LinkedHashMap<>(spec.tags());
        t.put(Names.TAG_MANAGED, kind);
        t.put(Names.TAG_NAME, spec.name());
        return t;
    }
}
