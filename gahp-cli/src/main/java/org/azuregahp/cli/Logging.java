package org.azuregahp.cli;

import java.nio.file.Path;

import org.azuregahp.cli.Settings.LogLevel;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.joran.spi.ConsoleTarget;

/**
 * Configures the one logging backend (logback behind SLF4J) from the command line. Nothing here
 * ever writes to stdout: the console appender targets stderr, and status messages are only printed
 * (to stderr) when logback reports an error.
 *
 * <p>With {@code --log FILE}: that file at the chosen level (default info) and warnings also on
 * stderr, which the gridmanager copies into its own log. Without: stderr at the chosen level
 * (default warn). {@code java.util.logging} (used by JLine) is routed to the same place.
 */
final class Logging {

    /** Loggers that would show what a credential file holds; never logged at any level. */
    static final java.util.List<String> SILENCED = java.util.List.of("com.microsoft.aad.msal4j", "com.azure.identity");

    private Logging() {
    }

    /** Applies the settings; returns a problem text (for the user) when the log file cannot be opened. */
    static String configure(Settings settings) {
        return configure(settings, false);
    }

    /**
     * As {@link #configure(Settings)}; with {@code julInBackground} the routing of
     * {@code java.util.logging} (whose LogManager takes ~15 ms to start) happens on a daemon thread,
     * off the path to the first answer: only JLine and a few JDK corners log there.
     */
    static String configure(Settings settings, boolean julInBackground) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Level level = toLogback(settings.effectiveLogLevel());
        Path file = settings.logFile();
        Level stderrLevel = file == null ? level : (level.isGreaterOrEqual(Level.WARN) ? level : Level.WARN);
        String problem = install(context, level, file, stderrLevel);
        if (julInBackground) {
            Thread jul = new Thread(() -> routeJavaUtilLogging(context), "jul-to-slf4j");
            jul.setDaemon(true);
            jul.start();
        } else {
            routeJavaUtilLogging(context);
        }
        return problem;
    }

    static Level toLogback(LogLevel level) {
        switch (level) {
            case ERROR:
                return Level.ERROR;
            case WARN:
                return Level.WARN;
            case INFO:
                return Level.INFO;
            default:
                return Level.DEBUG;
        }
    }

    /** Replaces the whole configuration of {@code context}. */
    static String install(LoggerContext context, Level level, Path file, Level stderrLevel) {
        context.reset();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
        // The identity libraries log the identity service's refusals verbatim, and those name the
        // credential file's client and tenant ids; the adapter reports the same failure cleanly.
        for (String quiet : SILENCED) {
            context.getLogger(quiet).setLevel(Level.OFF);
        }

        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("stderr");
        stderr.setTarget(ConsoleTarget.SystemErr.getName());
        stderr.setEncoder(encoder(context));
        ThresholdFilter threshold = new ThresholdFilter();
        threshold.setContext(context);
        threshold.setLevel(stderrLevel.toString());
        threshold.start();
        stderr.addFilter(threshold);
        stderr.addFilter(new OwnLoggersOnly());
        stderr.start();
        root.addAppender(stderr);
        // The SDKs' own loggers say a lot (a failing call logs every retry with its stack trace): into a
        // log file at warn unless debug was asked for, and never to stderr, which the gridmanager copies
        // into its own log (the adapter turns their failures into error results and its own lines).
        if (!level.equals(Level.DEBUG)) {
            for (String sdk : SDK_LOGGERS) {
                context.getLogger(sdk).setLevel(Level.WARN);
            }
            // The JDK HTTP client computes Content-Length itself and refuses the header the SDK sets, and
            // the SDK's adapter warns about that on every request with a body: a warning per create
            // that means nothing would bury the log's real warnings. Only that warning is dropped.
            context.addTurboFilter(new RestrictedHeaderWarning());
        }

        if (file == null) {
            return null;
        }
        FileAppender<ILoggingEvent> fileAppender = new FileAppender<>();
        fileAppender.setContext(context);
        fileAppender.setName("file");
        fileAppender.setFile(file.toString());
        fileAppender.setAppend(true);
        fileAppender.setEncoder(encoder(context));
        fileAppender.start();
        if (!fileAppender.isStarted()) {
            return "cannot open log file " + file;
        }
        root.addAppender(fileAppender);
        return null;
    }

    /**
     * Drops the SDK's JDK HTTP client adapter's "The header is restricted ..." warning (once per
     * request with a body, about a header the JDK client sets itself); everything else passes.
     */
    static final class RestrictedHeaderWarning extends ch.qos.logback.classic.turbo.TurboFilter {
        @Override
        public ch.qos.logback.core.spi.FilterReply decide(org.slf4j.Marker marker, Logger logger, Level level,
                String format, Object[] params, Throwable t) {
            if (format != null && logger.getName().startsWith("com.azure.core.http.jdk.httpclient.")
                    && format.contains("The header is restricted by 'java.net.http.HttpClient'")) {
                return ch.qos.logback.core.spi.FilterReply.DENY;
            }
            return ch.qos.logback.core.spi.FilterReply.NEUTRAL;
        }
    }

    /** Logger name prefixes of the libraries under the Azure adapter. */
    static final java.util.List<String> SDK_LOGGERS = java.util.List.of("com.azure", "com.microsoft", "reactor",
            "io.netty", "com.nimbusds", "net.minidev");

    /** Passes only this project's own loggers (and anything not from the SDKs) to stderr. */
    static final class OwnLoggersOnly extends ch.qos.logback.core.filter.Filter<ILoggingEvent> {
        @Override
        public ch.qos.logback.core.spi.FilterReply decide(ILoggingEvent event) {
            String name = event.getLoggerName();
            for (String sdk : SDK_LOGGERS) {
                if (name.startsWith(sdk) && (name.length() == sdk.length() || name.charAt(sdk.length()) == '.')) {
                    return ch.qos.logback.core.spi.FilterReply.DENY;
                }
            }
            return ch.qos.logback.core.spi.FilterReply.NEUTRAL;
        }
    }

    private static LayoutWrappingEncoder<ILoggingEvent> encoder(LoggerContext context) {
        LogLineLayout layout = new LogLineLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        return encoder;
    }

    private static void routeJavaUtilLogging(LoggerContext context) {
        LevelChangePropagator propagator = new LevelChangePropagator();
        propagator.setContext(context);
        propagator.setResetJUL(true);
        context.addListener(propagator);
        propagator.start();
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }
}
