package org.azuregahp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.azuregahp.ports.CloudException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemLocalFilesTest {

    @Test
    void readsAnExistingFileAndExpandsTheHomeDirectory(@TempDir Path home) throws Exception {
        Files.writeString(home.resolve("id.pub"), "ssh-ed25519 AAAA me@host\n");
        FileSystemLocalFiles files = new FileSystemLocalFiles(home.toString(), Runnable::run);
        assertThat(files.readNow("~/id.pub", 1000)).contains("ssh-ed25519 AAAA me@host\n");
        assertThat(files.readNow(home.resolve("id.pub").toString(), 1000)).isPresent();
    }

    @Test
    void aMissingFileOrADirectoryIsEmpty(@TempDir Path home) {
        FileSystemLocalFiles files = new FileSystemLocalFiles(home.toString(), Runnable::run);
        assertThat(files.readNow("~/nothing-here", 1000)).isEmpty();
        assertThat(files.readNow(home.toString(), 1000)).isEmpty();
        assertThat(files.readNow("bad\u0000path", 1000)).isEmpty();
    }

    @Test
    void fifosDevicesAndOurOwnStreamsAreNeverOpened(@TempDir Path home) throws Exception {
        Path fifo = home.resolve("key.pub");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();
        FileSystemLocalFiles files = new FileSystemLocalFiles(home.toString(), Runnable::run);
        // Opening the FIFO would block until someone writes to it; reading /dev/zero would never end.
        for (String path : new String[] {"~/key.pub", "/dev/zero", "/dev/stdin", "/proc/self/fd/0"}) {
            assertThat(files.readNow(path, 1000)).as(path).isEmpty();
        }
    }

    @Test
    void aFileThatClaimsNoSizeIsReadOnlyUpToTheLimit(@TempDir Path home) {
        // /proc files say they are empty; this one holds more than 64 bytes.
        assertThatThrownBy(() -> new FileSystemLocalFiles(home.toString(), Runnable::run).readNow("/proc/self/maps", 64))
                .isInstanceOf(CloudException.class).hasMessageContaining("/proc/self/maps")
                .hasMessageContaining("too large");
    }

    @Test
    void tooLargeOrBinaryFilesAreErrorsNamingTheFileNotItsContents(@TempDir Path home) throws Exception {
        Files.writeString(home.resolve("big"), "s3cr3t".repeat(100));
        Files.write(home.resolve("bin"), new byte[] {(byte) 0xff, (byte) 0xfe, 's', '3'});
        FileSystemLocalFiles files = new FileSystemLocalFiles(home.toString(), Runnable::run);
        assertThatThrownBy(() -> files.readNow("~/big", 100)).isInstanceOf(CloudException.class)
                .hasMessageContaining("~/big").hasMessageContaining("too large").hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> files.readNow("~/bin", 100)).isInstanceOf(CloudException.class)
                .hasMessageContaining("not UTF-8").hasMessageNotContaining("s3");
    }

    @Test
    void theReadRunsOnTheGivenExecutorNotTheCallersThreadAndItsFailureFailsTheStage(@TempDir Path home)
            throws Exception {
        Files.writeString(home.resolve("id.pub"), "ssh-ed25519 AAAA me@host\n");
        Files.writeString(home.resolve("big"), "s3cr3t".repeat(100));
        List<Runnable> queued = new ArrayList<>();
        FileSystemLocalFiles files = new FileSystemLocalFiles(home.toString(), queued::add);
        CompletableFuture<Optional<String>> read = files.readIfExists("~/id.pub", 1000).toCompletableFuture();
        CompletableFuture<Optional<String>> big = files.readIfExists("~/big", 100).toCompletableFuture();
        assertThat(read).as("nothing read on the caller's thread").isNotDone();
        assertThat(queued).hasSize(2);
        queued.forEach(Runnable::run);
        assertThat(read.get()).contains("ssh-ed25519 AAAA me@host\n");
        assertThat(big).isCompletedExceptionally();
        assertThatThrownBy(big::join).hasCauseInstanceOf(CloudException.class);
    }
}
