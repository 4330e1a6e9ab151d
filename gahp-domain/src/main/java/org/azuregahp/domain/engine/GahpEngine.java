package org.azuregahp.domain.engine;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.azuregahp.domain.codec.GahpCodec;
import org.azuregahp.domain.command.CommandParser;
import org.azuregahp.domain.command.CommandTable;
import org.azuregahp.domain.command.ParseOutcome;
import org.azuregahp.domain.result.Outcome;
import org.azuregahp.domain.result.Result;
import org.azuregahp.domain.result.ResultEncoder;
import org.azuregahp.ports.Cloud;
import org.azuregahp.ports.CloudStatistics;
import org.azuregahp.ports.LocalFiles;

/**
 * The GAHP engine over one {@link Cloud}: feed it request lines with {@link #accept}; it writes each
 * return line at once to its {@link OutputSink}, runs cloud requests through the ports, and queues
 * exactly one result line per accepted request, in completion order, for {@code RESULTS}. Typed
 * results and events go to {@link EngineListener}s; unexpected exceptions to {@link Diagnostics}.
 *
 * <pre>{@code
 * GahpEngine engine = GahpEngine.builder(cloud)
 *         .output(line -> System.out.println(line))
 *         .listener(new EngineListener() {
 *             public void completed(Result r) { ... r.outcome() ... }
 *         })
 *         .build();
 * engine.start();                                   // the banner
 * engine.accept("AZURE_PING 1 NULL 00000000-0000-0000-0000-000000000001");   // "S"
 * ...
 * engine.shutdown();
 * }</pre>
 *
 * <p>It is two parts: the {@link ProtocolSession} (output, prefix, async {@code R}, the results queue,
 * session commands) and {@link Admission} (in-flight limit, per-name arrival order, deadlines,
 * duplicate ids). This class parses each line, refuses what cannot be answered ({@code E}), and
 * turns outcomes into result lines through {@link ResultEncoder}. Decisions:
 * <ul>
 *   <li>A request id that is still waiting or running when another request reuses it: the new line
 *       gets {@code S} and at once its own error result ({@code DuplicateRequestId}); the first
 *       request still gets its own result. So every accepted line has exactly one result.</li>
 *   <li>A request id that no result line could echo is refused with {@code E}: one so long that not
 *       even an error result would fit in a line, or one that is not valid UTF-8 (the
 *       {@link org.azuregahp.domain.codec.LineFramer} marks such bytes; a result could not carry them
 *       back as they came). Bad bytes elsewhere in a line become U+FFFD, a value's problem.</li>
 *   <li>{@code QUIT} writes {@code S}, shuts the engine down and makes {@link #accept} answer false.</li>
 *   <li>The engine never closes the {@link Cloud}, nor an executor or scheduler it was given: whoever
 *       made them does. Those it made itself (none given) it stops at {@link #shutdown}.</li>
 * </ul>
 */
public final class GahpEngine {

    /** Bytes an error result keeps for its text at least; a longer request id is refused. */
    private static final int MIN_ERROR_ROOM = 200;

    private final EngineConfig cfg;
    private final Cloud cloud;
    private final Clock clock;
    private final CommandParser parser;
    private final Diagnostics diagnostics;
    private final String banner;
    private final ProtocolSession session;
    private final Admission admission;
    private final List<EngineListener> listeners = new CopyOnWriteArrayList<>();
    private final List<ExecutorService> ownPools;

    private final AtomicLong received = new AtomicLong();
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean closed;

