package org.azuregahp.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.azuregahp.fake.Support.SUB;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.azuregahp.ports.AccountRef;
import org.azuregahp.ports.CloudAccount;
import org.azuregahp.ports.ResourceRef;
import org.azuregahp.ports.ScaleSetSpec;
import org.azuregahp.ports.ScaleSetStatus;
import org.azuregahp.ports.VmCreated;
import org.azuregahp.ports.VmQuery;
import org.azuregahp.ports.VmStatus;
import org.junit.jupiter.api.Test;

/**
 * A delete that fails part-way puts back the state the VM or scale set has when it fails, not the
 * state it had when the delete started: an operation that finished while the delete ran (the create
 * underneath it, a stop) keeps its effect. Time is moved by hand ({@link ManualTimer}), faults come
 * from the seeded fault injection; each test goes through seeds until the race happened often enough.
 */
class FailedDeleteTest {
    private static final Duration LATENCY = Duration.ofSeconds(10);
    private static final Duration HALF = LATENCY.dividedBy(2);

    private static FakeCloud cloud(long seed, ManualTimer timer) {
        return FakeCloud.builder().latency(LATENCY).failureRate(0.5).seed(seed).timer(timer).build();
    }

    private static CloudAccount account(FakeCloud c) {
        return c.account(new AccountRef(null, SUB));
    }

    /** The owner's resource in the state document, or null. */
    private static JsonNode resource(FakeCloud c, String type, String name) {
        for (JsonNode g : Support.groups(Support.state(c), SUB)) {
            for (JsonNode r : g.get("resources")) {
                if (r.get("type").asText().equals(type) && r.get("name").asText().equals(name)) {
                    return r;
                }
            }
        }
        return null;
    }

    /** A read, tried again while injected faults fail it (reads change nothing). */
    private static <T> T read(ManualTimer timer, java.util.function.Supplier<CompletionStage<T>> read) {
        for (int i = 0; ; i++) {
            CompletableFuture<T> f = read.get().toCompletableFuture();
            timer.advance(LATENCY.multipliedBy(2));
            assertThat(f).isDone();
            if (!f.isCompletedExceptionally() || i == 50) {
                return f.join();
            }
        }
    }

    @Test
    void aDeleteFailingAfterTheCreateUnderneathFinishedLeavesTheVmRunning() {
        int raced = 0;
        for (long seed = 1; seed <= 400 && raced < 5; seed++) {
            ManualTimer timer = new ManualTimer();
            try (FakeCloud c = cloud(seed, timer)) {
                CloudAccount a = account(c);
                CompletableFuture<VmCreated> create = a.virtualMachines().create(Support.vm("racevm"))
                        .toCompletableFuture();
                timer.advance(HALF);
                CompletableFuture<Void> delete = a.virtualMachines().delete(ResourceRef.named("racevm"))
                        .toCompletableFuture();
                JsonNode during = resource(c, Model.VM, "racevm");
                boolean marked = during != null && during.get("provisioningState").asText().equals("deleting");
                timer.advance(LATENCY.multipliedBy(2));
                assertThat(create).isDone();
                assertThat(delete).isDone();
                if (!marked || create.isCompletedExceptionally() || !delete.isCompletedExceptionally()) {
                    continue; // not the race: the create failed, or the delete failed before it marked the VM, or succeeded
                }
                raced++;
                List<VmStatus> listed = read(timer, () -> a.virtualMachines().list(VmQuery.all()));
                assertThat(listed).as("seed " + seed).extracting(VmStatus::statusText)
                        .containsExactly("ProvisioningState/succeeded,PowerState/running");
                CompletableFuture<VmCreated> again = a.virtualMachines().create(Support.vm("racevm"))
                        .toCompletableFuture();
                timer.advance(LATENCY.multipliedBy(2));
                if (!again.isCompletedExceptionally()) {
                    assertThat(again.join()).as("seed " + seed).isEqualTo(create.join());
                }
            }
        }
        assertThat(raced).isPositive();
    }

