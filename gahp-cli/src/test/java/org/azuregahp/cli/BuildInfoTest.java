package org.azuregahp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BuildInfoTest {

    @ParameterizedTest
    @CsvSource({"2026-11-27,Nov 27 2026", "2026-01-05,Jan 5 2026", "2027-12-31T10:00:00Z,Dec 31 2027"})
    void theBannerDateIsMonDYYYY(String iso, String banner) {
        assertThat(BuildInfo.bannerDate(iso)).isEqualTo(banner);
    }

    @Test
    void theFilteredResourceGivesTheVersionAndABannerDate() {
        BuildInfo info = BuildInfo.load();
        assertThat(info.version()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(info.buildDate()).matches("[A-Z][a-z]{2} \\d{1,2} \\d{4}");
        assertThat(BuildInfo.bannerDate("garbage")).matches("[A-Z][a-z]{2} \\d{1,2} \\d{4}");
    }
}
