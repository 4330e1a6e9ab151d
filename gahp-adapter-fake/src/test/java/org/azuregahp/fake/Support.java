package org.azuregahp.fake;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.azuregahp.ports.AdminCredential;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.ImageRef;
import org.azuregahp.ports.MachineSpec;
import org.azuregahp.ports.NetworkRef;
import org.azuregahp.ports.OsType;
import org.azuregahp.ports.PublicIpChoice;

/** Helpers for the fake's own tests. */
final class Support {
    static final String SUB = "11111111-2222-3333-4444-555555555555";
    static final ImageRef UBUNTU = new ImageRef.Marketplace("Canonical", "ubuntu-24_04-lts", "server", "latest");
    static final AdminCredential KEY = new AdminCredential.SshPublicKey("ssh-rsa AAAAB3NzaC1yc2E test@host");
    static final ObjectMapper JSON = new ObjectMapper();

    private Support() {
    }

    static MachineSpec vm(String name) {
        return new MachineSpec(name, "westeurope", "Standard_B1s", UBUNTU, "azureuser", KEY, List.of(), null, null,
                null, Map.of(), null, null);
    }

    static MachineSpec vm(String name, PublicIpChoice ip) {
        return new MachineSpec(name, "westeurope", "Standard_B1s", UBUNTU, "azureuser", KEY, List.of(16), null, ip,
                null, Map.of(), null, null);
    }

    static MachineSpec vm(String name, String location, String size, OsType os, AdminCredential cred) {
        return new MachineSpec(name, location, size, UBUNTU, "azureuser", cred, List.of(), null, null, null, Map.of(),
                os, null);
    }

    static MachineSpec vmIn(String name, NetworkRef network) {
        return new MachineSpec(name, "westeurope", "Standard_B1s", UBUNTU, "azureuser", KEY, List.of(), network,
                null, null, Map.of(), null, null);
    }

    static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new AssertionError(e.getCause());
        } catch (TimeoutException | InterruptedException e) {
            throw new AssertionError("the operation did not finish", e);
        }
    }

    static CloudException failure(CompletionStage<?> stage) {
        try {
            Object v = await(stage);
            return fail("expected a failure, got " + v);
        } catch (CloudException e) {
            return e;
        }
    }

    static JsonNode state(FakeCloud cloud) {
        try {
            return JSON.readTree(cloud.stateJson());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The resource groups of a subscription in the state document. */
    static JsonNode groups(JsonNode state, String subscription) {
        com.fasterxml.jackson.databind.node.ArrayNode out = JSON.createArrayNode();
        for (JsonNode g : state.get("resourceGroups")) {
            if (g.get("subscription").asText().equals(subscription)) {
                out.add(g);
            }
        }
        return out;
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
