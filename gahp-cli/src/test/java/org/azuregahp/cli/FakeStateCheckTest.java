package org.azuregahp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A {@code --fake-state} file is checked before the banner; the message says what is wrong. */
class FakeStateCheckTest {
    @TempDir
    Path dir;

    @Test
    void aNewFileInAWritableDirectoryOrInDirectoriesStillToBeMadeIsFine() throws Exception {
        assertThat(FakeStateCheck.problem(dir.resolve("state.json"))).isNull();
        assertThat(FakeStateCheck.problem(dir.resolve("a/b/state.json"))).isNull();
        assertThat(Files.exists(dir.resolve("a"))).as("nothing is created by the check").isFalse();
        try (var files = Files.list(dir)) {
            assertThat(files).as("no probe file is left behind").isEmpty();
        }
        Path valid = Files.writeString(dir.resolve("valid.json"), "{\"version\": 2, \"resourceGroups\": []}\n");
        assertThat(FakeStateCheck.problem(valid)).isNull();
    }

    @Test
    void aDirectoryIsRefused() {
        assertThat(FakeStateCheck.problem(dir)).isEqualTo("--fake-state " + dir + " is a directory, not a regular file");
    }

    @Test
    void aFifoIsRefusedWithoutOpeningIt() throws Exception {
        Path fifo = dir.resolve("state.json");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();
        assertThat(FakeStateCheck.problem(fifo)).endsWith("is a FIFO (named pipe), not a regular file");
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
        String message = FakeStateCheck.problem(file);
        assertThat(message).isEqualTo("--fake-state " + file + " " + problem).doesNotContain("Canary");
    }

    @Test
    void aParentThatIsAFileIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        assertThat(FakeStateCheck.problem(file.resolve("state.json")))
                .isEqualTo("--fake-state " + file.resolve("state.json") + ": parent " + file + " is not a directory");
    }

    @Test
    void anUnwritableParentIsRefusedForANewFileAndForAnExistingOne() throws Exception {
        try (UnwritableDirectory ro = new UnwritableDirectory(dir.resolve("ro"))) {
            Path file = ro.path.resolve("state.json");
            assertThat(FakeStateCheck.problem(file))
                    .isEqualTo("--fake-state " + file + ": parent is not writable (" + ro.path + ")");
            assertThat(FakeStateCheck.problem(ro.path.resolve("sub/state.json"))).contains("parent is not writable");
        }
        Path existing = Files.writeString(Files.createDirectories(dir.resolve("ro2")).resolve("state.json"), "{}");
        try (UnwritableDirectory ro = new UnwritableDirectory(dir.resolve("ro2"))) {
            assertThat(FakeStateCheck.problem(existing)).contains("parent is not writable");
        }
    }
}
