package org.azuregahp.azure;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Azure's request budgets, as the ARM simulator enforces them, on an injected clock (nanoseconds),
 * so tests drive time themselves. Sources (Microsoft Learn):
 *
 * <ul>
 *   <li>"Understand how Azure Resource Manager throttles requests" (request-limits-and-throttling):
 *       since 2024, regional token buckets per subscription, per service principal and per operation
 *       type: reads 250 refilled at 25 a second, writes 200 at 10, deletes 200 at 10; a global
 *       subscription limit of 15 times that across principals; tenant requests the same sizes; the
 *       remaining counts in {@code x-ms-ratelimit-remaining-subscription-reads/-writes/-deletes}
 *       (and {@code -global-*}, {@code x-ms-ratelimit-remaining-tenant-*}) on every response; a 429
 *       {@code SubscriptionRequestsThrottled} with {@code Retry-After}. Microsoft.Network: 1,000
 *       writes/deletes and 10,000 reads per 5 minutes (per subscription and region; Network reports
 *       no counts).</li>
 *   <li>"Troubleshooting API throttling errors" (troubleshooting-throttling-errors) and "Compute
 *       throttling limits" (compute-throttling-limits): Compute's own policies per region, reported
 *       in {@code x-ms-ratelimit-remaining-resource} as {@code <RP>/<policy>;<count>}; a 429
 *       {@code OperationNotAllowed} whose detail names the policy. The policies and sizes here are
 *       those seen in recorded responses ({@code PutVM3Min;239,PutVM30Min;1199},
 *       {@code GetVMScaleSet3Min;197,...}), each modelled as a token bucket refilled over its window.</li>
 * </ul>
 *
 * Buckets start full. A request takes a token from every bucket it counts against, or, when any is
 * empty, none and is refused with the wait until that bucket has one. A Resource Manager refusal
 * comes before the provider sees the request; a provider's refusal comes after Resource Manager
 * counted it.
 */
final class ArmThrottling {
    static final long S = 1_000_000_000L;

    /** The sizes; {@link #azure()} is Azure's, tests may use smaller ones. */
    record Budgets(double reads, double readsPerSecond, double writes, double writesPerSecond, double deletes,
            double deletesPerSecond, int globalFactor, double networkWrites, double networkReads,
            double networkWindowSeconds) {
        static Budgets azure() {
            return new Budgets(250, 25, 200, 10, 200, 10, 15, 1000, 10_000, 300);
        }
    }

    /** One Compute policy: a bucket of {@code size} refilled over {@code windowSeconds}. */
    record Policy(String name, double size, double windowSeconds) {
    }

    /** What a request is, as throttling sees it. */
    record Request(String method, String subscription, String principal, String namespace, String template,
            String region) {
        String op() {
            return switch (method) {
                case "GET", "HEAD" -> "reads";
                case "DELETE" -> "deletes";
                default -> "writes";
            };
        }
    }

    /** The headers every answer carries, and the refusal when there is one. */
    record Verdict(Map<String, String> headers, int status, ObjectNode refusal, long retryAfterSeconds) {
        boolean refused() {
            return refusal != null;
        }
    }

    static final class Bucket {
        final double size;
        final double perSecond;
        double tokens;
        long at;

        Bucket(double size, double perSecond, long now) {
            this.size = size;
            this.perSecond = perSecond;
            this.tokens = size;
            this.at = now;
        }

        double level(long now) {
            tokens = Math.min(size, tokens + perSecond * (now - at) / S);
            at = now;
            return tokens;
        }

