package org.azuregahp.cli;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Values the shell offers when completing {@code key=}: Azure locations and sizes, image aliases,
 * and (on the fake cloud) the names of existing VMs and scale sets. Sizes and images Azure has
 * retired (e.g. {@code Standard_NC6s_v3}, Ubuntu 18.04) are not offered.
 *
 * @param vmNames       the VMs that exist now (empty on Azure: listing them would cost a cloud call)
 * @param scaleSetNames the scale sets that exist now
 */
record KnownValues(Supplier<Set<String>> vmNames, Supplier<Set<String>> scaleSetNames) {

    static final List<String> LOCATIONS = List.of("australiaeast", "brazilsouth", "canadacentral", "centralindia",
            "centralus", "eastasia", "eastus", "eastus2", "francecentral", "germanywestcentral", "japaneast",
            "koreacentral", "northcentralus", "northeurope", "norwayeast", "southafricanorth", "southcentralus",
            "southeastasia", "swedencentral", "switzerlandnorth", "uaenorth", "uksouth", "westeurope", "westus",
            "westus2", "westus3");

    static final List<String> SIZES = List.of("Standard_B1s", "Standard_B1ms", "Standard_B2s", "Standard_B2ms",
            "Standard_D2s_v3", "Standard_D4s_v3", "Standard_D2s_v5", "Standard_D4s_v5", "Standard_D8s_v5",
            "Standard_E2s_v5", "Standard_F2s_v2", "Standard_F4s_v2", "Standard_NC4as_T4_v3");

    /** Only images with support: no end-of-life ones (Ubuntu 18.04, UbuntuServer) among them. */
    static final List<String> IMAGES = List.of("linux-ubuntu-latest", "windows-server-latest",
            "Canonical:ubuntu-24_04-lts:server:latest", "Canonical:ubuntu-22_04-lts:server:latest");

    /** Fixed values per {@code key=} name (lower case). */
    static final Map<String, List<String>> BY_KEY = Map.of(
            "location", LOCATIONS,
            "size", SIZES,
            "image", IMAGES,
            "publicipaddress", List.of("dynamic", "none"),
            "ostype", List.of("linux", "windows"),
            "sku", List.of("standard", "premium"),
            "priority", List.of("regular", "spot"),
            "deletionjob", List.of("true", "false"));

    static KnownValues none() {
        return new KnownValues(Set::of, Set::of);
    }
}
