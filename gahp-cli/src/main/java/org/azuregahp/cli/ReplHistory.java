package org.azuregahp.cli;

import java.io.IOException;
import java.util.function.Consumer;

import org.jline.reader.impl.history.DefaultHistory;

/**
 * The shell's history, kept in a file where it can be. JLine's own history logs a warning with a stack
 * trace for every line it fails to save (a service account's {@code $HOME} is often not writable); this
 * one says once that history is off, keeps it in memory for the session, and stops trying the file.
 */
final class ReplHistory extends DefaultHistory {
    private final Consumer<String> warn;
    private volatile boolean fileOff;

    /** @param warn shows a one-line note to the person at the terminal */
    ReplHistory(Consumer<String> warn) {
        this.warn = warn;
    }

    @Override
    public void load() throws IOException {
        if (fileOff) {
            return;
        }
        try {
            super.load();
        } catch (IOException | RuntimeException e) {
            off("cannot be read", e);
        }
    }

    @Override
    public void save() throws IOException {
        if (fileOff) {
            return;
        }
        try {
            super.save();
        } catch (IOException | RuntimeException e) {
            off("cannot be written", e);
        }
    }

    boolean fileOff() {
        return fileOff;
    }

    private void off(String problem, Exception e) {
        if (fileOff) {
            return;
        }
        fileOff = true;
        warn.accept("History is off for this session: " + Repl.HISTORY_FILE + " in your home directory " + problem
                + " (" + e.getClass().getSimpleName() + ").");
    }
}
