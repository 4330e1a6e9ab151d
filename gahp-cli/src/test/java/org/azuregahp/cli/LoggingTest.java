package org.azuregahp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import java.time.Clock;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.azuregahp.domain.engine.EngineListener;
import org.azuregahp.domain.result.Outcome;
import org.azuregahp.domain.result.Result;
import org.azuregahp.ports.Cloud;
import org.azuregahp.ports.CloudAccount;
import org.azuregahp.ports.DeletionSchedules;
import org.azuregahp.ports.ScaleSets;
import org.azuregahp.ports.SecretVaults;
import org.azuregahp.ports.VirtualMachines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.LoggerContext;

/** Logging goes to stderr and the log file, never to stdout. */
class LoggingTest {
    private final PrintStream realOut = System.out;
    private final PrintStream realErr = System.err;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void capture() {
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(realOut);
        System.setErr(realErr);
        Logging.install((LoggerContext) LoggerFactory.getILoggerFactory(), ch.qos.logback.classic.Level.WARN, null,
                ch.qos.logback.classic.Level.WARN);
    }

    private static Settings settings(String... args) {
        return ((CommandLine.Run) CommandLine.parse(List.of(args), Map.of())).settings();
    }

    private static void logEverything(String marker) {
        Logger log = LoggerFactory.getLogger("org.azuregahp.test");
        log.error("error {}", marker);
        log.warn("warn {}", marker);
        log.info("info {}", marker);
        log.debug("debug {}", marker);
        java.util.logging.Logger.getLogger("org.jline.test").warning("jul-warning " + marker);
    }

