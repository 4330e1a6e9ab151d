package org.azuregahp.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks a {@code --fake-state} file before the banner, so that a bad one is a usage error (exit 2,
 * nothing on stdout) as {@code --help} promises, instead of a server that printed its banner and then
 * died: the file, if it exists, must be a regular file holding one JSON object, and its directory (or
 * the nearest one that exists, where the fake cloud will create the rest) must let us create files, as
 * the state is written to a temporary file there and moved into place. Only the JSON syntax is checked
 * here (streaming, without building anything); the fake cloud reads the document itself.
 */
final class FakeStateCheck {
    private static final JsonFactory JSON = new JsonFactory();

    private FakeStateCheck() {
    }

    /** What is wrong with {@code file} as a state file, for people; null when nothing is. */
    static String problem(Path file) {
        String name = "--fake-state " + file;
        Path absolute = file.toAbsolutePath();
        if (Files.exists(absolute)) {
            try {
                RegularFiles.regular(absolute);
            } catch (RegularFiles.Problem e) {
                return name + " " + e.getMessage();
            }
            String json = jsonProblem(absolute);
            if (json != null) {
                return name + " " + json;
            }
        }
        Path dir = absolute.getParent();
        while (dir != null && !Files.exists(dir)) {
            dir = dir.getParent();
        }
        if (dir == null) {
            return null;
        }
        if (!Files.isDirectory(dir)) {
            return name + ": parent " + dir + " is not a directory";
        }
        if (!canCreateFilesIn(dir)) {
            return name + ": parent is not writable (" + dir + ")";
        }
        return null;
    }

    /** Streams through the file; only positions are reported, never text (a vault secret may be in it). */
    private static String jsonProblem(Path file) {
        try (InputStream in = Files.newInputStream(file); JsonParser parser = JSON.createParser(in)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return "is empty";
            }
            if (first != JsonToken.START_OBJECT) {
                return "is not a JSON object (line 1)";
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                JsonLocation at = parser.currentTokenLocation();
                return "has more after its JSON object (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            }
            return null;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            return "is not valid JSON" + (at == null || at.getLineNr() < 1 ? ""
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
        } catch (IOException | SecurityException e) {
            return "cannot be read (" + e.getClass().getSimpleName() + ")";
        }
    }

    /** Whether a file can be made in {@code dir}: tried, since permission bits do not tell root's story. */
    private static boolean canCreateFilesIn(Path dir) {
        try {
            Path probe = Files.createTempFile(dir, ".azure-gahp-write-check-", ".tmp");
            Files.delete(probe);
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}
