package org.azuregahp.domain.command;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.azuregahp.domain.result.Outcome;
import org.azuregahp.domain.result.ResultShape;
import org.azuregahp.ports.CloudException;

/**
 * The one table of GAHP commands. Each row holds everything about one command: its name, usage and
 * summary ({@link CommandInfo}), its arity, its argument syntax and what runs it (a cloud request's
 * handler, or a session command's action). The table drives parsing and dispatch,
 * {@code COMMANDS}, help and usage text, and the {@code key=} names for completion. Lookups are
 * case-insensitive ({@link Locale#ROOT}). Adding a command means one row here and one handler.
 */
public final class CommandTable {

    private static final String HEADER = " <id> <cred|NULL> <subscription>";
    private static final CommandTable STANDARD = build();

    private final Map<String, Row> rows;

    private CommandTable(Map<String, Row> rows) {
        this.rows = Collections.unmodifiableMap(rows);
    }

    public static CommandTable standard() {
        return STANDARD;
    }

    private static CommandTable build() {
        Rows m = new Rows();
        // name, usage after the header, summary, key= names, fewest arguments, result, syntax, handler,
        // and the VM or scale set it acts on (requests on one name run in arrival order)
        m.cloud("AZURE_PING", "", "Checks that the credentials work and the subscription answers.",
                List.of(), 4, ResultShape.DONE, Syntaxes::ping, AccountCommands::ping, r -> null);
        m.cloud("AZURE_VM_CREATE", " name= location= image= size= [key=value...]",
                "Creates a VM in a new resource group of the same name; result: vmId and public IP.",
                Syntaxes.VM_CREATE_KEYS, 4, ResultShape.CREATED_VM, Syntaxes::vmCreate, VmCommands::create,
                r -> r.machine().name());
        m.cloud("AZURE_VM_DELETE", " <name> | <resource-group> <name>",
                "Deletes a VM and everything created for it.",
                List.of(), 5, ResultShape.DONE, Syntaxes::vmDelete, VmCommands::delete, r -> r.vm().name());
        m.cloud("AZURE_VM_LIST", " [<name-or-tag> | <tag>=[<value>]]",
                "Lists VMs with their status codes: <count> then <name> <status> pairs. A bare word lists the VM of"
                        + " that name and the VMs carrying a tag of that name.",
                List.of(), 4, ResultShape.VM_LIST, Syntaxes::vmList, VmCommands::list, r -> null);
        m.cloud("AZURE_VMSS_CREATE", " name= location= image= size= [nodecount=] [key=value...]",
                "Creates a scale set, optionally with a vault secret and a scheduled deletion.",
                Syntaxes.VMSS_CREATE_KEYS, 4, ResultShape.DONE, Syntaxes::vmssCreate, ScaleSetCommands::create,
                r -> r.machine().name());
        m.cloud("AZURE_VMSS_DELETE", " <name> | <resource-group> <name>",
                "Deletes a scale set and its resource group.",
                List.of(), 5, ResultShape.DONE, Syntaxes::vmssDelete, ScaleSetCommands::delete,
                r -> r.scaleSet().name());
        m.cloud("AZURE_VMSS_START", " <name> | <resource-group> <name>",
                "Starts every instance of a scale set.",
                List.of(), 5, ResultShape.DONE, Syntaxes::vmssStart, ScaleSetCommands::start,
                r -> r.scaleSet().name());
        m.cloud("AZURE_VMSS_STOP", " <name> | <resource-group> <name>",
                "Stops and deallocates every instance of a scale set.",
                List.of(), 5, ResultShape.DONE, Syntaxes::vmssStop, ScaleSetCommands::stop,
                r -> r.scaleSet().name());
        m.cloud("AZURE_VMSS_RESTART", " <name> | <resource-group> <name>",
                "Restarts every instance of a scale set.",
                List.of(), 5, ResultShape.DONE, Syntaxes::vmssRestart, ScaleSetCommands::restart,
                r -> r.scaleSet().name());
        m.cloud("AZURE_VMSS_SCALE", " name=<name> nodecount=<n> | <resource-group> <name> <n>",
                "Sets the instance count of a scale set (0..1000).",
                Syntaxes.VMSS_SCALE_KEYS, 6, ResultShape.DONE, Syntaxes::vmssScale, ScaleSetCommands::scale,
                r -> r.scaleSet().name());
        m.cloud("AZURE_VMSS_LIST", " [<name>]",
                "Lists scale sets: <count> then <name> <capacity> <status> triples.",
                List.of(), 4, ResultShape.SCALE_SET_LIST, Syntaxes::vmssList, ScaleSetCommands::list, r -> null);
        m.cloud("AZURE_KEYVAULT_CREATE", " name= location= [sku=standard|premium] [users=<id>,...]",
                "Creates (or reuses) a key vault and grants the users access to its secrets.",
                Syntaxes.KEYVAULT_KEYS, 4, ResultShape.DONE, Syntaxes::keyvaultCreate, AccountCommands::keyvaultCreate,
                r -> null);

        // name, usage, summary, fewest arguments, syntax, action
        m.session("ASYNC_MODE_ON", "", "Writes one R line when results wait, until the next RESULTS.", 1,
                a -> new SessionCommand.AsyncModeOn(), (c, s) -> s.asyncMode(true));
        m.session("ASYNC_MODE_OFF", "", "Stops R notifications.", 1,
                a -> new SessionCommand.AsyncModeOff(), (c, s) -> s.asyncMode(false));
        m.session("COMMANDS", "", "Lists the commands this server implements.", 1,
                a -> new SessionCommand.Commands(), (c, s) -> s.commands());
        m.session("CONDOR_VERSION", " <caller-version>", "Exchanges version strings.", 2,
                a -> new SessionCommand.CondorVersion(a.get(1)), (c, s) -> s.condorVersion(c.callerVersion()));
        m.session("QUIT", "", "Ends the session at once; in-flight work is abandoned.", 1,
                a -> new SessionCommand.Quit(), (c, s) -> s.quit());
        m.session("RESPONSE_PREFIX", " <prefix>", "Prefixes every later output line (empty: no prefix).", 2,
                a -> new SessionCommand.ResponsePrefix(a.get(1)), (c, s) -> s.responsePrefix(c.prefix()));
        m.session("RESULTS", "", "Returns the finished results, oldest first.", 1,
                a -> new SessionCommand.Results(), (c, s) -> s.results());
        m.session("STATISTICS", "", "Shows request counters.", 1,
                a -> new SessionCommand.Statistics(), (c, s) -> s.statistics());
        m.session("VERSION", "", "Returns the version banner.", 1,
                a -> new SessionCommand.Version(), (c, s) -> s.version());
        return new CommandTable(m.rows);
    }

