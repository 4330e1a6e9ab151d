package org.azuregahp.ports;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a VM (or each VM of a scale set) is made of. Values are already validated by the GAHP
 * domain; adapters enforce the cloud's own rules (naming, known locations and sizes, quotas).
 *
 * @param name          the VM's name, also the name of its resource group
 * @param location      an Azure region name, e.g. {@code westeurope}
 * @param size          a VM size, e.g. {@code Standard_B1s}
 * @param image         what to boot
 * @param adminUsername the administrator account; null for the adapter's default ({@code azureuser})
 * @param credential    an SSH public key or a password; null when none was given
 * @param dataDiskSizesGb sizes of empty data disks to attach, 1..4095 each
 * @param network       an existing virtual network and subnet to join; null for the default network
 * @param publicIp      whether and which public IP the VM gets
 * @param customData    cloud-init / custom data text; null for none
 * @param tags          extra tags (a tag given without value has the empty string)
 * @param osType        the operating system; null to infer it from the image
 * @param spot          spot pricing; null for regular priority
 */
public record MachineSpec(
        String name,
        String location,
        String size,
        ImageRef image,
        String adminUsername,
        AdminCredential credential,
        List<Integer> dataDiskSizesGb,
        NetworkRef network,
        PublicIpChoice publicIp,
        String customData,
        Map<String, String> tags,
        OsType osType,
        SpotPricing spot) {

    public MachineSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(image, "image");
        dataDiskSizesGb = List.copyOf(dataDiskSizesGb == null ? List.of() : dataDiskSizesGb);
        publicIp = publicIp == null ? new PublicIpChoice.New() : publicIp;
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags == null ? Map.of() : tags));
    }

    /** A spec with only the required values; the rest take their defaults. */
    public static MachineSpec of(String name, String location, String size, ImageRef image) {
        return new MachineSpec(name, location, size, image, null, null, List.of(), null, null, null,
                Map.of(), null, null);
    }

    /** The OS type given, else the one the image implies. */
    public OsType effectiveOsType() {
        return osType != null ? osType : image.impliedOsType();
    }

    /** Keeps the credential out of logs and exception messages. */
    @Override
    public String toString() {
        return "MachineSpec[name=" + name + ", location=" + location + ", size=" + size + ", image=" + image
                + ", adminUsername=" + adminUsername + ", credential=" + credential
                + ", dataDiskSizesGb=" + dataDiskSizesGb + ", network=" + network + ", publicIp=" + publicIp
                + ", customData=" + (customData == null ? "null" : "<" + customData.length() + " chars>")
                + ", tags=" + tags + ", osType=" + osType + ", spot=" + spot + "]";
    }
}
