package org.azuregahp.azure;

import com.azure.core.http.HttpClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.azuregahp.ports.AccountRef;
import org.azuregahp.ports.Cloud;
import org.azuregahp.ports.CloudAccount;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.CloudStatistics;
import org.azuregahp.ports.credentials.CredentialFiles;
import org.azuregahp.ports.credentials.Credentials;

/**
 * The Azure cloud. Construction is instant: it touches no SDK class. Per credential file it keeps one
 * {@link Connection} (rebuilt when the file's modification time or size changes and its content
 * differs), and per (file, subscription) one account whose SDK clients are built on first use, on an
 * adapter thread.
 */
public final class AzureCloud implements Cloud {
    private final AzureSettings settings;
    private final Clients.Lazy<HttpClient> httpClient;
    private final LongSupplier nanoClock;
    private final Clock clock;
    private final AtomicLong throttled = new AtomicLong();
    private final ConcurrentHashMap<String, FileEntry> files = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<AccountRef, AzureAccount> accounts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Limiter> limiters = new ConcurrentHashMap<>();
    private final SharedNetworks networks = new SharedNetworks();
    private final ProviderRegistrations registrations = new ProviderRegistrations();
    /** Resource Manager's budgets as this process knows them, and the pacing of every account's calls to them. */
    private final Clients.Lazy<ArmPacer> pacer;
    private final ImageProfiles images = new ImageProfiles();
    /**
     * The adapter's threads: they start each operation (off the engine's threads) and run the HTTP
     * client's completions. Nothing on them blocks: every call is asynchronous.
     */
    private final ExecutorService executor;
    private volatile Connection ambient;

    private AzureCloud(AzureSettings settings, HttpClient httpClient, LongSupplier nanoClock, Clock clock,
            Supplier<reactor.core.scheduler.Scheduler> timers) {
        this.clock = clock;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.nanoClock = nanoClock;
        this.pacer = new Clients.Lazy<>(() -> new ArmPacer(new ArmBudgets(), nanoClock, timers.get()));
        this.executor = pool("azure-gahp-azure-", 2);
        this.httpClient = new Clients.Lazy<>(() -> httpClient != null ? httpClient : HttpClients.jdk(executor));
    }

    /** Up to {@code threads} daemon threads, started on demand and ended after 30 s idle. */
    private static ThreadPoolExecutor pool(String prefix, int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, prefix + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    public static AzureCloud create(AzureSettings settings) {
        return new AzureCloud(settings, null, System::nanoTime, Clock.systemUTC(),
                () -> reactor.core.scheduler.Schedulers.parallel());
    }

    /** For tests: every HTTP call (ARM, Key Vault and the identity service) goes through {@code httpClient}. */
    static AzureCloud create(AzureSettings settings, HttpClient httpClient, LongSupplier nanoClock, Clock clock) {
        return new AzureCloud(settings, httpClient, nanoClock, clock, () -> reactor.core.scheduler.Schedulers.parallel());
    }

    /** For tests: as above, with the pacing's clock ({@code nanoClock}) and timer ({@code timers}) in the test's hands. */
    static AzureCloud create(AzureSettings settings, HttpClient httpClient, LongSupplier nanoClock, Clock clock,
            Supplier<reactor.core.scheduler.Scheduler> timers) {
        return new AzureCloud(settings, httpClient, nanoClock, clock, timers);
    }

    public AzureSettings settings() {
        return settings;
    }

    @Override
    public CloudAccount account(AccountRef ref) {
        Connection connection = connection(ref.credentialFile());
        return accounts.compute(ref, (k, existing) -> existing != null && existing.connection() == connection
                ? existing
                : new AzureAccount(connection, new SdkCalls(new Clients(connection, ref.subscription(), throttled,
                        registrations, pacer.get(), clock),
                        limiters.computeIfAbsent(ref.subscription(),
                                s -> new Limiter(settings.maxConcurrentPerSubscription())),
                        executor, connection.settings().operationDeadline()), networks, images, clock));
    }

    @Override
    public CloudStatistics statistics() {
        return throttled::get;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private Connection connection(String file) {
        if (file == null) {
            Connection a = ambient;
            if (a == null) {
                synchronized (this) {
                    a = ambient;
                    if (a == null) {
                        a = new Connection(null, null, settings, httpClient.get(), nanoClock);
                        ambient = a;
                    }
                }
            }
            return a;
        }
        Path path = Path.of(file);
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            files.remove(file);
            throw new CloudException(CloudException.CREDENTIAL_FILE, "credential file " + file + " does not exist");
        } catch (IOException e) {
            throw new CloudException(CloudException.CREDENTIAL_FILE,
                    "credential file " + file + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        FileEntry entry = files.get(file);
        if (entry != null && entry.modified.equals(attrs.lastModifiedTime()) && entry.size == attrs.size()) {
            return entry.connection;
        }
        synchronized (files) {
            entry = files.get(file);
            if (entry != null && entry.modified.equals(attrs.lastModifiedTime()) && entry.size == attrs.size()) {
                return entry.connection;
            }
            byte[] digest = digest(path, file);
            Credentials credentials = CredentialFiles.read(path);
            Connection connection = entry != null && Arrays.equals(entry.digest, digest) ? entry.connection
                    : new Connection(file, credentials, settings, httpClient.get(), nanoClock);
            files.put(file, new FileEntry(attrs.lastModifiedTime(), attrs.size(), digest, connection));
            return connection;
        }
    }

    private static byte[] digest(Path path, String file) {
        try {
            if (Files.size(path) > CredentialFiles.MAX_BYTES) {
                return new byte[0];
            }
            return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path));
        } catch (IOException e) {
            throw new CloudException(CloudException.CREDENTIAL_FILE,
                    "credential file " + file + " cannot be read (" + e.getClass().getSimpleName() + ")");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record FileEntry(FileTime modified, long size, byte[] digest, Connection connection) {
    }
}