    /** Every command name, in the order {@code COMMANDS} lists them (cloud requests first). */
    public List<String> names() {
        return List.copyOf(rows.keySet());
    }

    /** Every command's description, in {@link #names()} order. */
    public List<CommandInfo> infos() {
        List<CommandInfo> out = new ArrayList<>();
        rows.values().forEach(r -> out.add(r.info));
        return out;
    }

    public Optional<CommandInfo> find(String name) {
        return row(name).map(r -> r.info);
    }

    /** The fewest arguments, command name included, the command accepts (fewer gives {@code E}). */
    public int minArgs(String name) {
        return row(name).map(r -> r.minArgs).orElseThrow(() -> new IllegalArgumentException("unknown command"));
    }

    Optional<Row> row(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(rows.get(name.toUpperCase(Locale.ROOT)));
    }

    // ---- rows ---------------------------------------------------------------------------------------------

    /** The request's id, credential file (null for {@code NULL}) and subscription, already checked. */
    record Header(String id, String cred, String sub) {
    }

    /** A cloud request's arguments after the subscription; throws {@link Syntaxes.Bad} for a bad value. */
    @FunctionalInterface
    interface CloudSyntax<R extends CloudRequest> {
        R parse(Header header, List<String> rest, Clock clock);
    }

    /** A session command's arguments (command name first); arity is checked already. */
    @FunctionalInterface
    interface SessionSyntax<S extends SessionCommand> {
        S parse(List<String> args);
    }