    @Test
    void aDeleteFailingAfterTheCreateUnderneathFinishedLeavesTheScaleSetRunning() {
        int raced = 0;
        for (long seed = 1; seed <= 400 && raced < 5; seed++) {
            ManualTimer timer = new ManualTimer();
            try (FakeCloud c = cloud(seed, timer)) {
                CloudAccount a = account(c);
                CompletableFuture<Void> create = a.scaleSets().create(new ScaleSetSpec(Support.vm("racess"), 2, null))
                        .toCompletableFuture();
                timer.advance(HALF);
                CompletableFuture<Void> delete = a.scaleSets().delete(ResourceRef.named("racess")).toCompletableFuture();
                JsonNode during = resource(c, Model.VMSS, "racess");
                boolean marked = during != null && during.get("provisioningState").asText().equals("deleting");
                timer.advance(LATENCY.multipliedBy(2));
                if (!marked || create.isCompletedExceptionally() || !delete.isCompletedExceptionally()) {
                    continue;
                }
                raced++;
                assertThat(read(timer, () -> a.scaleSets().list("racess"))).as("seed " + seed).singleElement()
                        .satisfies(s -> {
                            assertThat(s.capacity()).isEqualTo(2);
                            assertThat(s.statusText()).isEqualTo("ProvisioningState/succeeded,PowerState/running");
                        });
                for (JsonNode in : resource(c, Model.VMSS, "racess").get("instances")) {
                    assertThat(in.get("provisioningState").asText()).as("seed " + seed).isEqualTo("succeeded");
                    assertThat(in.get("powerState").asText()).as("seed " + seed).isEqualTo("running");
                }
            }
        }
        assertThat(raced).isPositive();
    }

    @Test
    void aDeleteFailingWhileAStopRanLeavesWhatTheStopLeft() {
        int stopDone = 0;
        int stopFailed = 0;
        for (long seed = 1; seed <= 600 && (stopDone < 3 || stopFailed < 3); seed++) {
            ManualTimer timer = new ManualTimer();
            try (FakeCloud c = cloud(seed, timer)) {
                CloudAccount a = account(c);
                CompletableFuture<Void> create = a.scaleSets().create(new ScaleSetSpec(Support.vm("pool"), 2, null))
                        .toCompletableFuture();
                timer.advance(LATENCY.multipliedBy(2));
                if (create.isCompletedExceptionally()) {
                    continue;
                }
                CompletableFuture<Void> stop = a.scaleSets().stop(ResourceRef.named("pool")).toCompletableFuture();
                timer.advance(HALF);
                CompletableFuture<Void> delete = a.scaleSets().delete(ResourceRef.named("pool")).toCompletableFuture();
                JsonNode during = resource(c, Model.VMSS, "pool");
                boolean marked = during != null && during.get("provisioningState").asText().equals("deleting");
                timer.advance(LATENCY.multipliedBy(2));
                if (!marked || !delete.isCompletedExceptionally()) {
                    continue;
                }
                boolean stopped = !stop.isCompletedExceptionally();
                if (stopped) {
                    stopDone++;
                } else {
                    stopFailed++;
                }
                String power = stopped ? "deallocated" : "running";
                List<ScaleSetStatus> listed = read(timer, () -> a.scaleSets().list("pool"));
                assertThat(listed).as("seed " + seed + ", stop " + (stopped ? "done" : "failed")).singleElement()
                        .extracting(ScaleSetStatus::statusText)
                        .isEqualTo("ProvisioningState/succeeded,PowerState/" + power);
                for (JsonNode in : resource(c, Model.VMSS, "pool").get("instances")) {
                    assertThat(in.get("provisioningState").asText()).as("seed " + seed).isEqualTo("succeeded");
                    assertThat(in.get("powerState").asText()).as("seed " + seed).isEqualTo(power);
                }
            }
        }
        assertThat(stopDone).isPositive();
        assertThat(stopFailed).isPositive();
    }
}
