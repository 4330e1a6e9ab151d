package org.azuregahp.cli;

import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.time.ZoneOffset;
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

    /**
     * From the shaded jar's manifest ({@code Implementation-Version: 1.0.0+2026-11-27}, already read
     * by the class loader, so free), else from the filtered resource (tests, unshaded runs), else
     * {@code 0.0.0} and today.
     */
    static BuildInfo load() {
        Package pkg = BuildInfo.class.getPackage();
        String manifest = pkg == null ? null : pkg.getImplementationVersion();
        if (manifest != null) {
            int plus = manifest.indexOf('+');
            if (plus > 0) {
                return new BuildInfo(manifest.substring(0, plus), bannerDate(manifest.substring(plus + 1)));
            }
        }
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

    /**
     * Turns the ISO date Maven writes ({@code 2026-11-27...}) into the banner's {@code Nov 27 2026}.
     * Parsed by hand: java.time's formatters cost milliseconds of class loading before the banner.
     */
    static String bannerDate(String iso) {
        int year;
        int month;
        int day;
        try {
            year = Integer.parseInt(iso.substring(0, 4));
            month = Integer.parseInt(iso.substring(5, 7));
            day = Integer.parseInt(iso.substring(8, 10));
        } catch (RuntimeException e) {
            year = 0;
            month = 0;
            day = 0;
        }
        if (year < 1970 || month < 1 || month > 12 || day < 1 || day > 31 || iso.charAt(4) != '-'
                || iso.charAt(7) != '-') {
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            year = today.getYear();
            month = today.getMonthValue();
            day = today.getDayOfMonth();
        }
        return MONTHS[month - 1] + " " + day + " " + year;
    }

    String versionLine() {
        return "azure-gahp " + version + " (built " + buildDate + ")";
    }
}
