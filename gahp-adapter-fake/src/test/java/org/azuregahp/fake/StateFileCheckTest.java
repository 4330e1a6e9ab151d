package org.azuregahp.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.azuregahp.ports.testing.UnwritableDirectory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The state file's one check ({@link FakeCloud#checkStateFile}, which a CLI runs before its banner):
 * what is wrong is said without quoting the file, after the file's name or a subject of the caller's
 * choosing; the same checks but the JSON one refuse the file at build.
 */
class StateFileCheckTest {
    @TempDir
    Path dir;

    /** What the check says after the subject {@code --fake-state <file>}, as a CLI shows it; null when nothing. */
    private static String problem(Path file) {
        try {
            FakeCloud.checkStateFile(file);
            return null;
        } catch (StateFileException e) {
            assertThat(e.file()).isEqualTo(file);
            assertThat(e.getMessage()).isEqualTo(e.about("fake cloud state file " + file));
            return e.about("--fake-state " + file);
        }
    }

    @Test
    void aNewFileInAWritableDirectoryOrInDirectoriesStillToBeMadeIsFine() throws Exception {
        assertThat(problem(dir.resolve("state.json"))).isNull();
        assertThat(problem(dir.resolve("a/b/state.json"))).isNull();
        assertThat(Files.exists(dir.resolve("a"))).as("nothing is created by the check").isFalse();
        try (var files = Files.list(dir)) {
            assertThat(files).as("no probe file is left behind").isEmpty();
        }
        Path valid = Files.writeString(dir.resolve("valid.json"), "{\"version\": 2, \"resourceGroups\": []}\n");
        assertThat(problem(valid)).isNull();
    }

    @Test
    void aDirectoryIsRefused() {
        assertThat(problem(dir)).isEqualTo("--fake-state " + dir + " is a directory, not a regular file");
        assertThatThrownBy(() -> FakeCloud.checkStateFile(dir)).isInstanceOf(StateFileException.class)
                .hasMessage("fake cloud state file " + dir + " is a directory, not a regular file")
                .extracting(e -> ((StateFileException) e).problem()).isEqualTo("is a directory, not a regular file");
    }

    @Test
    void aFifoIsRefusedWithoutOpeningIt() throws Exception {
        // Opening a FIFO nobody writes to blocks for good: the check must not even try (nor must a start).
        Path fifo = dir.resolve("state.json");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();
        assertThat(problem(fifo)).endsWith("is a FIFO (named pipe), not a regular file");
        assertThatThrownBy(() -> FakeCloud.builder().stateFile(fifo).build()).isInstanceOf(StateFileException.class)
                .hasMessage("fake cloud state file " + fifo + " is a FIFO (named pipe), not a regular file");
    }

    @Test
    void aDeviceIsNamed() {
        assertThat(problem(Path.of("/dev/null"))).isEqualTo("--fake-state /dev/null is a device, not a regular file");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "cut short       | {\"version\": 2,\\n \"resourceGroups\": [ | is not valid JSON (line 2, column 21)",
            "bad literal     | {\"version\": 2,\\n \"secret\": Canary-9q } | is not valid JSON (line 2, column 12)",
            "empty           | '   '                                    | is empty",
            "an array        | [1, 2]                                   | is not a JSON object (line 1)",
            "two objects     | {}\\n{}                                  | has more after its JSON object (line 2, column 1)"})
    void malformedJsonIsRefusedSayingWhere(String what, String text, String problem) throws Exception {
        Path file = Files.writeString(dir.resolve("state.json"), text.replace("\\n", "\n"));
        String message = problem(file);
        assertThat(message).isEqualTo("--fake-state " + file + " " + problem).doesNotContain("Canary");
    }

    @Test
    void anUnreadableFileIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("state.json"), "{}");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("-w-------"));
        Assumptions.assumeFalse(Files.isReadable(file), "root reads any file");
        assertThat(problem(file)).isEqualTo("--fake-state " + file + " cannot be read (permission denied)");
    }

    @Test
    void aParentThatIsAFileIsRefusedByTheCheckAndAtBuild() throws Exception {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        Path inside = file.resolve("state.json");
        assertThat(problem(inside)).isEqualTo("--fake-state " + inside + ": parent " + file + " is not a directory");
        assertThatThrownBy(() -> FakeCloud.builder().stateFile(inside).build()).isInstanceOf(StateFileException.class)
                .hasMessage("fake cloud state file " + inside + ": parent " + file + " is not a directory");
    }

    @Test
    void anUnwritableParentIsRefusedForANewFileAndForAnExistingOne() throws Exception {
        try (UnwritableDirectory ro = new UnwritableDirectory(dir.resolve("ro"))) {
            Path file = ro.path.resolve("state.json");
            assertThat(problem(file)).isEqualTo("--fake-state " + file + ": parent is not writable (" + ro.path + ")");
            assertThat(problem(ro.path.resolve("sub/state.json"))).contains("parent is not writable");
            assertThatThrownBy(() -> FakeCloud.builder().stateFile(file).build())
                    .isInstanceOf(StateFileException.class).hasMessageContaining("parent is not writable");
        }
        Path existing = Files.writeString(Files.createDirectories(dir.resolve("ro2")).resolve("state.json"), "{}");
        try (UnwritableDirectory ro = new UnwritableDirectory(dir.resolve("ro2"))) {
            assertThat(problem(existing)).isEqualTo("--fake-state " + existing + ": parent is not writable (" + ro.path + ")");
        }
    }
}
