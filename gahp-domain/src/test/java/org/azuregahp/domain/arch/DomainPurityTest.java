package org.azuregahp.domain.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the domain pure: no SDK, no JLine, no logging, no file, network or console I/O. Scans the
 * main sources (Maven runs tests from the module directory). Justified exceptions: none.
 */
class DomainPurityTest {

    static final List<String> FORBIDDEN = List.of(
            "com.azure", "org.jline", "org.slf4j", "ch.qos.logback", "java.util.logging", "java.lang.System.Logger",
            "java.io.File", "java.nio.file", "java.nio.channels", "java.net", "java.lang.ProcessBuilder",
            "System.out", "System.err", "System.in", "System.exit", "System.getenv", "Runtime.getRuntime",
            "printStackTrace");

    @Test
    void mainSourcesUseNoForbiddenApi() throws IOException {
        Path root = Paths.get("src/main/java/org/azuregahp/domain");
        assertThat(root).isDirectory();
        List<String> violations = new ArrayList<>();
        int files = 0;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(x -> x.toString().endsWith(".java")).toList()) {
                files++;
                List<String> lines = Files.readAllLines(p);
                for (int i = 0; i < lines.size(); i++) {
                    String code = lines.get(i).replaceAll("//.*$", "");
                    if (code.stripLeading().startsWith("*")) {
                        continue; // javadoc
                    }
                    for (String f : FORBIDDEN) {
                        if (code.contains(f)) {
                            violations.add(root.relativize(p) + ":" + (i + 1) + " uses " + f);
                        }
                    }
                }
            }
        }
        assertThat(files).isGreaterThan(20);
        assertThat(violations).isEmpty();
    }

    @Test
    void domainDependsOnlyOnPortsAndTheJdk() throws IOException {
        Path root = Paths.get("src/main/java/org/azuregahp");
        List<String> bad = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root.resolve("domain"))) {
            for (Path p : s.filter(x -> x.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(p)) {
                    String l = line.strip();
                    if (l.startsWith("import ")) {
                        String what = l.substring(7).replace("static ", "");
                        if (!(what.startsWith("java.") || what.startsWith("org.azuregahp.ports")
                                || what.startsWith("org.azuregahp.domain"))) {
                            bad.add(p.getFileName() + ": " + l);
                        }
                    }
                }
            }
        }
        assertThat(bad).isEmpty();
    }

    @Test
    void theCodecAndCommandLayersDoNotReachIntoTheEngine() throws IOException {
        List<String> bad = new ArrayList<>();
        for (String pkg : List.of("codec", "command", "client")) {
            try (Stream<Path> s = Files.walk(Paths.get("src/main/java/org/azuregahp/domain", pkg))) {
                for (Path p : s.filter(x -> x.toString().endsWith(".java")).toList()) {
                    if (Files.readString(p).contains("org.azuregahp.domain.engine")) {
                        bad.add(pkg + "/" + p.getFileName());
                    }
                }
            }
        }
        assertThat(bad).isEmpty();
    }
}
