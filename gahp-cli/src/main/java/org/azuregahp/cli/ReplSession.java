package org.azuregahp.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.azuregahp.domain.codec.GahpCodec;
import org.azuregahp.domain.command.CommandInfo;
import org.azuregahp.domain.command.CommandTable;
import org.azuregahp.domain.engine.GahpEngine;
import org.azuregahp.domain.engine.InFlightRequest;
import org.azuregahp.domain.result.Outcome;
import org.azuregahp.domain.result.Result;
import org.azuregahp.ports.ScaleSetStatus;
import org.azuregahp.ports.VmStatus;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * What the interactive shell does with a typed line, without any terminal: raw GAHP lines go to the
 * engine exactly as typed; the friendlier form of a cloud request ({@code AZURE_VM_LIST},
 * {@code vm_create name=x ...}) gets a request id and the session's credential file and subscription
 * filled in; {@code help}, {@code set}, {@code inflight} and {@code quit} are the shell's own.
 * Results are shown as they arrive through {@link #showResult}, as typed outcomes from the engine.
 */
final class ReplSession {

    /** Where the shell's lines go (above the prompt, in the terminal). */
    interface Screen {
        void show(AttributedString line);
    }

    static final String FAKE_SUBSCRIPTION = "00000000-0000-0000-0000-000000000001";
    static final List<String> SHELL_COMMANDS = List.of("help", "set", "inflight", "quit", "exit");

    private static final AttributedStyle OK = AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
    private static final AttributedStyle FAIL = AttributedStyle.DEFAULT.foreground(AttributedStyle.RED);
    private static final AttributedStyle DIM = AttributedStyle.DEFAULT.faint();
    private static final AttributedStyle BOLD = AttributedStyle.BOLD;

    private final GahpEngine engine;
    private final CommandTable table;
    private final Clock clock;
    private final Screen screen;
    private final AtomicLong nextId = new AtomicLong(1);
    private volatile String credentialFile;
    private volatile String subscription;
    private volatile Thread inputThread;
    /** The request being handed to the engine on the input thread, for showing its return line. */
    private volatile String sending;

    ReplSession(GahpEngine engine, CommandTable table, Clock clock, Screen screen, String defaultSubscription) {
        this.engine = engine;
        this.table = table;
        this.clock = clock;
        this.screen = screen;
        this.subscription = defaultSubscription;
    }

    String credentialFile() {
        return credentialFile;
    }

    String subscription() {
        return subscription;
    }

    /** Handles one typed line; false when the session is over. */
    boolean handle(String typed) {
        inputThread = Thread.currentThread();
        try {
            return dispatch(withoutTrailingSpaces(typed));
        } finally {
            inputThread = null;
        }
    }

    private boolean dispatch(String typed) {
        if (typed.isBlank()) {
            return true;
        }
        List<String> words = GahpCodec.split(typed);
        String first = words.get(0);
        switch (first.toLowerCase(Locale.ROOT)) {
            case "help":
            case "?":
                help(words.size() > 1 ? words.get(1) : null);
                return true;
            case "set":
                set(words.subList(1, words.size()));
                return true;
            case "inflight":
                inflight();
                return true;
            case "quit":
            case "exit":
                return false;
            default:
                break;
        }
        Optional<CommandInfo> info = resolve(first);
        if (info.isPresent() && info.get().cloudRequest()) {
            return cloudRequest(typed, words, info.get());
        }
        return engine.accept(typed);
    }

    /**
     * Drops unescaped spaces at the end of a typed line (completion leaves one after a name): on the
     * wire each would be one more, empty, argument. An escaped space ({@code \\ }) stays.
     */
    static String withoutTrailingSpaces(String typed) {
        int end = typed.length();
        while (end > 0 && typed.charAt(end - 1) == ' ') {
            int backslashes = 0;
            while (end - 2 - backslashes >= 0 && typed.charAt(end - 2 - backslashes) == '\\') {
                backslashes++;
            }
            if (backslashes % 2 == 1) {
                break;
            }
            end--;
        }
        return typed.substring(0, end);
    }

    /** A command name as typed; {@code vm_list} is short for {@code AZURE_VM_LIST}. */
    Optional<CommandInfo> resolve(String name) {
        return resolve(table, name);
    }

    static Optional<CommandInfo> resolve(CommandTable table, String name) {
        Optional<CommandInfo> info = table.find(name);
        if (info.isEmpty() && !name.toUpperCase(Locale.ROOT).startsWith("AZURE_")) {
            info = table.find("AZURE_" + name);
        }
        return info;
    }

    /** A raw request (it starts with a numeric id and has id, cred and subscription) or the friendly form. */
    static boolean isRaw(List<String> words) {
        return words.size() >= 4 && words.get(1).matches("[0-9]+");
    }

    private boolean cloudRequest(String typed, List<String> words, CommandInfo info) {
        String line;
        String id;
        if (isRaw(words)) {
            id = words.get(1);
            nextId.accumulateAndGet(Long.parseLong(id.length() > 18 ? id.substring(0, 18) : id) + 1, Math::max);
            line = info.name() + typed.substring(rawFirstWordEnd(typed));
        } else {
            String sub = subscription;
            if (sub == null) {
                screen.show(styled(FAIL, "No subscription yet: set subscription=<id> [cred=<credential file>] "
                        + "(cred defaults to NULL, your ambient Azure login)."));
                return true;
            }
            id = Long.toString(nextId.getAndIncrement());
            String cred = credentialFile == null ? "NULL" : GahpCodec.escape(credentialFile);
            line = info.name() + " " + id + " " + cred + " " + GahpCodec.escape(sub)
                    + typed.substring(rawFirstWordEnd(typed));
        }
        sending = "[" + id + "] " + info.name();
        try {
            return engine.accept(line);
        } finally {
            sending = null;
        }
    }

    /** Index just after the first word as typed (escapes included): the rest keeps the user's escapes. */
    static int rawFirstWordEnd(String typed) {
        for (int i = 0; i < typed.length(); i++) {
            char c = typed.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == ' ') {
                return i;
            }
        }
        return typed.length();
    }

    /** A line the engine wrote: return lines of what was typed, or an {@code R} notice. */
    void showEngineLine(String line) {
        boolean mine = Thread.currentThread() == inputThread;
        // a bare return line, possibly behind a RESPONSE_PREFIX: "S", "GAHP:S", "E", "GAHP:E reason"
        boolean bareS = line.indexOf(' ') < 0 && line.endsWith("S");
        boolean isE = line.equals("E") || line.startsWith("E ") || line.endsWith(":E") || line.contains(":E ");
        String request = sending;
        if (mine && request != null && bareS) {
            screen.show(styled(DIM, "\u2192 " + request + " sent"));
        } else if (isE) {
            screen.show(styled(FAIL, line));
        } else {
            screen.show(styled(mine ? AttributedStyle.DEFAULT : DIM, line));
        }
    }

    /** A result the engine queued, shown for people. */
    void showResult(Result result) {
        String id = result.requestId();
        String command = result.command();
        String took = " (" + seconds(Duration.between(result.accepted(), clock.instant())) + ")";
        AttributedStringBuilder sb = new AttributedStringBuilder();
        Outcome outcome = result.outcome();
        if (outcome instanceof Outcome.Failed failed) {
            sb.styled(FAIL, "\u2718 ").styled(BOLD, "[" + id + "] " + command).styled(FAIL, " failed" + took + ": ")
                    .append(failed.text());
            screen.show(sb.toAttributedString());
            return;
        }
        sb.styled(OK, "\u2714 ").styled(BOLD, "[" + id + "] " + command).append(" succeeded" + took);
        if (outcome instanceof Outcome.VmList list) {
            sb.append(": " + list.vms().size() + " VM(s)");
            for (VmStatus vm : list.vms()) {
                String status = shownStatus(vm.statusText());
                sb.append("\n    ").append(vm.name()).append("  ").styled(status(status), status);
            }
        } else if (outcome instanceof Outcome.ScaleSetList list) {
            sb.append(": " + list.scaleSets().size() + " scale set(s)");
            for (ScaleSetStatus set : list.scaleSets()) {
                String status = shownStatus(set.statusText());
                sb.append("\n    ").append(set.name()).append("  nodes=" + set.capacity() + "  ")
                        .styled(status(status), status);
            }
        } else if (outcome instanceof Outcome.CreatedVm vm) {
            sb.append("\n    vmId ").append(vm.vmId()).append("  public IP ")
                    .append(vm.publicIp() == null ? "none" : vm.publicIp());
        }
        screen.show(sb.toAttributedString());
    }

    /** A VM or scale set with no status codes at all. */
    private static String shownStatus(String statusText) {
        return statusText.isEmpty() ? "(no status)" : statusText;
    }

    private static AttributedStyle status(String status) {
        String lower = status.toLowerCase(Locale.ROOT);
        if (lower.endsWith("/running")) {
            return OK;
        }
        if (lower.endsWith("/deallocated") || lower.endsWith("/stopped") || lower.contains("failed")) {
            return FAIL;
        }
        return DIM;
    }

    private void help(String about) {
        if (about == null) {
            AttributedStringBuilder sb = new AttributedStringBuilder();
            sb.styled(BOLD, "Shell commands").append('\n');
            sb.append("  help [COMMAND]        this help, or one command's usage\n");
            sb.append("  set cred=FILE|NULL subscription=ID   session defaults for cloud requests\n");
            sb.append("  inflight              requests still running, with their age\n");
            sb.append("  quit, exit, Ctrl-D    leave (in-flight work is abandoned)\n");
            sb.styled(BOLD, "GAHP commands").append(" (raw protocol lines work as typed; for cloud requests the\n")
                    .append("  <id> <cred> <subscription> may be left out, and AZURE_ may be dropped: vm_list)\n");
            for (CommandInfo info : table.infos()) {
                sb.append("  ").styled(BOLD, String.format(Locale.ROOT, "%-22s", info.name())).append(info.summary())
                        .append('\n');
            }
            screen.show(trimEnd(sb));
            return;
        }
        Optional<CommandInfo> info = resolve(about);
        if (info.isEmpty()) {
            screen.show(styled(FAIL, "No command " + about + ". Try help."));
            return;
        }
        CommandInfo i = info.get();
        AttributedStringBuilder sb = new AttributedStringBuilder();
        sb.styled(BOLD, i.name()).append(" - ").append(i.summary()).append('\n');
        sb.append("  usage: ").append(i.usage());
        if (!i.keys().isEmpty()) {
            sb.append("\n  keys:  ").append(String.join("= ", i.keys())).append('=');
        }
        if (i.cloudRequest()) {
            sb.append("\n  here:  ").append(i.name()).append(" ...   (id, cred and subscription filled in from 'set')");
        }
        screen.show(sb.toAttributedString());
    }

    private void set(List<String> args) {
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String key = (eq < 0 ? arg : arg.substring(0, eq)).toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : arg.substring(eq + 1);
            switch (key) {
                case "cred":
                case "credential":
                case "credentials":
                    credentialFile = value.isEmpty() || value.equalsIgnoreCase("NULL") ? null : expandHome(value);
                    break;
                case "subscription":
                case "sub":
                    if (value.isEmpty()) {
                        screen.show(styled(FAIL, "subscription= needs a value"));
                        return;
                    }
                    subscription = value;
                    break;
                default:
                    screen.show(styled(FAIL, "Unknown setting '" + key + "'; use cred= and subscription="));
                    return;
            }
        }
        screen.show(new AttributedStringBuilder().append("cred=")
                .styled(BOLD, credentialFile == null ? "NULL" : credentialFile).append("  subscription=")
                .styled(BOLD, subscription == null ? "(not set)" : subscription).toAttributedString());
    }

    /** People type {@code ~/azure.json}; the wire needs the full path. */
    static String expandHome(String path) {
        String home = Main.homeDirectory();
        if (home != null && (path.equals("~") || path.startsWith("~/"))) {
            return home + path.substring(1);
        }
        return path;
    }

    /** The prompt's note on work still running, e.g. {@code " [2 running]"}; empty when idle. */
    String runningNote() {
        int n = engine.inFlight().size();
        return n == 0 ? "" : " [" + n + " running]";
    }

    private void inflight() {
        List<InFlightRequest> running = engine.inFlight();
        if (running.isEmpty()) {
            screen.show(styled(DIM, "Nothing in flight."));
            return;
        }
        Instant now = clock.instant();
        AttributedStringBuilder sb = new AttributedStringBuilder();
        sb.append(running.size() + " in flight:");
        for (InFlightRequest r : running) {
            sb.append("\n  [" + r.requestId() + "] ").styled(BOLD, r.command())
                    .append("  running for " + seconds(Duration.between(r.started(), now)));
        }
        screen.show(sb.toAttributedString());
    }

    static String seconds(Duration d) {
        long ms = Math.max(0, d.toMillis());
        return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }

    private static AttributedString styled(AttributedStyle style, String text) {
        return new AttributedString(text, style);
    }

    private static AttributedString trimEnd(AttributedStringBuilder sb) {
        AttributedString s = sb.toAttributedString();
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '\n') {
            end--;
        }
        return s.subSequence(0, end);
    }
}
