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

    /**
     * What the simulator's budget enforcement saw, for a bench's notes: the requests it admitted (by
     * operation type and by {@code METHOD provider/template}), its refusals (429s) by the bucket that
     * refused, and the VM PUTs it admitted per region with the seconds from the first to the last.
     */
    public String budgetCounters() {
        ArmThrottling t = simulator.throttling();
        if (t == null) {
            return "budgets not enforced";
        }
        StringBuilder b = new StringBuilder();
        b.append("admitted ").append(new java.util.TreeMap<>(t.admitted())).append("; 429s ").append(t.refusals())
                .append(" by ").append(new java.util.TreeMap<>(t.refusedBy())).append("; VM PUTs by region");
        t.vmPuts().forEach((region, times) -> b.append(String.format(java.util.Locale.ROOT, " %s %d over %.0f s",
                region, times.size(), times.isEmpty() ? 0.0
                        : (times.get(times.size() - 1) - times.get(0)) / (double) ArmThrottling.S)));
        return b.toString();
    }

    /** Refusals (429s) so far. */
    public int refusals() {
        ArmThrottling t = simulator.throttling();
        return t == null ? 0 : t.refusals();
    }
}
