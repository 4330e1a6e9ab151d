package org.azuregahp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code --fake-arm-budgets}: the fake cloud is as unkind as Azure Resource Manager to a burst of
 * creates (a principal's writes come 200 at once and then 10 a second): the creates over the budget fail
 * with Azure's throttling error, before they make anything, and the others succeed. Without the switch
 * the same burst succeeds whole.
 */
class FakeArmBudgetsThroughLauncherTest {
    static final String SUB = LauncherTestSupport.SUB;
    static final Duration WAIT = Duration.ofSeconds(120);
    static final int CREATES = 150;

    private static List<String> creates() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < CREATES; i++) {
            lines.add(LauncherTestSupport.vmCreate(10 + i, "burst" + i, ""));
        }
        return lines;
    }

    @Test
    void aBurstOfCreatesOverTheBudgetsIsThrottledAsAzureDoesAndTheThrottledMakeNothing() throws Exception {
        try (GahpProcess gahp = GahpProcess.start("--cloud", "fake", "--fake-arm-budgets")) {
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            Map<String, List<String>> byId = LauncherTestSupport.resultsOfAll(s, creates(), WAIT);
            assertThat(byId).hasSize(CREATES);
            List<List<String>> made = byId.values().stream().filter(r -> r.get(1).equals("NULL")).toList();
            List<List<String>> refused = byId.values().stream().filter(r -> !r.get(1).equals("NULL")).toList();
            assertThat(made).as("the creates within the budgets").isNotEmpty()
                    .allSatisfy(r -> assertThat(r).hasSize(4));
            assertThat(refused).as("the creates over them").isNotEmpty().allSatisfy(r -> {
                assertThat(r).hasSize(2);
                assertThat(r.get(1)).matches("(SubscriptionRequestsThrottled|TooManyRequests|OperationNotAllowed): .+");
            });

            assertThat(s.command("AZURE_VM_LIST 2 NULL " + SUB)).containsExactly("S");
            List<String> listed = s.result(WAIT);
            assertThat(listed.subList(0, 2)).containsExactly("2", "NULL");
            assertThat(Integer.parseInt(listed.get(2))).as("only the creates that succeeded made a VM")
                    .isEqualTo(made.size());
        }
    }

    @Test
    void withoutTheSwitchTheSameBurstSucceedsWhole() throws Exception {
        try (GahpProcess gahp = GahpProcess.start("--cloud", "fake")) {
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            Map<String, List<String>> byId = LauncherTestSupport.resultsOfAll(s, creates(), WAIT);
            assertThat(byId.values()).hasSize(CREATES).allSatisfy(r -> assertThat(r.get(1)).isEqualTo("NULL"));
        }
    }
}
