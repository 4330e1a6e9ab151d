package org.azuregahp.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.azuregahp.domain.command.CommandInfo;
import org.azuregahp.domain.command.CommandTable;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion from the command table: command names first; then, per command, its
 * {@code key=} names, known values after {@code location=}, {@code size=}, {@code image=} and the
 * like, and existing VM or scale-set names where a command takes a name.
 */
final class ReplCompleter implements Completer {
    private final CommandTable table;
    private final KnownValues known;

    ReplCompleter(CommandTable table, KnownValues known) {
        this.table = table;
        this.known = known;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        candidates.addAll(candidates(line.words(), line.wordIndex(), line.word()));
    }

    /** The candidates for word {@code index} of {@code words} (unescaped), currently {@code word}. */
    List<Candidate> candidates(List<String> words, int index, String word) {
        List<Candidate> out = new ArrayList<>();
        if (index == 0) {
            for (String name : table.names()) {
                out.add(new Candidate(name, name, "GAHP", table.find(name).map(CommandInfo::summary).orElse(null),
                        null, null, true));
            }
            for (String shell : ReplSession.SHELL_COMMANDS) {
                out.add(new Candidate(shell, shell, "shell", null, null, null, true));
            }
            // the short forms (vm_create for AZURE_VM_CREATE) once the word cannot be AZURE_...
            String upper = word.toUpperCase(Locale.ROOT);
            if (!word.isEmpty() && !"AZURE_".startsWith(upper) && !upper.startsWith("AZURE_")) {
                for (String name : table.names()) {
                    if (name.startsWith("AZURE_")) {
                        String shortName = name.substring(6).toLowerCase(Locale.ROOT);
                        out.add(new Candidate(shortName, shortName, "short", null, null, null, true));
                    }
                }
            }
            return out;
        }
        String first = words.get(0);
        if (first.equalsIgnoreCase("help") || first.equals("?")) {
            if (index == 1) {
                table.names().forEach(n -> out.add(new Candidate(n)));
            }
            return out;
        }
        if (first.equalsIgnoreCase("set")) {
            keyCandidates(List.of("cred", "subscription"), out);
            if (word.toLowerCase(Locale.ROOT).startsWith("cred=")) {
                out.add(new Candidate("cred=NULL"));
            }
            return out;
        }
        Optional<CommandInfo> info = ReplSession.resolve(table, first);
        if (info.isEmpty() || !info.get().cloudRequest()) {
            return out;
        }
        CommandInfo cmd = info.get();
        int eq = word.indexOf('=');
        if (eq > 0) {
            String key = word.substring(0, eq);
            valuesFor(cmd, key, out);
            return out;
        }
        keyCandidates(cmd.keys(), out);
        if (cmd.keys().isEmpty() || cmd.name().equals("AZURE_VMSS_SCALE")) {
            names(cmd.name(), out);
        }
        return out;
    }

    private static void keyCandidates(List<String> keys, List<Candidate> out) {
        for (String key : keys) {
            // not "complete": no space after '=', the value comes next
            out.add(new Candidate(key + "=", key + "=", null, null, null, null, false));
        }
    }

    private void valuesFor(CommandInfo cmd, String key, List<Candidate> out) {
        String lower = key.toLowerCase(Locale.ROOT);
        List<String> values = KnownValues.BY_KEY.get(lower);
        if (values != null) {
            values.forEach(v -> out.add(value(key, v)));
        }
        if (lower.equals("name") && !cmd.name().endsWith("_CREATE")) {
            Collection<String> names = cmd.name().startsWith("AZURE_VMSS") ? known.scaleSetNames().get()
                    : known.vmNames().get();
            names.forEach(v -> out.add(value(key, v)));
        }
    }

    private void names(String command, List<Candidate> out) {
        Collection<String> names = command.startsWith("AZURE_VMSS") ? known.scaleSetNames().get()
                : command.startsWith("AZURE_VM_") ? known.vmNames().get() : List.of();
        names.forEach(n -> out.add(new Candidate(n)));
    }

    private static Candidate value(String key, String v) {
        return new Candidate(key + "=" + v, v, null, null, null, null, true);
    }
}