    private GahpEngine(Builder b) {
        this.cfg = b.config;
        this.cloud = b.cloud;
        this.clock = b.clock;
        this.diagnostics = b.diagnostics;
        this.parser = new CommandParser(CommandTable.standard(), clock);
        this.banner = banner(cfg.version(), cfg.buildDate(), cfg.description());
        if (GahpCodec.utf8Length(banner) >= 150) {
            throw new IllegalArgumentException("the banner must be shorter than 150 bytes; shorten the description");
        }
        String versionText = "$GahpVersion: " + cfg.version() + " " + cfg.buildDate() + " " + cfg.description() + " $";
        this.session = new ProtocolSession(b.output, versionText, parser.table().names(), this::statistics,
                this::shutdown);
        List<ExecutorService> own = new ArrayList<>();
        Executor executor = b.executor;
        if (executor == null) {
            ExecutorService workers = Executors.newFixedThreadPool(4, daemons("gahp-engine-worker"));
            own.add(workers);
            executor = workers;
        }
        Scheduler scheduler = b.scheduler;
        if (scheduler == null) {
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemons("gahp-engine-timer"));
            timer.setRemoveOnCancelPolicy(true);
            own.add(timer);
            scheduler = Scheduler.on(timer);
        }
        this.ownPools = List.copyOf(own);
        this.admission = new Admission(cfg, cloud, b.files, clock, executor, scheduler, diagnostics,
                (task, outcome) -> deliver(task.requestId(), task.command(), outcome, task.accepted),
                this::shutdown);
        this.listeners.addAll(b.listeners);
    }

    /** The entry point: an engine over {@code cloud}, everything else optional. */
    public static Builder builder(Cloud cloud) {
        return new Builder(cloud);
    }

    /** {@code $GahpVersion: 1.0.0 Nov 27 2026 azure-gahp\ (Java) $}. */
    public String banner() {
        return banner;
    }

    /**
     * The banner for these parts, computable before any engine exists (a front end writes it the
     * moment the process starts, before it builds the cloud adapter and the engine).
     */
    public static String banner(String version, String buildDate, String description) {
        return "$GahpVersion: " + version + " " + buildDate + " " + GahpCodec.escape(description) + " $";
    }

    /** The caller's {@code CONDOR_VERSION} text, or null before it sent one. */
    public String callerVersion() {
        return session.callerVersion();
    }

    public CommandTable commandTable() {
        return parser.table();
    }

    /** Writes the banner; call once, before the first {@link #accept} (unless the front end wrote it). */
    public void start() {
        session.writeRaw(banner);
    }

    /** Adds a listener (typed results and events). */
    public void addListener(EngineListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Handles one request line (framed, CR stripped): writes its return line (and, for session
     * commands, its whole answer) before returning. Answers false when the session must end (after
     * {@code QUIT}, or once shut down).
     */
    public boolean accept(String line) {
        if (closed) {
            return false;
        }
        List<String> args = GahpCodec.split(line == null ? "" : line);
        boolean idNotText = args.size() > 1 && hasLoneSurrogate(args.get(1));
        sanitize(args);
        ParseOutcome outcome = parser.parse(args);
        if (outcome instanceof ParseOutcome.Rejected rej) {
            if (rej.cause() != null) {
                diagnostics.unexpected("parsing a " + shownName(args.get(0)) + " line", rej.cause());
            }
            refuse(rej.reason());
            return true;
        }
        if (outcome instanceof ParseOutcome.SessionCall call) {
            tell(l -> l.received(call.info().name(), null));
            call.run(session);
            return !closed;
        }
        String requestId = outcome instanceof ParseOutcome.CloudCall call ? call.request().requestId()
                : ((ParseOutcome.Invalid) outcome).requestId();
        if (idNotText) {
            refuse("request id is not valid UTF-8");
            return true;
        }
        if (refuseLongId(requestId)) {
            return true;
        }
        Instant accepted = clock.instant();
        received.incrementAndGet();
        if (outcome instanceof ParseOutcome.Invalid inv) {
            tell(l -> l.received(inv.commandName(), requestId));
            session.reply("S");
            if (inv.cause() != null) {
                diagnostics.unexpected("parsing " + inv.commandName() + " request " + requestId, inv.cause());
            }
            deliver(requestId, inv.commandName(), new Outcome.Failed(inv.errorText()), accepted);
            return true;
        }
        ParseOutcome.CloudCall call = (ParseOutcome.CloudCall) outcome;
        tell(l -> l.received(call.info().name(), requestId));
        session.reply("S");
        if (!admission.admit(call, accepted)) {
            deliver(requestId, call.info().name(), Outcome.failed("DuplicateRequestId", "request " + requestId
                    + " is still in progress; this second request with the same id was not run"), accepted);
        }
        return true;
    }

    /** Answers {@code E} for a request line longer than the front end's limit. */
    public void rejectOversized(long bytes) {
        if (closed) {
            return;
        }
        tell(l -> l.oversized(bytes));
        session.refuse("request line too long (" + bytes + " bytes)");
    }

    /**
     * Stops accepting, abandons queued and running work without waiting, and writes nothing more.
     * Idempotent; never blocks, not even while another thread is stuck writing output.
     */
    public void shutdown() {
        closed = true;
        session.close();
        admission.shutdown();
        for (ExecutorService pool : ownPools) {
            pool.shutdownNow();
        }
    }

    public boolean isShutdown() {
        return closed;
    }

    public EngineStatistics statistics() {
        long throttled;
        String stateFile;
        try {
            CloudStatistics cs = cloud.statistics();
            throttled = cs.throttledRetries();
            stateFile = cs.stateFile();
        } catch (RuntimeException e) {
            diagnostics.unexpected("reading the cloud's statistics", e);
            throttled = 0;
            stateFile = null;
        }
        return new EngineStatistics(received.get(), admission.runningCount(), admission.waitingCount(),
                succeeded.get(), failed.get(), throttled, session.resultsWaiting(), stateFile);
    }

    /** The requests running now, oldest first. */
    public List<InFlightRequest> inFlight() {
        return admission.inFlight();
    }

    // ---- results -----------------------------------------------------------------------------------------

    /** Encodes one outcome into a result line that fits, queues it, and tells the listeners. */
    private void deliver(String requestId, String command, Outcome outcome, Instant accepted) {
        ResultEncoder.Encoded encoded;
        try {
            encoded = ResultEncoder.encode(requestId, command, outcome, session.prefixBytes(),
                    cfg.maxResultLineBytes());
        } catch (RuntimeException e) {
            diagnostics.unexpected("encoding the result of " + command + " request " + requestId, e);
            Outcome internal = Outcome.failed("InternalError", e.getClass().getSimpleName()
                    + " (an unexpected failure in " + command + "; the GAHP log may say more)");
            encoded = ResultEncoder.encode(requestId, command, internal, session.prefixBytes(),
                    cfg.maxResultLineBytes());
        }
        (encoded.sent().succeeded() ? succeeded : failed).incrementAndGet();
        if (session.queueResult(encoded.line())) {
            Result result = new Result(requestId, command, encoded.sent(), accepted);
            tell(l -> l.completed(result));
        }
    }

    // ---- refusals ----------------------------------------------------------------------------------------

    private void refuse(String reason) {
        tell(l -> l.refused(reason));
        session.refuse(reason);
    }

    /**
     * A request id so long that not even an error result would fit in one line: the request cannot
     * be answered within the protocol, so it is not accepted ({@code E}, like an oversized line).
     */
    private boolean refuseLongId(String requestId) {
        long idBytes = GahpCodec.utf8Length(GahpCodec.escape(requestId));
        if (idBytes + 1 + MIN_ERROR_ROOM + session.prefixBytes() <= cfg.maxResultLineBytes()) {
            return false;
        }
        refuse("request id too long (" + GahpCodec.utf8Length(requestId) + " bytes)");
        return true;
    }

    /** A lone surrogate is how {@link org.azuregahp.domain.codec.LineFramer} marks a byte that was not UTF-8. */
    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** Bytes that were not UTF-8 become U+FFFD in every argument: a value's problem, not the protocol's. */
    private static void sanitize(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (hasLoneSurrogate(a)) {
                StringBuilder b = new StringBuilder(a.length());
                for (int k = 0; k < a.length(); k++) {
                    char c = a.charAt(k);
                    if (Character.isHighSurrogate(c) && k + 1 < a.length() && Character.isLowSurrogate(a.charAt(k + 1))) {
                        b.append(c).append(a.charAt(++k));
                    } else {
                        b.append(Character.isSurrogate(c) ? '\uFFFD' : c);
                    }
                }
                args.set(i, b.toString());
            }
        }
    }

    /** A command word fit for the log: the table's name for it, or a placeholder. */
    private String shownName(String word) {
        return parser.table().find(word).map(i -> i.name()).orElse("(unknown command)");
    }

    private void tell(java.util.function.Consumer<EngineListener> event) {
        for (EngineListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                diagnostics.unexpected("an engine listener", e);
            }
        }
    }

    private static ThreadFactory daemons(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Builds a {@link GahpEngine}. Only the cloud is required; the defaults: {@link EngineConfig#defaults()},
     * output discarded, no local files, the system clock (UTC), the engine's own four worker threads
     * and one timer thread (stopped at {@link #shutdown()}), no diagnostics, no listeners.
     */
    public static final class Builder {
        private final Cloud cloud;
        private EngineConfig config = EngineConfig.defaults();
        private OutputSink output = line -> { };
        private LocalFiles files = LocalFiles.NONE;
        private Clock clock = Clock.systemUTC();
        private Executor executor;
        private Scheduler scheduler;
        private Diagnostics diagnostics = Diagnostics.NONE;
        private final List<EngineListener> listeners = new ArrayList<>();

        private Builder(Cloud cloud) {
            this.cloud = Objects.requireNonNull(cloud, "cloud");
        }

        public Builder config(EngineConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Where protocol lines go (the front end appends the line end). */
        public Builder output(OutputSink output) {
            this.output = Objects.requireNonNull(output, "output");
            return this;
        }

        /** Reads the files {@code key=} and {@code customData=} name (none by default). */
        public Builder files(LocalFiles files) {
            this.files = Objects.requireNonNull(files, "files");
            return this;
        }

        /** The clock for schedules, request ages and result times. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Runs the handlers; the engine never shuts it down. */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Runs deadlines and retry waits; the engine never shuts it down. */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        public Builder diagnostics(Diagnostics diagnostics) {
            this.diagnostics = Objects.requireNonNull(diagnostics, "diagnostics");
            return this;
        }

        public Builder listener(EngineListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        public GahpEngine build() {
            return new GahpEngine(this);
        }
    }
}
