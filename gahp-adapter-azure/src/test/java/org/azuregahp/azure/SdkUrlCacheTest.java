package org.azuregahp.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.util.UrlBuilder;
import org.junit.jupiter.api.Test;

class SdkUrlCacheTest {
    @Test
    void theSdksCacheOfParsedPathsIsReachedAndKeptToItsBound() {
        assertThat(SdkUrlCache.size()).as("azure-core's UrlBuilder cache is reachable (an SDK upgrade may move it)")
                .isNotNegative();
        for (int i = 0; i < SdkUrlCache.MAX + 50; i++) {
            UrlBuilder.parse("/subscriptions/s/resourceGroups/condorc" + i + "p0/providers/Microsoft.Compute"
                    + "/virtualMachines/condorc" + i + "p0");
        }
        assertThat(SdkUrlCache.size()).isGreaterThan(SdkUrlCache.MAX);
        SdkUrlCache.bound();
        assertThat(SdkUrlCache.size()).isLessThanOrEqualTo(SdkUrlCache.MAX);
        assertThat(UrlBuilder.parse("/subscriptions/s/resourceGroups/g").getPath())
                .as("parsing still works after the cache was emptied").isEqualTo("/subscriptions/s/resourceGroups/g");
    }
}
