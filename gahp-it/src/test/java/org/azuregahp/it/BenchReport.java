package org.azuregahp.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a benchmark's figures as a Markdown table to stdout and appends it, with the date, the
 * machine's facts and the command that produced it, to the report file ({@code -Dbench.report},
 * default {@code target/bench-report.md}).
 */
final class BenchReport {
    static final String COMMAND = "mvn -B -ntp test -pl gahp-it -Pbench";

    private BenchReport() {
    }

    static String command() {
        String test = System.getProperty("test");
        return System.getProperty("bench.command", COMMAND + (test == null || test.isBlank() ? "" : " -Dtest=" + test));
    }

    static synchronized void write(String title, List<String> header, List<List<String>> rows, List<String> notes) {
        StringBuilder b = new StringBuilder();
        b.append("\n### ").append(title).append("\n\n");
        b.append("- Date: ").append(ZonedDateTime.now(ZoneOffset.UTC).withNano(0).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME))
                .append(" UTC\n");
        b.append("- Machine: ").append(machine()).append('\n');
        b.append("- Command: `").append(command()).append("`\n\n");
        b.append("| ").append(String.join(" | ", header)).append(" |\n");
        b.append("|").append("---|".repeat(header.size())).append('\n');
        for (List<String> r : rows) {
            b.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        for (String n : notes) {
            b.append("\n").append(n).append('\n');
        }
        System.out.print(b);
        System.out.flush();
        Path file = Path.of(System.getProperty("bench.report", "target/bench-report.md"));
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, b.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("(could not append to " + file + ": " + e.getMessage() + ")");
        }
    }

    private static String machineFacts;

    /** nproc, CPU model, memory and {@code java -version} of the JVM the launcher uses. */
    static synchronized String machine() {
        if (machineFacts != null) {
            return machineFacts;
        }
        List<String> facts = new ArrayList<>();
        facts.add("nproc " + Runtime.getRuntime().availableProcessors());
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    facts.add(l.substring(l.indexOf(':') + 1).trim());
                    break;
                }
            }
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    facts.add("MemTotal " + l.substring(9).trim());
                }
            }
        } catch (IOException ignored) {
            // not Linux: fewer facts
        }
        try {
            Process p = new ProcessBuilder(javaBin(), "-version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            facts.add("java -version: " + String.join(" / ", Arrays.asList(v.split("\\R"))));
        } catch (IOException | InterruptedException e) {
            facts.add("java " + System.getProperty("java.version"));
        }
        machineFacts = String.join("; ", facts);
        return machineFacts;
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** The q-quantile (0..1) of sorted values, nearest rank. */
    static long quantile(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static String f(String fmt, Object... args) {
        return String.format(java.util.Locale.ROOT, fmt, args);
    }
}
