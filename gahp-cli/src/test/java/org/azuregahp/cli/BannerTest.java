package org.azuregahp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.azuregahp.domain.engine.EngineConfig;
import org.azuregahp.domain.engine.GahpEngine;
import org.azuregahp.fake.FakeCloud;
import org.junit.jupiter.api.Test;

class BannerTest {

    @Test
    void theEarlyBannerIsExactlyTheEnginesBanner() {
        Settings settings = ((CommandLine.Run) CommandLine.parse(List.of(), Map.of())).settings();
        EngineConfig config = Wiring.engineConfig(settings, BuildInfo.load());
        try (FakeCloud cloud = FakeCloud.builder().build()) {
            GahpEngine engine = GahpEngine.builder(cloud).config(config).build();
            assertThat(GahpEngine.banner(config.version(), config.buildDate(), config.description()))
                    .isEqualTo(engine.banner()).hasSizeLessThan(150);
            engine.shutdown();
        }
    }
}
