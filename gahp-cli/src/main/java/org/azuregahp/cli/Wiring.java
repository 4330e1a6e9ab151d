package org.azuregahp.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.azuregahp.azure.AzureCloud;
import org.azuregahp.azure.AzureSettings;
import org.azuregahp.domain.engine.EngineConfig;
import org.azuregahp.domain.engine.GahpEngine;
import org.azuregahp.domain.engine.OutputSink;
import org.azuregahp.domain.engine.Scheduler;
import org.azuregahp.fake.FakeCloud;
import org.azuregahp.fake.StateFileException;
import org.azuregahp.ports.Cloud;
import org.azuregahp.ports.credentials.CredentialSource;

/**
 * The composition root: the one place that builds the parts from the settings, with {@code new},
 * in this order: the front end ({@link #serve}: the plain protocol for HTCondor, or the shell for
 * people), which writes the banner and then asks for the rest ({@link #assemble}): the clock, the
 * cloud (fake or Azure), the engine's threads, the local files, the engine with its request log and
 * diagnostics. Both front ends get the same engine, logging and statistics. No container, no
 * singletons; nothing else touches the adapters.
 */
final class Wiring {
    /** The gridmanager reads lines into a ~500 KB buffer: never write a line longer than this. */
    static final int MAX_RESULT_LINE_BYTES = 400_000;
    /** The engine's worker threads: handlers only start cloud calls, they never wait on them. */
    static final int ENGINE_WORKERS = 4;
    /** {@code key=} and {@code customData=} files read at once at most; more reads wait their turn. */
    static final int FILE_READERS = 64;

    private Wiring() {
    }

    /**
     * Serves one session on the process's streams with the front end the settings and the terminal
     * call for; returns the exit status.
     */
    static int serve(Settings settings, BuildInfo build, boolean atTerminal, InputStream stdin,
            OutputStream stdout, PrintStream err, Lifecycle lifecycle) {
        if (wantsShell(settings, atTerminal)) {
            return Repl.launch(settings, build, Path.of(Main.homeDirectory()), err, stdin, stdout, atTerminal,
                    lifecycle);
        }
        return new StdioServer(settings, build, err).serve(stdin, stdout, lifecycle);
    }

    /** The shell for people at a terminal (or with {@code --interactive}), unless {@code --stdio}. */
    static boolean wantsShell(Settings settings, boolean atTerminal) {
        return settings.interactive() || (atTerminal && !settings.stdio());
    }

    /** The engine's settings from the command line and the build. */
    static EngineConfig engineConfig(Settings settings, BuildInfo build) {
        return new EngineConfig(build.version(), build.buildDate(), BuildInfo.DESCRIPTION, settings.maxInFlight(),
                settings.requestTimeout(), MAX_RESULT_LINE_BYTES);
    }

    /**
     * Where both clouds read the credential files requests name: on the file-reading threads (off the
     * engine's), only regular files, parsed once per version of a file, warning about files others can
     * read.
     */
    static CredentialSource credentialSource(FileReads fileReads) {
        return new FileCredentialSource(fileReads);
    }

    /**
     * What is wrong with the {@code --fake-state} file, checked before the banner so that a bad one is
     * a usage error: {@code --fake-state <path> is a directory, not a regular file}, {@code --fake-state
     * <path>: parent is not writable (<dir>)}; null when nothing is, or without a state file. The fake
     * cloud owns the file and its check ({@link FakeCloud#checkStateFile}).
     */
    static String fakeStateProblem(Settings settings) {
        if (settings.fakeState() == null) {
            return null;
        }
        try {
            FakeCloud.checkStateFile(settings.fakeState());
            return null;
        } catch (StateFileException e) {
            return e.about("--fake-state " + settings.fakeState());
        }
    }

    /** The clock: {@code --fake-time-scale} speeds up the fake cloud's clock (and the engine's schedule checks). */
    static Clock clock(Settings settings) {
        return settings.cloud() == Settings.CloudKind.FAKE ? ScaledClock.of(settings.fakeTimeScale())
                : Clock.systemUTC();
    }

    /**
     * Builds the cloud the settings name and an engine over it writing to {@code output}.
     *
     * @throws RuntimeException when the cloud cannot start (a bad state file, ...), with a message for people
     */
    static Assembly assemble(Settings settings, BuildInfo build, OutputSink output) {
        Clock clock = clock(settings);
        FileReads fileReads = new FileReads();
        CredentialSource credentials = credentialSource(fileReads);
        if (settings.cloud() == Settings.CloudKind.FAKE) {
            FakeCloud fake = fakeCloud(settings, clock, credentials);
            return assemble(settings, build, fake, clock, output,
                    new KnownValues(fake::vmNames, fake::scaleSetNames), fileReads);
        }
        return assemble(settings, build, AzureCloud.create(azureSettings(settings), credentials), clock, output,
                KnownValues.none(), fileReads);
    }

