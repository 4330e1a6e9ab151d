package org.azuregahp.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;

/**
 * The pacing on a manual clock (nanoseconds as plain numbers): no wall clock anywhere. Azure's side
 * is a token bucket in the test ({@link AzureBucket}) that answers with the remaining count, as
 * Resource Manager does, and 429 when it is empty.
 */
class ArmBudgetsTest {
    static final long S = 1_000_000_000L;
    static final String SUB = "00000000-0000-0000-0000-000000000001";

    static ArmBudgets.Call write(String principal) {
        return new ArmBudgets.Call(SUB, principal, ArmBudgets.Op.WRITE, null, "PUT resourcegroups/{}", "westeurope",
                "g", "PUT");
    }

    static ArmBudgets.Call vmPut(String region) {
        return new ArmBudgets.Call(SUB, "app", ArmBudgets.Op.WRITE, "Microsoft.Compute",
                "PUT microsoft.compute/virtualmachines/{}", region, "g-" + region, "PUT");
    }

    static ArmBudgets.Call networkPut(String region) {
        return new ArmBudgets.Call(SUB, "app", ArmBudgets.Op.WRITE, "Microsoft.Network",
                "PUT microsoft.network/networkinterfaces/{}", region, "n-" + region, "PUT");
    }

    static ArmBudgets.Headers headers(Map<String, String> h) {
        return new ArmBudgets.Headers() {
            @Override
            public String get(String name) {
                return h.get(name);
            }

            @Override
            public long retryAfterNanos(long now) {
                return h.containsKey("Retry-After") ? Long.parseLong(h.get("Retry-After")) * S : 5 * S;
            }
        };
    }

    /** Enqueues the call and lets go whatever may go now: the call's ticket, sent or still waiting. */
    static ArmBudgets.Ticket call(ArmBudgets b, ArmBudgets.Call c, long now) {
        ArmBudgets.Ticket t = b.enqueue(c, now, null);
        b.release(now);
        return t;
    }

    /** When the call, enqueued at {@code now} behind nothing else, may go. */
    static long sendTime(ArmBudgets b, ArmBudgets.Call c, long now) {
        ArmBudgets.Ticket t = b.enqueue(c, now, null);
        long at = now;
        while (!t.sent()) {
            b.release(at);
            if (!t.sent()) {
                at = b.nextRelease(at);
            }
        }
        return t.sentAt;
    }

    static ArmBudgets.Headers writes(long remaining) {
        return headers(Map.of("x-ms-ratelimit-remaining-subscription-writes", Long.toString(remaining)));
    }

    /** Resource Manager's bucket for one principal's writes: 200 tokens, 10 a second. */
    static final class AzureBucket {
        final double capacity;
        final double perSecond;
        double tokens;
        long at;

        AzureBucket(double capacity, double perSecond) {
            this.capacity = capacity;
            this.perSecond = perSecond;
            this.tokens = capacity;
        }

        /** A call arrives at {@code t}: the remaining count, or -1 for a 429. */
        long take(long t) {
            tokens = Math.min(capacity, tokens + perSecond * (t - at) / S);
            at = t;
            if (tokens < 1) {
                return -1;
            }
            tokens -= 1;
            return (long) Math.floor(tokens);
        }
    }

    @Test
    void aFreshServerSendsOnlyAFewCallsAtOnceUntilAzureSaysWhatIsLeft() {
        ArmBudgets b = new ArmBudgets();
        int atOnce = 0;
        for (int i = 0; i < 20; i++) {
            if (call(b, write("app"), 0).sent()) {
                atOnce++;
            }
        }
        // Half the bucket (100) plus a probe of 8 above it: 9 go before the level is below half.
        assertThat(atOnce).isEqualTo(ArmBudgets.PROBE + 1);
        assertThat(b.waiting()).isEqualTo(20 - atOnce);
        assertThat(b.nextRelease(0)).isPositive();
    }

    @Test
    void aBucketAzureReportsFullIsSpentAtOnceDownToHalfThenPaced() {
        ArmBudgets b = new ArmBudgets();
        ArmBudgets.Ticket first = call(b, write("app"), 0);
        b.observe(first, 201, writes(199), 0);
        int atOnce = 0;
        for (int i = 0; i < 150; i++) {
            if (call(b, write("app"), 0).sent()) {
                atOnce++;
            }
        }
        // 199 left, half of 200 kept: 100 more at once (down to 99), then spaced.
        assertThat(atOnce).isEqualTo(100);
        assertThat(b.waiting()).isEqualTo(50);
    }

