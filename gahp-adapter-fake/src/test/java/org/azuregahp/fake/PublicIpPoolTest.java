package org.azuregahp.fake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PublicIpPoolTest {

    @Test
    void addressesComeFromDocumentationRangesThenTheBenchmarkingRangeWithoutRepeats() {
        assertThat(CloudState.ipAt(0)).isEqualTo("203.0.113.4");
        assertThat(CloudState.ipAt(250)).isEqualTo("203.0.113.254");
        assertThat(CloudState.ipAt(251)).isEqualTo("198.51.100.4");
        assertThat(CloudState.ipAt(752)).isEqualTo("192.0.2.254");
        assertThat(CloudState.ipAt(753)).isEqualTo("198.18.0.4");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 753 + 512 * 251; i++) {
            String ip = CloudState.ipAt(i);
            assertThat(seen.add(ip)).as("address %s at %d is new", ip, i).isTrue();
            assertThat(ip).matches("(203\\.0\\.113|198\\.51\\.100|192\\.0\\.2|198\\.1[89]\\.\\d{1,3})\\.\\d{1,3}");
        }
        assertThat(CloudState.ipAt(753 + 512 * 251 - 1)).isEqualTo("198.19.255.254");
    }

    @Test
    void theDocumentationRangesFillFirstWhateverTheSearchStartAndASeedRepeatsTheStart() {
        CloudState w = new CloudState(java.time.Clock.systemUTC(), 0, 9, null);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 753; i++) {
            String ip = w.allocateIp("/subscriptions/s/resourceGroups/g" + i + "/providers/x/y/ip");
            assertThat(CloudState.isDocIp(ip)).as(ip).isTrue();
            assertThat(seen.add(ip)).isTrue();
        }
        assertThat(w.allocateIp("/subscriptions/s/resourceGroups/late/providers/x/y/ip")).isEqualTo("198.18.0.4");
        assertThat(w.allocateIp("/subscriptions/s/resourceGroups/later/providers/x/y/ip")).isEqualTo("198.18.0.5");
        // The same id, on a fresh cloud with the same seed, starts its search at the same address.
        CloudState again = new CloudState(java.time.Clock.systemUTC(), 0, 9, null);
        CloudState first = new CloudState(java.time.Clock.systemUTC(), 0, 9, null);
        assertThat(again.allocateIp("/subscriptions/s/resourceGroups/x/providers/x/y/ip"))
                .isEqualTo(first.allocateIp("/subscriptions/s/resourceGroups/x/providers/x/y/ip"));
    }
}