    /**
     * The engine and everything around it over a cloud already built, reading {@code key=} and
     * {@code customData=} files on {@code fileReads} (the threads the cloud's credential source uses).
     */
    static Assembly assemble(Settings settings, BuildInfo build, Cloud cloud, Clock clock, OutputSink output,
            KnownValues known, FileReads fileReads) {
        ExecutorService workers = Executors.newFixedThreadPool(ENGINE_WORKERS, daemons("gahp-engine-worker"));
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemons("gahp-engine-timer"));
        timer.setRemoveOnCancelPolicy(true);
        LoggedDiagnostics diagnostics = new LoggedDiagnostics();
        GahpEngine engine = GahpEngine.builder(cloud)
                .config(engineConfig(settings, build))
                .output(output)
                .clock(clock)
                .executor(workers)
                .scheduler(Scheduler.on(timer))
                .files(new FileSystemLocalFiles(Main.homeDirectory(), fileReads.lane(FILE_READERS)))
                .diagnostics(diagnostics)
                .listener(new RequestLog())
                .build();
        RequestLog.sessionStarted(build, settings);
        return new Assembly(cloud, engine, clock, known, diagnostics, List.of(workers, timer, fileReads.threads()));
    }

    /** The fake cloud the settings describe. */
    static FakeCloud fakeCloud(Settings settings, Clock clock, CredentialSource credentials) {
        FakeCloud.Builder builder = FakeCloud.builder()
                .credentials(credentials)
                .latency(settings.fakeLatency())
                .failureRate(settings.fakeFailureRate())
                .armBudgets(settings.fakeArmBudgets())
                .clock(clock);
        if (settings.fakeSeed() != null) {
            builder.seed(settings.fakeSeed());
        }
        if (settings.fakeState() != null) {
            builder.stateFile(settings.fakeState());
        }
        if (settings.fakeVmLifetime() != null) {
            builder.vmLifetime(settings.fakeVmLifetime());
        }
        return builder.build();
    }

    static AzureSettings azureSettings(Settings settings) {
        AzureSettings azure = AzureSettings.defaults();
        if (settings.automationAccount() != null || settings.automationResourceGroup() != null) {
            azure = azure.withAutomation(settings.automationAccount(), settings.automationResourceGroup());
        }
        if (settings.azurePollInterval() != null) {
            azure = azure.withPollInterval(settings.azurePollInterval());
        }
        if (settings.azureMaxConcurrent() != null) {
            azure = azure.withMaxConcurrentPerSubscription(settings.azureMaxConcurrent());
        }
        // Finish below --request-timeout so the adapter's own deadline error (and its cleanup) wins.
        Duration deadline = settings.requestTimeout().minusSeconds(10);
        if (deadline.compareTo(Duration.ofSeconds(1)) < 0) {
            deadline = settings.requestTimeout();
        }
        if (deadline.compareTo(azure.operationDeadline()) < 0) {
            azure = azure.withOperationDeadline(deadline);
        }
        return azure;
    }

    /** Daemon threads named {@code <name>-1}, {@code <name>-2}, ... */
    static ThreadFactory daemons(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * What {@link #assemble} built: the cloud, the engine over it, its clock, values the shell
     * completes, and the threads they run on. {@link Shutdown} takes it apart.
     */
    static final class Assembly {
        private final Cloud cloud;
        private final GahpEngine engine;
        private final Clock clock;
        private final KnownValues known;
        private final LoggedDiagnostics diagnostics;
        private final List<ExecutorService> threads;

        Assembly(Cloud cloud, GahpEngine engine, Clock clock, KnownValues known, LoggedDiagnostics diagnostics,
                List<ExecutorService> threads) {
            this.cloud = cloud;
            this.engine = engine;
            this.clock = clock;
            this.known = known;
            this.diagnostics = diagnostics;
            this.threads = List.copyOf(threads);
        }

        Cloud cloud() {
            return cloud;
        }

        GahpEngine engine() {
            return engine;
        }

        /** The engine's clock (request ages and result times are on it). */
        Clock clock() {
            return clock;
        }

        KnownValues known() {
            return known;
        }

        /** What ends the process after a JVM error in the engine (the session's {@link Shutdown}). */
        void onFatal(Runnable endProcess) {
            diagnostics.onFatal(endProcess);
        }

        /** Stops the engine's threads at once (the engine is shut down first). */
        void stopThreads() {
            for (ExecutorService pool : threads) {
                pool.shutdownNow();
            }
        }
    }
}
