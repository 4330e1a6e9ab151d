package org.azuregahp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.azuregahp.domain.codec.GahpCodec;
import org.azuregahp.fake.FakeCloud;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every code block of the README that can run offline, found by parsing the README's fenced
 * blocks (so blocks others add are covered too), each as a test of its own; the rules are in the
 * README's Development section:
 * <ul>
 *   <li>{@code <!-- not run: REASON -->} on the line before a block: skipped, with that reason.</li>
 *   <li>{@code sh}: run by {@code /bin/sh} in a scratch directory where {@code gahp-cli/target/azure-gahp}
 *       is the built launcher, with empty input: it must exit 0, with nothing but protocol lines on
 *       stdout and no stack trace on stderr.</li>
 *   <li>{@code text} starting with {@code $ gahp-cli/target/azure-gahp ...}: a transcript. Its request
 *       lines are sent; the answers must have the shape shown (return lines, field counts, request ids
 *       and result codes; not ids, addresses or dates). {@code RESULTS} is asked again until the
 *       results shown have come (the fake cloud needs a moment).</li>
 *   <li>{@code text} whose lines are requests: sent one at a time to the fake cloud, each result
 *       awaited; {@code S} stands for a subscription and {@code $WHEN} for a time an hour from now;
 *       {@code -> RESULT} after a request gives the result's shape, {@code (words)} is a comment; every
 *       result must be a success unless shown otherwise.</li>
 *   <li>{@code json}: must parse; a state document (with {@code resourceGroups}) must load in the fake
 *       cloud.</li>
 * </ul>
 * Any other block without the marker fails, asking for one. No wall-clock bound is asserted: the
 * waits only guard against a hang.
 */
class ReadmeExamplesTest {
    static final Duration PATIENCE = Duration.ofMinutes(2);
    private static final Pattern FENCE = Pattern.compile("^(\\s*)(```+)\\s*([\\w+-]*)\\s*$");
    private static final Pattern NOT_RUN = Pattern.compile("^\\s*<!--\\s*not run:\\s*(.+?)\\s*-->\\s*$");
    private static final Pattern REQUEST = Pattern.compile("^[A-Z][A-Z0-9_]+(\\s.*)?$");
    private static final Pattern COUNT = Pattern.compile("^S (\\d+)$");
    private static final String LAUNCHER = "gahp-cli/target/azure-gahp";
    private static final List<String> REPORT = new ArrayList<>();

    record Block(int line, String lang, List<String> lines, String notRun) {
        String title() {
            return "README line " + line + " (" + (lang.isEmpty() ? "no language" : lang) + ")";
        }
    }

