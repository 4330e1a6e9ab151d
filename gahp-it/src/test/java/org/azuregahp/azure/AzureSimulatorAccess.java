package org.azuregahp.azure;

import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.List;

/**
 * gahp-it's door to the Azure adapter's package-private {@link ArmSimulator} (from the adapter's
 * test-jar): the same small stateful Azure the adapter's contract tests run against, here answering
 * the real launcher. Lives in the adapter's package only to reach that class; nothing else.
 */
public final class AzureSimulatorAccess {
    private final ArmSimulator simulator;

    public AzureSimulatorAccess(String subscription, String tenant) {
        this.simulator = new ArmSimulator(subscription, tenant);
    }

    /** The base URL the simulator writes into ids and links (the WireMock server's https address). */
    public void base(String base) {
        simulator.base(base);
    }

    /** Answers one request as Azure Resource Manager (and the Key Vault data plane) would. */
    public ResponseDefinition answer(ServeEvent event) {
        return simulator.transform(event);
    }

    /** Test seeding: a vault (in its group) holding the named secret. */
    public void seedSecret(String vault, String group, String secret) {
        simulator.seedSecret(vault, group, secret);
    }

    /** Every resource the simulator holds, as lower-cased paths. */
    public List<String> paths() {
        return simulator.paths();
    }
}
