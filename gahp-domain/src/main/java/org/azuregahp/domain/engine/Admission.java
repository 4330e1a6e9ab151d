package org.azuregahp.domain.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.azuregahp.domain.command.CommandContext;
import org.azuregahp.domain.command.ParseOutcome.CloudCall;
import org.azuregahp.domain.result.Outcome;
import org.azuregahp.ports.Cloud;
import org.azuregahp.ports.CloudAccount;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.LocalFiles;

/**
 * Admission and timeouts: decides when each accepted cloud request runs, runs it on the executor,
 * and hands exactly one {@link Outcome} per admitted request to the {@link Finisher}.
 *
 * <ul>
 *   <li><b>In-flight limit.</b> At most {@code maxInFlight} requests run; the rest wait here, in
 *       arrival order (never refused).</li>
 *   <li><b>One name, arrival order.</b> Requests naming the same VM or scale set in the same
 *       subscription (names compared case-insensitively, as Azure does) run one after another in the
 *       order they arrived, whatever each takes in the cloud: a delete sent right behind a create
 *       waits for it and then deletes what it made. A request waiting for its name holds no in-flight
 *       slot; requests on other names, and lists, run beside it. A request that timed out releases
 *       its name (the next one runs, though the cloud may still be working on the first).</li>
 *   <li><b>Deadline.</b> The timeout clock starts when a request starts running; a request without
 *       an answer by then gets {@code OperationTimedOut}, frees its slot and its name, and its late
 *       completion is dropped.</li>
 *   <li><b>Duplicate ids.</b> A request id still waiting or running is not admitted again (the
 *       engine answers the newcomer with its own error result).</li>
 *   <li><b>Failures.</b> A {@link CloudException} is the result as it says; any other exception
 *       becomes {@code InternalError} and is reported to {@link Diagnostics} with its stack trace. An
 *       {@link Error} never becomes a result: the engine stops and {@link Diagnostics#fatal} hears of
 *       it (the host should exit).</li>
 * </ul>
 */
final class Admission {

    /** Receives the one outcome of each admitted request. */
    interface Finisher {
        void finished(Task task, Outcome outcome);
    }

    /** One admitted request. */
    static final class Task {
        final long seq;
        final CloudCall call;
        final Instant accepted;
        /** The (subscription, name) it is ordered on, or null. */
        final String nameKey;
        final AtomicBoolean done = new AtomicBoolean();
        volatile Instant started;
        volatile Scheduler.Cancellable timeout;

        Task(long seq, CloudCall call, Instant accepted, String nameKey) {
            this.seq = seq;
            this.call = call;
            this.accepted = accepted;
            this.nameKey = nameKey;
        }

        String requestId() {
            return call.request().requestId();
        }

        String command() {
            return call.info().name();
        }
    }

    private final EngineConfig cfg;
    private final Cloud cloud;
    private final LocalFiles files;
    private final Clock clock;
    private final Executor executor;
    private final Scheduler scheduler;
    private final Diagnostics diagnostics;
    private final Finisher finisher;
    private final Runnable fatalStop;

    private final Object lock = new Object();
    // Guarded by lock:
    private long sequence;
    private final PriorityQueue<Task> ready = new PriorityQueue<>(Comparator.comparingLong((Task t) -> t.seq));
    /** Per name: the request holding it (running or ready) first, then those waiting behind it. */
    private final Map<String, ArrayDeque<Task>> byName = new HashMap<>();
    private final Map<Long, Task> running = new LinkedHashMap<>();
    private int waiting;

    private final Map<String, Task> activeIds = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param fatalStop stops the engine (no more output) when a JVM error is met
     */
    Admission(EngineConfig cfg, Cloud cloud, LocalFiles files, Clock clock, Executor executor, Scheduler scheduler,
            Diagnostics diagnostics, Finisher finisher, Runnable fatalStop) {
        this.cfg = cfg;
        this.cloud = cloud;
        this.files = files;
        this.clock = clock;
        this.executor = executor;
        this.scheduler = scheduler;
        this.diagnostics = diagnostics;
        this.finisher = finisher;
        this.fatalStop = fatalStop;
    }

    /**
     * Admits an accepted request; false (and nothing queued) when its id is still waiting or running.
     */
    boolean admit(CloudCall call, Instant accepted) {
        Task t;
        synchronized (lock) {
            t = new Task(++sequence, call, accepted, nameKey(call));
        }
        if (activeIds.putIfAbsent(t.requestId(), t) != null) {
            return false;
        }
        synchronized (lock) {
            if (closed) {
                return true; // shut down: abandoned like everything else
            }
            waiting++;
            if (t.nameKey != null) {
                ArrayDeque<Task> line = byName.computeIfAbsent(t.nameKey, k -> new ArrayDeque<>());
                line.add(t);
                if (line.size() > 1) {
                    return true; // runs when the requests before it on this name have finished
                }
            }
            ready.add(t);
        }
        pump();
        return true;
    }

    private static String nameKey(CloudCall call) {
        String name = call.resourceName();
        if (name == null) {
            return null;
        }
        // The subscription and the name, apart by a character neither can hold.
        return call.request().subscription().toLowerCase(Locale.ROOT) + "\u0000" + name.toLowerCase(Locale.ROOT);
    }

    /** Abandons everything waiting and running; later completions are dropped. Never blocks. */
    void shutdown() {
        closed = true;
        synchronized (lock) {
            ready.clear();
            byName.clear();
            waiting = 0;
        }
    }

    int runningCount() {
        synchronized (lock) {
            return running.size();
        }
    }

    int waitingCount() {
        synchronized (lock) {
            return waiting;
        }
    }

