package org.azuregahp.domain.engine;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.azuregahp.domain.codec.GahpCodec;
import org.azuregahp.domain.command.CloudRequest;
import org.azuregahp.domain.command.CommandParser;
import org.azuregahp.domain.command.CommandTable;
import org.azuregahp.domain.command.ParseOutcome;
import org.azuregahp.domain.command.SessionCommand;
import org.azuregahp.ports.Cloud;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.CloudStatistics;
import org.azuregahp.ports.LocalFiles;

/**
 * The GAHP engine: takes request lines, writes the return line at once, runs cloud requests through
 * the ports on its own small worker pool, and queues exactly one result line per accepted request,
 * in completion order. It owns async-mode {@code R} notices and the response prefix; every line goes
 * to the {@link OutputSink} under one output lock, so nothing interleaves.
 *
 * <p>Decisions:
 * <ul>
 *   <li>At most {@code maxInFlight} operations run; more wait inside the engine (never refused).
 *       The timeout clock starts when an operation starts running; a timed-out operation gives
 *       {@code <id> OperationTimedOut:...}, frees its slot, and its late completion is dropped.</li>
 *   <li>A request id that is still queued or running when another request reuses it: the new line
 *       gets {@code S} and at once its own error result ({@code DuplicateRequestId}); the first
 *       request still gets its own result. So every accepted line has exactly one result.</li>
 *   <li>The reply to {@code RESPONSE_PREFIX} is written with the previous prefix (unprefixed at the
 *       start, as the recorded session shows); every later line carries the new one.</li>
 *   <li>{@code VERSION} and {@code CONDOR_VERSION} answer {@code S <version text>} as exactly two
 *       fields: the banner text with the description unescaped, escaped as one argument.</li>
 *   <li>{@code ASYNC_MODE_ON} while results already wait writes an {@code R} after its {@code S}.</li>
 *   <li>{@code QUIT} writes {@code S}, shuts the engine down and makes {@link #accept} answer false.</li>
 *   <li>The engine never closes the {@link Cloud}: whoever built it does.</li>
 * </ul>
 */
public final class GahpEngine {

    private static final int WORKERS = 4;
    /** Bytes an error result keeps for its text at least; a longer request id is refused. */
    private static final int MIN_ERROR_ROOM = 200;

    private final EngineConfig cfg;
    private final Cloud cloud;
    private final Clock clock;
    private final OutputSink out;
    private final CommandParser parser;
    private final Handlers handlers;
    private final String banner;
    private final String versionText;

    private final Object outLock = new Object();
    // Guarded by outLock:
    private String prefix = "";
    private boolean asyncMode;
    private boolean notified;
    private final Queue<String> results = new ArrayDeque<>();

    private volatile boolean closed;
    private volatile String callerVersion;

    private final ExecutorService workers;
    private final ScheduledThreadPoolExecutor timer;
    private final Object admission = new Object();
    private final Queue<Task> waiting = new ConcurrentLinkedQueue<>();
    private int running; // guarded by admission
    private final Map<Long, Task> runningTasks = new ConcurrentHashMap<>();
    private final Map<String, Task> activeIds = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicInteger queuedCount = new AtomicInteger();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    public GahpEngine(EngineConfig cfg, Cloud cloud, LocalFiles files, Clock clock, OutputSink out) {
        this.cfg = Objects.requireNonNull(cfg, "cfg");
        this.cloud = Objects.requireNonNull(cloud, "cloud");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.out = Objects.requireNonNull(out, "out");
        this.parser = new CommandParser(CommandTable.standard(), clock);
        this.handlers = new Handlers(cloud, Objects.requireNonNull(files, "files"));
        this.banner = banner(cfg.version(), cfg.buildDate(), cfg.description());
        this.versionText = "$GahpVersion: " + cfg.version() + " " + cfg.buildDate() + " " + cfg.description() + " $";
        if (ResultEncoder.utf8Length(banner) >= 150) {
            throw new IllegalArgumentException("the banner must be shorter than 150 bytes; shorten the description");
        }
        this.workers = Executors.newFixedThreadPool(WORKERS, daemons("gahp-engine-worker"));
        this.timer = new ScheduledThreadPoolExecutor(1, daemons("gahp-engine-timer"));
        this.timer.setRemoveOnCancelPolicy(true);
    }

    private static ThreadFactory daemons(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
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
        return callerVersion;
    }

    public CommandTable commandTable() {
        return parser.table();
    }