    @Test
    void withoutALogFileOnlyWarningsAndErrorsReachStderr() {
        assertThat(Logging.configure(settings())).isNull();
        logEverything("m1");
        String e = err.toString(StandardCharsets.UTF_8);
        assertThat(e).contains("error m1").contains("warn m1").contains("jul-warning m1")
                .doesNotContain("info m1").doesNotContain("debug m1");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aLogFileGetsInfoByDefaultAndStderrStillOnlyWarnings(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gahp.log");
        assertThat(Logging.configure(settings("--log", file.toString()))).isNull();
        logEverything("m2");
        String logged = Files.readString(file);
        assertThat(logged).contains("error m2").contains("warn m2").contains("info m2").doesNotContain("debug m2");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("warn m2").doesNotContain("info m2");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void theSdksOwnLoggersNeverReachStderrAndReachTheFileAtWarnUnlessDebug(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gahp.log");
        assertThat(Logging.configure(settings("--log", file.toString()))).isNull();
        Logger sdk = LoggerFactory.getLogger("com.azure.core.http.policy.RetryPolicy");
        sdk.error("sdk-error m5", new java.net.UnknownHostException("login.example"));
        sdk.info("sdk-info m5");
        LoggerFactory.getLogger("reactor.netty.Connection").error("netty-error m5");
        LoggerFactory.getLogger("org.azuregahp.azure.AzureScaleSets").warn("own-warn m5");
        String e = err.toString(StandardCharsets.UTF_8);
        assertThat(e).contains("own-warn m5").doesNotContain("sdk-error").doesNotContain("netty-error")
                .doesNotContain("UnknownHostException");
        assertThat(Files.readString(file)).contains("sdk-error m5").contains("netty-error m5")
                .doesNotContain("sdk-info m5");

        Path debugFile = dir.resolve("debug.log");
        Logging.configure(settings("--log", debugFile.toString(), "--log-level", "debug"));
        sdk.info("sdk-info m6");
        assertThat(Files.readString(debugFile)).contains("sdk-info m6");
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("sdk-info");
    }

    @Test
    void theJdkHttpClientsWarningAboutContentLengthOnEveryRequestIsNotLoggedUnlessDebug(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("gahp.log");
        assertThat(Logging.configure(settings("--log", file.toString()))).isNull();
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer
                .create(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            com.azure.core.http.HttpClient client = new com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder().build();
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            com.azure.core.http.HttpRequest put = new com.azure.core.http.HttpRequest(com.azure.core.http.HttpMethod.PUT,
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/vm")
                    .setHeader(com.azure.core.http.HttpHeaderName.CONTENT_LENGTH, String.valueOf(body.length))
                    .setBody(body);
            for (int i = 0; i < 3; i++) {
                try (com.azure.core.http.HttpResponse response = client.sendSync(put,
                        com.azure.core.util.Context.NONE)) {
                    assertThat(response.getStatusCode()).isEqualTo(200);
                }
            }
            LoggerFactory.getLogger("org.azuregahp.test").warn("own-warn m7");
            LoggerFactory.getLogger("com.azure.core.http.jdk.httpclient.JdkHttpClient").warn("other-sdk-warn m7");
            assertThat(Files.readString(file)).contains("own-warn m7").contains("other-sdk-warn m7")
                    .doesNotContain("restricted");

            Path debugFile = dir.resolve("debug.log");
            Logging.configure(settings("--log", debugFile.toString(), "--log-level", "debug"));
            try (com.azure.core.http.HttpResponse response = client.sendSync(put, com.azure.core.util.Context.NONE)) {
                assertThat(response.getStatusCode()).isEqualTo(200);
            }
            assertThat(Files.readString(debugFile)).as("the warning is still there at debug, proving the request made it")
                    .contains("The header is restricted");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void logLinesCarryAUtcTimestampLevelThreadLoggerAndStackTrace(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gahp.log");
        Logging.configure(settings("--log", file.toString()));
        LoggerFactory.getLogger("org.azuregahp.test").warn("it broke", new IllegalStateException("boom"));
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(0)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z WARN  \\[.+\\] "
                + "org\\.azuregahp\\.test - it broke");
        assertThat(lines.get(1)).contains("IllegalStateException: boom");
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("at org.azuregahp.cli.LoggingTest"));
    }

    @Test
    void theLogLevelFlagRaisesTheFileToDebug(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gahp.log");
        Logging.configure(settings("--log", file.toString(), "--log-level", "debug"));
        logEverything("m3");
        assertThat(Files.readString(file)).contains("debug m3");
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("debug m3");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void identityLibrariesThatEchoTheCredentialFilesIdsAreNeverLogged(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gahp.log");
        Logging.configure(settings("--log", file.toString(), "--log-level", "debug"));
        LoggerFactory.getLogger("com.microsoft.aad.msal4j.ConfidentialClientApplication")
                .warn("AADSTS7000215 for client 11111111-2222");
        LoggerFactory.getLogger("com.azure.identity.ClientSecretCredential").error("refused client 11111111-2222");
        LoggerFactory.getLogger("com.azure.core.test").warn("core still logs");
        assertThat(Files.readString(file)).doesNotContain("11111111-2222").contains("core still logs");
        // (SDK loggers never reach stderr at all: see theSdksOwnLoggersNeverReachStderr...)
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("11111111-2222");
    }

    @Test
    void anUnwritableLogFileIsReportedNotThrown(@TempDir Path dir) throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        String problem = Logging.configure(settings("--log", notADirectory.resolve("gahp.log").toString()));
        assertThat(problem).contains("cannot open log file").contains("plain-file");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    /** A cloud that can only ping, the way {@code ping} says: every other capability is unsupported. */
    private static Cloud pingOnly(Supplier<CompletionStage<Void>> ping) {
        return ref -> new CloudAccount() {
            @Override
            public CompletionStage<Void> ping() {
                return ping.get();
            }

            @Override
            public VirtualMachines virtualMachines() {
                throw new UnsupportedOperationException();
            }

            @Override
            public ScaleSets scaleSets() {
                throw new UnsupportedOperationException();
            }

            @Override
            public SecretVaults secretVaults() {
                throw new UnsupportedOperationException();
            }

            @Override
            public DeletionSchedules deletionSchedules() {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void anUnexpectedExceptionInAnAdapterIsAnInternalErrorResultAndAWarningWithItsStackTrace(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("gahp.log");
        Settings settings = settings("--log", file.toString());
        Logging.configure(settings);
        List<String> wire = new java.util.concurrent.CopyOnWriteArrayList<>();
        Wiring.Assembly parts = Wiring.assemble(settings, new BuildInfo("1.0.0", "Nov 27 2026"),
                pingOnly(() -> {
                    throw new IllegalStateException("adapter bug"); // what no adapter should throw: a bug
                }), Clock.systemUTC(), wire::add,
                KnownValues.none(), new FileReads());
        BlockingQueue<Result> results = new LinkedBlockingQueue<>();
        parts.engine().addListener(new EngineListener() {
            @Override
            public void completed(Result result) {
                results.add(result);
            }
        });
        try {
            parts.engine().accept("AZURE_PING 7 NULL 00000000-0000-0000-0000-000000000001");
            Result r = results.poll(60, TimeUnit.SECONDS);
            assertThat(r).isNotNull();
            assertThat(r.outcome()).isEqualTo(new Outcome.Failed("InternalError: IllegalStateException (an unexpected"
                    + " failure in AZURE_PING; the GAHP log may say more)"));
            String logged = Files.readString(file);
            assertThat(logged).contains("WARN  ").contains("unexpected failure: AZURE_PING request 7")
                    .contains("java.lang.IllegalStateException: adapter bug")
                    .contains("at org.azuregahp.cli.LoggingTest");
            assertThat(err.toString(StandardCharsets.UTF_8)).as("warnings reach stderr too")
                    .contains("unexpected failure: AZURE_PING request 7").contains("adapter bug");
            assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
            assertThat(wire).containsExactly("S");
        } finally {
            parts.engine().shutdown();
            parts.stopThreads();
        }
    }

    @Test
    void aJvmErrorIsLoggedWithItsStackTraceAndEndsTheProcessWithoutAResult(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gahp.log");
        Settings settings = settings("--log", file.toString());
        Logging.configure(settings);
        Cloud outOfMemory = pingOnly(() -> CompletableFuture.failedFuture(new OutOfMemoryError("Java heap space")));
        List<String> wire = new java.util.concurrent.CopyOnWriteArrayList<>();
        Wiring.Assembly parts = Wiring.assemble(settings, new BuildInfo("1.0.0", "Nov 27 2026"), outOfMemory,
                Clock.systemUTC(), wire::add, KnownValues.none(), new FileReads());
        java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
        parts.onFatal(ended::countDown);
        try {
            parts.engine().accept("AZURE_PING 8 NULL 00000000-0000-0000-0000-000000000001");
            assertThat(ended.await(60, TimeUnit.SECONDS)).as("the process is ended").isTrue();
            assertThat(parts.engine().isShutdown()).isTrue();
            assertThat(wire).as("no result, no R").containsExactly("S");
            String logged = Files.readString(file);
            assertThat(logged).contains("ERROR ").contains("fatal error in AZURE_PING request 8")
                    .contains("java.lang.OutOfMemoryError: Java heap space");
        } finally {
            parts.engine().shutdown();
            parts.stopThreads();
        }
    }
}
