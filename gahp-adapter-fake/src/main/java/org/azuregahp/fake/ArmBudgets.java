package org.azuregahp.fake;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.azuregahp.ports.CloudException;

/**
 * Azure's request budgets, as the fake cloud enforces them when asked to
 * ({@code FakeCloud.builder().armBudgets(true)}), on the fake's clock. Each operation costs what its
 * Resource Manager calls would ({@link Cost}); it is refused, before anything is made, when a bucket
 * it needs is short, with Azure's error and wording and the wait Azure's {@code Retry-After} would
 * give ({@link CloudException#retryAfter()}). The sizes are Azure's (Microsoft Learn,
 * "request-limits-and-throttling" and "troubleshooting-throttling-errors"): per subscription,
 * principal and operation type since 2024, 250 reads refilled at 25 a second, 200 writes and 200
 * deletes at 10; a subscription's global buckets 15 times that across principals;
 * Microsoft.Network 1,000 writes per 5 minutes per region; Compute's PutVM3Min (240) and PutVM30Min
 * (1,200) per region, each a bucket refilled over its window. Buckets start full.
 */
final class ArmBudgets {
    /** What one operation takes from the budgets: its Resource Manager calls by kind. */
    record Cost(int reads, int writes, int deletes, int networkWrites, int vmPuts) {
        static final Cost NONE = new Cost(0, 0, 0, 0, 0);

        /** A VM create: the group read, then group, public IP (unless none), NIC and VM written. */
        static Cost vmCreate(boolean newPublicIp) {
            return new Cost(1, newPublicIp ? 4 : 3, 0, newPublicIp ? 2 : 1, 1);
        }

        static Cost of(AzureRules.OpKind kind) {
            return switch (kind) {
                case READ -> new Cost(1, 0, 0, 0, 0);
                case CREATE -> new Cost(1, 3, 0, 1, 0);
                case GROW, CHANGE -> new Cost(0, 1, 0, 0, 0);
            };
        }
    }

    private static final class Bucket {
        final double size;
        final double perSecond;
        double tokens;
        long atMillis;

        Bucket(double size, double perSecond, long now) {
            this.size = size;
            this.perSecond = perSecond;
            this.tokens = size;
            this.atMillis = now;
        }

        double level(long now) {
            if (now > atMillis) {
                tokens = Math.min(size, tokens + perSecond * (now - atMillis) / 1000.0);
                atMillis = now;
            }
            return tokens;
        }

        /** Whole seconds until {@code n} tokens are there (Azure's Retry-After), 0 when they are. */
        long secondsUntil(double n, long now) {
            double l = level(now);
            return l >= n ? 0 : (long) Math.ceil((n - l) / perSecond);
        }
    }

    private final Clock clock;
    private final Map<String, Bucket> buckets = new HashMap<>();

    ArmBudgets(Clock clock) {
        this.clock = clock;
    }

    /** Takes the operation's cost, or refuses it (taking nothing) with Azure's throttling error. Under the world lock. */
    CloudException charge(String subscription, String principal, String region, Cost cost) {
        long now = clock.millis();
        String sub = subscription.toLowerCase(Locale.ROOT);
        String where = region == null ? "?" : AzureRules.normalizeLocation(region);
        String[] ops = {"read", "write", "delete"};
        int[] n = {cost.reads(), cost.writes(), cost.deletes()};
        double[] size = {250, 200, 200};
        double[] rate = {25, 10, 10};
        Bucket[] mine = new Bucket[3];
        Bucket[] global = new Bucket[3];
        for (int i = 0; i < 3; i++) {
            if (n[i] == 0) {
                continue;
            }
            mine[i] = bucket("sub|" + sub + "|" + principal + "|" + ops[i], size[i], rate[i], now);
            global[i] = bucket("global|" + sub + "|" + ops[i], size[i] * 15, rate[i] * 15, now);
            long wait = Math.max(mine[i].secondsUntil(n[i], now), global[i].secondsUntil(n[i], now));
            if (wait > 0) {
                return CloudException.throttled("SubscriptionRequestsThrottled", "Number of '" + ops[i]
                        + "' requests for subscription '" + subscription + "' actor '" + principal + "' exceeded."
                        + " Please try again after '" + wait + "' seconds after additional tokens are available."
                        + " Refer to https://aka.ms/arm-throttling for additional information.", Duration.ofSeconds(wait));
            }
        }
        Bucket network = null;
        if (cost.networkWrites() > 0) {
            network = bucket("net|" + sub + "|" + where, 1000, 1000 / 300.0, now);
            long wait = network.secondsUntil(cost.networkWrites(), now);
            if (wait > 0) {
                return CloudException.throttled("TooManyRequests", "The request is being throttled as the limit has"
                        + " been reached for operation type - Write_ObservationWindow_00:05:00. For more information,"
                        + " see - https://aka.ms/armthrottling", Duration.ofSeconds(wait));
            }
        }
        Bucket[] compute = new Bucket[0];
        if (cost.vmPuts() > 0) {
            compute = new Bucket[] {bucket("rp|" + sub + "|" + where + "|PutVM3Min", 240, 240 / 180.0, now),
                bucket("rp|" + sub + "|" + where + "|PutVM30Min", 1200, 1200 / 1800.0, now)};
            for (int i = 0; i < compute.length; i++) {
                long wait = compute[i].secondsUntil(cost.vmPuts(), now);
                if (wait > 0) {
                    String policy = i == 0 ? "PutVM3Min" : "PutVM30Min";
                    return CloudException.throttled("OperationNotAllowed", "The server rejected the request because"
                            + " too many requests have been received for this subscription. (TooManyRequests: "
                            + "{\"operationGroup\":\"" + policy + "\",\"allowedRequestCount\":" + (i == 0 ? 240 : 1200)
                            + "})", Duration.ofSeconds(wait));
                }
            }
        }
        for (int i = 0; i < 3; i++) {
            if (mine[i] != null) {
                mine[i].tokens -= n[i];
                global[i].tokens -= n[i];
            }
        }
        if (network != null) {
            network.tokens -= cost.networkWrites();
        }
        for (Bucket b : compute) {
            b.tokens -= cost.vmPuts();
        }
        return null;
    }

    private Bucket bucket(String key, double size, double perSecond, long now) {
        Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(size, perSecond, now));
        b.level(now);
        return b;
    }
}