    /** One row: the command's description and arity, and how its arguments become a bound call. */
    abstract static class Row {
        final CommandInfo info;
        final int minArgs;

        Row(CommandInfo info, int minArgs) {
            this.info = info;
            this.minArgs = minArgs;
        }

        /** Parses the whole argument list (name first, arity checked); may throw on a bug, never on input. */
        abstract ParseOutcome parse(List<String> args, Clock clock);
    }

    /** Runs one kind of cloud request through the ports: the row's handler. */
    @FunctionalInterface
    interface Handler<R extends CloudRequest> {
        CompletionStage<Outcome> run(R request, CommandContext context);
    }

    /** Answers one kind of session command: the row's action. */
    @FunctionalInterface
    interface SessionAction<S extends SessionCommand> {
        void run(S command, SessionControl session);
    }

    private static final class CloudRow<R extends CloudRequest> extends Row {
        private final CloudSyntax<R> syntax;
        private final Handler<R> handler;
        private final Function<R, String> resource;

        CloudRow(CommandInfo info, int minArgs, CloudSyntax<R> syntax, Handler<R> handler,
                Function<R, String> resource) {
            super(info, minArgs);
            this.syntax = syntax;
            this.handler = handler;
            this.resource = resource;
        }

        @Override
        ParseOutcome parse(List<String> a, Clock clock) {
            String id = a.get(1);
            R request;
            try {
                String cred = a.get(2);
                if (cred.isEmpty()) {
                    throw new Syntaxes.Bad("the credential file argument is empty (use NULL for the ambient login)");
                }
                String sub = a.get(3);
                if (sub.isEmpty()) {
                    throw new Syntaxes.Bad("the subscription argument is empty");
                }
                Header h = new Header(id, "NULL".equals(cred) ? null : cred, sub);
                request = Objects.requireNonNull(syntax.parse(h, a.subList(4, a.size()), clock), "request");
            } catch (Syntaxes.Bad | IllegalArgumentException e) {
                // A bad value; the message is ours (or a value record's) and safe to show.
                return new ParseOutcome.Invalid(id, CloudException.INVALID_PARAMETER + ": " + e.getMessage(),
                        info.name());
            } catch (NullPointerException e) {
                // A value record refused a missing value; if it was a bug instead, the cause says so.
                return new ParseOutcome.Invalid(id, CloudException.INVALID_PARAMETER + ": a required value is missing",
                        info.name(), e);
            }
            R typed = request;
            return new ParseOutcome.CloudCall(typed, info, resource.apply(typed), context -> handler.run(typed, context));
        }
    }

    private static final class SessionRow<S extends SessionCommand> extends Row {
        private final SessionSyntax<S> syntax;
        private final SessionAction<S> action;

        SessionRow(CommandInfo info, int minArgs, SessionSyntax<S> syntax, SessionAction<S> action) {
            super(info, minArgs);
            this.syntax = syntax;
            this.action = action;
        }

        @Override
        ParseOutcome parse(List<String> args, Clock clock) {
            S command = syntax.parse(args);
            return new ParseOutcome.SessionCall(command, info, session -> action.run(command, session));
        }
    }

    /** Builds the rows in order. */
    private static final class Rows {
        final Map<String, Row> rows = new LinkedHashMap<>();

        <R extends CloudRequest> void cloud(String name, String usage, String summary, List<String> keys,
                int minArgs, ResultShape shape, CloudSyntax<R> syntax, Handler<R> handler,
                Function<R, String> resourceName) {
            CommandInfo info = new CommandInfo(name, name + HEADER + usage, summary, keys, shape);
            add(new CloudRow<>(info, minArgs, syntax, handler, resourceName));
        }

        <S extends SessionCommand> void session(String name, String usage, String summary, int minArgs,
                SessionSyntax<S> syntax, SessionAction<S> action) {
            add(new SessionRow<>(new CommandInfo(name, name + usage, summary, List.of(), null), minArgs, syntax,
                    action));
        }

        private void add(Row row) {
            if (rows.putIfAbsent(row.info.name(), row) != null) {
                throw new IllegalStateException("two rows named " + row.info.name());
            }
        }
    }
}
