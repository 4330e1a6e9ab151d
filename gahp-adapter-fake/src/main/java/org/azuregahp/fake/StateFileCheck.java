package org.azuregahp.fake;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Whether a path can serve as the state file, before anything is started: the one check, for
 * {@link FakeCloud#checkStateFile} (a CLI refusing a bad file before its banner) and for every start.
 * What the store needs: the file, if it exists, is a regular file (a FIFO or device is named, never
 * opened) that can be read; the directory it is in, or the nearest one that exists (the store makes
 * the rest), lets us create files, since the document is written to a temporary file beside it and
 * moved into place, and the journal files lie beside it too. Problems are {@link StateFileException}s
 * that never quote the file.
 */
final class StateFileCheck {
    private static final JsonFactory JSON = new JsonFactory();

    private StateFileCheck() {
    }

    /** Everything: {@link #fileAndDirectory}, then {@link #jsonSyntax}. */
    static void check(Path stateFile) {
        fileAndDirectory(stateFile);
        jsonSyntax(stateFile);
    }

    /** The file's kind and readability and its directory's; what a start needs before it reads the file. */
    static void fileAndDirectory(Path stateFile) {
        Path file = stateFile.toAbsolutePath().normalize();
        // Not there (or under a parent that is a file, or one we may not look into: the directory's
        // checks below say which): a new state file.
        if (Files.exists(file)) {
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(file, BasicFileAttributes.class);
            } catch (IOException | SecurityException e) {
                throw StateFileException.ofFile(stateFile, cannotBeRead(e));
            }
            if (!attributes.isRegularFile()) {
                throw StateFileException.ofFile(stateFile, notRegular(file, attributes));
            }
            // A regular file (checked above): opening it cannot block the way a FIFO's open would.
            try {
                FileChannel.open(file, StandardOpenOption.READ).close();
            } catch (IOException | SecurityException e) {
                throw StateFileException.ofFile(stateFile, cannotBeRead(e));
            }
        }
        Path dir = file.getParent();
        while (dir != null && !Files.exists(dir)) {
            dir = dir.getParent();
        }
        if (dir == null) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw StateFileException.ofDirectory(stateFile, "parent " + dir + " is not a directory");
        }
        if (!canCreateFilesIn(dir, file.getFileName().toString())) {
            throw StateFileException.ofDirectory(stateFile, "parent is not writable (" + dir + ")");
        }
    }

    /**
     * An existing file holds one JSON object and nothing after it: streamed through without building
     * anything (a start reads the document itself). Only positions are reported, never text.
     */
    static void jsonSyntax(Path stateFile) {
        Path file = stateFile.toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            return; // none yet (a FIFO or the like is refused by fileAndDirectory, never opened here)
        }
        String problem;
        try (InputStream in = Files.newInputStream(file); JsonParser parser = JSON.createParser(in)) {
            problem = jsonProblem(parser);
        } catch (JsonProcessingException e) {
            throw notValidJson(stateFile, e);
        } catch (IOException | SecurityException e) {
            problem = cannotBeRead(e);
        }
        if (problem != null) {
            throw StateFileException.ofFile(stateFile, problem);
        }
    }

    private static String jsonProblem(JsonParser parser) throws IOException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            return "is empty";
        }
        if (first != JsonToken.START_OBJECT) {
            return "is not a JSON object (line 1)";
        }
        parser.skipChildren();
        if (parser.nextToken() != null) {
            return "has more after its JSON object " + where(parser.currentTokenLocation());
        }
        return null;
    }

    /** "is not valid JSON (line L, column C)": where the parser stopped, never what it read. */
    static StateFileException notValidJson(Path stateFile, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return StateFileException.ofFile(stateFile,
                "is not valid JSON" + (at == null || at.getLineNr() < 1 ? "" : " " + where(at)));
    }

    private static String where(JsonLocation at) {
        return "(line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    /**
     * Whether a file can be made in {@code dir}: tried, since permission bits do not tell root's story
     * (nor do read-only mounts or immutable directories). The probe is named like the store's own
     * temporary files, so one left by a kill at this very moment goes at the next start.
     */
    private static boolean canCreateFilesIn(Path dir, String stateFileName) {
        try {
            Files.delete(Files.createTempFile(dir, "." + stateFileName + ".", ".tmp"));
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    private static String cannotBeRead(Exception e) {
        return e instanceof AccessDeniedException || e instanceof SecurityException
                ? "cannot be read (permission denied)" : "cannot be read (" + e.getClass().getSimpleName() + ")";
    }

    /**
     * "is a directory, not a regular file", "is a FIFO (named pipe), not a regular file", ...: the
     * kind from the file's mode, which is read without opening the file.
     */
    private static String notRegular(Path file, BasicFileAttributes attributes) {
        if (attributes.isDirectory()) {
            return "is a directory, not a regular file";
        }
        int type;
        try {
            type = ((Integer) Files.getAttribute(file, "unix:mode")) & 0170000;
        } catch (IOException | RuntimeException e) {
            return "is not a regular file";
        }
        return switch (type) {
            case 0010000 -> "is a FIFO (named pipe), not a regular file";
            case 0020000, 0060000 -> "is a device, not a regular file";
            case 0140000 -> "is a socket, not a regular file";
            default -> "is not a regular file";
        };
    }
}
