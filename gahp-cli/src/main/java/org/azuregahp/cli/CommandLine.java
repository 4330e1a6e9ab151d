package org.azuregahp.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.azuregahp.cli.Settings.CloudKind;
import org.azuregahp.cli.Settings.LogLevel;

/**
 * The command line: one table of options drives parsing, the {@code AZURE_GAHP_<NAME>} environment
 * variables and the {@code --help} text. A flag wins over its environment variable.
 *
 * <p>Parsing is total: {@link #parse} returns a {@link Outcome} and never throws on bad input.
 * (The table holds no lambdas and the parsers no regular expressions: this runs before the banner,
 * where every millisecond of class loading shows.)
 */
final class CommandLine {

    static final String ENV_PREFIX = "AZURE_GAHP_";

    /** What the command line asks for. */
    sealed interface Outcome permits Run, Help, Version, UsageError {
    }

    /** Start a session with these settings. */
    record Run(Settings settings) implements Outcome {
    }

    /** Print {@link #helpText()} and exit 0. */
    record Help() implements Outcome {
    }

    /** Print the version and exit 0. */
    record Version() implements Outcome {
    }

    /** Print the message on stderr and exit 2. */
    record UsageError(String message) implements Outcome {
    }

    /**
     * One option. {@code valueName} is null for a switch. {@code fromEnv} is false only for
     * {@code --help} and {@code --version}, which are not settings.
     */
    record Option(String name, String valueName, String help, String defaultText, boolean fromEnv) {

        boolean isSwitch() {
            return valueName == null;
        }

        String envName() {
            return ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('-', '_');
        }
    }

    /** The mutable draft options write into; frozen into {@link Settings} at the end. */
    static final class Draft {
        CloudKind cloud = CloudKind.AZURE;
        Duration fakeLatency = Duration.ZERO;
        double fakeFailureRate = 0.0;
        Long fakeSeed;
        Path fakeState;
        Duration fakeVmLifetime;
        int fakeTimeScale = 1;
        boolean fakeArmBudgets;
        int maxInFlight = Settings.DEFAULT_MAX_IN_FLIGHT;
        Duration requestTimeout = Settings.DEFAULT_REQUEST_TIMEOUT;
        int maxLineBytes = Settings.DEFAULT_MAX_LINE_BYTES;
        Path logFile;
        LogLevel logLevel;
        boolean interactive;
        boolean stdio;
        boolean help;
        boolean version;
        String automationAccount;
        String automationResourceGroup;
        Duration azurePollInterval;
        Integer azureMaxConcurrent;

        /** Sets the option called {@code name}; throws IllegalArgumentException for a bad value. */
        void set(String name, String v) {
            switch (name) {
                case "cloud":
                    cloud = parseEnum(CloudKind.class, v);
                    break;
                case "fake-latency":
                    fakeLatency = Durations.parse(v);
                    break;
                case "fake-failure-rate":
                    fakeFailureRate = parseProbability(v);
                    break;
                case "fake-seed":
                    fakeSeed = parseLong(v);
                    break;
                case "fake-state":
                    fakeState = parsePath(v);
                    break;
                case "fake-vm-lifetime":
                    fakeVmLifetime = positive(Durations.parse(v));
                    break;
                case "fake-time-scale":
                    fakeTimeScale = parseInt(v, 1, 100_000);
                    break;
                case "fake-arm-budgets":
                    fakeArmBudgets = parseBoolean(v);
                    break;
                case "max-in-flight":
                    maxInFlight = parseInt(v, 1, 1_000_000);
                    break;
                case "request-timeout":
                    requestTimeout = positive(Durations.parse(v));
                    break;
                case "max-line-bytes":
                    maxLineBytes = parseInt(v, 1024, Integer.MAX_VALUE);
                    break;
                case "log":
                    logFile = parsePath(v);
                    break;
                case "log-level":
                    logLevel = parseEnum(LogLevel.class, v);
                    break;
                case "interactive":
                    interactive = parseBoolean(v);
                    break;
                case "stdio":
                    stdio = parseBoolean(v);
                    break;
                case "automation-account":
                    automationAccount = nonBlank(v);
                    break;
                case "automation-resource-group":
                    automationResourceGroup = nonBlank(v);
                    break;
                case "azure-poll-interval":
                    azurePollInterval = positive(Durations.parse(v));
                    break;
                case "azure-max-concurrent":
                    azureMaxConcurrent = parseInt(v, 1, 100_000);
                    break;
                case "help":
                    help = true;
                    break;
                case "version":
                    version = true;
                    break;
                default:
                    throw new IllegalStateException("option without a setter: " + name);
            }
        }

