package org.azuregahp.cli;

import java.time.Clock;
import java.time.Duration;

import org.azuregahp.azure.AzureCloud;
import org.azuregahp.azure.AzureSettings;
import org.azuregahp.domain.engine.EngineConfig;
import org.azuregahp.fake.FakeCloud;
import org.azuregahp.ports.Cloud;
import org.azuregahp.ports.credentials.CredentialSource;

/**
 * The composition root's factory methods: everything is built here with {@code new} (or the
 * adapters' own factories) from the settings. No container, no singletons.
 */
final class Wiring {
    /** The gridmanager reads lines into a ~500 KB buffer: never write a line longer than this. */
    static final int MAX_RESULT_LINE_BYTES = 400_000;

    private Wiring() {
    }

    static EngineConfig engineConfig(Settings settings, BuildInfo build) {
        return new EngineConfig(build.version(), build.buildDate(), BuildInfo.DESCRIPTION, settings.maxInFlight(),
                settings.requestTimeout(), MAX_RESULT_LINE_BYTES);
    }

    /**
     * Where both clouds read the credential files requests name: off the engine's threads, only regular
     * files, parsed once per version of a file, warning about files others can read.
     */
    static CredentialSource credentialSource() {
        return new FileCredentialSource();
    }

    /** The fake cloud the settings describe (also used directly by the REPL for completion). */
    static FakeCloud fakeCloud(Settings settings, Clock clock) {
        FakeCloud.Builder builder = FakeCloud.builder()
                .credentials(credentialSource())
                .latency(settings.fakeLatency())
                .failureRate(settings.fakeFailureRate())
                .clock(clock);
        if (settings.fakeSeed() != null) {
            builder.seed(settings.fakeSeed());
        }
        if (settings.fakeState() != null) {
            builder.stateFile(settings.fakeState());
        }
        if (settings.fakeVmLifetime() != null) {
            builder.vmLifetime(settings.fakeVmLifetime());
        }
        return builder.build();
    }

    static AzureSettings azureSettings(Settings settings) {
        AzureSettings azure = AzureSettings.defaults();
        if (settings.automationAccount() != null || settings.automationResourceGroup() != null) {
            azure = azure.withAutomation(settings.automationAccount(), settings.automationResourceGroup());
        }
        if (settings.azurePollInterval() != null) {
            azure = azure.withPollInterval(settings.azurePollInterval());
        }
        if (settings.azureMaxConcurrent() != null) {
            azure = azure.withMaxConcurrentPerSubscription(settings.azureMaxConcurrent());
        }
        // Finish below --request-timeout so the adapter's own deadline error (and its cleanup) wins.
        Duration deadline = settings.requestTimeout().minusSeconds(10);
        if (deadline.compareTo(Duration.ofSeconds(1)) < 0) {
            deadline = settings.requestTimeout();
        }
        if (deadline.compareTo(azure.operationDeadline()) < 0) {
            azure = azure.withOperationDeadline(deadline);
        }
        return azure;
    }

    /** Builds the cloud the settings name; may throw (bad state file, ...) with a message for people. */
    static Cloud cloud(Settings settings, Clock clock) {
        if (settings.cloud() == Settings.CloudKind.FAKE) {
            return fakeCloud(settings, clock);
        }
        return AzureCloud.create(azureSettings(settings), credentialSource());
    }
}
