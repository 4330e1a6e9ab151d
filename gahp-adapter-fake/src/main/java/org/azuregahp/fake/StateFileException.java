package org.azuregahp.fake;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A state file the fake cloud cannot use, and why, never quoting the file (a vault secret may be in
 * it). The message names the file ({@code fake cloud state file <path> is not valid JSON (line 3,
 * column 1)}); {@link #problem()} is the reason alone and {@link #about(String)} puts it after a
 * subject of the caller's choosing (a CLI names its option: {@code --fake-state <path> is a directory,
 * not a regular file}).
 */
public final class StateFileException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String problem;
    private final boolean ofItsDirectory;

    /**
     * @param file           the state file as it was given
     * @param problem        what is wrong, to follow the file's name ("is empty", "parent is not writable
     *                       (/x)")
     * @param ofItsDirectory whether the problem is with the file's directory or files beside it rather
     *                       than the file itself (it then follows the name after a colon)
     */
    StateFileException(Path file, String problem, boolean ofItsDirectory) {
        super(join("fake cloud state file " + file, problem, ofItsDirectory));
        this.file = Objects.requireNonNull(file, "file");
        this.problem = Objects.requireNonNull(problem, "problem");
        this.ofItsDirectory = ofItsDirectory;
    }

    /** A problem with the file itself: "is a directory, not a regular file", "is empty", ... */
    static StateFileException ofFile(Path file, String problem) {
        return new StateFileException(file, problem, false);
    }

    /** A problem with its directory or the files beside it: "parent is not writable (/x)", ... */
    static StateFileException ofDirectory(Path file, String problem) {
        return new StateFileException(file, problem, true);
    }

    /** The state file as it was given. */
    public Path file() {
        return file;
    }

    /** What is wrong, without the file's name: "is a FIFO (named pipe), not a regular file", "parent is not writable (/x)". */
    public String problem() {
        return problem;
    }

    /** The problem after {@code subject}: "{@code <subject> is empty}", "{@code <subject>: parent is not writable (/x)}". */
    public String about(String subject) {
        return join(subject, problem, ofItsDirectory);
    }

    private static String join(String subject, String problem, boolean ofItsDirectory) {
        return subject + (ofItsDirectory ? ": " : " ") + problem;
    }
}
