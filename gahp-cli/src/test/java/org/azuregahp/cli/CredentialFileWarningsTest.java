package org.azuregahp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.azuregahp.ports.AccountRef;
import org.azuregahp.ports.Cloud;
import org.azuregahp.ports.CloudAccount;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

class CredentialFileWarningsTest {
    private static final String SECRET = "canary-s3cret-value";
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(CredentialFileWarnings.class);
    private final Cloud accounts = ref -> (CloudAccount) null;

    @BeforeEach
    void listen() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void stop() {
        logger.detachAppender(log);
    }

    private static Path credentialFile(Path dir, String permissions) throws Exception {
        Path file = dir.resolve("azure_auth.json");
        Files.writeString(file, "{\"clientId\":\"x\",\"clientSecret\":\"" + SECRET + "\"}");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    @Test
    void aFileOthersCanReadIsWarnedAboutOnceWithoutItsContents(@TempDir Path dir) throws Exception {
        Path file = credentialFile(dir, "rw-r--r--");
        CredentialFileWarnings cloud = new CredentialFileWarnings(accounts);
        cloud.account(new AccountRef(file.toString(), "sub"));
        cloud.account(new AccountRef(file.toString(), "sub"));
        List<ILoggingEvent> events = log.list;
        assertThat(events).hasSize(1);
        assertThat(events.get(0).getFormattedMessage()).contains(file.toString()).contains("chmod 600")
                .doesNotContain(SECRET);
    }

    @Test
    void aPrivateFileAMissingFileAndNullAreQuiet(@TempDir Path dir) throws Exception {
        Path file = credentialFile(dir, "rw-------");
        CredentialFileWarnings cloud = new CredentialFileWarnings(accounts);
        cloud.account(new AccountRef(file.toString(), "sub"));
        cloud.account(new AccountRef(dir.resolve("missing.json").toString(), "sub"));
        cloud.account(new AccountRef(null, "sub"));
        assertThat(log.list).isEmpty();
    }
}
