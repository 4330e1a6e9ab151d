package org.azuregahp.domain.command;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one table of GAHP commands: it drives parsing (dispatch and arity), {@code COMMANDS}
 * output, help and usage text, and the {@code key=} names for completion. Lookups are
 * case-insensitive ({@link Locale#ROOT}).
 */
public final class CommandTable {

    /** Parses the whole argument list (command name first) of one command. Must not throw. */
    interface Syntax {
        ParseOutcome parse(List<String> args, Clock clock);
    }

    record Entry(CommandInfo info, int minArgs, Syntax syntax) {
    }

    private static final CommandTable STANDARD = build();

    private final Map<String, Entry> entries;

    private CommandTable(Map<String, Entry> entries) {
        this.entries = Collections.unmodifiableMap(entries);
    }

    public static CommandTable standard() {
        return STANDARD;
    }

    /** Every command name, in the order {@code COMMANDS} lists them (cloud requests first). */
    public List<String> names() {
        return List.copyOf(entries.keySet());
    }

    /** Every command's description, in {@link #names()} order. */
    public List<CommandInfo> infos() {
        List<CommandInfo> out = new ArrayList<>();
        entries.values().forEach(e -> out.add(e.info()));
        return out;
    }

    public Optional<CommandInfo> find(String name) {
        return entry(name).map(Entry::info);
    }

    /** The fewest arguments, command name included, the command accepts (fewer gives {@code E}). */
    public int minArgs(String name) {
        return entry(name).map(Entry::minArgs).orElseThrow(() -> new IllegalArgumentException("unknown command"));
    }

    Optional<Entry> entry(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(entries.get(name.toUpperCase(Locale.ROOT)));
    }

    private static CommandTable build() {
        Map<String, Entry> m = new LinkedHashMap<>();
        String h = " <id> <cred|NULL> <subscription>";
        cloud(m, "AZURE_PING", h, "Checks that the credentials work and the subscription answers.",
                List.of(), 4, Syntaxes::ping);
        cloud(m, "AZURE_VM_CREATE", h + " name= location= image= size= [key=value...]",
                "Creates a VM in a new resource group of the same name; result: vmId and public IP.",
                Syntaxes.VM_CREATE_KEYS, 4, Syntaxes::vmCreate);
        cloud(m, "AZURE_VM_DELETE", h + " <name> | <resource-group> <name>",
                "Deletes a VM and everything created for it.", List.of(), 5, Syntaxes::vmDelete);
        cloud(m, "AZURE_VM_LIST", h + " [<name-or-tag> | <tag>=[<value>]]",
                "Lists VMs with their status codes: <count> then <name> <status> pairs. A bare word lists the VM of"
                        + " that name and the VMs carrying a tag of that name.", List.of(), 4,
                Syntaxes::vmList);
        cloud(m, "AZURE_VMSS_CREATE", h + " name= location= image= size= [nodecount=] [key=value...]",
                "Creates a scale set, optionally with a vault secret and a scheduled deletion.",
                Syntaxes.VMSS_CREATE_KEYS, 4, Syntaxes::vmssCreate);
        cloud(m, "AZURE_VMSS_DELETE", h + " <name> | <resource-group> <name>",
                "Deletes a scale set and its resource group.", List.of(), 5, Syntaxes::vmssDelete);
        cloud(m, "AZURE_VMSS_START", h + " <name> | <resource-group> <name>",
                "Starts every instance of a scale set.", List.of(), 5, Syntaxes::vmssStart);
        cloud(m, "AZURE_VMSS_STOP", h + " <name> | <resource-group> <name>",
                "Stops and deallocates every instance of a scale set.", List.of(), 5, Syntaxes::vmssStop);
        cloud(m, "AZURE_VMSS_RESTART", h + " <name> | <resource-group> <name>",
                "Restarts every instance of a scale set.", List.of(), 5, Syntaxes::vmssRestart);
        cloud(m, "AZURE_VMSS_SCALE", h + " name=<name> nodecount=<n> | <resource-group> <name> <n>",
                "Sets the instance count of a scale set (0..1000).", Syntaxes.VMSS_SCALE_KEYS, 6,
                Syntaxes::vmssScale);
        cloud(m, "AZURE_VMSS_LIST", h + " [<name>]",
                "Lists scale sets: <count> then <name> <capacity> <status> triples.", List.of(), 4,
                Syntaxes::vmssList);
        cloud(m, "AZURE_KEYVAULT_CREATE", h + " name= location= [sku=standard|premium] [users=<id>,...]",
                "Creates (or reuses) a key vault and grants the users access to its secrets.",
                Syntaxes.KEYVAULT_KEYS, 4, Syntaxes::keyvaultCreate);

        session(m, "ASYNC_MODE_ON", "", "Writes one R line when results wait, until the next RESULTS.", 1,
                (a, c) -> new ParseOutcome.Parsed(new SessionCommand.AsyncModeOn()));
        session(m, "ASYNC_MODE_OFF", "", "Stops R notifications.", 1,
                (a, c) -> new ParseOutcome.Parsed(new SessionCommand.AsyncModeOff()));
        session(m, "COMMANDS", "", "Lists the commands this server implements.", 1,
                (a, c) -> new ParseOutcome.Parsed(new SessionCommand.Commands()));
        session(m, "CONDOR_VERSION", " <caller-version>", "Exchanges version strings.", 2,
                (a, c) -> new ParseOutcome.Parsed(new SessionCommand.CondorVersion(a.get(1))));
        session(m, "QUIT", "", "Ends the session at once; in-flight work is abandoned.", 1,
                (a, c) -> new ParseOutcome.Parsed(new SessionCommand.Quit()));
        session(m, "RESPONSE_PREFIX", " <prefix>", "Prefixes every later output line (empty: no prefix).", 2,
                (a, c) -> new ParseOutcome.Parsed(new SessionCommand.ResponsePrefix(a.get(1))));
        session(m, "RESULTS", "", "Returns the finished results, oldest first.", 1,
                (a, c) -> new ParseOutcome.Parsed(new SessionCommand.Results()));
        session(m, "STATISTICS", "", "Shows request counters.", 1,
                (a, c) -> new ParseOutcome.Parsed(new SessionCommand.Statistics()));
        session(m, "VERSION", "", "Returns the version banner.", 1,
                (a, c) -> new ParseOutcome.Parsed(new SessionCommand.Version()));
        return new CommandTable(m);
    }

    private static void cloud(Map<String, Entry> m, String name, String usage, String summary, List<String> keys,
            int minArgs, Syntax syntax) {
        m.put(name, new Entry(new CommandInfo(name, name + usage, summary, keys, true), minArgs, syntax));
    }

    private static void session(Map<String, Entry> m, String name, String usage, String summary, int minArgs,
            Syntax syntax) {
        m.put(name, new Entry(new CommandInfo(name, name + usage, summary, List.of(), false), minArgs, syntax));
    }
}
