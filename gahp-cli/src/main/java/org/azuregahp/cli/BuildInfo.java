package org.azuregahp.cli;

import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Properties;

/**
 * The version and build date the banner reports, from a resource Maven filters at build time.
 *
 * @param version   e.g. {@code 1.0.0}
 * @param buildDate e.g. {@code Nov 27 2026} (the banner's {@code <Mon> <D> <YYYY>})
 */
record BuildInfo(String version, String buildDate) {

    static final String DESCRIPTION = "azure-gahp (Java)";
    /** Month abbreviations by hand: a DateTimeFormatter would load locale data before the banner. */
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};

    /** Reads the filtered resource; falls back to {@code 0.0.0} and today when run unfiltered (from an IDE). */
    static BuildInfo load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build-info.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through to the defaults
        }
        String version = p.getProperty("version", "");
        if (version.isBlank() || version.startsWith("${")) {
            version = "0.0.0";
        }
        return new BuildInfo(version, bannerDate(p.getProperty("buildDate", "")));
    }

    /** Turns the ISO date Maven writes ({@code 2026-11-27...}) into the banner's {@code Nov 27 2026}. */
    static String bannerDate(String iso) {
        LocalDate date;
        try {
            date = LocalDate.parse(iso.length() >= 10 ? iso.substring(0, 10) : iso);
        } catch (DateTimeParseException e) {
            date = LocalDate.now(ZoneOffset.UTC);
        }
        return MONTHS[date.getMonthValue() - 1] + " " + date.getDayOfMonth() + " " + date.getYear();
    }

    String versionLine() {
        return "azure-gahp " + version + " (built " + buildDate + ")";
    }
}
