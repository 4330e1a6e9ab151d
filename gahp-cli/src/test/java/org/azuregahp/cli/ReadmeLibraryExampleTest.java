package org.azuregahp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's library example is real code: its {@code java} block under "Using the library" is
 * compiled with javax.tools against the libraries (gahp-domain, gahp-ports, gahp-adapter-fake on this
 * test's class path) and run.
 */
class ReadmeLibraryExampleTest {

    static Path readme() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("gahp-domain")))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("the repository's top directory").isNotNull();
        return dir.resolve("README.md");
    }

    /** The java blocks of the README's "Using the library" section. */
    static List<String> javaBlocks() throws Exception {
        String text = Files.readString(readme());
        int start = text.indexOf("## Using the library");
        assertThat(start).as("the README has a Using the library section").isNotNegative();
        int end = text.indexOf("\n## ", start + 1);
        String section = text.substring(start, end < 0 ? text.length() : end);
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(section);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    @Test
    void theLibraryExampleCompilesAndRuns(@TempDir Path dir) throws Exception {
        List<String> blocks = javaBlocks();
        assertThat(blocks).as("java blocks").hasSize(1);
        String source = blocks.get(0);
        Matcher name = Pattern.compile("public class (\\w+)").matcher(source);
        assertThat(name.find()).as("a public class").isTrue();
        Path file = dir.resolve(name.group(1) + ".java");
        Files.writeString(file, source);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        boolean compiled = javac.getTask(diagnostics, null, null,
                List.of("-d", dir.toString(), "-classpath", System.getProperty("java.class.path"), "-Xlint:all",
                        "-Werror"),
                null, javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(file.toFile()))
                .call();
        assertThat(compiled).as("the README example compiles without warnings:%n%s", diagnostics).isTrue();

        PrintStream realOut = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                getClass().getClassLoader())) {
            Method main = loader.loadClass(name.group(1)).getMethod("main", String[].class);
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(realOut);
        }
        String out = printed.toString(StandardCharsets.UTF_8);
        assertThat(out).as(out).startsWith("wire: $GahpVersion: ").contains("wire: S\n")
                .containsPattern("vm1 is \\S+ at \\d+\\.\\d+\\.\\d+\\.\\d+\\n")
                .contains("vm1 ProvisioningState/succeeded,PowerState/running\n")
                .contains("wire: S 2\nwire: 1 NULL ").contains("wire: 2 NULL 1 vm1 ").doesNotContain("failed");
    }
}
