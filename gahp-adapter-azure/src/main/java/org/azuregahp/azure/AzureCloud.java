package org.azuregahp.azure;

import com.azure.core.http.HttpClient;
import java.time.Clock;
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
import org.azuregahp.ports.CloudStatistics;
import org.azuregahp.ports.DeferredCloudAccount;
import org.azuregahp.ports.credentials.CredentialSource;
import org.azuregahp.ports.credentials.Credentials;

/**
 * The Azure cloud. Construction is instant: it touches no SDK class. Credential files are read by the
 * {@link CredentialSource} it is given, never here. Per credential file it keeps one {@link Connection}
 * (rebuilt only when what the file says changes), and per (file, subscription) one account whose SDK
 * clients are built on first use, on an adapter thread.
 */
public final class AzureCloud implements Cloud {
    private final AzureSettings settings;
    private final Clients.Lazy<HttpClient> httpClient;
    private final LongSupplier nanoClock;
    private final Clock clock;
    private final AtomicLong throttled = new AtomicLong();
    private final CredentialSource credentials;
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

    private AzureCloud(AzureSettings settings, CredentialSource credentials, HttpClient httpClient,
            LongSupplier nanoClock, Clock clock, Supplier<reactor.core.scheduler.Scheduler> timers) {
        this.clock = clock;
        this.credentials = Objects.requireNonNull(credentials, "credentials");
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

    /** Azure with only the machine's ambient login ({@code NULL}): credential files are refused. */
    public static AzureCloud create(AzureSettings settings) {
        return create(settings, CredentialSource.NONE);
    }

    /** Azure, reading the credential files requests name through {@code credentials}. */
    public static AzureCloud create(AzureSettings settings, CredentialSource credentials) {
        return new AzureCloud(settings, credentials, null, System::nanoTime, Clock.systemUTC(),
                () -> reactor.core.scheduler.Schedulers.parallel());
    }

    /** For tests: every HTTP call (ARM, Key Vault and the identity service) goes through {@code httpClient}. */
    static AzureCloud create(AzureSettings settings, CredentialSource credentials, HttpClient httpClient,
            LongSupplier nanoClock, Clock clock) {
        return new AzureCloud(settings, credentials, httpClient, nanoClock, clock,
                () -> reactor.core.scheduler.Schedulers.parallel());
    }

    /** For tests: as above, with the pacing's clock ({@code nanoClock}) and timer ({@code timers}) in the test's hands. */
    static AzureCloud create(AzureSettings settings, CredentialSource credentials, HttpClient httpClient,
            LongSupplier nanoClock, Clock clock, Supplier<reactor.core.scheduler.Scheduler> timers) {
        return new AzureCloud(settings, credentials, httpClient, nanoClock, clock, timers);
    }

    public AzureSettings settings() {
        return settings;
    }

    /**
     * The account for {@code ref}, at once: a credential file is read by the {@link CredentialSource}
     * off this thread (no lock is held meanwhile), and the account's operations wait for it.
     */
    @Override
    public CloudAccount account(AccountRef ref) {
        if (ref.ambient()) {
            return account(ref, ambient());
        }
        String file = ref.credentialFile();
        return DeferredCloudAccount.of(credentials.credentials(file)
                .thenApply(c -> account(ref, connection(file, c))));
    }

    private AzureAccount account(AccountRef ref, Connection connection) {
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

    private Connection ambient() {
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

    /** The file's connection, kept while what the file says stays the same (so are its clients and token). */
    private Connection connection(String file, Credentials credentials) {
        return files.compute(file, (k, known) -> known != null && known.credentials().equals(credentials) ? known
                : new FileEntry(credentials, new Connection(file, credentials, settings, httpClient.get(), nanoClock)))
                .connection();
    }

    private record FileEntry(Credentials credentials, Connection connection) {
    }
}