    @Test
    void pollsOfLongRunningOperationsGiveWayToEveryOtherCall() {
        ArmBudgets b = new ArmBudgets();
        ArmBudgets.Call poll = new ArmBudgets.Call(SUB, "app", ArmBudgets.Op.READ, "Microsoft.Compute",
                "GET microsoft.compute/locations/{}/operations/{}", "westeurope", null, "GET");
        ArmBudgets.Call groupRead = new ArmBudgets.Call(SUB, "app", ArmBudgets.Op.READ, null, "GET resourcegroups/{}",
                null, "g", "GET");
        ArmBudgets.Ticket first = call(b, groupRead, 0);
        // Reads nearly gone: one call at a time.
        b.observe(first, 200, headers(Map.of("x-ms-ratelimit-remaining-subscription-reads", "10")), 0);
        List<ArmBudgets.Ticket> polls = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            polls.add(b.enqueue(poll, 0, null));
        }
        ArmBudgets.Ticket read = b.enqueue(groupRead, S / 1000, null);
        long t = S / 1000;
        List<ArmBudgets.Ticket> order = new java.util.ArrayList<>();
        while (order.size() < 6) {
            order.addAll(b.release(t));
            t = Math.max(t + 1, b.nextRelease(t));
        }
        assertThat(order.get(0)).isSameAs(read);
        assertThat(order.subList(1, 6)).containsExactlyElementsOf(polls);
    }

    @Test
    void aCountThatArrivesWhileCallsWaitHoldsThemBack() {
        ArmBudgets b = new ArmBudgets();
        ArmBudgets.Ticket first = call(b, write("app"), 0);
        for (int i = 0; i < 50; i++) {
            b.enqueue(write("app"), 0, null);
        }
        b.release(0);
        // Another server has emptied the bucket: the waiting calls must not go until it refills.
        b.observe(first, 201, writes(0), S / 10);
        assertThat(b.release(S / 10)).isEmpty();
        long next = b.nextRelease(S / 10);
        // Our own 8 still on their way are owed too: (8 + 1) tokens at 10 a second.
        assertThat(next - S / 10).isGreaterThanOrEqualTo(9 * S / 10);
    }

    @Test
    void oneServerAloneTakesTheRefillExactlyWithoutA429() {
        AzureBucket azure = new AzureBucket(200, 10);
        ArmBudgets b = new ArmBudgets();
        Run run = drive(List.of(b), azure, 4000, 0, 16);
        assertThat(run.throttled).isZero();
        // 4,000 writes from a full bucket of 200 at 10 a second: at least 380 s; the pacing keeps half the
        // bucket in reserve (10 s) and spends a little on the first few calls' probing.
        double bound = (4000 - 200) / 10.0;
        assertThat(run.seconds()).isBetween(bound, bound * 1.05);
    }

    @Test
    void threeServersSharingOnePrincipalSlowDownTogetherWithoutA429() {
        AzureBucket azure = new AzureBucket(200, 10);
        List<ArmBudgets> servers = List.of(new ArmBudgets(), new ArmBudgets(), new ArmBudgets());
        // Each server keeps 16 calls in flight; every answer takes 200 ms to come back.
        Run run = drive(servers, azure, 6000, S / 5, 16);
        assertThat(run.throttled).as("429s").isZero();
        double bound = (6000 - 200) / 10.0;
        assertThat(run.seconds()).isBetween(bound, bound * 1.05);
        // Each got about a third.
        for (int n : run.perServer) {
            assertThat(n).isBetween(1700, 2300);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "answers after {0} ms, {1} calls in flight each")
    @org.junit.jupiter.params.provider.CsvSource({"0, 1", "50, 4", "200, 64", "1000, 16", "1000, 300", "3000, 300"})
    void threeServersSee429sOnlyInTheFirstMinuteWhateverTheLatencyAndConcurrency(long latencyMs, int inFlight) {
        AzureBucket azure = new AzureBucket(200, 10);
        List<ArmBudgets> servers = List.of(new ArmBudgets(), new ArmBudgets(), new ArmBudgets());
        Run run = drive(servers, azure, 3000, latencyMs * 1_000_000, inFlight);
        // Three fresh servers race for the full bucket's burst before the first counts come back; after
        // that, never a 429.
        assertThat(run.lastThrottled).as("last 429").isLessThan(60 * S);
        assertThat(run.throttled).as("429s").isLessThanOrEqualTo(inFlight * 3 / 2);
        double bound = (3000 - 200) / 10.0;
        assertThat(run.seconds()).isBetween(bound, bound * 1.05);
    }

    @Test
    void threePrincipalsEachPacedOnTheirOwnBucketAndTheSharedGlobalOne() {
        // Three principals, each with its own bucket, all on the subscription's global bucket.
        Map<String, AzureBucket> own = new HashMap<>();
        AzureBucket global = new AzureBucket(3000, 150);
        List<String> principals = List.of("a", "b", "c");
        principals.forEach(p -> own.put(p, new AzureBucket(200, 10)));
        Azure azure = (server, t) -> {
            long mine = own.get(principals.get(server)).take(t);
            long all = global.take(t);
            return Map.of("x-ms-ratelimit-remaining-subscription-writes", Long.toString(Math.max(mine, 0)),
                    "x-ms-ratelimit-remaining-subscription-global-writes", Long.toString(Math.max(all, 0)),
                    "status", mine < 0 || all < 0 ? "429" : "201");
        };
        Run run = drive(List.of(new ArmBudgets(), new ArmBudgets(), new ArmBudgets()), principals, azure, 9000,
                S / 5, 16);
        assertThat(run.throttled).isZero();
        // Each principal's own bucket binds (3 x 10 a second), well below the global 150.
        double bound = (9000 - 600) / 30.0;
        assertThat(run.seconds()).isBetween(bound, bound * 1.05);
    }

    @Test
    void a429ClosesTheBucketItReportsAtZeroUntilItsRetryAfter() {
        ArmBudgets b = new ArmBudgets();
        ArmBudgets.Ticket t = call(b, write("app"), 0);
        b.observe(t, 429, headers(Map.of("x-ms-ratelimit-remaining-subscription-writes", "0", "Retry-After", "7")),
                2 * S);
        assertThat(sendTime(b, write("app"), 3 * S)).isGreaterThanOrEqualTo(9 * S);
        // Reads are another bucket: not closed.
        ArmBudgets.Call read = new ArmBudgets.Call(SUB, "app", ArmBudgets.Op.READ, null, "GET resourcegroups/{}",
                null, "g", "GET");
        assertThat(sendTime(b, read, 3 * S)).isEqualTo(3 * S);
    }

    @Test
    void aNetwork429WithoutCountsClosesNetworkCallsInThatRegionOnly() {
        ArmBudgets b = new ArmBudgets();
        ArmBudgets.Ticket t = call(b, networkPut("westeurope"), 0);
        b.observe(t, 429, headers(Map.of("x-ms-ratelimit-remaining-subscription-writes", "150", "Retry-After", "30")),
                S);
        assertThat(sendTime(b, networkPut("westeurope"), 2 * S)).isGreaterThanOrEqualTo(31 * S);
        assertThat(sendTime(b, networkPut("eastus"), 2 * S)).isEqualTo(2 * S);
        assertThat(sendTime(b, vmPut("westeurope"), 2 * S)).isEqualTo(2 * S);
    }

    @Test
    void computePoliciesAreLearnedFromTheResourceHeaderAndPacedPerRegion() {
        ArmBudgets b = new ArmBudgets();
        ArmBudgets.Ticket t = call(b, vmPut("westeurope"), 0);
        b.observe(t, 201, headers(Map.of("x-ms-ratelimit-remaining-subscription-writes", "199",
                "x-ms-ratelimit-remaining-resource", "Microsoft.Compute/PutVM3Min;239,Microsoft.Compute/PutVM30Min;1199")),
                0);
        assertThat(b.policiesOf("PUT microsoft.compute/virtualmachines/{}"))
                .containsExactlyInAnyOrder("microsoft.compute/putvm3min", "microsoft.compute/putvm30min");
        // Another server used most of the region's 3-minute policy: 5 left of 240, refilled 240 per 180 s.
        ArmBudgets.Ticket t2 = call(b, vmPut("westeurope"), S);
        b.observe(t2, 201, headers(Map.of("x-ms-ratelimit-remaining-resource",
                "Microsoft.Compute/PutVM3Min;5,Microsoft.Compute/PutVM30Min;1100")), S);
        long next = sendTime(b, vmPut("westeurope"), S);
        // The reserve (20 tokens: ten seconds of refill is fewer) over the refill (240 per 180 s) times the
        // level (5): 3 s after the last.
        assertThat((next - S) / (double) S).isBetween(2.5, 3.5);
        // Another region's policy is its own.
        assertThat(sendTime(b, vmPut("eastus"), S)).isEqualTo(S);
    }

    @Test
    void theOlderHourlyLimitsAreRecognisedByTheirSize() {
        ArmBudgets b = new ArmBudgets();
        ArmBudgets.Ticket t = call(b, write("app"), 0);
        b.observe(t, 201, writes(1199), 0);
        ArmBudgets.Ticket t2 = call(b, write("app"), 0);
        b.observe(t2, 201, writes(500), 0);
        // 1,200 writes an hour (one per 3 s), 500 left: above the reserve (20), so at once.
        assertThat(sendTime(b, write("app"), 0)).isZero();
        ArmBudgets.Ticket t3 = call(b, write("app"), 0);
        b.observe(t3, 201, writes(10), 0);
        // 10 left, one of ours still on its way: spaced 20 / (1/3 a second x 9) apart, some 6.7 s, then a
        // little less as it refills.
        long a = sendTime(b, write("app"), 0);
        long c = sendTime(b, write("app"), 0);
        assertThat(a / (double) S).isBetween(6.0, 7.0);
        assertThat((c - a) / (double) S).isBetween(5.0, 6.0);
    }

    @Test
    void aCallThatNeverReachedAzureGivesItsTokenBackAndAWaitingOneLeavesItsQueue() {
        ArmBudgets b = new ArmBudgets();
        ArmBudgets.Ticket t = call(b, write("app"), 0);
        b.observe(t, 201, writes(100), 0);
        String key = ArmBudgets.armKey(write("app"), ArmBudgets.Op.WRITE);
        double before = b.level(key, 0);
        ArmBudgets.Ticket lost = call(b, write("app"), 0);
        assertThat(lost.sent()).isTrue();
        b.abandon(lost, 0);
        assertThat(b.level(key, 0)).isEqualTo(before);
        ArmBudgets.Ticket waiting = call(b, write("app"), 0);
        ArmBudgets.Ticket behind = call(b, write("app"), 0);
        assertThat(behind.sent()).isFalse();
        b.abandon(behind, 0);
        assertThat(b.waiting()).isEqualTo(waiting.sent() ? 0 : 1);
    }

    @Test
    void theCallsFactsComeFromItsUrlBodyAndToken() {
        ArmPacingPolicy p = new ArmPacingPolicy(new ArmPacer(new ArmBudgets(), () -> 0,
                reactor.core.scheduler.Schedulers.immediate()), java.time.Clock.systemUTC());
        HttpRequest put = new HttpRequest(HttpMethod.PUT, "https://management.azure.com/subscriptions/" + SUB
                + "/resourceGroups/condorc1p0/providers/Microsoft.Compute/virtualMachines/condorc1p0?api-version=2025-04-01")
                .setBody("{\"location\":\"West Europe\",\"properties\":{}}")
                .setHeader(HttpHeaderName.AUTHORIZATION, "Bearer " + jwt("{\"aud\":\"x\",\"oid\":\"o-1\",\"appid\":\"App-7\"}"));
        ArmBudgets.Call c = p.call(put);
        assertThat(c.subscription()).isEqualTo(SUB);
        assertThat(c.principal()).isEqualTo("app-7");
        assertThat(c.op()).isEqualTo(ArmBudgets.Op.WRITE);
        assertThat(c.namespace()).isEqualTo("Microsoft.Compute");
        assertThat(c.shape()).isEqualTo("PUT microsoft.compute/virtualmachines/{}");
        assertThat(c.region()).isEqualTo("westeurope");
        assertThat(c.group()).isEqualTo("condorc1p0");

        HttpRequest poll = new HttpRequest(HttpMethod.GET, "https://management.azure.com/subscriptions/" + SUB
                + "/providers/Microsoft.Compute/locations/eastus2/operations/abc?api-version=2025-04-01");
        ArmBudgets.Call pc = p.call(poll);
        assertThat(pc.op()).isEqualTo(ArmBudgets.Op.READ);
        assertThat(pc.region()).isEqualTo("eastus2");
        assertThat(pc.shape()).isEqualTo("GET microsoft.compute/locations/{}/operations/{}");
        assertThat(pc.principal()).isEqualTo("anonymous");

        HttpRequest delete = new HttpRequest(HttpMethod.DELETE, "https://management.azure.com/subscriptions/" + SUB
                + "/resourcegroups/condorc1p0?api-version=2025-04-01").setHeader(HttpHeaderName.AUTHORIZATION,
                        "Bearer not-a-jwt");
        ArmBudgets.Call dc = p.call(delete);
        assertThat(dc.op()).isEqualTo(ArmBudgets.Op.DELETE);
        assertThat(dc.shape()).isEqualTo("DELETE resourcegroups/{}");
        assertThat(dc.principal()).isEqualTo("unknown");
    }

    static String jwt(String claims) {
        Base64.Encoder e = Base64.getUrlEncoder().withoutPadding();
        return e.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + e.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".sig";
    }

    // ---------------------------------------------------------------- a discrete-event run

    static final class Run {
        int throttled;
        long lastThrottled = -1;
        long end;
        int[] perServer;

        double seconds() {
            return end / (double) S;
        }
    }

    /** Azure's answer to a server's call arriving at {@code t}: the headers, and {@code status}. */
    interface Azure {
        Map<String, String> answer(int server, long t);
    }

    static Run drive(List<ArmBudgets> servers, AzureBucket bucket, int total, long latency, int inFlight) {
        Azure azure = (server, t) -> {
            long remaining = bucket.take(t);
            return Map.of("x-ms-ratelimit-remaining-subscription-writes", Long.toString(Math.max(remaining, 0)),
                    "status", remaining < 0 ? "429" : "201");
        };
        return drive(servers, List.of("app", "app", "app"), azure, total, latency, inFlight);
    }

    /**
     * {@code servers} (as principal {@code principals[i]}) each keep {@code inFlight} writes going until
     * {@code total} have been accepted; Azure answers each when it arrives, and the answer reaches the
     * server {@code latency} later. Events in time order; the clock is the event's time.
     */
    static Run drive(List<ArmBudgets> servers, List<String> principals, Azure azure, int total, long latency,
            int inFlight) {
        // kinds: 0 a worker wants to call, 1 the server's timer, 2 a call reaches Azure, 3 an answer is back
        record Event(long t, int server, int kind, ArmBudgets.Ticket ticket, Map<String, String> answer) {
        }
        PriorityQueue<Event> events = new PriorityQueue<>((a, b) -> a.t != b.t ? Long.compare(a.t, b.t)
                : Integer.compare(a.kind, b.kind));
        for (int s = 0; s < servers.size(); s++) {
            for (int i = 0; i < inFlight; i++) {
                events.add(new Event(0, s, 0, null, null));
            }
        }
        long[] timer = new long[servers.size()];
        java.util.Arrays.fill(timer, ArmBudgets.NEVER);
        Run run = new Run();
        run.perServer = new int[servers.size()];
        int accepted = 0;
        while (!events.isEmpty() && accepted < total) {
            Event e = events.poll();
            ArmBudgets b = servers.get(e.server);
            switch (e.kind) {
                case 0 -> b.enqueue(write(principals.get(e.server)), e.t, null);
                case 1 -> {
                    if (timer[e.server] != e.t) {
                        continue; // superseded
                    }
                    timer[e.server] = ArmBudgets.NEVER;
                }
                case 2 -> {
                    Map<String, String> answer = new HashMap<>(azure.answer(e.server, e.t));
                    if (answer.get("status").equals("429")) {
                        run.throttled++;
                        run.lastThrottled = e.t;
                        answer.put("Retry-After", "1");
                    } else {
                        accepted++;
                        run.perServer[e.server]++;
                        run.end = e.t;
                    }
                    events.add(new Event(e.t + latency, e.server, 3, e.ticket, answer));
                    continue;
                }
                default -> {
                    b.observe(e.ticket, Integer.parseInt(e.answer.get("status")), headers(e.answer), e.t);
                    events.add(new Event(e.t, e.server, 0, null, null));
                }
            }
            // The server's pump: what may go now goes; the timer is set for the next.
            for (ArmBudgets.Ticket t : b.release(e.t)) {
                events.add(new Event(e.t, e.server, 2, t, null));
            }
            long next = b.nextRelease(e.t);
            if (next != ArmBudgets.NEVER && next < timer[e.server]) {
                timer[e.server] = next;
                events.add(new Event(next, e.server, 1, null, null));
            }
        }
        return run;
    }
}