        Settings freeze() {
            return new Settings(cloud, fakeLatency, fakeFailureRate, fakeSeed, fakeState, fakeVmLifetime, fakeTimeScale,
                    maxInFlight,
                    requestTimeout, maxLineBytes, logFile, logLevel, interactive, stdio, automationAccount,
                    automationResourceGroup, azurePollInterval, azureMaxConcurrent, fakeArmBudgets);
        }
    }

    /** The Azure adapter's defaults as the help shows them (a test keeps them equal to AzureSettings). */
    static final String AZURE_DEFAULT_POLL = "5s";
    static final String AZURE_DEFAULT_MAX_CONCURRENT = "64";

    private static final List<Option> OPTIONS = List.of(
            new Option("cloud", "azure|fake", "The cloud to serve: Azure itself, or the built-in fake cloud.", "azure",
                    true),
            new Option("fake-latency", "DURATION", "How long each fake cloud operation takes (0, 250ms, 2s, 1m).", "0",
                    true),
            new Option("fake-failure-rate", "P",
                    "Probability (0..1) that a fake cloud operation fails at a random step with a realistic Azure error.",
                    "0", true),
            new Option("fake-seed", "N", "Seed for the fake cloud's failures and ids, so runs repeat.", "0", true),
            new Option("fake-state", "FILE",
                    "Load the fake cloud from this JSON file at start and keep it written there.", "none (in memory)",
                    true),
            new Option("fake-vm-lifetime", "DURATION",
                    "Fake VMs deallocate themselves this long after their create finishes (lets the gridmanager see jobs end).",
                    "never", true),
            new Option("fake-time-scale", "N",
                    "The fake cloud's clock runs N times faster than real time (scheduled deletions and VM lifetimes"
                            + " come sooner; latencies do not change).", "1", true),
            new Option("fake-arm-budgets", null,
                    "The fake cloud enforces Azure Resource Manager's request budgets (reads, writes and deletes per"
                            + " subscription and principal, Network writes per region, Compute's VM creates per region):"
                            + " a request over them fails with Azure's throttling error, saying when to try again.",
                    null, true),
            new Option("max-in-flight", "N", "Cloud operations running at once; more are queued, never refused.",
                    Integer.toString(Settings.DEFAULT_MAX_IN_FLIGHT), true),
            new Option("request-timeout", "DURATION", "A request still running this long gets an OperationTimedOut error result.",
                    Durations.format(Settings.DEFAULT_REQUEST_TIMEOUT), true),
            new Option("max-line-bytes", "N", "Longest request line accepted; a longer one gets E and the server keeps serving.",
                    Integer.toString(Settings.DEFAULT_MAX_LINE_BYTES), true),
            new Option("log", "FILE", "Write the log to this file (default level info).", "warnings to stderr", true),
            new Option("log-level", "error|warn|info|debug", "How much to log.", "info with --log, else warn", true),
            new Option("interactive", null, "Start the interactive shell even when not at a terminal.", null, true),
            new Option("stdio", null, "Speak the plain GAHP protocol even at a terminal (what HTCondor uses).", null,
                    true),
            new Option("automation-account", "NAME",
                    "Azure Automation account that runs scheduled scale-set deletions (a credential file's"
                            + " automation_account overrides it).", "none (deletion jobs cannot be scheduled)", true),
            new Option("automation-resource-group", "NAME", "Resource group of that Automation account.",
                    "none", true),
            new Option("azure-poll-interval", "DURATION", "How often long-running Azure operations are polled.",
                    AZURE_DEFAULT_POLL, true),
            new Option("azure-max-concurrent", "N", "Azure operations running at once per subscription; more wait.",
                    AZURE_DEFAULT_MAX_CONCURRENT, true),
            new Option("help", null, "Print this help and exit.", null, false),
            new Option("version", null, "Print the version and exit.", null, false));

    private CommandLine() {
    }

    static List<Option> options() {
        return OPTIONS;
    }

