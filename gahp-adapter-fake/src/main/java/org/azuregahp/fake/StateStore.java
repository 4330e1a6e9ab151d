package org.azuregahp.fake;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.azuregahp.fake.Model.Group;
import org.azuregahp.fake.Model.Subscription;
import org.azuregahp.ports.CloudException;

/**
 * Keeps the fake cloud's state in its state file: the JSON document people read (with {@code jq}),
 * plus a journal of the changes since the document was last written.
 *
 * <h2>What is guaranteed</h2>
 * A result is delivered only after the changes behind it are saved: an operation that changed the
 * cloud completes its future once the journal holds every change counted up to its end
 * ({@link #afterSaved}). The journal is appended with plain writes to a file that is already open
 * (a few kilobytes per change, whatever the size of the state), so once a result reaches the engine
 * its change survives anything that ends the process: QUIT, end of input, SIGTERM, and SIGKILL too
 * (not a crash of the machine: nothing is fsync'ed). Nothing has to be written at exit for a
 * delivered result; at exit the document is brought up to date when there is time (it can be
 * abandoned safely: the journal still holds everything).
 *
 * <h2>Files, next to the state file {@code S}</h2>
 * <ul>
 *   <li>{@code S}: the document, replaced atomically (written to {@code .S.<digits>.tmp}, then moved).
 *       Its {@code "journal": {"number": n, "bytesIncluded": b}} says it already holds journal files
 *       before {@code n} and the first {@code b} bytes of file {@code n}. One resource group per
 *       line.</li>
 *   <li>{@code S.journal-<n>}: one JSON record per line: {@code {"group": {...}}} (a changed group
 *       whole, as the document holds it), {@code {"removed": {"subscription", "name"}}}, or
 *       {@code {"deletionSchedules": [...], "unregisteredProviders": [...]}}. A torn last line (a write cut short) is ignored: its
 *       changes were never acknowledged.</li>
 * </ul>
 * Loading reads the document, then the journal from where the document says. The document is
 * rewritten in the background when the journal has grown and at least ten times its last write time
 * has passed (at least a second): within a second of a change for a small state, and at most a tenth
 * of one thread's time for a large one. Unchanged groups are never serialized again: the store keeps
 * each group's saved bytes, so rewriting the document is only a copy. When a rewrite starts, new
 * changes go to a new journal file, and the files the new document holds are removed once it is in
 * place.
 *
 * <h2>Failures</h2>
 * A write that fails is tried again with exponential back-off (250 ms doubling up to 30 s), logged
 * once when the condition starts or its reason changes, and once when it ends. While changes cannot
 * be saved, requests that would change the cloud are refused ({@link #refusal}) and results waiting
 * for their save keep waiting; {@link #status} shows it for {@code STATISTICS}.
 *
 * <p>One thread writes (the saver thread, or the test calling {@link #saveNow}); the document is
 * written on its own thread from a snapshot of the saved bytes, so the journal never waits for it.
 */
final class StateStore {
    private static final System.Logger LOG = System.getLogger(StateStore.class.getName());

    /** A refused change's error code. */
    static final String REFUSED = "StateFileNotWritable";
    static final long FIRST_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    static final long MAX_RETRY_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long MIN_DOCUMENT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long IDLE_WAIT_MILLIS = 200;
    private static final int CHUNK = 256;
    private static final byte[] NEWLINE = {'\n'};

    /** For tests: runs before every write of a file and may fail it, as a full or read-only disk would. */
    interface WriteCheck {
        WriteCheck NONE = file -> { };

        void beforeWrite(Path file) throws IOException;
    }

    private final Path file;
    private final Path dir;
    private final String name;
    private final CloudState world;
    private final ObjectMapper mapper;
    private final LongSupplier nanoTime;
    private final WriteCheck check;
    private final Pattern tempName;
    private final Pattern journalName;

