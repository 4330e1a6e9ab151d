package org.azuregahp.domain.command;

import java.time.Instant;
import java.util.Objects;
import org.azuregahp.ports.AccountRef;
import org.azuregahp.ports.ResourceRef;
import org.azuregahp.ports.VaultSecretRef;
import org.azuregahp.ports.VaultSpec;
import org.azuregahp.ports.VmQuery;

/**
 * A request to the cloud: {@code <COMMAND> <request-id> <cred-file> <subscription> [args...]},
 * already parsed into typed values. {@code credentialFile} is null for the protocol's {@code NULL}
 * (the machine's ambient login).
 */
public sealed interface CloudRequest extends Command {

    String requestId();

    String credentialFile();

    String subscription();

    default AccountRef account() {
        return new AccountRef(credentialFile(), subscription());
    }

    private static void header(String requestId, String subscription) {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(subscription, "subscription");
        if (requestId.isEmpty()) {
            throw new IllegalArgumentException("the request id is empty");
        }
    }

    record Ping(String requestId, String credentialFile, String subscription) implements CloudRequest {
        public Ping {
            header(requestId, subscription);
        }
    }

    record VmCreate(String requestId, String credentialFile, String subscription, MachineRequest machine)
            implements CloudRequest {
        public VmCreate {
            header(requestId, subscription);
            Objects.requireNonNull(machine, "machine");
        }
    }

    record VmDelete(String requestId, String credentialFile, String subscription, ResourceRef vm)
            implements CloudRequest {
        public VmDelete {
            header(requestId, subscription);
            Objects.requireNonNull(vm, "vm");
        }
    }

    record VmList(String requestId, String credentialFile, String subscription, VmQuery query)
            implements CloudRequest {
        public VmList {
            header(requestId, subscription);
            Objects.requireNonNull(query, "query");
        }
    }

    /**
     * @param nodeCount the instance count, 0..1000
     * @param secret    the vault secret every instance installs, or null
     * @param deleteAt  when the scale set's resource group is deleted automatically, or null
     */
    record VmssCreate(String requestId, String credentialFile, String subscription, MachineRequest machine,
            int nodeCount, VaultSecretRef secret, Instant deleteAt) implements CloudRequest {
        public VmssCreate {
            header(requestId, subscription);
            Objects.requireNonNull(machine, "machine");
            if (nodeCount < 0 || nodeCount > CommandParser.MAX_NODE_COUNT) {
                throw new IllegalArgumentException(
                        "nodecount must be between 0 and " + CommandParser.MAX_NODE_COUNT);
            }
        }
    }

    record VmssDelete(String requestId, String credentialFile, String subscription, ResourceRef scaleSet)
            implements CloudRequest {
        public VmssDelete {
            header(requestId, subscription);
            Objects.requireNonNull(scaleSet, "scaleSet");
        }
    }

    record VmssStart(String requestId, String credentialFile, String subscription, ResourceRef scaleSet)
            implements CloudRequest {
        public VmssStart {
            header(requestId, subscription);
            Objects.requireNonNull(scaleSet, "scaleSet");
        }
    }

    record VmssStop(String requestId, String credentialFile, String subscription, ResourceRef scaleSet)
            implements CloudRequest {
        public VmssStop {
            header(requestId, subscription);
            Objects.requireNonNull(scaleSet, "scaleSet");
        }
    }

    record VmssRestart(String requestId, String credentialFile, String subscription, ResourceRef scaleSet)
            implements CloudRequest {
        public VmssRestart {
            header(requestId, subscription);
            Objects.requireNonNull(scaleSet, "scaleSet");
        }
    }

    record VmssScale(String requestId, String credentialFile, String subscription, ResourceRef scaleSet,
            int nodeCount) implements CloudRequest {
        public VmssScale {
            header(requestId, subscription);
            Objects.requireNonNull(scaleSet, "scaleSet");
            if (nodeCount < 0 || nodeCount > CommandParser.MAX_NODE_COUNT) {
                throw new IllegalArgumentException(
                        "nodecount must be between 0 and " + CommandParser.MAX_NODE_COUNT);
            }
        }
    }

    /** @param scaleSetName the one scale set to list, or null for all */
    record VmssList(String requestId, String credentialFile, String subscription, String scaleSetName)
            implements CloudRequest {
        public VmssList {
            header(requestId, subscription);
        }
    }

    record KeyvaultCreate(String requestId, String credentialFile, String subscription, VaultSpec vault)
            implements CloudRequest {
        public KeyvaultCreate {
            header(requestId, subscription);
            Objects.requireNonNull(vault, "vault");
        }
    }
}
