package org.azuregahp.azure;

import com.azure.resourcemanager.compute.fluent.models.VirtualMachineScaleSetExtensionInner;
import java.util.Map;
import org.azuregahp.ports.OsType;

/**
 * The VM extension that installs a vault secret at boot: it asks the instance metadata service for a
 * Key Vault token as the scale set's user-assigned identity, reads the secret, and writes it to a file
 * only root (or Administrators and SYSTEM) can read. It retries for a while, since a fresh access
 * grant can take a minute to apply. The secret never passes through the GAHP or the extension's
 * settings; only the vault URI, the secret's name and the identity's client id do.
 */
final class SecretInstall {
    static final String LINUX_DIR = "/root/.azure-gahp/secrets";
    static final String WINDOWS_DIR = "C:\\ProgramData\\azure-gahp\\secrets";

    private SecretInstall() {
    }

    static VirtualMachineScaleSetExtensionInner extension(OsType os, String vaultUri, String secretName, String clientId) {
        String base = vaultUri.endsWith("/") ? vaultUri : vaultUri + "/";
        String resource = AzureSecretVaults.vaultResource(vaultUri);
        String tokenUrl = "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource="
                + resource + "&client_id=" + clientId;
        String secretUrl = base + "secrets/" + secretName + "?api-version=7.4";
        if (os == OsType.WINDOWS) {
            String file = WINDOWS_DIR + "\\" + secretName;
            String ps = "$ErrorActionPreference='Stop'; New-Item -ItemType Directory -Force -Path '" + WINDOWS_DIR
                    + "' | Out-Null; icacls '" + WINDOWS_DIR + "' /inheritance:r /grant:r 'SYSTEM:(OI)(CI)F' "
                    + "'Administrators:(OI)(CI)F' | Out-Null; for ($i=0; $i -lt 60; $i++) { try { "
                    + "$t=(Invoke-RestMethod -Headers @{Metadata='true'} -Uri '" + tokenUrl + "').access_token; "
                    + "$s=(Invoke-RestMethod -Headers @{Authorization=\"Bearer $t\"} -Uri '" + secretUrl + "').value; "
                    + "[IO.File]::WriteAllText('" + file + "', $s); exit 0 } catch { Start-Sleep -Seconds 10 } }; exit 1";
            return new VirtualMachineScaleSetExtensionInner().withName("azure-gahp-secret")
                    .withPublisher("Microsoft.Compute").withTypePropertiesType("CustomScriptExtension")
                    .withTypeHandlerVersion("1.10").withAutoUpgradeMinorVersion(true)
                    .withProtectedSettings(Map.of("commandToExecute",
                            "powershell -ExecutionPolicy Unrestricted -NoProfile -Command \"" + ps.replace("\"", "\\\"")
                                    + "\""));
        }
        String file = LINUX_DIR + "/" + secretName;
        String sh = "set -u; umask 077; mkdir -p " + LINUX_DIR + "; chmod 700 /root/.azure-gahp " + LINUX_DIR + "; "
                + "for i in $(seq 1 60); do "
                + "t=$(curl -sf -H Metadata:true '" + tokenUrl + "' | sed -n 's/.*\"access_token\":\"\\([^\"]*\\)\".*/\\1/p'); "
                + "if [ -n \"$t\" ] && curl -sf -H \"Authorization: Bearer $t\" '" + secretUrl + "' -o " + file + ".json; then "
                + "(python3 -c 'import json,sys; sys.stdout.write(json.load(sys.stdin)[\"value\"])' < " + file + ".json "
                + "|| sed -n 's/.*\"value\":\"\\([^\"]*\\)\".*/\\1/p' " + file + ".json) > " + file + "; "
                + "rm -f " + file + ".json; chmod 600 " + file + "; exit 0; fi; sleep 10; done; exit 1";
        return new VirtualMachineScaleSetExtensionInner().withName("azure-gahp-secret")
                .withPublisher("Microsoft.Azure.Extensions").withTypePropertiesType("CustomScript")
                .withTypeHandlerVersion("2.1").withAutoUpgradeMinorVersion(true)
                .withProtectedSettings(Map.of("commandToExecute", "/bin/sh -c \"" + sh.replace("\\", "\\\\")
                        .replace("\"", "\\\"").replace("$", "\\$") + "\""));
    }
}