    // ---- owned by the writing thread ----
    /** Every group's bytes as the document plus journal hold them, in document order. */
    private final LinkedHashMap<String, byte[]> saved = new LinkedHashMap<>();
    /** The document's fields beside its groups, as {@link StateDocument#subscriptionWideJson} writes them. */
    private byte[] savedSubscriptionWide = "{\"deletionSchedules\":[],\"unregisteredProviders\":[]}"
            .getBytes(StandardCharsets.UTF_8);
    private int journalNumber;
    private FileChannel journal;
    private long journalBytes;
    /** What the document on disk holds of the journal. */
    private StateDocument.JournalMark documentMark;
    private long lastDocumentEnd;
    private long lastDocumentNanos;
    private Thread documentWriter;
    private volatile DocumentResult documentResult;
    private volatile boolean abortDocument;

    private final Trouble journalTrouble = new Trouble("save the fake cloud's changes");
    private final Trouble documentTrouble = new Trouble("rewrite the fake cloud's state document");

    // ---- results waiting for their changes to be saved ----
    private final Object waitLock = new Object();
    private long savedCount;
    private final PriorityQueue<Waiter> waiters = new PriorityQueue<>((a, b) -> Long.compare(a.count, b.count));
    /** Guarded by waitLock: the saver has something to do before its next sleep. */
    private boolean wakeUp;

    private volatile Thread saver;
    private volatile boolean stopping;
    private volatile String status = "ok";
    private volatile CloudException refusal;

    private record Waiter(long count, Runnable deliver) {
    }

    private record Snapshot(StateDocument.JournalMark mark, List<byte[]> groups, byte[] schedules) {
    }

    private record DocumentResult(Snapshot snapshot, long nanos, long bytes, IOException failure, boolean aborted) {
    }

    StateStore(Path stateFile, CloudState world, LongSupplier nanoTime, WriteCheck check) {
        this.file = stateFile.toAbsolutePath().normalize();
        this.dir = file.getParent();
        this.name = file.getFileName().toString();
        this.world = world;
        this.mapper = new ObjectMapper();
        this.nanoTime = nanoTime;
        this.check = check == null ? WriteCheck.NONE : check;
        this.tempName = Pattern.compile("\\." + Pattern.quote(name) + "\\.[0-9]+\\.tmp");
        this.journalName = journalPattern(name);
    }

    private static Pattern journalPattern(String name) {
        return Pattern.compile(Pattern.quote(name) + "\\.journal-([0-9]{1,9})");
    }

    Path file() {
        return file;
    }

    // ------------------------------------------------------------------------------------------------
    // Start-up

    /**
     * Loads the state (document and journal) into the empty world and makes the files ready: our
     * own temporary files left by a process killed while writing are deleted, the document is written
     * at once when it is missing or was not written by this server, and a new journal file is opened
     * (so a state file that cannot be written is refused here). Throws IllegalStateException naming
     * the file and the problem.
     */
    void open() {
        check(file);
        removeStaleTempFiles();
        long t0 = nanoTime.getAsLong();
        Loaded loaded = read(file, world, mapper);
        long t1 = nanoTime.getAsLong();
        synchronized (world) {
            StateDocument.settle(world);
            world.changedGroups.clear();
            world.subscriptionWideChanged = false;
            world.unknownChange = false;
            for (Subscription s : world.subscriptions.values()) {
                for (Group g : s.groups.values()) {
                    saved.put(CloudState.groupKey(g.subscription, g.name), groupBytes(g));
                }
            }
            savedSubscriptionWide = subscriptionWideBytes();
            savedCount = world.changeCount;
        }
        long t2 = nanoTime.getAsLong();
        LOG.log(System.Logger.Level.DEBUG, "fake cloud state loaded from " + file + ": " + saved.size()
                + " resource groups (" + loaded.replayedRecords + " journal records) read in " + (t1 - t0) / 1_000_000
                + " ms, serialized in " + (t2 - t1) / 1_000_000 + " ms");
        documentMark = loaded.mark;
        journalNumber = Math.max(loaded.mark == null ? 0 : loaded.mark.number(), loaded.lastJournal) + 1;
        try {
            if (loaded.mark == null || !loaded.documentExists) {
                // A document this server did not write (a seed, a version-1 file) or none: write ours now,
                // so that journal files left from another document can go and ours have a document to follow.
                Snapshot s = snapshot(new StateDocument.JournalMark(journalNumber, 0));
                writeDocument(s, () -> false);
                documentMark = s.mark();
                removeJournalsBefore(journalNumber);
            } else if (loaded.replayedRecords == 0) {
                // The document holds everything: no journal record lies beyond it.
                documentMark = new StateDocument.JournalMark(journalNumber, 0);
                removeJournalsBefore(journalNumber);
            }
            // Else the journal files read stay until the document next written includes them (soon:
            // the document is behind, so the saver rewrites it in the background).
            openJournal();
        } catch (IOException | UncheckedIOException e) {
            closeJournalQuietly();
            throw new IllegalStateException("fake cloud state file " + file + " cannot be written ("
                    + describe(e) + ")");
        }
        lastDocumentEnd = nanoTime.getAsLong();
    }

