package org.azuregahp.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import org.azuregahp.ports.AdminCredential;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.ImageRef;
import org.azuregahp.ports.MachineSpec;

/**
 * What every port contract shares: waiting for stages, reading their failures, and specs that any
 * correct adapter accepts. Subclasses may override the defaults (location, size, image, timeout).
 */
public abstract class ContractSupport {

    /** How long one operation may take. */
    protected Duration timeout() {
        return Duration.ofSeconds(30);
    }

    protected String location() {
        return "westeurope";
    }

    protected String size() {
        return "Standard_B1s";
    }

    protected ImageRef image() {
        return new ImageRef.Marketplace("Canonical", "ubuntu-24_04-lts", "server", "latest");
    }

    protected AdminCredential credential() {
        return new AdminCredential.SshPublicKey("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCcontracttest contract@test");
    }

    /** A fresh lower-case name, valid for Linux VMs and scale sets, unlikely to exist. */
    protected String uniqueName(String prefix) {
        String s = (prefix + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36)).toLowerCase(Locale.ROOT);
        return s.substring(0, Math.min(20, s.length()));
    }

    /** A Linux machine with an SSH key and the default network and public IP. */
    protected MachineSpec machine(String name) {
        return new MachineSpec(name, location(), size(), image(), "azureuser", credential(), null, null, null,
                null, null, null, null);
    }

    /** The stage's value, or the test fails; a failure is rethrown as the CloudException it carries. */
    protected <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(timeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new AssertionError("the operation failed with a checked exception", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the operation did not finish within " + timeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** The CloudException the stage fails with; the test fails if it succeeds or fails otherwise. */
    protected CloudException failure(CompletionStage<?> stage) {
        try {
            Object value = await(stage);
            return fail("expected the operation to fail, but it answered " + value);
        } catch (CloudException e) {
            assertThat(e.code()).as("error code").isNotBlank();
            assertThat(e.getMessage()).as("error message").isNotBlank();
            return e;
        }
    }

    /** Runs a cleanup step, ignoring its failure (the test's own assertion matters more). */
    protected void quietly(Runnable cleanup) {
        try {
            cleanup.run();
        } catch (RuntimeException | AssertionError e) {
            // best effort
        }
    }
}