    /** The requests running now, oldest first. */
    List<InFlightRequest> inFlight() {
        List<InFlightRequest> list = new ArrayList<>();
        synchronized (lock) {
            for (Task t : running.values()) {
                list.add(new InFlightRequest(t.requestId(), t.command(), t.started));
            }
        }
        list.sort(Comparator.comparing(InFlightRequest::started));
        return list;
    }

    /** Starts ready requests while slots are free. */
    private void pump() {
        while (true) {
            Task t;
            synchronized (lock) {
                if (closed || running.size() >= cfg.maxInFlight()) {
                    return;
                }
                t = ready.poll();
                if (t == null) {
                    return;
                }
                waiting--;
                t.started = clock.instant();
                running.put(t.seq, t);
            }
            try {
                t.timeout = scheduler.schedule(cfg.requestTimeout(), () -> finish(t, timedOut(t)));
                executor.execute(() -> run(t));
            } catch (RejectedExecutionException e) {
                return; // the host has stopped its threads: shutting down
            }
        }
    }

    private void run(Task t) {
        if (t.done.get() || closed) {
            return;
        }
        CompletionStage<Outcome> stage;
        try {
            stage = t.call.run(new RequestContext(t));
            if (stage == null) {
                throw new IllegalStateException("the " + t.command() + " handler answered no stage");
            }
        } catch (RuntimeException e) {
            finish(t, failure(t, e));
            return;
        } catch (Error e) {
            fatal(t, e);
            throw e;
        }
        stage.whenComplete((outcome, err) -> {
            if (err != null) {
                Throwable cause = unwrap(err);
                if (cause instanceof Error e) {
                    fatal(t, e);
                    return;
                }
                finish(t, failure(t, cause));
            } else if (outcome == null) {
                finish(t, failure(t, new IllegalStateException("the " + t.command() + " handler answered no outcome")));
            } else {
                finish(t, outcome);
            }
        });
    }

    private Outcome timedOut(Task t) {
        return Outcome.failed(CloudException.TIMEOUT, t.command() + " got no answer from the cloud within "
                + cfg.requestTimeout().toSeconds() + " s");
    }

    /**
     * A {@link CloudException} says what went wrong in words fit for the result. Anything else is a bug
     * or an adapter's oversight: its message is not trusted to be free of secrets, so the result names
     * only its class, and the exception goes to {@link Diagnostics} with its stack trace.
     */
    private Outcome failure(Task t, Throwable failure) {
        if (failure instanceof CloudException ce) {
            return new Outcome.Failed(ce.resultText());
        }
        diagnostics.unexpected(context(t), failure);
        return Outcome.failed("InternalError", (failure == null ? "unknown failure" : failure.getClass().getSimpleName())
                + " (an unexpected failure in " + t.command() + "; the GAHP log may say more)");
    }

    private void fatal(Task t, Error e) {
        if (closed) {
            return;
        }
        fatalStop.run();
        diagnostics.fatal(context(t), e);
    }

    private static String context(Task t) {
        return t.command() + " request " + t.requestId();
    }

    static Throwable unwrap(Throwable t) {
        Throwable cur = t;
        int guard = 0;
        while ((cur instanceof CompletionException || cur instanceof ExecutionException) && cur.getCause() != null
                && guard++ < 20) {
            cur = cur.getCause();
        }
        return cur;
    }

    /** Exactly once per task: the first caller wins, later completions are dropped. */
    private void finish(Task t, Outcome outcome) {
        if (!t.done.compareAndSet(false, true)) {
            return;
        }
        Scheduler.Cancellable deadline = t.timeout;
        if (deadline != null) {
            deadline.cancel();
        }
        activeIds.remove(t.requestId(), t);
        synchronized (lock) {
            running.remove(t.seq);
            if (t.nameKey != null) {
                ArrayDeque<Task> line = byName.get(t.nameKey);
                if (line != null && line.remove(t)) {
                    Task next = line.peek();
                    if (next == null) {
                        byName.remove(t.nameKey);
                    } else {
                        ready.add(next);
                    }
                }
            }
        }
        try {
            finisher.finished(t, outcome);
        } finally {
            pump();
        }
    }

    /** The handler's view of the world while one request runs. */
    private final class RequestContext implements CommandContext {
        private final Task task;

        RequestContext(Task task) {
            this.task = task;
        }

        @Override
        public CloudAccount account() {
            CloudAccount account = cloud.account(task.call.request().account());
            if (account == null) {
                throw new IllegalStateException("the cloud answered no account");
            }
            return account;
        }

        @Override
        public CompletionStage<Optional<String>> readFile(String path, int maxBytes) {
            CompletionStage<Optional<String>> read;
            try {
                read = files.readIfExists(path, maxBytes);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
            if (read == null) {
                return CompletableFuture.failedFuture(new IllegalStateException("the local files answered no stage"));
            }
            if (read instanceof CompletableFuture<Optional<String>> f && f.isDone()) {
                // Answered already (the handler goes on here, on its own thread): no hand-off to make.
                return read;
            }
            // Back onto the engine's workers: the reading thread is the file port's, not ours.
            return read.thenApplyAsync(text -> text, executor);
        }

        @Override
        public CompletionStage<Void> after(Duration delay) {
            CompletableFuture<Void> later = new CompletableFuture<>();
            try {
                scheduler.schedule(delay, () -> later.complete(null));
            } catch (RejectedExecutionException e) {
                later.completeExceptionally(e);
            }
            return later;
        }

        @Override
        public void report(String what, Throwable problem) {
            diagnostics.unexpected(context(task) + ": " + what, unwrap(problem));
        }
    }
}
