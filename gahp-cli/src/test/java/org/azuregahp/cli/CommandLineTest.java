package org.azuregahp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.azuregahp.cli.CommandLine.Help;
import org.azuregahp.cli.CommandLine.Outcome;
import org.azuregahp.cli.CommandLine.Run;
import org.azuregahp.cli.CommandLine.UsageError;
import org.azuregahp.cli.CommandLine.Version;
import org.azuregahp.cli.Settings.CloudKind;
import org.azuregahp.cli.Settings.LogLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandLineTest {

    private static Settings run(List<String> args, Map<String, String> env) {
        Outcome outcome = CommandLine.parse(args, env);
        assertThat(outcome).isInstanceOf(Run.class);
        return ((Run) outcome).settings();
    }

    private static String error(List<String> args, Map<String, String> env) {
        Outcome outcome = CommandLine.parse(args, env);
        assertThat(outcome).isInstanceOf(UsageError.class);
        return ((UsageError) outcome).message();
    }

    @Test
    void noArgumentsAndNoEnvironmentGiveTheDefaultsHTCondorRunsWith() {
        Settings s = run(List.of(), Map.of());
        assertThat(s).isEqualTo(Settings.defaults());
        assertThat(s.cloud()).isEqualTo(CloudKind.AZURE);
        assertThat(s.maxInFlight()).isEqualTo(1000);
        assertThat(s.requestTimeout()).isEqualTo(Duration.ofSeconds(590));
        assertThat(s.maxLineBytes()).isEqualTo(1 << 20);
        assertThat(s.effectiveLogLevel()).isEqualTo(LogLevel.WARN);
    }

    @Test
    void everyFlagIsParsedIntoItsSetting() {
        Settings s = run(List.of("--cloud", "fake", "--fake-latency", "250ms", "--fake-failure-rate", "0.25",
                "--fake-seed", "42", "--fake-state", "/tmp/state.json", "--fake-vm-lifetime", "1m",
                "--fake-time-scale", "60", "--fake-arm-budgets", "--max-in-flight", "64", "--request-timeout", "30s", "--max-line-bytes", "4096", "--log", "/tmp/g.log",
                "--log-level", "debug", "--interactive", "--automation-account", "acct",
                "--automation-resource-group", "rg", "--azure-poll-interval", "2s", "--azure-max-concurrent", "8"),
                Map.of());
        assertThat(s).isEqualTo(new Settings(CloudKind.FAKE, Duration.ofMillis(250), 0.25, 42L,
                Path.of("/tmp/state.json"), Duration.ofMinutes(1), 60, 64, Duration.ofSeconds(30), 4096,
                Path.of("/tmp/g.log"), LogLevel.DEBUG, true, false, "acct", "rg", Duration.ofSeconds(2), 8, true));
    }

    @Test
    void nameEqualsValueFormWorksToo() {
        Settings s = run(List.of("--cloud=fake", "--fake-latency=2s"), Map.of());
        assertThat(s.cloud()).isEqualTo(CloudKind.FAKE);
        assertThat(s.fakeLatency()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void everySettingIsReadFromItsEnvironmentVariable() {
        Settings s = run(List.of(), Map.of("AZURE_GAHP_CLOUD", "fake", "AZURE_GAHP_FAKE_LATENCY", "2s",
                "AZURE_GAHP_MAX_IN_FLIGHT", "10", "AZURE_GAHP_STDIO", "true", "AZURE_GAHP_LOG_LEVEL", "ERROR",
                "AZURE_GAHP_FAKE_STATE", "/tmp/s.json", "AZURE_GAHP_AZURE_MAX_CONCURRENT", "3"));
        assertThat(s.cloud()).isEqualTo(CloudKind.FAKE);
        assertThat(s.fakeLatency()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.maxInFlight()).isEqualTo(10);
        assertThat(s.stdio()).isTrue();
        assertThat(s.logLevel()).isEqualTo(LogLevel.ERROR);
        assertThat(s.fakeState()).isEqualTo(Path.of("/tmp/s.json"));
        assertThat(s.azureMaxConcurrent()).isEqualTo(3);
    }

    @Test
    void theFlagWinsOverTheEnvironment() {
        Settings s = run(List.of("--cloud", "azure", "--max-in-flight", "5"),
                Map.of("AZURE_GAHP_CLOUD", "fake", "AZURE_GAHP_MAX_IN_FLIGHT", "10"));
        assertThat(s.cloud()).isEqualTo(CloudKind.AZURE);
        assertThat(s.maxInFlight()).isEqualTo(5);
    }

    @Test
    void environmentVariableNamesComeFromTheOptionNames() {
        assertThat(CommandLine.find("fake-failure-rate").orElseThrow().envName())
                .isEqualTo("AZURE_GAHP_FAKE_FAILURE_RATE");
        assertThat(CommandLine.find("automation-resource-group").orElseThrow().envName())
                .isEqualTo("AZURE_GAHP_AUTOMATION_RESOURCE_GROUP");
    }

    @Test
    void anInvalidCloudNamesTheAllowedValues() {
        assertThat(error(List.of("--cloud", "aws"), Map.of())).contains("--cloud").contains("'aws'")
                .contains("azure, fake");
        assertThat(error(List.of(), Map.of("AZURE_GAHP_CLOUD", "gcp"))).contains("AZURE_GAHP_CLOUD")
                .contains("azure, fake");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "--fake-latency      | fast      | not a duration",
            "--fake-latency      | -1s       | not a duration",
            "--fake-failure-rate | 1.5       | between 0 and 1",
            "--fake-failure-rate | x         | between 0 and 1",
            "--fake-seed         | 1.5       | not a whole number",
            "--max-in-flight     | 0         | out of range",
            "--max-in-flight     | many      | not a whole number",
            "--request-timeout   | 0         | longer than 0",
            "--fake-vm-lifetime  | 0         | longer than 0",
            "--fake-time-scale   | 0         | out of range",
            "--max-line-bytes    | 10        | out of range",
            "--log-level         | verbose   | error, warn, info, debug",
            "--azure-max-concurrent | 0      | out of range"})
    void badValuesAreClearErrorsNamingTheOption(String flag, String value, String expected) {
        assertThat(error(List.of(flag, value), Map.of())).startsWith("option " + flag + ":").contains(expected);
    }

    @Test
    void unknownOptionsMissingValuesAndStrayArgumentsAreErrors() {
        assertThat(error(List.of("--frobnicate"), Map.of())).contains("unknown option --frobnicate");
        assertThat(error(List.of("--cloud"), Map.of())).contains("needs a value");
        assertThat(error(List.of("fake"), Map.of())).contains("unexpected argument 'fake'");
        assertThat(error(List.of("--stdio=yes"), Map.of())).contains("takes no value");
        assertThat(error(List.of("--interactive", "--stdio"), Map.of())).contains("exclude each other");
        assertThat(error(List.of(), Map.of("AZURE_GAHP_STDIO", "maybe"))).contains("AZURE_GAHP_STDIO");
    }

    @Test
    void helpAndVersionAreNotSessions() {
        assertThat(CommandLine.parse(List.of("--help"), Map.of())).isInstanceOf(Help.class);
        assertThat(CommandLine.parse(List.of("--cloud", "fake", "--version"), Map.of())).isInstanceOf(Version.class);
        // they are not settings, so the environment cannot turn a server into a help printer
        assertThat(CommandLine.parse(List.of(), Map.of("AZURE_GAHP_HELP", "true"))).isInstanceOf(Run.class);
    }

    @Test
    void aModeFlagWinsOverTheOtherModesEnvironmentVariable() {
        Settings s = run(List.of("--stdio"), Map.of("AZURE_GAHP_INTERACTIVE", "true"));
        assertThat(s.stdio()).isTrue();
        assertThat(s.interactive()).isFalse();
        s = run(List.of("--interactive"), Map.of("AZURE_GAHP_STDIO", "true"));
        assertThat(s.interactive()).isTrue();
        assertThat(s.stdio()).isFalse();
        assertThat(error(List.of("--interactive", "--stdio"), Map.of())).contains("exclude each other");
        assertThat(error(List.of(), Map.of("AZURE_GAHP_INTERACTIVE", "1", "AZURE_GAHP_STDIO", "1")))
                .contains("exclude each other");
    }

    @Test
    void helpAndVersionWorkEvenWhenAnEnvironmentVariableIsBad() {
        Map<String, String> bad = Map.of("AZURE_GAHP_MAX_IN_FLIGHT", "abc");
        assertThat(CommandLine.parse(List.of("--help"), bad)).isInstanceOf(Help.class);
        assertThat(CommandLine.parse(List.of("--version"), bad)).isInstanceOf(CommandLine.Version.class);
        // a session still refuses to start on it (exit 2, a message on stderr, nothing on stdout)
        assertThat(error(List.of(), bad)).contains("AZURE_GAHP_MAX_IN_FLIGHT").contains("abc");
        assertThat(CommandLine.helpText()).contains("exit status 2").contains("stdout stays");
        // the flag wins over its variable, so a bad value there is not used and not an error
        assertThat(run(List.of("--max-in-flight", "7"), bad).maxInFlight()).isEqualTo(7);
        assertThat(error(List.of("--max-in-flight", "7"), Map.of("AZURE_GAHP_MAX_IN_FLIGHT", "abc",
                "AZURE_GAHP_CLOUD", "bogus"))).contains("AZURE_GAHP_CLOUD");
    }

    @Test
    void helpTextListsEveryOptionWithItsEnvironmentVariable() {
        String help = CommandLine.helpText();
        for (CommandLine.Option o : CommandLine.options()) {
            assertThat(help).contains("--" + o.name());
            if (o.fromEnv()) {
                assertThat(help).contains(o.envName());
            }
        }
        assertThat(help).contains("Default: azure").contains("Default: 1000").contains("Default: 590s");
    }

    @Test
    void theHelpShowsTheAzureAdaptersRealDefaults() {
        org.azuregahp.azure.AzureSettings azure = org.azuregahp.azure.AzureSettings.defaults();
        assertThat(Durations.parse(CommandLine.AZURE_DEFAULT_POLL)).isEqualTo(azure.pollInterval());
        assertThat(Integer.parseInt(CommandLine.AZURE_DEFAULT_MAX_CONCURRENT))
                .isEqualTo(azure.maxConcurrentPerSubscription());
        assertThat(azure.automationAccount()).isNull();
    }

    @Test
    void helpLinesStayNarrow() {
        assertThat(CommandLine.helpText().lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(100));
    }

    @ParameterizedTest
    @CsvSource({"0,0", "250ms,250", "2s,2000", "1m,60000", "1h,3600000", "7,7000", "1500MS,1500"})
    void durationsReadTheirUnits(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
        assertThat(Durations.parse(Durations.format(Duration.ofMillis(millis)))).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--fake-latency      | 2s",
            "--fake-failure-rate | 0.1",
            "--fake-seed         | 7",
            "--fake-state        | /tmp/fake.json",
            "--fake-vm-lifetime  | 2m",
            "--fake-time-scale   | 60"})
    void aFakeCloudOptionWithoutTheFakeCloudIsRefused(String flag, String value) {
        // It used to start the real Azure cloud without a word.
        assertThat(error(List.of(flag, value), Map.of())).isEqualTo(flag
                + " applies only to the fake cloud: add --cloud fake, or remove it to use Azure");
        assertThat(error(List.of("--cloud", "azure", flag, value), Map.of())).contains("add --cloud fake");
        String variable = CommandLine.find(flag.substring(2)).orElseThrow().envName();
        assertThat(error(List.of(), Map.of(variable, value))).isEqualTo("environment variable " + variable
                + " applies only to the fake cloud: add --cloud fake (or set AZURE_GAHP_CLOUD=fake), or remove it"
                + " to use Azure");
        assertThat(run(List.of("--cloud", "fake", flag, value), Map.of()).cloud()).isEqualTo(CloudKind.FAKE);
        assertThat(run(List.of(flag, value), Map.of("AZURE_GAHP_CLOUD", "fake")).cloud()).isEqualTo(CloudKind.FAKE);
        assertThat(run(List.of("--cloud", "fake"), Map.of(variable, value)).cloud()).isEqualTo(CloudKind.FAKE);
    }

    @Test
    void theFakeArmBudgetsSwitchNeedsTheFakeCloudAndIsOffByDefault() {
        assertThat(error(List.of("--fake-arm-budgets"), Map.of())).isEqualTo("--fake-arm-budgets"
                + " applies only to the fake cloud: add --cloud fake, or remove it to use Azure");
        assertThat(run(List.of("--cloud", "fake"), Map.of()).fakeArmBudgets()).isFalse();
        assertThat(run(List.of("--cloud", "fake", "--fake-arm-budgets"), Map.of()).fakeArmBudgets()).isTrue();
        assertThat(run(List.of("--cloud", "fake"), Map.of("AZURE_GAHP_FAKE_ARM_BUDGETS", "yes")).fakeArmBudgets())
                .isTrue();
        assertThat(error(List.of("--cloud", "fake", "--fake-arm-budgets=no"), Map.of()))
                .isEqualTo("option --fake-arm-budgets takes no value");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "AZURE_GAHP_CLUOD          | AZURE_GAHP_CLOUD",
            "AZURE_GAHP_CLOD           | AZURE_GAHP_CLOUD",
            "AZURE_GAHP_FAKE_LATENCYY  | AZURE_GAHP_FAKE_LATENCY",
            "AZURE_GAHP_FAKE_STATE_    | AZURE_GAHP_FAKE_STATE",
            "AZURE_GAHP_MAX_INFLIGHT   | AZURE_GAHP_MAX_IN_FLIGHT",
            "AZURE_GAHP_LOGLEVEL       | AZURE_GAHP_LOG_LEVEL"})
    void aMisspelledVariableIsRefusedNamingTheLikelyOne(String variable, String meant) {
        // AZURE_GAHP_CLUOD=fake must not start Azure.
        assertThat(error(List.of(), Map.of(variable, "fake"))).isEqualTo("environment variable " + variable
                + " names no option (did you mean " + meant + "?); unset it (azure-gahp --help lists every"
                + " AZURE_GAHP_ variable)");
        assertThat(error(List.of("--cloud", "fake"), Map.of(variable, "x"))).contains(variable);
    }

    @Test
    void aVariableNothingLikeAnOptionIsRefusedWithoutAGuess() {
        assertThat(error(List.of(), Map.of("AZURE_GAHP_VERBOSE", "1"))).isEqualTo(
                "environment variable AZURE_GAHP_VERBOSE names no option; unset it (azure-gahp --help lists every"
                        + " AZURE_GAHP_ variable)");
        // other programs' variables are not ours to judge
        assertThat(run(List.of(), Map.of("AZURE_CLIENT_ID", "x", "AZURE_GAHP", "/opt/gahp", "AZUREGAHP_X", "1"))
                .cloud()).isEqualTo(CloudKind.AZURE);
        // --help and --version still answer
        assertThat(CommandLine.parse(List.of("--help"), Map.of("AZURE_GAHP_CLUOD", "fake"))).isInstanceOf(Help.class);
    }

    @Test
    void editDistanceCountsASwapOfNeighboursAsOne() {
        assertThat(CommandLine.editDistance("CLUOD", "CLOUD")).isEqualTo(1);
        assertThat(CommandLine.editDistance("CLOUD", "CLOUD")).isZero();
        assertThat(CommandLine.editDistance("", "LOG")).isEqualTo(3);
        assertThat(CommandLine.editDistance("STDIN", "STDIO")).isEqualTo(1);
    }
}
