package org.azuregahp.azure;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the adapter knows of Azure's request budgets, and which waiting calls may go now so that the
 * budgets last: Resource Manager's token buckets per subscription and principal and operation type
 * (reads, writes, deletes; since 2024 a bucket of 250 reads refilled at 25 a second, 200 writes and
 * 200 deletes at 10 a second), the subscription's global buckets shared by every principal (15 times
 * those), and each resource provider's own policies as {@code x-ms-ratelimit-remaining-resource}
 * names them (Compute's {@code PutVM3Min}, {@code PutVM30Min}, {@code HighCostGet3Min}, ..., per
 * region of the resource). Pure and clock-free: every method takes the time (nanoseconds of one
 * monotonic clock), so the pacing is tested on a manual clock; {@link ArmPacer} does the waiting.
 *
 * <p>Each bucket's level is estimated: it refills at the bucket's rate, each call charged to it takes
 * one token when it goes, and every response that reports the bucket's remaining count resets the
 * estimate to that count less the calls still on their way. While a bucket holds more than its
 * reserve (half of it, at most ten seconds of its refill, at least 20 tokens) calls go at once (the
 * burst is there to be used); below that, consecutive calls are spaced {@code reserve / (rate * level)}
 * apart, so the bucket settles where the calls take exactly its refill. Several servers sharing a
 * bucket (several users of one subscription) see the same reported level and slow down together:
 * with {@code n} of them it settles at {@code reserve / n}, still above zero, without any coordination. A principal's bucket never heard from starts a little above half, so a
 * fresh server sends only a few calls at once until Azure says how much is left. A 429 closes the
 * bucket it names (the one reported at zero; for a provider that reports no counts, such as Network,
 * that provider's calls of that kind in that region) until its {@code Retry-After}.
 *
 * <p>Calls wait in queues, one per set of buckets, and are released first come, first served, each
 * only when every bucket it counts against allows it at that moment, so a count that arrives while
 * calls wait holds them back (or lets them go) at once.
 */
final class ArmBudgets {
    enum Op {
        READ("reads", 250, 25), WRITE("writes", 200, 10), DELETE("deletes", 200, 10);

        final String header;
        final double capacity;
        final double perSecond;

        Op(String header, double capacity, double perSecond) {
            this.header = header;
            this.capacity = capacity;
            this.perSecond = perSecond;
        }

        static Op of(String method) {
            switch (method.toUpperCase(Locale.ROOT)) {
                case "GET":
                case "HEAD":
                    return READ;
                case "DELETE":
                    return DELETE;
                default:
                    return WRITE;
            }
        }
    }

    /** The global subscription buckets hold this many times a principal's. */
    static final int GLOBAL_FACTOR = 15;
    /** Calls that go at once to a principal's bucket never heard from, beyond half of it. */
    static final int PROBE = 8;
    /** At most this many seconds of a bucket's refill are kept in reserve (see {@link Bucket#reserve()}). */
    static final double RESERVE_SECONDS = 10;
    /** ... and at least this many tokens, so that several servers settling at reserve / n keep a few. */
    static final double MIN_RESERVE = 20;
    /** Groups whose region is remembered (for the provider policies of calls that do not name one). */
    static final int MAX_GROUPS = 4096;
    static final String REMAINING = "x-ms-ratelimit-remaining-";
    static final String RESOURCE_HEADER = "x-ms-ratelimit-remaining-resource";
    static final long NEVER = Long.MAX_VALUE;
    private static final Pattern WINDOW = Pattern.compile("(\\d+)(Min|Hour|Sec)$", Pattern.CASE_INSENSITIVE);
    private static final long NANOS = 1_000_000_000L;

    /** One call's facts, as the pacing sees them. */
    record Call(String subscription, String principal, Op op, String namespace, String shape, String region,
            String group, String method) {
    }

    /** One call's place: waiting, then sent (charged to its buckets), then settled. */
    static final class Ticket {
        final Call call;
        final List<Bucket> buckets;
        final long enqueued;
        /** A poll of a long-running operation: it can wait without holding up other work, so it goes last. */
        final boolean poll;
        long sentAt = -1;
        boolean settled;
        /** Whoever waits for the ticket (the pacer's sink). */
        Object waiter;

        Ticket(Call call, List<Bucket> buckets, long enqueued) {
            this.call = call;
            this.buckets = buckets;
            this.enqueued = enqueued;
            this.poll = call.op() == Op.READ && call.shape() != null
                    && (call.shape().endsWith("/operations/{}") || call.shape().endsWith("/operationresults/{}"));
        }

        /** Earlier is served first: every other call before any poll, then in arrival order. */
        boolean before(Ticket other) {
            return poll != other.poll ? !poll : enqueued < other.enqueued;
        }

        boolean sent() {
            return sentAt >= 0;
        }
    }

    static final class Bucket {
        final String key;
        double capacity;
        /** Tokens a second; 0 when unknown (such a bucket is only closed by a 429, never paced). */
        double perSecond;
        double level;
        long at;
        long lastSend = Long.MIN_VALUE;
        long blockedUntil = Long.MIN_VALUE;
        int inFlight;

        Bucket(String key, double capacity, double perSecond, double level, long now) {
            this.key = key;
            this.capacity = capacity;
            this.perSecond = perSecond;
            this.level = level;
            this.at = now;
        }

        double levelAt(long t) {
            if (perSecond <= 0 || t <= at) {
                return level;
            }
            return Math.min(capacity, level + perSecond * (t - at) / NANOS);
        }

        boolean paced() {
            return perSecond > 0 && capacity > 0;
        }

        /**
         * The level below which calls are spaced: half the bucket, but no more than
         * {@link #RESERVE_SECONDS} of its refill (at least {@link #MIN_RESERVE} tokens): a slow bucket
         * such as Compute's 30-minute policy (1,200 refilled over 30 minutes) would otherwise keep
         * 15 minutes' worth of calls unused.
         */
        double reserve() {
            return Math.min(capacity / 2, Math.max(MIN_RESERVE, perSecond * RESERVE_SECONDS));
        }

        /** The earliest time, not before {@code now}, a call may be charged here. */
        long earliest(long now) {
            long t = Math.max(now, blockedUntil);
            if (!paced()) {
                return t;
            }
            double l = levelAt(t);
            if (l < reserve() && lastSend != Long.MIN_VALUE) {
                t = Math.max(t, lastSend + gap(l));
                l = levelAt(t);
            }
            if (l < 1) {
                t += (long) Math.ceil((1 - l) / perSecond * NANOS);
            }
            return t;
        }

        /** Below the reserve: calls spaced so that the level settles where they take the refill. */
        long gap(double l) {
            return (long) (reserve() / (perSecond * Math.max(l, 0.5)) * NANOS);
        }

        void charge(long now) {
            if (paced()) {
                level = levelAt(now) - 1;
                at = Math.max(at, now);
            }
            lastSend = now;
            inFlight++;
        }
    }

    private final Map<String, Bucket> buckets = new HashMap<>();
    /** Waiting tickets, one queue per set of buckets, in the order the queues were first used. */
    private final Map<String, ArrayDeque<Ticket>> queues = new LinkedHashMap<>();
    /** Call shape ({@code PUT microsoft.compute/virtualmachines/{}}) to the provider policies it counts against. */
    private final Map<String, Set<String>> policiesByShape = new HashMap<>();
    private final Map<String, String> groupRegions = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_GROUPS;
        }
    };

    /** The call joins the queue of its buckets; {@link #release} says when it may go. */
    synchronized Ticket enqueue(Call call, long now, Object waiter) {
        List<Bucket> list = bucketsFor(call, regionOf(call), now);
        StringBuilder sig = new StringBuilder();
        for (Bucket b : list) {
            sig.append(b.key).append('\n');
        }
        Ticket t = new Ticket(call, list, now);
        t.waiter = waiter;
        queues.computeIfAbsent(sig.toString(), k -> new ArrayDeque<>()).add(t);
        return t;
    }

    /**
     * The waiting tickets that may go now, each charged to its buckets: first come, first served
     * across the queues (the earliest waiting head that may go, again and again), except that polls of
     * long-running operations give way to every other call. A poll that waits only reports a finished
     * resource a little later; the reads that start or finish a create hold up its writes, and with
     * them everything the budgets allow. (Polls still get what the others leave: those are a few reads
     * per create, the budget 25 a second.)
     */
    synchronized List<Ticket> release(long now) {
        List<Ticket> out = new ArrayList<>();
        while (true) {
            ArrayDeque<Ticket> best = null;
            for (ArrayDeque<Ticket> q : queues.values()) {
                Ticket head = q.peek();
                if (head != null && (best == null || head.before(best.peek())) && allowed(head, now)) {
                    best = q;
                }
            }
            if (best == null) {
                break;
            }
            Ticket t = best.poll();
            for (Bucket b : t.buckets) {
                b.charge(now);
            }
            t.sentAt = now;
            out.add(t);
        }
        queues.values().removeIf(ArrayDeque::isEmpty);
        return out;
    }

    /** When the next waiting ticket may go ({@link #NEVER} when none waits). */
    synchronized long nextRelease(long now) {
        long next = NEVER;
        for (ArrayDeque<Ticket> q : queues.values()) {
            Ticket t = q.peek();
            long at = now;
            for (Bucket b : t.buckets) {
                at = Math.max(at, b.earliest(now));
            }
            next = Math.min(next, at);
        }
        return next;
    }

    synchronized int waiting() {
        int n = 0;
        for (ArrayDeque<Ticket> q : queues.values()) {
            n += q.size();
        }
        return n;
    }

    /** The call went and Azure answered: its counts and, for a 429, how long the bucket it names is closed. */
    synchronized void observe(Ticket ticket, int status, Headers headers, long now) {
        if (!settle(ticket)) {
            return;
        }
        Call c = ticket.call;
        String region = regionOf(c);
        List<Bucket> exhausted = new ArrayList<>();
        if (c.subscription() != null) {
            hear(armKey(c, c.op()), c.op(), false, headers.get(REMAINING + "subscription-" + c.op().header), now,
                    exhausted);
            hear(globalKey(c, c.op()), c.op(), true, headers.get(REMAINING + "subscription-global-" + c.op().header),
                    now, exhausted);
        } else {
            hear(armKey(c, c.op()), c.op(), false, headers.get(REMAINING + "tenant-" + c.op().header), now, exhausted);
        }
        String resource = headers.get(RESOURCE_HEADER);
        if (resource != null && c.subscription() != null) {
            Set<String> policies = policiesByShape.computeIfAbsent(c.shape(), k -> new LinkedHashSet<>());
            for (String entry : resource.split(",")) {
                int semi = entry.lastIndexOf(';');
                if (semi <= 0) {
                    continue;
                }
                String policy = entry.substring(0, semi).trim();
                long count;
                try {
                    count = Long.parseLong(entry.substring(semi + 1).trim());
                } catch (NumberFormatException e) {
                    continue;
                }
                policies.add(policy.toLowerCase(Locale.ROOT));
                Bucket b = policyBucket(c.subscription(), region, policy, now);
                learnCapacity(b, count);
                b.level = count - b.inFlight;
                b.at = now;
                if (count <= 0) {
                    exhausted.add(b);
                }
            }
        }
        if (status == 429) {
            long wait = headers.retryAfterNanos(now);
            if (exhausted.isEmpty()) {
                // Nothing reported at zero: the provider throttled without counts (Network does), so close
                // that provider's calls of this kind in this region; without a provider, the principal's bucket.
                exhausted.add(c.namespace() != null ? blockBucket(c, region, now)
                        : bucket(armKey(c, c.op()), c.op(), false, now));
            }
            for (Bucket b : exhausted) {
                b.blockedUntil = Math.max(b.blockedUntil, now + wait);
                if (b.paced()) {
                    b.level = Math.min(b.levelAt(now), 0);
                    b.at = Math.max(b.at, now);
                }
            }
        }
        if (c.group() != null && c.region() != null && c.subscription() != null) {
            groupRegions.put(c.subscription() + "|" + c.group().toLowerCase(Locale.ROOT), c.region());
        }
        if (status < 300 && "DELETE".equals(c.method()) && c.group() != null && c.shape().endsWith(" resourcegroups/{}")) {
            groupRegions.remove(c.subscription() + "|" + c.group().toLowerCase(Locale.ROOT));
        }
    }

    /** The call was given up (cancelled while waiting, or never reached Azure): out of its queue, its token back. */
    synchronized void abandon(Ticket ticket, long now) {
        if (!ticket.sent()) {
            for (Iterator<ArrayDeque<Ticket>> it = queues.values().iterator(); it.hasNext();) {
                ArrayDeque<Ticket> q = it.next();
                if (q.remove(ticket)) {
                    if (q.isEmpty()) {
                        it.remove();
                    }
                    break;
                }
            }
            ticket.settled = true;
            return;
        }
        if (!settle(ticket)) {
            return;
        }
        for (Bucket b : ticket.buckets) {
            if (b.paced()) {
                b.level = Math.min(b.levelAt(now) + 1, b.capacity);
                b.at = Math.max(b.at, now);
            }
        }
    }

    private boolean settle(Ticket ticket) {
        if (ticket.settled || !ticket.sent()) {
            return false;
        }
        ticket.settled = true;
        for (Bucket b : ticket.buckets) {
            b.inFlight = Math.max(0, b.inFlight - 1);
        }
        return true;
    }

    /** The estimated level of a bucket now, for tests and the log; NaN when unknown. */
    synchronized double level(String key, long now) {
        Bucket b = buckets.get(key);
        return b == null ? Double.NaN : b.levelAt(now);
    }

    synchronized Set<String> policiesOf(String shape) {
        return Set.copyOf(policiesByShape.getOrDefault(shape, Set.of()));
    }

    // ---------------------------------------------------------------- keys

    static String armKey(Call c, Op op) {
        return c.subscription() == null ? "tenant|" + c.principal() + "|" + op.header
                : "arm|" + c.subscription() + "|" + c.principal() + "|" + op.header;
    }

    static String globalKey(Call c, Op op) {
        return "global|" + c.subscription() + "|" + op.header;
    }

    static String policyKey(String subscription, String region, String policy) {
        return "rp|" + subscription + "|" + (region == null ? "?" : region) + "|" + policy.toLowerCase(Locale.ROOT);
    }

    private static boolean allowed(Ticket t, long now) {
        for (Bucket b : t.buckets) {
            if (b.earliest(now) > now) {
                return false;
            }
        }
        return true;
    }

    private List<Bucket> bucketsFor(Call c, String region, long now) {
        List<Bucket> out = new ArrayList<>();
        out.add(bucket(armKey(c, c.op()), c.op(), false, now));
        if (c.subscription() == null) {
            return out;
        }
        out.add(bucket(globalKey(c, c.op()), c.op(), true, now));
        for (String policy : policiesByShape.getOrDefault(c.shape(), Set.of())) {
            out.add(policyBucket(c.subscription(), region, policy, now));
        }
        if (c.namespace() != null) {
            out.add(blockBucket(c, region, now));
        }
        return out;
    }

    private Bucket bucket(String key, Op op, boolean global, long now) {
        return buckets.computeIfAbsent(key, k -> {
            double capacity = op.capacity * (global ? GLOBAL_FACTOR : 1);
            // A global bucket holds fifteen principals' worth: a fresh server's first calls cannot empty
            // it, and only a reported count makes it bind. A principal's starts a little above half.
            return new Bucket(k, capacity, op.perSecond * (global ? GLOBAL_FACTOR : 1),
                    global ? capacity : Math.min(capacity, capacity / 2 + PROBE), now);
        });
    }

    private Bucket policyBucket(String subscription, String region, String policy, long now) {
        return buckets.computeIfAbsent(policyKey(subscription, region, policy), k -> new Bucket(k, 0, 0, 0, now));
    }

    /** A provider's calls of one kind in one region, closed by a 429 that reported no counts; never paced. */
    private Bucket blockBucket(Call c, String region, long now) {
        String key = "block|" + c.subscription() + "|" + (region == null ? "?" : region) + "|"
                + c.namespace().toLowerCase(Locale.ROOT) + "|" + c.op().header;
        return buckets.computeIfAbsent(key, k -> new Bucket(k, 0, 0, 0, now));
    }

    private void hear(String key, Op op, boolean global, String value, long now, List<Bucket> exhausted) {
        if (value == null) {
            return;
        }
        long remaining;
        try {
            remaining = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return;
        }
        Bucket b = bucket(key, op, global, now);
        double documented = op.capacity * (global ? GLOBAL_FACTOR : 1);
        if (remaining + 1 > b.capacity) {
            b.capacity = remaining + 1;
            if (b.capacity > 2 * documented) {
                // More than the token bucket holds: the older hourly limits (12,000 reads, 1,200 writes,
                // 15,000 deletes an hour), still seen on some clouds.
                b.perSecond = b.capacity / 3600.0;
            }
        }
        b.level = remaining - b.inFlight;
        b.at = now;
        if (remaining <= 0) {
            exhausted.add(b);
        }
    }

    /** A provider policy's size is the most it has been seen to hold; its refill, that over the window its name says. */
    private static void learnCapacity(Bucket b, long count) {
        if (count + 1 > b.capacity) {
            b.capacity = count + 1;
            Matcher m = WINDOW.matcher(b.key);
            if (m.find()) {
                long n = Long.parseLong(m.group(1));
                String unit = m.group(2).toLowerCase(Locale.ROOT);
                double seconds = n * (unit.equals("min") ? 60 : unit.equals("hour") ? 3600 : 1);
                b.perSecond = b.capacity / seconds;
            }
        }
    }

    private String regionOf(Call c) {
        if (c.region() != null) {
            return c.region();
        }
        if (c.group() != null && c.subscription() != null) {
            return groupRegions.get(c.subscription() + "|" + c.group().toLowerCase(Locale.ROOT));
        }
        return null;
    }

    /** The response headers the pacing reads. */
    interface Headers {
        /** A header's value (several values joined with commas), or null. */
        String get(String name);

        /** How long a 429 asks to wait, in nanoseconds (its Retry-After; 5 s when it gives none). */
        long retryAfterNanos(long now);
    }
}