    /**
     * The cheap checks a CLI can make before it starts anything: the path is not a directory, its
     * directory exists or can be made, and an existing file can be read and is well-formed JSON.
     * Throws IllegalStateException saying what is wrong, never quoting the file's contents.
     */
    static void check(Path stateFile) {
        Path f = stateFile.toAbsolutePath().normalize();
        if (Files.isDirectory(f)) {
            throw new IllegalStateException("fake cloud state file " + stateFile + " is a directory");
        }
        Path parent = f.getParent();
        Path existing = parent;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            throw new IllegalStateException("fake cloud state file " + stateFile + ": " + existing
                    + " is not a directory");
        }
        if (existing != null && !Files.isWritable(existing)) {
            throw new IllegalStateException("fake cloud state file " + stateFile + ": its directory " + existing
                    + " is not writable");
        }
        if (Files.exists(f)) {
            if (!Files.isRegularFile(f)) {
                throw new IllegalStateException("fake cloud state file " + stateFile + " is not a regular file");
            }
            if (!Files.isReadable(f)) {
                throw new IllegalStateException("fake cloud state file " + stateFile + " cannot be read (permissions)");
            }
        }
    }

    /** Well-formedness only (no state is built): for a CLI's early check of an existing file. */
    static void checkSyntax(Path stateFile) {
        if (!Files.exists(stateFile)) {
            return;
        }
        try (JsonParser p = new ObjectMapper().getFactory().createParser(stateFile.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("fake cloud state file " + stateFile
                        + (Files.size(stateFile) == 0 ? " is empty" : " is not a JSON object"));
            }
            p.skipChildren();
        } catch (JsonProcessingException e) {
            throw notJson(stateFile, e);
        } catch (IOException e) {
            throw new IllegalStateException("fake cloud state file " + stateFile + " cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static IllegalStateException notJson(Path f, JsonProcessingException e) {
        var loc = e.getLocation();
        return new IllegalStateException("fake cloud state file " + f + " is not valid JSON"
                + (loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")"));
    }

    /** What {@link #read} found. */
    record Loaded(boolean documentExists, StateDocument.JournalMark mark, int lastJournal, long replayedRecords) {
    }

    /**
     * Reads a state file as a start loads it: the document, then its journal from where the document
     * says (journal files of another document are ignored). Changes no file.
     */
    static Loaded read(Path stateFile, CloudState world, ObjectMapper mapper) {
        Path f = stateFile.toAbsolutePath().normalize();
        boolean exists = Files.exists(f);
        StateDocument.JournalMark mark = null;
        if (exists) {
            try {
                if (Files.size(f) == 0) {
                    throw new IllegalStateException("fake cloud state file " + stateFile + " is empty");
                }
                try (JsonParser p = mapper.getFactory().createParser(f.toFile())) {
                    synchronized (world) {
                        mark = StateDocument.read(world, p, mapper);
                    }
                }
            } catch (JsonProcessingException e) {
                throw notJson(stateFile, e);
            } catch (IOException e) {
                throw new IllegalStateException("fake cloud state file " + stateFile + " cannot be read ("
                        + e.getClass().getSimpleName() + ")");
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("fake cloud state file " + stateFile
                        + " is not a valid state document: " + e.getMessage());
            }
        }
        TreeMap<Integer, Path> journals = journals(f);
        long records = 0;
        if (mark != null) {
            for (Map.Entry<Integer, Path> j : journals.tailMap(mark.number(), true).entrySet()) {
                records += replay(j.getValue(), j.getKey() == mark.number() ? mark.bytes() : 0, world, mapper);
            }
        }
        return new Loaded(exists, mark, journals.isEmpty() ? 0 : journals.lastKey(), records);
    }

    /** Our journal files next to the state file, by number. */
    private static TreeMap<Integer, Path> journals(Path f) {
        TreeMap<Integer, Path> out = new TreeMap<>();
        Pattern pattern = journalPattern(f.getFileName().toString());
        Path parent = f.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(parent)) {
            for (Path p : files) {
                Matcher m = pattern.matcher(p.getFileName().toString());
                if (m.matches() && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(Integer.parseInt(m.group(1)), p);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("the directory of fake cloud state file " + f + " cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
        return out;
    }

    private static long replay(Path journal, long from, CloudState world, ObjectMapper mapper) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(journal);
        } catch (IOException e) {
            throw new IllegalStateException("fake cloud state journal " + journal + " cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
        long records = 0;
        int line = 0;
        int start = (int) Math.min(from, bytes.length);
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            line++;
            if (end == bytes.length) {
                break; // a torn last line: that write never finished, so nothing in it was acknowledged
            }
            if (end > start) {
                JsonNode record;
                try {
                    record = mapper.readTree(bytes, start, end - start);
                } catch (IOException e) {
                    throw new IllegalStateException("fake cloud state journal " + journal
                            + " is not valid JSON (record " + line + ")");
                }
                try {
                    synchronized (world) {
                        StateDocument.apply(world, record, mapper);
                    }
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("fake cloud state journal " + journal + " record " + line
                            + " is not valid: " + e.getMessage());
                }
                records++;
            }
            start = end + 1;
        }
        return records;
    }

    /** Deletes our own temporary files next to the state file (a process killed while writing left them). */
    private void removeStaleTempFiles() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                if (tempName.matcher(p.getFileName().toString()).matches()
                        && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(p);
                    LOG.log(System.Logger.Level.INFO, "removed " + p + ", left by a state write that was cut short");
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot clean up temporary files next to " + file + ": " + e);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Running

    /** Starts the saver thread (without it, {@link #saveNow} does the work: for tests). */
    void start() {
        Thread t = new Thread(this::runSaver, "fake-cloud-state");
        t.setDaemon(true);
        saver = t;
        t.start();
    }

    /**
     * Runs {@code deliver} once every change counted up to {@code count} is saved: at once if it is
     * already, else on the saver thread. Never blocks.
     */
    void afterSaved(long count, Runnable deliver) {
        synchronized (waitLock) {
            if (count > savedCount) {
                waiters.add(new Waiter(count, deliver));
                wakeUp = true;
                waitLock.notifyAll();
                return;
            }
        }
        deliver.run();
    }

    /** The error for a request that would change the cloud while changes cannot be saved, or null. */
    CloudException refusal() {
        return refusal;
    }

    /** For {@code STATISTICS}: {@code ok}, {@code journal_only} (the document cannot be rewritten; changes are saved in the journal) or {@code not_saving}. */
    String status() {
        return status;
    }

    private void wake() {
        synchronized (waitLock) {
            wakeUp = true;
            waitLock.notifyAll();
        }
    }

    private void runSaver() {
        while (!stopping) {
            boolean broke = false;
            try {
                saveNow();
            } catch (RuntimeException e) {
                // A bug, not a full disk: say so with the stack trace, and do not spin on it.
                LOG.log(System.Logger.Level.ERROR, "the fake cloud's state saver failed", e);
                broke = true;
            }
            // One lock for the waiting results and the saver's sleep: no lock order to get wrong.
            synchronized (waitLock) {
                boolean waiting = !waiters.isEmpty();
                long waitMillis = IDLE_WAIT_MILLIS;
                if (broke) {
                    waitMillis = TimeUnit.NANOSECONDS.toMillis(MAX_RETRY_NANOS);
                } else if (journalTrouble.failing()) {
                    waitMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(journalTrouble.nextTry - nanoTime.getAsLong()));
                } else if (waiting) {
                    waitMillis = 0;
                }
                if (waitMillis > 0 && (broke || !wakeUp) && !stopping) {
                    try {
                        waitLock.wait(waitMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                wakeUp = false;
            }
        }
    }

    /** One round of the saver: saves what changed (unless waiting to retry), then the document if due. */
    void saveNow() {
        long now = nanoTime.getAsLong();
        if (!journalTrouble.failing() || now >= journalTrouble.nextTry) {
            saveChanges(now);
        }
        if (saver == null) {
            writeDocumentIfDue(now, true);
        } else {
            writeDocumentIfDue(now, false);
        }
        updateStatus();
    }

    private void saveChanges(long now) {
        List<String> keys;
        boolean schedules;
        boolean all;
        long count;
        synchronized (world) {
            count = world.changeCount;
            keys = new ArrayList<>(world.changedGroups);
            world.changedGroups.clear();
            schedules = world.subscriptionWideChanged;
            world.subscriptionWideChanged = false;
            all = world.unknownChange;
            world.unknownChange = false;
            if (all) {
                Set<String> every = new LinkedHashSet<>(keys);
                every.addAll(saved.keySet());
                for (Subscription s : world.subscriptions.values()) {
                    for (Group g : s.groups.values()) {
                        every.add(CloudState.groupKey(g.subscription, g.name));
                    }
                }
                keys = new ArrayList<>(every);
                schedules = true;
            }
        }
        if (keys.isEmpty() && !schedules) {
            released(count);
            return;
        }
        Map<String, byte[]> updates = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i += CHUNK) {
            // A group is serialized whole under the lock, a chunk at a time, so operations go on between chunks.
            synchronized (world) {
                for (String key : keys.subList(i, Math.min(keys.size(), i + CHUNK))) {
                    Group g = world.groupByKey(key);
                    if (g == null) {
                        if (saved.containsKey(key)) {
                            updates.put(key, null);
                        }
                    } else {
                        byte[] b = groupBytes(g);
                        if (!Arrays.equals(b, saved.get(key))) {
                            updates.put(key, b);
                        }
                    }
                }
            }
        }
        byte[] newSchedules = null;
        if (schedules) {
            synchronized (world) {
                newSchedules = subscriptionWideBytes();
            }
            if (Arrays.equals(newSchedules, savedSubscriptionWide)) {
                newSchedules = null;
            }
        }
        if (updates.isEmpty() && newSchedules == null) {
            released(count);
            return;
        }
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> u : updates.entrySet()) {
            if (u.getValue() == null) {
                String key = u.getKey();
                int bar = key.indexOf('|');
                Map<String, Object> removed = new LinkedHashMap<>();
                removed.put("subscription", key.substring(0, bar));
                removed.put("name", key.substring(bar + 1));
                records.writeBytes(json(Map.of("removed", removed)));
            } else {
                records.writeBytes("{\"group\":".getBytes(StandardCharsets.UTF_8));
                records.writeBytes(u.getValue());
                records.write('}');
            }
            records.write('\n');
        }
        if (newSchedules != null) {
            records.writeBytes(newSchedules); // {"deletionSchedules": [...], "unregisteredProviders": [...]}
            records.write('\n');
        }
        try {
            appendJournal(records.toByteArray());
        } catch (IOException e) {
            // The changes stay to be saved: the next try serializes those groups again.
            synchronized (world) {
                world.changedGroups.addAll(keys);
                world.subscriptionWideChanged |= schedules;
                world.unknownChange |= all;
            }
            if (journalTrouble.failed(describe(e), now)) {
                LOG.log(System.Logger.Level.WARNING, "cannot save the fake cloud's changes to " + file + "'s journal"
                        + " (" + journalTrouble.problem + "); requests that would change the cloud are refused"
                        + " until it can; trying again with back-off up to " + MAX_RETRY_NANOS / 1_000_000_000 + " s");
            }
            updateStatus();
            return;
        }
        for (Map.Entry<String, byte[]> u : updates.entrySet()) {
            if (u.getValue() == null) {
                saved.remove(u.getKey());
            } else {
                saved.put(u.getKey(), u.getValue());
            }
        }
        if (newSchedules != null) {
            savedSubscriptionWide = newSchedules;
        }
        if (journalTrouble.recovered()) {
            LOG.log(System.Logger.Level.INFO, "the fake cloud's changes are saved to " + file + "'s journal again, after "
                    + journalTrouble.lastFailures + " failed attempts");
        }
        updateStatus();
        released(count);
    }

    /** Every change up to {@code count} is saved: delivers the results waiting for it. */
    private void released(long count) {
        List<Runnable> ready = new ArrayList<>();
        synchronized (waitLock) {
            savedCount = Math.max(savedCount, count);
            while (!waiters.isEmpty() && waiters.peek().count <= savedCount) {
                ready.add(waiters.poll().deliver);
            }
        }
        for (Runnable r : ready) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "delivering a fake cloud result failed", e);
            }
        }
    }

    private void appendJournal(byte[] records) throws IOException {
        if (journal == null) {
            openJournal();
        }
        check.beforeWrite(journalPath(journalNumber));
        try {
            ByteBuffer buf = ByteBuffer.wrap(records);
            while (buf.hasRemaining()) {
                journal.write(buf);
            }
        } catch (IOException | RuntimeException e) {
            // Never append after a partial write: cut it off (the next try then goes on in the same
            // file), or, if that fails too, go on in a new file next time (a torn last line is ignored
            // when read).
            try {
                journal.truncate(journalBytes);
            } catch (IOException | RuntimeException truncateFailed) {
                closeJournalQuietly();
                journalNumber++;
            }
            throw e instanceof IOException io ? io : new IOException(e);
        }
        journalBytes += records.length;
    }

    private void openJournal() throws IOException {
        Path p = journalPath(journalNumber);
        check.beforeWrite(p);
        Files.createDirectories(dir);
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            try {
                // Readable by its owner only, like the document (written through Files.createTempFile).
                Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(p);
            }
        }
        journal = FileChannel.open(p, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        journalBytes = journal.size();
    }

    private Path journalPath(int number) {
        return dir.resolve(name + ".journal-" + number);
    }

    private void closeJournalQuietly() {
        if (journal != null) {
            try {
                journal.close();
            } catch (IOException ignored) {
                // nothing more to write to it
            }
            journal = null;
        }
    }

    // ------------------------------------------------------------------------------------------------
    // The document

    /** Whether the journal holds anything the document does not. */
    private boolean documentBehind() {
        return documentMark == null || journalNumber != documentMark.number() || journalBytes != documentMark.bytes();
    }

    private void writeDocumentIfDue(long now, boolean inline) {
        DocumentResult done = documentResult;
        if (documentWriter != null) {
            if (done == null) {
                return; // still writing
            }
            documentWriter = null;
        }
        if (done != null) {
            documentResult = null;
            documentWritten(done, now);
        }
        if (!documentBehind() || journalTrouble.failing()) {
            return;
        }
        if (documentTrouble.failing() ? now < documentTrouble.nextTry
                : now - lastDocumentEnd < Math.max(MIN_DOCUMENT_INTERVAL_NANOS, 10 * lastDocumentNanos)) {
            return;
        }
        // New changes go to a new journal file, so the document can include the current one whole and
        // it can be removed once the document is written.
        if (journalBytes > 0) {
            int next = journalNumber + 1;
            FileChannel previous = journal;
            try {
                journal = null;
                journalNumber = next;
                openJournal();
            } catch (IOException | UncheckedIOException e) {
                closeJournalQuietly();
                journal = previous;
                journalNumber = next - 1;
                if (documentTrouble.failed(describe(e), now)) {
                    LOG.log(System.Logger.Level.WARNING, "cannot rewrite the fake cloud's state document " + file
                            + " (" + documentTrouble.problem + "); changes are still saved in its journal; trying"
                            + " again with back-off up to " + MAX_RETRY_NANOS / 1_000_000_000 + " s");
                }
                updateStatus();
                return;
            }
            try {
                previous.close();
            } catch (IOException ignored) {
                // everything in it was written
            }
        }
        Snapshot s = snapshot(new StateDocument.JournalMark(journalNumber, 0));
        if (inline) {
            documentWritten(writeDocumentCatching(s, () -> false), nanoTime.getAsLong());
            return;
        }
        abortDocument = false;
        Thread t = new Thread(() -> {
            documentResult = writeDocumentCatching(s, () -> abortDocument || stopping);
            wake();
        }, "fake-cloud-state-document");
        t.setDaemon(true);
        documentWriter = t;
        t.start();
    }

    private DocumentResult writeDocumentCatching(Snapshot s, BooleanSupplier abort) {
        long t0 = nanoTime.getAsLong();
        try {
            long bytes = writeDocument(s, abort);
            return new DocumentResult(s, nanoTime.getAsLong() - t0, bytes, null, bytes < 0);
        } catch (IOException | UncheckedIOException e) {
            IOException io = e instanceof IOException i ? i : ((UncheckedIOException) e).getCause();
            return new DocumentResult(s, nanoTime.getAsLong() - t0, 0, io, false);
        }
    }

    /** On the writing thread, after the document writer finished. */
    private void documentWritten(DocumentResult r, long now) {
        if (r.aborted()) {
            return;
        }
        if (r.failure() != null) {
            if (documentTrouble.failed(describe(r.failure()), now)) {
                LOG.log(System.Logger.Level.WARNING, "cannot rewrite the fake cloud's state document " + file + " ("
                        + documentTrouble.problem + "); changes are still saved in its journal; trying again with"
                        + " back-off up to " + MAX_RETRY_NANOS / 1_000_000_000 + " s");
            }
            updateStatus();
            return;
        }
        if (documentTrouble.recovered()) {
            LOG.log(System.Logger.Level.INFO, "the fake cloud's state document " + file + " is written again, after "
                    + documentTrouble.lastFailures + " failed attempts");
        }
        documentMark = r.snapshot().mark();
        lastDocumentEnd = now;
        lastDocumentNanos = r.nanos();
        LOG.log(System.Logger.Level.DEBUG, "fake cloud state document written: " + r.snapshot().groups().size()
                + " resource groups, " + r.bytes() + " bytes in " + r.nanos() / 1_000_000 + " ms");
        // Journal files wholly in the document go.
        removeJournalsBefore(documentMark.number());
        updateStatus();
    }

    private Snapshot snapshot(StateDocument.JournalMark mark) {
        return new Snapshot(mark, new ArrayList<>(saved.values()), savedSubscriptionWide);
    }

    /** Writes the document beside the state file, then moves it into place; -1 if aborted. */
    private long writeDocument(Snapshot s, BooleanSupplier abort) throws IOException {
        Files.createDirectories(dir);
        check.beforeWrite(file);
        Path tmp = Files.createTempFile(dir, "." + name + ".", ".tmp");
        long bytes = 0;
        boolean done = false;
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
                byte[] head = ("{\"version\":2,\"journal\":{\"number\":" + s.mark().number() + ",\"bytesIncluded\":"
                        + s.mark().bytes() + "},\n\"resourceGroups\":[").getBytes(StandardCharsets.UTF_8);
                out.write(head);
                bytes += head.length;
                int i = 0;
                for (byte[] g : s.groups()) {
                    if ((i & 1023) == 0 && abort.getAsBoolean()) {
                        return -1;
                    }
                    out.write(i == 0 ? NEWLINE : ",\n".getBytes(StandardCharsets.UTF_8));
                    out.write(g);
                    bytes += g.length + 2;
                    i++;
                }
                // The subscription-wide fields close the document: their object without its opening brace.
                byte[] tail = ("\n],\n").getBytes(StandardCharsets.UTF_8);
                out.write(tail);
                out.write(s.schedules(), 1, s.schedules().length - 1);
                out.write(NEWLINE);
                bytes += tail.length + s.schedules().length;
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
            return bytes;
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // removed at the next start
                }
            }
        }
    }

    private void removeJournalsBefore(int number) {
        for (Map.Entry<Integer, Path> j : journals(file).headMap(number, false).entrySet()) {
            try {
                Files.deleteIfExists(j.getValue());
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "cannot remove " + j.getValue() + ": " + e);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Close

    /**
     * Saves what is left (the changes of operations finished by the close) and brings the document up
     * to date if that can be done before {@code deadlineNanos} (per the store's clock); otherwise the
     * journal keeps the rest for the next start. Results delivered earlier need nothing from this.
     */
    void close(long deadlineNanos) {
        stopping = true;
        wake();
        Thread t = saver;
        if (t != null) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - nanoTime.getAsLong())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                LOG.log(System.Logger.Level.WARNING, "the fake cloud's state saver did not stop in time; the state file"
                        + " keeps what was saved before");
                return;
            }
        }
        // The last changes first (the document writer never touches the journal), then the document.
        abortDocument = true;
        saveChanges(nanoTime.getAsLong());
        Thread w = documentWriter;
        if (w != null) {
            try {
                w.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - nanoTime.getAsLong())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (w.isAlive()) {
                closeJournalQuietly();
                return;
            }
            documentWriter = null;
            DocumentResult r = documentResult;
            documentResult = null;
            if (r != null) {
                documentWritten(r, nanoTime.getAsLong());
            }
        }
        if (!journalTrouble.failing() && documentBehind()) {
            Snapshot s = snapshot(new StateDocument.JournalMark(journalNumber, journalBytes));
            DocumentResult r = writeDocumentCatching(s, () -> nanoTime.getAsLong() > deadlineNanos);
            if (r.aborted()) {
                LOG.log(System.Logger.Level.INFO, "the fake cloud's state document was not rewritten before exit;"
                        + " its journal holds the latest changes and the next start folds them in");
            } else {
                documentWritten(r, nanoTime.getAsLong());
            }
        }
        boolean whole = !documentBehind();
        closeJournalQuietly();
        if (whole) {
            removeJournalsBefore(Integer.MAX_VALUE);
        }
    }

    // ------------------------------------------------------------------------------------------------

    private byte[] groupBytes(Group g) {
        return json(StateDocument.groupJson(g));
    }

    private byte[] subscriptionWideBytes() {
        return json(StateDocument.subscriptionWideJson(world));
    }

    private final ByteArrayOutputStream scratch = new ByteArrayOutputStream(4096);

    /** Compact JSON of plain maps and lists. Under the world lock or on the writing thread (one at a time). */
    private byte[] json(Object value) {
        synchronized (scratch) {
            scratch.reset();
            try (JsonGenerator g = mapper.getFactory().createGenerator(scratch)) {
                StateDocument.write(g, value);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the fake cloud's state as JSON", e);
            }
            return scratch.toByteArray();
        }
    }

    private void updateStatus() {
        String word = journalTrouble.failing() ? "not_saving" : documentTrouble.failing() ? "journal_only" : "ok";
        status = word;
        refusal = journalTrouble.failing() ? new CloudException(REFUSED, "The fake cloud cannot save changes to its"
                + " state file " + file + " (" + journalTrouble.problem + "), so it refuses requests that would"
                + " change the cloud until it can; the GAHP log says more.") : null;
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        String what = e instanceof NoSuchFileException ? "no such file or directory"
                : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null ? fse.getReason()
                : m == null ? e.getClass().getSimpleName() : m;
        return e instanceof java.nio.file.FileSystemException fse && fse.getFile() != null
                ? what + ": " + fse.getFile() : what;
    }

    /** One kind of write that can fail for a while: when to try again, and what to log. */
    static final class Trouble {
        private final String what;
        String problem;
        int failures;
        int lastFailures;
        long nextTry;

        Trouble(String what) {
            this.what = what;
        }

        boolean failing() {
            return problem != null;
        }

        /** Records a failed attempt; true when the condition is new or its reason changed (log it). */
        boolean failed(String reason, long now) {
            boolean changed = !reason.equals(problem);
            problem = reason;
            failures++;
            nextTry = now + backoffNanos(failures);
            LOG.log(System.Logger.Level.DEBUG, "attempt " + failures + " to " + what + " failed ("
                    + reason + "); next in " + backoffNanos(failures) / 1_000_000 + " ms");
            return changed;
        }

        /** Records a success; true when it ends a failing condition (log it). */
        boolean recovered() {
            if (problem == null) {
                return false;
            }
            lastFailures = failures;
            problem = null;
            failures = 0;
            return true;
        }

        @Override
        public String toString() {
            return what + (problem == null ? ": ok" : ": " + problem + " (" + failures + " failures)");
        }
    }

    /** The wait after the {@code failures}-th failure in a row: 250 ms, doubling, at most 30 s. */
    static long backoffNanos(int failures) {
        int shift = Math.min(Math.max(failures - 1, 0), 20);
        return Math.min(FIRST_RETRY_NANOS << shift, MAX_RETRY_NANOS);
    }
}
