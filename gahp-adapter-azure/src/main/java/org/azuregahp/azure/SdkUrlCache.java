package org.azuregahp.azure;

import com.azure.core.util.UrlBuilder;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;

/**
 * Keeps azure-core's cache of parsed URLs small. Every SDK call parses its request path with
 * {@code UrlBuilder.parse}, which keeps each distinct path in a static map until the map holds 10,000
 * and only then empties it: each VM create leaves about four paths (its group, public IP, NIC and VM;
 * about 500 bytes each), so a server carries up to 5 MB of paths of VMs it made long ago (2 MB after
 * 1,000 creates, measured in issue 12.3). The SDK has no setting for it, so this empties the map once
 * it holds more than {@link #MAX} paths; a path parsed again costs microseconds. The map is a private
 * field reached by reflection: when it is not there or not a concurrent map (another SDK version), or
 * not accessible (the SDK on the module path), nothing happens and the SDK's own limit applies.
 * {@code -Dazuregahp.sdkUrlCacheMax=-1} leaves the SDK's cache alone (to measure the difference).
 */
final class SdkUrlCache {
    /** Paths kept at most (those of the calls in progress and the shared resources stay warm). */
    static final int MAX = Integer.getInteger("azuregahp.sdkUrlCacheMax", 256);
    private static final Map<?, ?> CACHE = MAX < 0 ? null : find();

    private SdkUrlCache() {
    }

    private static Map<?, ?> find() {
        try {
            Field f = UrlBuilder.class.getDeclaredField("PARSED_URLS");
            f.setAccessible(true);
            Object v = f.get(null);
            // Only a concurrent map may be emptied while SDK calls on other threads use it.
            return v instanceof ConcurrentMap ? (Map<?, ?>) v : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Empties the SDK's cache when it holds more than {@link #MAX} paths. */
    static void bound() {
        Map<?, ?> c = CACHE;
        if (c != null && c.size() > MAX) {
            c.clear();
        }
    }

    /** The paths the SDK's cache holds now; -1 when it cannot be reached. */
    static int size() {
        Map<?, ?> c = CACHE;
        return c == null ? -1 : c.size();
    }
}