    static Optional<Option> find(String name) {
        for (Option o : OPTIONS) {
            if (o.name().equals(name)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    /**
     * Reads the environment first, then the arguments (so a flag wins). Accepts {@code --name value}
     * and {@code --name=value}; a switch takes no value on the command line.
     */
    static Outcome parse(List<String> args, Map<String, String> env) {
        Draft draft = new Draft();
        // bad environment values by option name, reported after the arguments: --help and --version
        // still work, and a flag for the same option wins over (and so excuses) its variable
        Map<String, UsageError> envErrors = new java.util.LinkedHashMap<>();
        // where each fake-cloud option came from ("--fake-latency" or "environment variable AZURE_GAHP_...")
        Map<String, String> fakeGiven = new java.util.LinkedHashMap<>();
        UsageError unknownVariable = unknownVariable(env);
        for (Option option : OPTIONS) {
            if (!option.fromEnv()) {
                continue;
            }
            String value = env.get(option.envName());
            if (value == null) {
                continue;
            }
            if (option.name().startsWith("fake-")) {
                fakeGiven.put(option.name(), "environment variable " + option.envName());
            }
            try {
                draft.set(option.name(), value);
            } catch (IllegalArgumentException e) {
                envErrors.put(option.name(),
                        new UsageError("environment variable " + option.envName() + ": " + e.getMessage()));
            }
        }
        boolean interactiveFlag = false;
        boolean stdioFlag = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.length() == 2) {
                return new UsageError("unexpected argument '" + arg + "' (options start with --; try --help)");
            }
            String name = arg.substring(2);
            String inlineValue = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                inlineValue = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Optional<Option> found = find(name);
            if (found.isEmpty()) {
                return new UsageError("unknown option --" + name + " (try --help)");
            }
            Option option = found.get();
            String value;
            if (option.isSwitch()) {
                if (inlineValue != null) {
                    return new UsageError("option --" + name + " takes no value");
                }
                value = "true";
            } else if (inlineValue != null) {
                value = inlineValue;
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                return new UsageError("option --" + name + " needs a value: " + option.valueName());
            }
            try {
                draft.set(option.name(), value);
            } catch (IllegalArgumentException e) {
                return new UsageError("option --" + name + ": " + e.getMessage());
            }
            envErrors.remove(option.name());
            if (option.name().startsWith("fake-")) {
                fakeGiven.put(option.name(), "--" + option.name());
            }
            interactiveFlag |= option.name().equals("interactive");
            stdioFlag |= option.name().equals("stdio");
        }
        if (draft.help) {
            return new Help();
        }
        if (draft.version) {
            return new Version();
        }
        if (unknownVariable != null) {
            return unknownVariable;
        }
        if (!envErrors.isEmpty()) {
            return envErrors.values().iterator().next();
        }
        // A fake-cloud option without the fake cloud would silently start the real one: say so instead.
        if (draft.cloud != CloudKind.FAKE && !fakeGiven.isEmpty()) {
            String where = fakeGiven.values().iterator().next();
            return new UsageError(where + " applies only to the fake cloud: add --cloud fake"
                    + (where.startsWith("--") ? "" : " (or set " + ENV_PREFIX + "CLOUD=fake)")
                    + ", or remove it to use Azure");
        }
        // a flag wins over the other mode's environment variable (AZURE_GAHP_INTERACTIVE=true, --stdio)
        if (draft.interactive && draft.stdio && interactiveFlag != stdioFlag) {
            draft.interactive = interactiveFlag;
            draft.stdio = stdioFlag;
        }
        if (draft.interactive && draft.stdio) {
            return new UsageError("--interactive and --stdio exclude each other");
        }
        return new Run(draft.freeze());
    }

    /**
     * An {@code AZURE_GAHP_*} variable that names no option, as a usage error (a misspelled
     * {@code AZURE_GAHP_CLUOD=fake} must not start Azure), with the likely intended variable when one
     * is close; null when every such variable names an option.
     */
    static UsageError unknownVariable(Map<String, String> env) {
        List<String> unknown = new ArrayList<>();
        for (String name : env.keySet()) {
            if (name.startsWith(ENV_PREFIX) && knownVariable(name) == null) {
                unknown.add(name);
            }
        }
        if (unknown.isEmpty()) {
            return null;
        }
        java.util.Collections.sort(unknown);
        String name = unknown.get(0);
        String guess = closestVariable(name);
        return new UsageError("environment variable " + name + " names no option"
                + (guess == null ? "" : " (did you mean " + guess + "?)")
                + "; unset it (azure-gahp --help lists every AZURE_GAHP_ variable)");
    }

    private static Option knownVariable(String name) {
        for (Option o : OPTIONS) {
            if (o.envName().equals(name)) {
                return o;
            }
        }
        return null;
    }

    /** The settable option variable nearest to {@code name}, if at most two edits away (one for short names). */
    private static String closestVariable(String name) {
        String wanted = name.substring(ENV_PREFIX.length()).toUpperCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Option o : OPTIONS) {
            if (!o.fromEnv()) {
                continue;
            }
            String candidate = o.envName().substring(ENV_PREFIX.length());
            int d = editDistance(wanted, candidate);
            if (d < bestDistance) {
                best = o.envName();
                bestDistance = d;
            }
        }
        int allowed = wanted.length() <= 4 ? 1 : 2;
        return bestDistance <= allowed ? best : null;
    }

