package org.azuregahp.it;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a fake-cloud state document with many VMs directly (far faster than creating them through
 * the protocol): VM {@code i} is named {@link #name}(i), in a resource group of its own, as the fake
 * cloud makes them.
 */
final class LargeState {
    private LargeState() {
    }

    static String name(int i) {
        return String.format("big%06d", i);
    }

    /**
     * @param full whether each group holds everything a create makes (network, security group, public
     *             IP, NIC, OS disk and VM: about 2 KB a VM, as a real state), or the VM alone
     */
    static void write(Path file, int vms, boolean full) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("{\"version\": 2, \"resourceGroups\": [\n");
            for (int i = 0; i < vms; i++) {
                if (i > 0) {
                    w.write(",\n");
                }
                w.write(full ? fullGroup(i) : vmOnly(i));
            }
            w.write("\n], \"deletionSchedules\": []}\n");
        }
    }

    private static String vm(int i, String ip) {
        String n = name(i);
        return "{\"type\":\"Microsoft.Compute/virtualMachines\",\"name\":\"" + n + "\",\"location\":\"westeurope\","
                + "\"vmId\":\"" + String.format("%08d-0000-4000-8000-000000000000", i) + "\",\"size\":\"Standard_B1s\","
                + "\"osType\":\"Linux\",\"provisioningState\":\"succeeded\",\"powerState\":\"running\","
                + "\"publicIpAddress\":" + (ip == null ? "null" : "\"" + ip + "\"") + ",\"tags\":{\"azure-gahp:name\":\""
                + n + "\"},\"image\":\"Canonical:ubuntu-24_04-lts:server:latest\",\"adminUsername\":\"azureuser\","
                + "\"authentication\":\"sshPublicKey\",\"priority\":\"Regular\",\"networkInterface\":\"" + n + "-nic\","
                + "\"osDisk\":\"" + n + "-osdisk\"}";
    }

    private static String vmOnly(int i) {
        String n = name(i);
        return "{\"subscription\":\"" + LauncherTestSupport.SUB + "\",\"name\":\"" + n + "\",\"location\":\"westeurope\","
                + "\"tags\":{\"azure-gahp:name\":\"" + n + "\"},\"resources\":[" + vm(i, null) + "]}";
    }

    private static String fullGroup(int i) {
        String n = name(i);
        String sub = LauncherTestSupport.SUB;
        String prefix = "/subscriptions/" + sub + "/resourceGroups/" + n + "/providers/";
        // Addresses from the benchmarking range 198.18.0.0/15 (the fake's pool after the documentation ranges).
        int block = i / 251;
        String ip = "198." + (18 + block / 256) + "." + (block % 256) + "." + (4 + i % 251);
        return "{\"subscription\":\"" + sub + "\",\"name\":\"" + n + "\",\"location\":\"westeurope\","
                + "\"tags\":{\"azure-gahp:name\":\"" + n + "\"},\"resources\":["
                + "{\"type\":\"Microsoft.Network/virtualNetworks\",\"name\":\"" + n + "-vnet\",\"addressPrefix\":"
                + "\"10.0.0.0/16\",\"subnets\":[{\"name\":\"default\",\"addressPrefix\":\"10.0.0.0/24\"}]},"
                + "{\"type\":\"Microsoft.Network/networkSecurityGroups\",\"name\":\"" + n + "-nsg\",\"securityRules\":"
                + "[{\"name\":\"allow-ssh\",\"direction\":\"Inbound\",\"protocol\":\"Tcp\",\"destinationPort\":22,"
                + "\"access\":\"Allow\"}]},"
                + "{\"type\":\"Microsoft.Network/publicIPAddresses\",\"name\":\"" + n + "-ip\",\"ipAddress\":\"" + ip
                + "\",\"sku\":\"Standard\",\"allocationMethod\":\"Static\",\"attachedTo\":\"" + prefix
                + "Microsoft.Network/networkInterfaces/" + n + "-nic\"},"
                + "{\"type\":\"Microsoft.Network/networkInterfaces\",\"name\":\"" + n + "-nic\",\"privateIpAddress\":"
                + "\"10.0.0.4\",\"subnet\":\"" + prefix + "Microsoft.Network/virtualNetworks/" + n
                + "-vnet/subnets/default\",\"networkSecurityGroup\":\"" + prefix
                + "Microsoft.Network/networkSecurityGroups/" + n + "-nsg\",\"publicIpAddress\":\"" + prefix
                + "Microsoft.Network/publicIPAddresses/" + n + "-ip\"},"
                + "{\"type\":\"Microsoft.Compute/disks\",\"name\":\"" + n + "-osdisk\",\"role\":\"os\",\"sizeGb\":30},"
                + vm(i, ip) + "]}";
    }
}
