package org.azuregahp.domain.command;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.azuregahp.ports.AdminCredential;
import org.azuregahp.ports.ImageRef;
import org.azuregahp.ports.MachineSpec;
import org.azuregahp.ports.NetworkRef;
import org.azuregahp.ports.OsType;
import org.azuregahp.ports.PublicIpChoice;
import org.azuregahp.ports.SpotPricing;

/**
 * A VM (or scale-set instance) as a create request describes it: a {@link MachineSpec} whose
 * {@code key=} and {@code customData=} may still name local files. {@link #toSpec} makes the spec
 * once those are read.
 */
public record MachineRequest(
        String name,
        String location,
        String size,
        ImageRef image,
        String adminUsername,
        KeySource key,
        List<Integer> dataDiskSizesGb,
        NetworkRef network,
        PublicIpChoice publicIp,
        CustomDataSource customData,
        Map<String, String> tags,
        OsType osType,
        SpotPricing spot) {

    public MachineRequest {
        requireText(name, "name");
        requireText(location, "location");
        requireText(size, "size");
        Objects.requireNonNull(image, "image");
        dataDiskSizesGb = List.copyOf(dataDiskSizesGb == null ? List.of() : dataDiskSizesGb);
        for (int gb : dataDiskSizesGb) {
            if (gb < 1 || gb > CommandParser.MAX_DISK_GB) {
                throw new IllegalArgumentException(
                        "a data disk size must be between 1 and " + CommandParser.MAX_DISK_GB + " GB");
            }
        }
        publicIp = publicIp == null ? new PublicIpChoice.New() : publicIp;
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags == null ? Map.of() : tags));
    }

    private static void requireText(String v, String what) {
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException(what + " is required");
        }
    }

    /** The spec with the credential and custom data resolved (either may be null). */
    public MachineSpec toSpec(AdminCredential credential, String resolvedCustomData) {
        return new MachineSpec(name, location, size, image, adminUsername, credential, dataDiskSizesGb, network,
                publicIp, resolvedCustomData, tags, osType, spot);
    }
}
