package org.azuregahp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.azuregahp.ports.testing.UnwritableDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code --fake-state} file is checked before the banner (by the fake cloud, which owns it; its
 * cases: the fake adapter's StateFileCheckTest), and the problem is told with the option as its
 * subject, as {@code Main} prints it after {@code azure-gahp: }.
 */
class FakeStateProblemTest {
    @TempDir
    Path dir;

    private static String problem(String... args) {
        return Wiring.fakeStateProblem(((CommandLine.Run) CommandLine.parse(List.of(args), Map.of())).settings());
    }

    @Test
    void theProblemIsToldWithTheOptionAsItsSubject() throws Exception {
        assertThat(problem("--cloud", "fake", "--fake-state", dir.toString()))
                .isEqualTo("--fake-state " + dir + " is a directory, not a regular file");
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"version\": 2,\n  \"resourceGroups\": [\n");
        assertThat(problem("--cloud", "fake", "--fake-state", broken.toString()))
                .isEqualTo("--fake-state " + broken + " is not valid JSON (line 3, column 1)");
        try (UnwritableDirectory ro = new UnwritableDirectory(dir.resolve("ro"))) {
            Path state = ro.path.resolve("state.json");
            assertThat(problem("--cloud", "fake", "--fake-state", state.toString()))
                    .isEqualTo("--fake-state " + state + ": parent is not writable (" + ro.path + ")");
        }
    }

    @Test
    void aUsableFileOrNoneIsNoProblem() {
        assertThat(problem("--cloud", "fake", "--fake-state", dir.resolve("new/state.json").toString())).isNull();
        assertThat(problem("--cloud", "fake")).isNull();
        assertThat(problem()).isNull();
    }
}