    /** Writes the banner; call once, before the first {@link #accept}. */
    public void start() {
        synchronized (outLock) {
            if (!closed) {
                out.writeLine(banner);
            }
        }
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
        ParseOutcome outcome = parser.parse(GahpCodec.split(line == null ? "" : line));
        if (outcome instanceof ParseOutcome.Rejected rej) {
            reply(rejectLine(rej.reason()));
            return true;
        }
        if (outcome instanceof ParseOutcome.Invalid inv) {
            if (refuseLongId(inv.requestId())) {
                return true;
            }
            received.incrementAndGet();
            reply("S");
            failed.incrementAndGet();
            queueResult(errorLine(inv.requestId(), inv.errorText()));
            return true;
        }
        var cmd = ((ParseOutcome.Parsed) outcome).command();
        if (cmd instanceof CloudRequest r) {
            if (refuseLongId(r.requestId())) {
                return true;
            }
            submit(r);
            return true;
        }
        return session((SessionCommand) cmd);
    }

    /** Answers {@code E} for a request line longer than the front end's limit. */
    public void rejectOversized(long bytes) {
        reply(rejectLine("request line too long (" + bytes + " bytes)"));
    }

    /**
     * Stops accepting, abandons queued and running work without waiting, and writes nothing more.
     * Idempotent; never blocks, not even while another thread is stuck writing output.
     */
    public void shutdown() {
        // Not under outLock: a thread blocked writing to a reader that stopped reading holds it, and
        // shutdown must still return at once. Every write checks the flag under the lock, so at most a
        // line already being written goes out; nothing is started after this.
        closed = true;
        waiting.clear();
        workers.shutdownNow();
        timer.shutdownNow();
    }

    public boolean isShutdown() {
        return closed;
    }

    public EngineStatistics statistics() {
        int inFlight;
        synchronized (admission) {
            inFlight = running;
        }
        int resultsWaiting;
        synchronized (outLock) {
            resultsWaiting = results.size();
        }
        long throttled;
        String stateFile;
        try {
            CloudStatistics cs = cloud.statistics();
            throttled = cs.throttledRetries();
            stateFile = cs.stateFile();
        } catch (RuntimeException e) {
            throttled = 0;
            stateFile = null;
        }
        return new EngineStatistics(received.get(), inFlight, queuedCount.get(), succeeded.get(), failed.get(),
                throttled, resultsWaiting, stateFile);
    }

    /** The requests running now, oldest first. */
    public List<InFlightRequest> inFlight() {
        List<InFlightRequest> list = new ArrayList<>();
        for (Task t : runningTasks.values()) {
            list.add(new InFlightRequest(t.request.requestId(), t.request.name(), t.started));
        }
        list.sort(Comparator.comparing(InFlightRequest::started));
        return list;
    }

    /** Called with every result line (unprefixed, as queued) when it is queued; must not block long. */
    public void addResultListener(Consumer<String> resultLine) {
        listeners.add(Objects.requireNonNull(resultLine, "resultLine"));
    }

    // ---- session commands --------------------------------------------------------------------------------

    private boolean session(SessionCommand c) {
        if (c instanceof SessionCommand.Version) {
            reply("S " + GahpCodec.escape(versionText));
        } else if (c instanceof SessionCommand.Commands) {
            List<String> all = new ArrayList<>();
            all.add("S");
            all.addAll(parser.table().names());
            reply(String.join(" ", all));
        } else if (c instanceof SessionCommand.CondorVersion v) {
            callerVersion = v.callerVersion();
            reply("S " + GahpCodec.escape(versionText));
        } else if (c instanceof SessionCommand.ResponsePrefix p) {
            synchronized (outLock) {
                write("S");
                prefix = p.prefix();
            }
        } else if (c instanceof SessionCommand.AsyncModeOn) {
            synchronized (outLock) {
                write("S");
                asyncMode = true;
                if (!results.isEmpty() && !notified) {
                    write("R");
                    notified = true;
                }
            }
        } else if (c instanceof SessionCommand.AsyncModeOff) {
            synchronized (outLock) {
                write("S");
                asyncMode = false;
            }
        } else if (c instanceof SessionCommand.Results) {
            synchronized (outLock) {
                write("S " + results.size());
                String r;
                while ((r = results.poll()) != null) {
                    write(r);
                }
                notified = false;
            }
        } else if (c instanceof SessionCommand.Statistics) {
            reply("S " + statistics().protocolText());
        } else if (c instanceof SessionCommand.Quit) {
            reply("S");
            shutdown();
            return false;
        }
        return true;
    }

    private static String rejectLine(String reason) {
        return reason == null || reason.isEmpty() ? "E" : "E " + GahpCodec.escape(reason);
    }

    private void reply(String line) {
        synchronized (outLock) {
            write(line);
        }
    }

    /** Caller holds {@link #outLock}. */
    private void write(String line) {
        if (!closed) {
            out.writeLine(prefix.isEmpty() ? line : prefix + line);
        }
    }

    // ---- cloud requests ----------------------------------------------------------------------------------

    private final class Task {
        final long seq;
        final CloudRequest request;
        final AtomicBoolean done = new AtomicBoolean();
        volatile ScheduledFuture<?> timeout;
        volatile Instant started;