        long secondsUntilOne(long now) {
            double l = level(now);
            return l >= 1 ? 0 : (long) Math.ceil((1 - l) / perSecond);
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final LongSupplier nanos;
    private final Budgets budgets;
    private final Map<String, Bucket> buckets = new HashMap<>();
    private int refusals;
    /** Requests admitted, by operation type ({@code reads}, {@code writes}, {@code deletes}) and by provider and type. */
    private final Map<String, Long> admitted = new LinkedHashMap<>();
    private final List<Long> refusalTimes = new ArrayList<>();
    /** When each VM PUT was admitted (clock nanos), by region: for the bench's timeline. */
    private final Map<String, List<Long>> vmPuts = new LinkedHashMap<>();
    /** Refusals by the bucket that refused: {@code writes}, {@code global writes}, {@code Network write eastus}, ... */
    private final Map<String, Long> refusedBy = new LinkedHashMap<>();

    ArmThrottling(LongSupplier nanos, Budgets budgets) {
        this.nanos = nanos;
        this.budgets = budgets;
    }

    /** Counts the request against every bucket it falls in, or refuses it. */
    synchronized Verdict admit(Request r) {
        long now = nanos.getAsLong();
        String op = r.op();
        double size = op.equals("reads") ? budgets.reads() : op.equals("writes") ? budgets.writes() : budgets.deletes();
        double rate = op.equals("reads") ? budgets.readsPerSecond()
                : op.equals("writes") ? budgets.writesPerSecond() : budgets.deletesPerSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        Bucket mine;
        Bucket global = null;
        if (r.subscription() == null) {
            mine = bucket("tenant|" + r.principal() + "|" + op, size, rate, now);
        } else {
            mine = bucket("sub|" + r.subscription() + "|" + r.principal() + "|" + op, size, rate, now);
            global = bucket("global|" + r.subscription() + "|" + op, size * budgets.globalFactor(),
                    rate * budgets.globalFactor(), now);
        }
        // Resource Manager first.
        long wait = Math.max(mine.secondsUntilOne(now), global == null ? 0 : global.secondsUntilOne(now));
        if (wait > 0) {
            mine.level(now);
            put(headers, r, mine, global);
            refusals++;
            refusalTimes.add(now);
            refusedBy.merge(mine.secondsUntilOne(now) > 0 ? op : "global " + op, 1L, Long::sum);
            ObjectNode body = json.createObjectNode();
            body.putObject("error").put("code", "SubscriptionRequestsThrottled").put("message", "Number of '"
                    + op.substring(0, op.length() - 1) + "' requests for subscription '" + r.subscription() + "' actor '"
                    + r.principal() + "' exceeded. Please try again after '" + wait + "' seconds after additional"
                    + " tokens are available. Refer to https://aka.ms/arm-throttling for additional information.");
            return new Verdict(headers, 429, body, wait);
        }
        mine.tokens -= 1;
        if (global != null) {
            global.tokens -= 1;
        }
        admitted.merge(op, 1L, Long::sum);
        if (r.namespace() != null) {
            admitted.merge(r.method() + " " + r.namespace().toLowerCase(Locale.ROOT) + "/" + r.template(), 1L, Long::sum);
        }
        put(headers, r, mine, global);
        if (r.subscription() == null || r.namespace() == null) {
            return new Verdict(headers, 0, null, 0);
        }
        String ns = r.namespace().toLowerCase(Locale.ROOT);
        String region = r.region() == null ? "?" : r.region();
        if (ns.equals("microsoft.network")) {
            boolean read = op.equals("reads");
            Bucket net = bucket("net|" + r.subscription() + "|" + region + "|" + (read ? "read" : "write"),
                    read ? budgets.networkReads() : budgets.networkWrites(),
                    (read ? budgets.networkReads() : budgets.networkWrites()) / budgets.networkWindowSeconds(), now);
            long w = net.secondsUntilOne(now);
            if (w > 0) {
                refusals++;
                refusalTimes.add(now);
                refusedBy.merge("Network " + (read ? "read " : "write ") + region, 1L, Long::sum);
                ObjectNode body = json.createObjectNode();
                body.putObject("error").put("code", "TooManyRequests").put("message", "The request is being throttled"
                        + " as the limit has been reached for operation type - " + (read ? "Read" : "Write")
                        + "_ObservationWindow_00:05:00. For more information, see - https://aka.ms/armthrottling");
                return new Verdict(headers, 429, body, w);
            }
            net.tokens -= 1;
            return new Verdict(headers, 0, null, 0);
        }
        if (ns.equals("microsoft.compute")) {
            List<Policy> policies = computePolicies(r.method(), r.template());
            if (policies.isEmpty()) {
                return new Verdict(headers, 0, null, 0);
            }
            List<Bucket> pb = new ArrayList<>();
            long w = 0;
            Policy empty = null;
            for (Policy p : policies) {
                Bucket b = bucket("rp|" + r.subscription() + "|" + region + "|" + p.name(), p.size(),
                        p.size() / p.windowSeconds(), now);
                pb.add(b);
                long bw = b.secondsUntilOne(now);
                if (bw > w) {
                    w = bw;
                    empty = p;
                }
            }
            if (w == 0) {
                pb.forEach(b -> b.tokens -= 1);
                if (r.method().equals("PUT") && r.template().equals("virtualmachines/{}")) {
                    vmPuts.computeIfAbsent(region, k -> new ArrayList<>()).add(now);
                }
            }
            StringBuilder remaining = new StringBuilder();
            for (int i = 0; i < policies.size(); i++) {
                remaining.append(i == 0 ? "" : ",").append("Microsoft.Compute/").append(policies.get(i).name())
                        .append(';').append((long) Math.floor(pb.get(i).tokens));
            }
            headers.put("x-ms-ratelimit-remaining-resource", remaining.toString());
            if (w > 0) {
                refusals++;
                refusalTimes.add(now);
                refusedBy.merge("Compute " + empty.name() + " " + region, 1L, Long::sum);
                // Compute's throttling answer (troubleshooting-throttling-errors), at the root of the body.
                ObjectNode body = json.createObjectNode().put("code", "OperationNotAllowed").put("message",
                        "The server rejected the request because too many requests have been received for this"
                                + " subscription.");
                ObjectNode detail = body.putArray("details").addObject().put("code", "TooManyRequests")
                        .put("target", empty.name());
                detail.put("message", "{\"operationGroup\":\"" + empty.name() + "\",\"allowedRequestCount\":"
                        + (long) empty.size() + "}");
                return new Verdict(headers, 429, body, w);
            }
        }
        return new Verdict(headers, 0, null, 0);
    }

    /** Requests Resource Manager admitted, by operation type and by {@code METHOD provider/template}. */
    synchronized Map<String, Long> admitted() {
        return Map.copyOf(admitted);
    }

    synchronized Map<String, List<Long>> vmPuts() {
        Map<String, List<Long>> out = new LinkedHashMap<>();
        vmPuts.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return out;
    }

    synchronized Map<String, Long> refusedBy() {
        return Map.copyOf(refusedBy);
    }

    synchronized int refusals() {
        return refusals;
    }

    /** When each refusal happened (nanoseconds of the clock). */
    synchronized List<Long> refusalTimes() {
        return List.copyOf(refusalTimes);
    }

    /** The remaining count of a principal's bucket, as the next answer would report it before charging. */
    synchronized long remaining(String subscription, String principal, String op) {
        Bucket b = buckets.get("sub|" + subscription + "|" + principal + "|" + op);
        return b == null ? -1 : (long) Math.floor(b.level(nanos.getAsLong()));
    }

    /**
     * Compute's policies for a request: {@code template} is the path below the provider with names as
     * {@code {}} ({@code virtualmachines/{}}, {@code virtualmachinescalesets/{}/instanceview}, ...).
     */
    static List<Policy> computePolicies(String method, String template) {
        String t = template.toLowerCase(Locale.ROOT);
        boolean get = method.equals("GET");
        if (t.startsWith("virtualmachines")) {
            if (t.equals("virtualmachines") && get) {
                return both("HighCostGet", 140, 700);
            }
            if (t.equals("virtualmachines/{}")) {
                return switch (method) {
                    case "GET" -> both("LowCostGet", 4000, 32000);
                    case "DELETE" -> both("DeleteVM", 240, 1200);
                    default -> both("PutVM", 240, 1200);
                };
            }
            if (get) {
                return both("LowCostGet", 4000, 32000);
            }
        }
        if (t.startsWith("virtualmachinescalesets")) {
            if (get && (t.equals("virtualmachinescalesets") || t.endsWith("/instanceview"))) {
                return both("HighCostGetVMScaleSet", 180, 900);
            }
            if (get && t.equals("virtualmachinescalesets/{}")) {
                return both("GetVMScaleSet", 200, 1300);
            }
            if (method.equals("DELETE") && t.equals("virtualmachinescalesets/{}")) {
                return both("DeleteVMScaleSet", 120, 600);
            }
        }
        if (get && t.startsWith("locations/{}/publishers")) {
            return both("LowCostGet", 4000, 32000);
        }
        return List.of();
    }

    private static List<Policy> both(String name, double threeMinutes, double thirtyMinutes) {
        return List.of(new Policy(name + "3Min", threeMinutes, 180), new Policy(name + "30Min", thirtyMinutes, 1800));
    }

    private Bucket bucket(String key, double size, double perSecond, long now) {
        Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(size, perSecond, now));
        b.level(now);
        return b;
    }

    private static void put(Map<String, String> headers, Request r, Bucket mine, Bucket global) {
        String op = r.op();
        if (r.subscription() == null) {
            headers.put("x-ms-ratelimit-remaining-tenant-" + op, Long.toString((long) Math.floor(Math.max(0, mine.tokens))));
            return;
        }
        headers.put("x-ms-ratelimit-remaining-subscription-" + op, Long.toString((long) Math.floor(Math.max(0, mine.tokens))));
        headers.put("x-ms-ratelimit-remaining-subscription-global-" + op,
                Long.toString((long) Math.floor(Math.max(0, global.tokens))));
    }
}
