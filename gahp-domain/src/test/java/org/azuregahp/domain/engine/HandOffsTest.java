package org.azuregahp.domain.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.azuregahp.domain.engine.GahpEngineTest.H;
import static org.azuregahp.domain.engine.GahpEngineTest.VM;
import static org.azuregahp.domain.engine.GahpEngineTest.results;
import static org.azuregahp.domain.engine.GahpEngineTest.started;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.azuregahp.ports.LocalFiles;
import org.junit.jupiter.api.Test;

/**
 * The work of a request that completes without waiting is not handed from thread to thread more
 * than it must be (lockstep speed, issue 12.4), and still gets exactly one result, in completion
 * order, with its deadline armed while anything is outstanding. On {@link ManualTime}: each
 * hand-off to the engine's workers is one task the test runs.
 */
class HandOffsTest {

    private static final String KEY = "ssh-ed25519 AAAAC3Nz a@b";

    @Test
    void aFileAnsweredAtOnceGoesOnInTheSameTaskAndTheRequestGetsOneResult() {
        List<String> reads = new ArrayList<>();
        LocalFiles local = (path, max) -> {
            reads.add(path);
            return CompletableFuture.completedFuture(Optional.of(KEY));
        };
        StubCloud cloud = new StubCloud();
        try (Conversation c = started(cloud, EngineConfig.defaults(), local)) {
            c.send("AZURE_VM_CREATE 1" + H + " " + VM + " key=/home/a/id.pub").expect("S");
            assertThat(c.time.executor.size()).as("one task: the request's run").isEqualTo(1);
            assertThat(c.time.scheduler.size()).as("its deadline is armed before it runs").isEqualTo(1);
            assertThat(c.time.executor.runAll()).as("read and create in that one task, no hop back").isEqualTo(1);
            assertThat(reads).containsExactly("/home/a/id.pub");
            assertThat(cloud.calls).extracting(StubCloud.Call::op).containsExactly("vm.create");
            c.awaitResults(1);
            assertThat(c.time.scheduler.size()).as("the deadline went with the answer").isZero();
            c.time.advance(Duration.ofHours(1));
            assertThat(c.results).as("nothing more").isEmpty();
            assertThat(results(c, "")).containsExactly("1 NULL vm-id-vm1 NULL");
        }
    }

    @Test
    void aFileAnsweredLaterGoesBackToTheEnginesWorkersAndTheDeadlineStaysArmedMeanwhile() {
        CompletableFuture<Optional<String>> disk = new CompletableFuture<>();
        StubCloud cloud = new StubCloud();
        EngineConfig cfg = EngineConfig.defaults().withRequestTimeout(Duration.ofSeconds(30));
        try (Conversation c = started(cloud, cfg, (path, max) -> disk)) {
            c.send("AZURE_VM_CREATE 1" + H + " " + VM + " key=/home/a/id.pub").expect("S");
            c.send("AZURE_VM_CREATE 2" + H + " name=vm2 location=westeurope image=linux-ubuntu-latest"
                    + " size=Standard_B1s key=/home/a/id.pub").expect("S");
            assertThat(c.time.executor.runAll()).isEqualTo(2);
            assertThat(c.time.scheduler.size()).as("both deadlines armed while the file is read").isEqualTo(2);
            disk.complete(Optional.of(KEY)); // on the file port's thread (here the test's)
            assertThat(cloud.calls).as("the work does not go on on the file port's thread").isEmpty();
            assertThat(c.time.executor.size()).isEqualTo(2);
            c.awaitResults(2);
            assertThat(cloud.calls).extracting(StubCloud.Call::op).containsExactly("vm.create", "vm.create");
            assertThat(c.time.scheduler.size()).isZero();
            assertThat(results(c, "")).containsExactlyInAnyOrder("1 NULL vm-id-vm1 NULL", "2 NULL vm-id-vm2 NULL");
        }
    }

    @Test
    void aFileThatNeverAnswersStillTimesOutOnce() {
        CompletableFuture<Optional<String>> never = new CompletableFuture<>();
        StubCloud cloud = new StubCloud();
        EngineConfig cfg = EngineConfig.defaults().withRequestTimeout(Duration.ofSeconds(30));
        try (Conversation c = started(cloud, cfg, (path, max) -> never)) {
            c.send("AZURE_VM_CREATE 1" + H + " " + VM + " key=/home/a/id.pub").expect("S");
            c.time.advance(Duration.ofSeconds(30).minusMillis(1));
            assertThat(c.results).isEmpty();
            c.time.advance(Duration.ofMillis(1));
            c.awaitResults(1);
            never.complete(Optional.of(KEY));
            c.time.advance(Duration.ofHours(1));
            assertThat(c.results).as("the late file adds no second result").isEmpty();
            assertThat(results(c, "")).containsExactly(
                    "1 OperationTimedOut:\\ AZURE_VM_CREATE\\ got\\ no\\ answer\\ from\\ the\\ cloud\\ within\\ 30\\ s");
        }
    }

    @Test
    void requestsTheCloudAnswersAtOnceGetOneResultEachInOrderAndLeaveNoDeadlineBehind() {
        StubCloud cloud = new StubCloud(); // answers every ping with a completed stage
        CompletableFuture<Void> held = new CompletableFuture<>();
        cloud.on("ping", account -> cloud.calls.size() == 2 ? held : CompletableFuture.completedFuture(null));
        try (Conversation c = started(cloud)) {
            for (int i = 1; i <= 4; i++) {
                c.send("AZURE_PING " + i + H).expect("S");
            }
            c.send("AZURE_PING 2" + H).expect("S"); // still running: a duplicate, answered at once
            c.awaitResults(4);
            assertThat(c.time.scheduler.size()).as("only the held request's deadline").isEqualTo(1);
            held.complete(null);
            c.awaitResults(1);
            assertThat(c.time.scheduler.size()).isZero();
            List<String> r = results(c, "");
            assertThat(r.get(0)).startsWith("2 DuplicateRequestId");
            assertThat(r.subList(1, 5)).containsExactly("1 NULL", "3 NULL", "4 NULL", "2 NULL");
            c.time.advance(Duration.ofHours(1));
            assertThat(c.results).isEmpty();
        }
    }
}