        Task(long seq, CloudRequest request) {
            this.seq = seq;
            this.request = request;
        }
    }

    private void submit(CloudRequest r) {
        received.incrementAndGet();
        Task t = new Task(sequence.incrementAndGet(), r);
        Task other = activeIds.putIfAbsent(r.requestId(), t);
        reply("S");
        if (other != null) {
            failed.incrementAndGet();
            queueResult(errorLine(r.requestId(), "DuplicateRequestId: request " + r.requestId()
                    + " is still in progress; this second request with the same id was not run"));
            return;
        }
        queuedCount.incrementAndGet();
        waiting.add(t);
        pump();
    }

    /** Starts waiting tasks while slots are free. */
    private void pump() {
        while (true) {
            Task t;
            synchronized (admission) {
                if (closed || running >= cfg.maxInFlight()) {
                    return;
                }
                t = waiting.poll();
                if (t == null) {
                    return;
                }
                running++;
                queuedCount.decrementAndGet();
                t.started = clock.instant();
                runningTasks.put(t.seq, t);
            }
            try {
                t.timeout = timer.schedule(() -> timedOut(t), cfg.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
                if (t.done.get()) {
                    t.timeout.cancel(false);
                }
                workers.execute(() -> runTask(t));
            } catch (RejectedExecutionException e) {
                return; // shut down
            }
        }
    }

    private void runTask(Task t) {
        if (t.done.get() || closed) {
            return;
        }
        CompletionStage<List<String>> stage;
        try {
            stage = handlers.run(t.request);
        } catch (Throwable e) {
            fail(t, e);
            return;
        }
        stage.whenComplete((fields, err) -> {
            if (err != null) {
                fail(t, err);
            } else {
                succeed(t, fields);
            }
        });
    }

    private void timedOut(Task t) {
        finish(t, errorLine(t.request.requestId(), CloudException.TIMEOUT + ": " + t.request.name()
                + " got no answer from the cloud within " + cfg.requestTimeout().toSeconds() + " s"), false);
    }

    private void fail(Task t, Throwable e) {
        finish(t, errorLine(t.request.requestId(), ResultEncoder.errorText(e, t.request.name())), false);
    }

    private void succeed(Task t, List<String> fields) {
        String line;
        boolean ok = true;
        try {
            line = ResultEncoder.success(t.request.requestId(), fields);
        } catch (RuntimeException e) {
            fail(t, e);
            return;
        }
        long bytes = ResultEncoder.utf8Length(line) + currentPrefixBytes();
        if (bytes > cfg.maxResultLineBytes()) {
            ok = false;
            String count = fields.isEmpty() ? "?" : fields.get(0);
            line = errorLine(t.request.requestId(), "ResultTooLarge: the " + t.request.name()
                    + " result has " + count + " entries and " + bytes + " bytes, more than one result line may "
                    + "carry (" + cfg.maxResultLineBytes() + " bytes); list by name or tag instead");
        }
        finish(t, line, ok);
    }

    /** An error result that fits in one line the gridmanager can read, the prefix included. */
    private String errorLine(String requestId, String text) {
        return ResultEncoder.error(requestId, text, cfg.maxResultLineBytes() - currentPrefixBytes());
    }

    /**
     * A request id so long that not even an error result would fit in one line: the request cannot
     * be answered within the protocol, so it is not accepted ({@code E}, like an oversized line).
     */
    private boolean refuseLongId(String requestId) {
        long idBytes = ResultEncoder.utf8Length(GahpCodec.escape(requestId));
        if (idBytes + 1 + MIN_ERROR_ROOM + currentPrefixBytes() <= cfg.maxResultLineBytes()) {
            return false;
        }
        reply(rejectLine("request id too long (" + ResultEncoder.utf8Length(requestId) + " bytes)"));
        return true;
    }

    private long currentPrefixBytes() {
        synchronized (outLock) {
            return ResultEncoder.utf8Length(prefix);
        }
    }

    /** Exactly once per task: the first caller wins, later completions are dropped. */
    private void finish(Task t, String line, boolean ok) {
        if (!t.done.compareAndSet(false, true)) {
            return;
        }
        ScheduledFuture<?> to = t.timeout;
        if (to != null) {
            to.cancel(false);
        }
        activeIds.remove(t.request.requestId(), t);
        synchronized (admission) {
            if (runningTasks.remove(t.seq) != null) {
                running--;
            }
        }
        (ok ? succeeded : failed).incrementAndGet();
        try {
            queueResult(line);
        } finally {
            pump();
        }
    }

    private void queueResult(String line) {
        synchronized (outLock) {
            if (closed) {
                return;
            }
            results.add(line);
            if (asyncMode && !notified) {
                notified = true;
                write("R");
            }
        }
        for (Consumer<String> l : listeners) {
            try {
                l.accept(line);
            } catch (RuntimeException e) {
                // a listener's failure must not affect the protocol
            }
        }
    }
}