    static Path readme() {
        Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("README.md"))) {
            p = p.getParent();
        }
        assertThat(p).as("the repository's README.md above " + System.getProperty("user.dir")).isNotNull();
        return p.resolve("README.md");
    }

    /** The fenced code blocks of a Markdown text, with the reason given if one is marked not to run. */
    static List<Block> blocks(List<String> md) {
        List<Block> out = new ArrayList<>();
        for (int i = 0; i < md.size(); i++) {
            Matcher open = FENCE.matcher(md.get(i));
            if (!open.matches()) {
                continue;
            }
            int indent = open.group(1).length();
            String fence = open.group(2);
            String lang = open.group(3);
            String notRun = null;
            for (int k = i - 1; k >= 0; k--) {
                if (md.get(k).isBlank()) {
                    continue;
                }
                Matcher m = NOT_RUN.matcher(md.get(k));
                notRun = m.matches() ? m.group(1) : null;
                break;
            }
            List<String> lines = new ArrayList<>();
            int j = i + 1;
            while (j < md.size() && !md.get(j).strip().startsWith(fence)) {
                String l = md.get(j);
                int cut = 0;
                while (cut < indent && cut < l.length() && l.charAt(cut) == ' ') {
                    cut++;
                }
                lines.add(l.substring(cut));
                j++;
            }
            assertThat(j).as("README line %d: the block is closed", i + 1).isLessThan(md.size());
            out.add(new Block(i + 1, lang, lines, notRun));
            i = j;
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyReadmeBlockThatCanRunOfflineRuns() throws IOException {
        List<Block> blocks = blocks(Files.readAllLines(readme()));
        assertThat(blocks).as("code blocks in the README").isNotEmpty();
        return blocks.stream().map(b -> DynamicTest.dynamicTest(b.title()
                + (b.notRun() != null ? ": not run, " + b.notRun() : ""), () -> run(b)));
    }

    @AfterAll
    static void report() {
        synchronized (REPORT) {
            System.out.println("README code blocks:");
            REPORT.forEach(l -> System.out.println("  " + l));
        }
    }

    private static void note(Block b, String what) {
        synchronized (REPORT) {
            REPORT.add(b.title() + ": " + what);
        }
    }

    private static void run(Block b) throws Exception {
        if (b.notRun() != null) {
            note(b, "skipped: " + b.notRun());
            assumeTrue(false, b.notRun());
        }
        List<String> content = b.lines().stream().filter(l -> !l.isBlank()).toList();
        switch (b.lang()) {
            case "sh", "bash", "shell" -> runShell(b);
            case "json" -> runJson(b);
            case "text" -> {
                if (!content.isEmpty() && content.get(0).startsWith("$ " + LAUNCHER)) {
                    runTranscript(b, content);
                } else if (!content.isEmpty() && content.stream().allMatch(l -> REQUEST.matcher(l).matches())) {
                    runRequests(b, content);
                } else {
                    unrunnable(b);
                }
            }
            default -> unrunnable(b);
        }
        note(b, "ran");
    }

    private static void unrunnable(Block b) {
        fail(b.title() + ": this block cannot be run offline by this test; if it cannot run, put"
                + " <!-- not run: REASON --> on the line before it (see the README's Development section)");
    }

    // ---- sh ----------------------------------------------------------------------------------------------

    private static void runShell(Block b) throws Exception {
        Path work = Files.createTempDirectory("readme-sh-");
        try {
            Path link = work.resolve(LAUNCHER);
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, GahpProcess.launcher());
            ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", String.join("\n", b.lines()))
                    .directory(work.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(work.resolve("stdout.txt").toFile())
                    .redirectError(work.resolve("stderr.txt").toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("AZURE_GAHP_"));
            pb.environment().put("HOME", work.toString());
            Process p = pb.start();
            if (!p.waitFor(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                fail(b.title() + ": still running after " + PATIENCE);
            }
            String stderr = Files.readString(work.resolve("stderr.txt"));
            List<String> stdout = Files.readAllLines(work.resolve("stdout.txt"));
            assertThat(p.exitValue()).as("%s: exit status; stderr:%n%s", b.title(), stderr).isZero();
            LauncherTestSupport.assertNoStackTraces(stderr);
            checkProtocolOutput(b, stdout);
        } finally {
            deleteTree(work);
        }
    }

    /** Stdout of a block that runs the server: the banner, then return lines and the results they announce. */
    private static void checkProtocolOutput(Block b, List<String> out) {
        assertThat(out).as("%s: stdout", b.title()).isNotEmpty();
        assertThat(out.get(0)).as("%s: the banner", b.title()).matches("\\$GahpVersion: .+ \\$");
        Set<String> ids = new HashSet<>();
        for (String l : b.lines()) {
            Matcher m = Pattern.compile("\\b[A-Z][A-Z0-9_]+ (\\S+) ").matcher(l);
            while (m.find()) {
                ids.add(m.group(1));
            }
        }
        for (int i = 1; i < out.size(); i++) {
            String l = out.get(i);
            Matcher count = COUNT.matcher(l);
            if (count.matches()) {
                int n = Integer.parseInt(count.group(1));
                for (int k = 0; k < n; k++) {
                    i++;
                    assertThat(i).as("%s: %d result lines after %s", b.title(), n, l).isLessThan(out.size());
                    List<String> r = GahpCodec.split(out.get(i));
                    assertThat(r.size()).as("%s: result line %s", b.title(), out.get(i)).isGreaterThanOrEqualTo(2);
                    assertThat(ids).as("%s: a result for a request the block sent", b.title()).contains(r.get(0));
                }
            } else {
                assertThat(l).as("%s: a protocol line", b.title()).matches("([SER])( .*)?");
            }
        }
    }

    // ---- json --------------------------------------------------------------------------------------------

    private static void runJson(Block b) throws Exception {
        String text = String.join("\n", b.lines());
        JsonNode doc = new ObjectMapper().readTree(text);
        if (doc.has("resourceGroups")) {
            Path work = Files.createTempDirectory("readme-json-");
            try {
                Path state = work.resolve("state.json");
                Files.writeString(state, text, StandardCharsets.UTF_8);
                try (FakeCloud cloud = FakeCloud.builder().stateFile(state).build()) {
                    assertThat(cloud.stateJson()).as("%s: loads as a state document", b.title()).isNotBlank();
                }
            } finally {
                deleteTree(work);
            }
        }
    }

    // ---- transcripts and request lists -------------------------------------------------------------------

    private static void runTranscript(Block b, List<String> content) throws Exception {
        List<String> command = new ArrayList<>(List.of(content.get(0).substring(2).trim().split("\\s+")));
        command.remove(0);
        try (GahpProcess gahp = GahpProcess.start(command.toArray(String[]::new))) {
            int i = 1;
            List<String> expected = new ArrayList<>();
            while (i < content.size() && !isRequest(content.get(i))) {
                expected.add(content.get(i++));
            }
            for (String e : expected) {
                sameShape(b, "start", e, gahp.nextLine(PATIENCE));
            }
            while (i < content.size()) {
                String request = content.get(i++);
                expected = new ArrayList<>();
                while (i < content.size() && !isRequest(content.get(i))) {
                    expected.add(content.get(i++));
                }
                gahp.send(request);
                if (request.equals("RESULTS") && !expected.isEmpty() && COUNT.matcher(expected.get(0)).matches()) {
                    int want = Integer.parseInt(expected.get(0).substring(2));
                    List<String> got = results(gahp, want);
                    for (int k = 0; k < want; k++) {
                        sameShape(b, request, expected.get(1 + k), got.get(k));
                    }
                } else {
                    for (String e : expected) {
                        sameShape(b, request, e, gahp.nextLine(PATIENCE));
                    }
                }
                if (request.equals("QUIT")) {
                    assertThat(gahp.waitFor(PATIENCE)).as("%s: exits after QUIT", b.title()).isTrue();
                    assertThat(gahp.exitValue()).isZero();
                }
            }
            LauncherTestSupport.assertNoStackTraces(gahp.stderr());
        }
    }

    /** Reads the answer to a RESULTS just sent, asking again until {@code want} results have come. */
    private static List<String> results(GahpProcess gahp, int want) throws Exception {
        List<String> got = new ArrayList<>();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            String head = gahp.nextLine(PATIENCE);
            Matcher m = COUNT.matcher(head);
            assertThat(m.matches()).as("the answer to RESULTS: %s", head).isTrue();
            for (int k = Integer.parseInt(m.group(1)); k > 0; k--) {
                got.add(gahp.nextLine(PATIENCE));
            }
            if (got.size() >= want) {
                return got;
            }
            assertThat(System.nanoTime()).as("%d results", want).isLessThan(deadline);
            Thread.sleep(50);
            gahp.send("RESULTS");
        }
    }

    private static boolean isRequest(String line) {
        return REQUEST.matcher(line).matches();
    }

    /**
     * Same shape: the banner; else the same field count, the same return word ({@code S}, {@code E}) or
     * request id, and for a result the same code ({@code NULL}, or the error code before {@code :}).
     */
    private static void sameShape(Block b, String request, String expected, String actual) {
        String what = b.title() + ", answer to " + request + ": expected like " + expected + ", got " + actual;
        if (expected.startsWith("$GahpVersion")) {
            assertThat(actual).as(what).matches("\\$GahpVersion: .+ \\$");
            return;
        }
        List<String> e = GahpCodec.split(expected);
        List<String> a = GahpCodec.split(actual);
        assertThat(a).as(what).hasSize(e.size());
        if (e.get(0).equals("S") || e.get(0).equals("E") || e.get(0).matches("\\d+")) {
            assertThat(a.get(0)).as(what).isEqualTo(e.get(0));
        }
        if (e.get(0).matches("\\d+") && e.size() > 1) {
            assertThat(code(a.get(1))).as(what).isEqualTo(code(e.get(1)));
        }
    }

    private static String code(String field) {
        int colon = field.indexOf(':');
        return colon < 0 ? field : field.substring(0, colon);
    }

    private static void runRequests(Block b, List<String> content) throws Exception {
        String when = ZonedDateTime.now(ZoneOffset.UTC).plusHours(1).format(DateTimeFormatter.ofPattern("yyyyMMddHHmm"));
        try (GahpProcess gahp = GahpProcess.start("--cloud", "fake", "--stdio")) {
            gahp.nextLine(PATIENCE);
            for (String line : content) {
                String expected = null;
                int arrow = line.indexOf(" -> ");
                if (arrow >= 0) {
                    expected = line.substring(arrow + 4).trim();
                    line = line.substring(0, arrow);
                }
                line = line.replaceAll("\\s{2,}\\(.*\\)\\s*$", "").strip().replace("$WHEN", when);
                List<String> f = new ArrayList<>(List.of(line.split(" ")));
                if (f.size() > 3 && f.get(3).equals("S")) {
                    f.set(3, LauncherTestSupport.SUB);
                }
                String request = String.join(" ", f);
                gahp.send(request);
                if (request.equals("RESULTS")) {
                    results(gahp, 0);
                    continue;
                }
                assertThat(gahp.nextLine(PATIENCE)).as("%s: %s is accepted", b.title(), line).isEqualTo("S");
                gahp.send("RESULTS");
                String result = results(gahp, 1).get(0);
                if (expected != null) {
                    sameShape(b, line, expected.replace(" S ", " " + LauncherTestSupport.SUB + " "), result);
                } else {
                    assertThat(GahpCodec.split(result).get(1)).as("%s: %s succeeds: %s", b.title(), line, result)
                            .isEqualTo("NULL");
                }
            }
            gahp.send("QUIT");
            assertThat(gahp.nextLine(PATIENCE)).isEqualTo("S");
            assertThat(gahp.waitFor(PATIENCE)).isTrue();
            LauncherTestSupport.assertNoStackTraces(gahp.stderr());
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
