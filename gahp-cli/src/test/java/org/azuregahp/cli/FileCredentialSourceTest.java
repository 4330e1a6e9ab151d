package org.azuregahp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.credentials.Credentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * How the server gets at credential files: only regular files, never on the caller's thread, a file
 * that hangs holding up only its own requests, one parse per version of a file, and a warning for files
 * others can read.
 */
class FileCredentialSourceTest {
    /** Only a guard against a hung test; no test depends on how long anything takes. */
    private static final long GUARD_SECONDS = 30;
    private static final String SECRET = "canary-s3cret-value";
    private static final String JSON = "{\"clientId\":\"a\",\"tenantId\":\"b\",\"clientSecret\":\"" + SECRET + "\"}";

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(FileCredentialSource.class);

    @BeforeEach
    void listen() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void stop() {
        logger.detachAppender(log);
    }

    private Path write(String name, String text, String permissions) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(permissions));
        return p;
    }

    private static Credentials get(CompletableFuture<Credentials> f) throws Exception {
        try {
            return f.get(GUARD_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private static CloudException failure(CompletableFuture<Credentials> f) throws Exception {
        try {
            Credentials c = f.get(GUARD_SECONDS, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + c);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(CloudException.class);
            CloudException ce = (CloudException) e.getCause();
            assertThat(ce.code()).isEqualTo(CloudException.CREDENTIAL_FILE);
            return ce;
        }
    }

    private static CompletableFuture<Credentials> ask(FileCredentialSource source, Object path) {
        return source.credentials(path.toString()).toCompletableFuture();
    }

    private Path fifo(String name) throws Exception {
        Path p = dir.resolve(name);
        Process mkfifo = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();
        return p;
    }

    @Test
    void aFifoIsRefusedWithoutOpeningIt() throws Exception {
        // Opening a FIFO nobody writes to blocks for good: the source must not even try.
        Path fifo = fifo("azure_auth.json");
        Path link = dir.resolve("link-to-fifo.json");
        Files.createSymbolicLink(link, fifo);
        FileCredentialSource source = new FileCredentialSource(new FileReads());
        assertThat(failure(ask(source, fifo)).getMessage())
                .isEqualTo("credential file " + fifo + " is a FIFO (named pipe), not a regular file");
        assertThat(failure(ask(source, link)).getMessage())
                .isEqualTo("credential file " + link + " is a FIFO (named pipe), not a regular file");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/dev/zero", "/dev/null", "/dev/stdin", "/proc/self/fd/0", "/proc/self/fd/1"})
    void devicesAndOurOwnStreamsAreRefused(String path) throws Exception {
        CloudException e = failure(ask(new FileCredentialSource(new FileReads()), path));
        assertThat(e.getMessage()).startsWith("credential file " + path + " is ").endsWith("not a regular file");
    }

    @Test
    void aDirectoryIsRefusedAndALinkToARegularFileIsFollowed() throws Exception {
        FileCredentialSource source = new FileCredentialSource(new FileReads());
        assertThat(failure(ask(source, dir)).getMessage()).endsWith("is a directory, not a regular file");
        Path file = write("real.json", JSON, "rw-------");
        Path link = dir.resolve("link.json");
        Files.createSymbolicLink(link, file);
        assertThat(get(ask(source, link)).clientId()).isEqualTo("a");
    }

    @Test
    void aPathWithANulIsRefusedWithoutTheNul() throws Exception {
        assertThat(failure(ask(new FileCredentialSource(new FileReads()), "/tmp/a\0b")).getMessage())
                .isEqualTo("credential file /tmp/a\\0b is not a valid path");
    }

    @Test
    void aFileThatHangsHoldsUpOnlyTheRequestsThatNameIt() throws Exception {
        Path hung = write("on-stuck-nfs.json", JSON, "rw-------");
        Path good = write("good.json", JSON, "rw-------");
        WatchedFiles files = WatchedFiles.hangingOn(hung);
        FileCredentialSource source = new FileCredentialSource(files, new FileReads());

        CompletableFuture<Credentials> first = ask(source, hung);
        assertThat(files.hanging.await(GUARD_SECONDS, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Credentials> second = ask(source, hung);
        // Everything else is answered while the hung file's requests wait.
        for (int i = 0; i < 20; i++) {
            assertThat(get(ask(source, good)).clientId()).isEqualTo("a");
            assertThat(failure(ask(source, dir.resolve("missing" + i + ".json"))).getMessage()).contains("does not exist");
        }
        assertThat(first).isNotDone();
        assertThat(second).isNotDone();
        assertThat(files.looks.get(hung.toString())).as("the second request waits for the first look").hasValue(1);

        files.release.countDown();
        assertThat(get(first).clientId()).isEqualTo("a");
        assertThat(get(second).clientId()).isEqualTo("a");
    }

    @Test
    void whenTooManyFilesHangFurtherRequestsFailAtOnceSayingSo() throws Exception {
        WatchedFiles files = WatchedFiles.hangingOnEvery();
        FileCredentialSource source = new FileCredentialSource(files, new FileReads());
        List<CompletableFuture<Credentials>> stuck = new ArrayList<>();
        for (int i = 0; i < FileCredentialSource.MAX_READS; i++) {
            stuck.add(ask(source, dir.resolve("hung" + i + ".json")));
        }
        CloudException refused = failure(ask(source, dir.resolve("one-more.json")));
        assertThat(refused.getMessage()).contains("one-more.json").contains("still being read");
        files.release.countDown();
        for (CompletableFuture<Credentials> f : stuck) {
            assertThat(failure(f).getMessage()).contains("does not exist");
        }
    }

    @Test
    void anUnchangedFileIsParsedOnceAndAChangedOneAgain() throws Exception {
        Path file = write("azure_auth.json", JSON, "rw-------");
        WatchedFiles files = WatchedFiles.plain();
        FileCredentialSource source = new FileCredentialSource(files, new FileReads());
        Credentials first = get(ask(source, file));
        for (int i = 0; i < 10; i++) {
            assertThat(get(ask(source, file))).isSameAs(first);
        }
        assertThat(files.reads).hasValue(1);

        // A new modification time: read again.
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(get(ask(source, file))).isEqualTo(first).isNotSameAs(first);
        assertThat(files.reads).hasValue(2);

        // The same size and time but another file put in its place (a new inode): read again.
        FileTime time = Files.getLastModifiedTime(file);
        Path replacement = write("replacement.json", JSON.replace(SECRET, SECRET.toUpperCase()), "rw-------");
        Files.setLastModifiedTime(replacement, time);
        Files.move(replacement, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertThat(get(ask(source, file)).clientSecret().reveal()).isEqualTo(SECRET.toUpperCase());
        assertThat(files.reads).hasValue(3);

        // Broken now: the failure is reported, and the good version is not kept.
        Files.writeString(file, "{\"clientId\": \"a\"}");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
        assertThat(failure(ask(source, file)).getMessage()).contains("has no tenantId");
        Files.delete(file);
        assertThat(failure(ask(source, file)).getMessage()).contains("does not exist");
    }

    @Test
    void aFileOthersCanReadIsWarnedAboutOnceWithoutItsContents() throws Exception {
        Path open = write("open.json", JSON, "rw-r--r--");
        Path broken = write("broken-open.json", "{\"clientId\":\"x\",\"clientSecret\":\"" + SECRET + "\"}", "rw-r-----");
        FileCredentialSource source = new FileCredentialSource(new FileReads());
        get(ask(source, open));
        get(ask(source, open));
        failure(ask(source, broken));
        assertThat(log.list).hasSize(2);
        assertThat(log.list.get(0).getFormattedMessage()).contains(open.toString()).contains("other users")
                .contains("chmod 600").doesNotContain(SECRET);
        assertThat(log.list.get(1).getFormattedMessage()).contains(broken.toString()).doesNotContain(SECRET);
    }

    @Test
    void aPrivateFileAndAMissingFileAreQuiet() throws Exception {
        Path file = write("azure_auth.json", JSON, "rw-------");
        FileCredentialSource source = new FileCredentialSource(new FileReads());
        get(ask(source, file));
        failure(ask(source, dir.resolve("missing.json")));
        assertThat(log.list).isEmpty();
    }
}