    /** Edits (insert, delete, replace, swap two neighbours) that turn {@code a} into {@code b}. */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** The {@code --help} text, generated from the option table. */
    static String helpText() {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: azure-gahp [options]\n\n")
                .append("HTCondor's Azure GAHP server. Speaks the GAHP protocol on stdin/stdout (HTCondor starts it\n")
                .append("with no arguments); at a terminal it starts an interactive shell instead.\n\n")
                .append("Every option can also be set by an environment variable AZURE_GAHP_<NAME> (upper case,\n")
                .append("dashes as underscores, e.g. AZURE_GAHP_CLOUD=fake); the flag wins. Switches read\n")
                .append("true/false from the environment; an AZURE_GAHP_ variable that names no option is an error.\n")
                .append("The --fake-* options need --cloud fake. Durations: 0, 250ms, 2s, 1m, 1h (a bare number is\n")
                .append("seconds). A bad option or environment value (a --fake-state that is a directory, is not\n")
                .append("valid JSON or cannot be written, too) stops the server before its banner: a message on\n")
                .append("stderr (which HTCondor copies into the gridmanager's log), exit status 2, and stdout stays\n")
                .append("empty, so the gridmanager sees a GAHP that failed to start, never a corrupted session.\n\n")
                .append("Options:\n");
        for (Option o : OPTIONS) {
            String head = "  --" + o.name() + (o.isSwitch() ? "" : " " + o.valueName());
            sb.append(head).append('\n');
            String text = o.help() + (o.defaultText() == null ? "" : " Default: " + o.defaultText() + ".");
            wrap(sb, text, "      ", 100);
            if (o.fromEnv()) {
                sb.append("      Environment: ").append(o.envName()).append('\n');
            }
        }
        return sb.toString();
    }

    private static void wrap(StringBuilder sb, String text, String indent, int width) {
        int column = 0;
        for (String word : text.split(" ")) {
            if (column > 0 && column + 1 + word.length() > width) {
                sb.append('\n');
                column = 0;
            }
            if (column == 0) {
                sb.append(indent).append(word);
                column = indent.length() + word.length();
            } else {
                sb.append(' ').append(word);
                column += 1 + word.length();
            }
        }
        sb.append('\n');
    }

    // ---- value parsers: each throws IllegalArgumentException with a message for people ----

    static <E extends Enum<E>> E parseEnum(Class<E> type, String v) {
        String wanted = v.trim().toUpperCase(Locale.ROOT);
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(wanted)) {
                return e;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            allowed.append(allowed.length() == 0 ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException("'" + v + "' is not allowed; allowed values: " + allowed);
    }

    static double parseProbability(String v) {
        double p;
        try {
            p = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' is not a number between 0 and 1");
        }
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException("'" + v + "' is not a number between 0 and 1");
        }
        return p;
    }

    static long parseLong(String v) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' is not a whole number");
        }
    }

    static int parseInt(String v, int min, int max) {
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' is not a whole number");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("'" + v + "' is out of range (" + min + ".." + max + ")");
        }
        return (int) n;
    }

    static boolean parseBoolean(String v) {
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true":
            case "1":
            case "yes":
            case "on":
                return true;
            case "false":
            case "0":
            case "no":
            case "off":
            case "":
                return false;
            default:
                throw new IllegalArgumentException("'" + v + "' is not true or false");
        }
    }

    static Path parsePath(String v) {
        if (v.isBlank()) {
            throw new IllegalArgumentException("a file name is needed");
        }
        try {
            return Path.of(v);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + v + "' is not a valid file name");
        }
    }

    static String nonBlank(String v) {
        if (v.isBlank()) {
            throw new IllegalArgumentException("a value is needed");
        }
        return v.trim();
    }

    static Duration positive(Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("must be longer than 0");
        }
        return d;
    }

    static List<String> names() {
        List<String> names = new ArrayList<>();
        for (Option o : OPTIONS) {
            names.add("--" + o.name());
        }
        return names;
    }
}
