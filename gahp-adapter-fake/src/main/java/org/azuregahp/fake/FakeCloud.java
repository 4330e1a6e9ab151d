package org.azuregahp.fake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.azuregahp.fake.Model.Group;
import org.azuregahp.fake.Model.Vault;
import org.azuregahp.fake.Model.Vm;
import org.azuregahp.ports.AccountRef;
import org.azuregahp.ports.Cloud;
import org.azuregahp.ports.CloudAccount;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.CloudStatistics;
import org.azuregahp.ports.DeferredCloudAccount;
import org.azuregahp.ports.credentials.CredentialSource;
import org.azuregahp.ports.credentials.Credentials;
import org.azuregahp.ports.credentials.Secret;

/**
 * An in-memory cloud behind every port, behaving like Azure where the GAHP engine can see it:
 * resource groups with VMs, NICs, public IPs, disks, networks, scale sets, load balancers, key
 * vaults, managed identities and scheduled deletions; Azure's naming rules and error wording;
 * configurable latency; seeded fault injection; and an optional JSON state file.
 *
 * <p>Build it with {@link #builder()}. Latency is spread over each operation's steps on a shared
 * scheduler of two daemon threads: no thread per operation and no sleeping, so thousands of
 * concurrent operations finish in about one latency. All state sits behind one lock held only for
 * short in-memory steps. Nothing is ever printed.
 */
public final class FakeCloud implements Cloud {
    private static final System.Logger LOG = System.getLogger(FakeCloud.class.getName());
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** The settings, as the CLI reads them from flags. */
    public record Options(Duration latency, double failureRate, long seed, Path stateFile, Duration vmLifetime) {
        public Options {
            latency = latency == null ? Duration.ZERO : latency;
            if (latency.isNegative()) {
                throw new IllegalArgumentException("latency must not be negative");
            }
            if (!(failureRate >= 0 && failureRate <= 1)) {
                throw new IllegalArgumentException("failureRate must be between 0 and 1");
            }
            if (vmLifetime != null && (vmLifetime.isNegative() || vmLifetime.isZero())) {
                throw new IllegalArgumentException("vmLifetime must be positive");
            }
        }

        public static Options defaults() {
            return new Options(Duration.ZERO, 0, 0, null, null);
        }
    }

    /**
     * How long {@link #close} may spend bringing the state document up to date at exit. Results
     * delivered before need nothing from it (their changes are in the journal already), so it only
     * decides whether the document or the next start folds in the last changes; it keeps the exit
     * well inside the CLI's close budget.
     */
    static final Duration CLOSE_WRITE_BUDGET = Duration.ofMillis(450);

    private final CloudState world;
    private final StepScheduler runner;
    private final ScheduledThreadPoolExecutor scheduler;
    private final StateStore store;
    private final LongSupplier nanoTime;
    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final CredentialSource credentials;
    private volatile boolean closed;

    private FakeCloud(Options options, Clock clock, CredentialSource credentials, StepScheduler.Timer timer,
            StateStore.WriteCheck writeCheck) {
        this.credentials = credentials;
        this.world = new CloudState(clock, options.failureRate(), options.seed(), options.vmLifetime());
        this.nanoTime = timer != null ? timer::nanoTime : System::nanoTime;
        if (options.stateFile() != null) {
            store = new StateStore(options.stateFile(), world, nanoTime, writeCheck);
            store.open();
        } else {
            store = null;
        }
        this.scheduler = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "fake-cloud-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.runner = new StepScheduler(world, timer != null ? timer : StepScheduler.Timer.of(scheduler),
                options.latency().toNanos(), store);
        scheduler.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
        // With a hand-moved timer (tests) nothing saves by itself: the test calls saveStateNow().
        if (store != null && timer == null) {
            store.start();
        }
    }

    /** For tests: the most threads this cloud's scheduler has had at once (its own, not other clouds'). */
    int largestThreadCount() {
        return scheduler.getLargestPoolSize();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link FakeCloud}; every setting has a default. */
    public static final class Builder {
        private Duration latency = Duration.ZERO;
        private double failureRate;
        private long seed;
        private Path stateFile;
        private Clock clock = Clock.systemUTC();
        private Duration vmLifetime;
        private final Map<String, Set<String>> unregistered = new java.util.LinkedHashMap<>();
        private boolean armBudgets;
        private CredentialSource credentials = CredentialSource.NONE;
        private StepScheduler.Timer timer;
        private StateStore.WriteCheck writeCheck;

        private Builder() {
        }

        /**
         * Enforce Azure's request budgets on the builder's clock (off by default): per subscription,
         * principal (the credential file's client id) and operation type, token buckets of 250 reads
         * (25 a second), 200 writes and 200 deletes (10 a second), 15 times that per subscription across
         * principals, Microsoft.Network's 1,000 writes per 5 minutes and Compute's PutVM3Min/PutVM30Min
         * per region. An operation whose calls would not fit fails before it makes anything, with
         * Azure's throttling error and wording and {@link CloudException#retryAfter()}.
         */
        public Builder armBudgets(boolean enforce) {
            this.armBudgets = enforce;
            return this;
        }

        /**
         * The subscription starts without these resource providers registered (e.g.
         * {@code Microsoft.Compute}): Azure answers a write to one with 409 MissingSubscriptionRegistration,
         * and the adapter registers it on demand, as the Azure adapter does.
         */
        public Builder unregisteredProviders(String subscription, String... namespaces) {
            unregistered.computeIfAbsent(subscription, k -> new LinkedHashSet<>()).addAll(java.util.List.of(namespaces));
            return this;
        }

        /** For tests: may fail writes of the state files, as a full or read-only disk would. */
        Builder writeCheck(StateStore.WriteCheck writeCheck) {
            this.writeCheck = writeCheck;
            return this;
        }

        /** For tests: the steps of operations wait on this timer instead of the fake's scheduler threads. */
        Builder timer(StepScheduler.Timer timer) {
            this.timer = timer;
            return this;
        }

        /** The total duration of one operation (the work of one request); default zero. */
        public Builder latency(Duration latency) {
            this.latency = Objects.requireNonNull(latency, "latency");
            return this;
        }

        /** The probability (0..1) that an operation fails part-way with a realistic Azure error. */
        public Builder failureRate(double failureRate) {
            this.failureRate = failureRate;
            return this;
        }

        /** Seeds fault injection and generated ids, so a run repeats. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * A JSON file to load at build (if it exists) and to keep up to date; null for none. Every
         * change is saved (in the file's journal) before the result of the request that made it is
         * delivered; see the package documentation.
         */
        public Builder stateFile(Path stateFile) {
            this.stateFile = stateFile;
            return this;
        }

        /** The clock deletion schedules and VM lifetimes follow; default the UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** If set, a running VM deallocates itself this long after its create finished; null for never. */
        public Builder vmLifetime(Duration vmLifetime) {
            this.vmLifetime = vmLifetime;
            return this;
        }

        /**
         * Where credential files named by requests are read and checked, as on Azure; default
         * {@link CredentialSource#NONE} (only {@code NULL}, the ambient login, is accepted).
         */
        public Builder credentials(CredentialSource credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /** Takes every setting from {@code options} (the clock stays as set). */
        public Builder options(Options options) {
            this.latency = options.latency();
            this.failureRate = options.failureRate();
            this.seed = options.seed();
            this.stateFile = options.stateFile();
            this.vmLifetime = options.vmLifetime();
            return this;
        }

        /**
         * Builds the cloud, loading the state file if it exists.
         *
         * @throws IllegalArgumentException for a setting out of range
         * @throws StateFileException       naming the state file when it cannot be read, is not a valid state
         *                                  document, or cannot be written
         */
        public FakeCloud build() {
            FakeCloud cloud = new FakeCloud(new Options(latency, failureRate, seed, stateFile, vmLifetime), clock,
                    credentials, timer, writeCheck);
            if (armBudgets) {
                cloud.runner.budgets(new ArmBudgets(clock));
            }
            unregistered.forEach((sub, namespaces) -> namespaces.forEach(ns -> cloud.unregisterProvider(sub, ns, true)));
            return cloud;
        }
    }

    @Override
    public CloudAccount account(AccountRef ref) {
        if (ref.subscription().isBlank()) {
            throw new CloudException("InvalidSubscriptionId",
                    "The provided subscription identifier '" + ref.subscription() + "' is malformed or invalid.");
        }
        String subscription = ref.subscription().strip();
        if (ref.credentialFile() == null) {
            return new FakeAccount(world, runner, subscription, "ambient");
        }
        // The file is read and checked (as Azure would) off this thread; every operation waits for it.
        // Its client id is the principal Azure's request budgets are counted against.
        return DeferredCloudAccount.of(credentials.credentials(ref.credentialFile())
                .thenApply(c -> new FakeAccount(world, runner, subscription, principal(c))));
    }

    private static String principal(Credentials c) {
        return c.clientId() == null ? "unknown" : c.clientId().toLowerCase(java.util.Locale.ROOT);
    }

    /** The current state document (pretty JSON). Secret values never appear in it. */
    public String stateJson() {
        Map<String, Object> doc;
        synchronized (world) {
            doc = StateDocument.snapshot(world);
        }
        try {
            return mapper.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the fake cloud's state document", e);
        }
    }

    /** Deletes the resource groups whose scheduled deletion time has come (per the clock). */
    public void runDueDeletions() {
        synchronized (world) {
            world.runDueDeletions();
        }
    }

    /** Deallocates the running VMs whose lifetime is over (per the clock). */
    public void runDueLifetimes() {
        synchronized (world) {
            world.runDueLifetimes();
        }
    }

    private void tick() {
        try {
            synchronized (world) {
                world.runDueDeletions();
                world.runDueLifetimes();
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "fake cloud timer failed", e);
        }
    }

    /**
     * Deallocates a VM as if its job had finished (a hook for tests and the REPL).
     *
     * @throws CloudException NOT_FOUND when no VM has that name
     */
    public void deallocate(String vmName) {
        synchronized (world) {
            for (Model.Subscription s : world.subscriptions.values()) {
                for (Group g : s.groups.values()) {
                    for (Model.Res r : g.resources.values()) {
                        if (r instanceof Vm vm && vm.displayName.equalsIgnoreCase(vmName)) {
                            vm.powerState = "deallocated";
                            vm.provisioningState = "succeeded";
                            vm.deallocateAt = null;
                            world.changed(g);
                            return;
                        }
                    }
                }
            }
        }
        throw CloudException.notFound("Virtual machine '" + vmName + "' could not be found.");
    }

    /** Names of every VM, in every subscription (for REPL completion). */
    public Set<String> vmNames() {
        Set<String> out = new LinkedHashSet<>();
        synchronized (world) {
            world.allVms().forEach(vm -> out.add(vm.displayName));
        }
        return out;
    }

    /** Names of every scale set, in every subscription (for REPL completion). */
    public Set<String> scaleSetNames() {
        Set<String> out = new LinkedHashSet<>();
        synchronized (world) {
            world.allScaleSets().forEach(s -> out.add(s.displayName));
        }
        return out;
    }

    /**
     * Puts a secret in a vault, making the vault (in {@code resourceGroup}, made too if needed) when it
     * does not exist: for tests and offline setups. The value is kept in memory only and may be null.
     */
    public void seedSecret(String subscription, String resourceGroup, String vaultName, String location,
            String secretName, String value) {
        synchronized (world) {
            Vault v = world.vaults.get(Model.key(vaultName));
            if (v == null) {
                AzureRules.checkVaultName(vaultName);
                String loc = AzureRules.checkLocation(location);
                Group g = world.group(subscription, resourceGroup);
                if (g == null) {
                    AzureRules.checkResourceGroupName(resourceGroup);
                    g = world.newGroup(subscription, resourceGroup, loc);
                }
                v = new Vault(g.subscription, g.name, vaultName);
                v.location = loc;
                v.sku = "standard";
                g.add(v);
                world.vaults.put(Model.key(vaultName), v);
            } else if (!v.subscription.equalsIgnoreCase(subscription) || !v.group.equalsIgnoreCase(resourceGroup)) {
                throw new CloudException("VaultAlreadyExists", "The vault name '" + vaultName
                        + "' is already in use in another resource group or subscription.");
            }
            v.putSecret(secretName, value == null ? null : new Secret(value));
            world.changedResource(Model.id(v.subscription, v.group, Model.VAULT, v.name));
        }
    }

    // ---- Azure's rules the fake can be set up to show (tests, offline setups) ----

    /** The subscription is not registered for the namespace; with {@code mayRegister} false the principal may not register it. */
    void unregisterProvider(String subscription, String namespace, boolean mayRegister) {
        synchronized (world) {
            world.unregister(subscription, namespace);
            if (!mayRegister) {
                world.unregistrableProviders.add(Model.key(namespace));
            }
        }
    }

    /** Every provider registered, and registering allowed. */
    void registerAllProviders() {
        synchronized (world) {
            world.unregisteredProviders.clear();
            world.unregistrableProviders.clear();
            world.subscriptionWideChanged();
        }
    }

    boolean providerRegistered(String subscription, String namespace) {
        synchronized (world) {
            return world.registered(subscription, namespace);
        }
    }

    /** A Compute Gallery image definition (id without {@code /versions/...}) with a security type, or null for none. */
    void seedGalleryImage(String definitionId, String securityType) {
        synchronized (world) {
            world.galleryImages.put(Model.key(definitionId), securityType == null ? "" : securityType);
        }
    }

    /** A marketplace image sold with a purchase plan, its terms accepted or not. */
    void seedPlanImage(String publisher, String offer, String sku, boolean termsAccepted) {
        synchronized (world) {
            world.planImages.put(Model.key(publisher + ":" + offer + ":" + sku), termsAccepted);
        }
    }

    /** Makes the seeded vault role-based (RBAC): access policies are ignored, roles are granted. */
    void makeRbac(String vaultName) {
        synchronized (world) {
            world.vaults.get(Model.key(vaultName)).rbac = true;
        }
    }

    /** A soft-deleted vault that was in {@code group}. */
    void seedSoftDeletedVault(String subscription, String vaultName, String group, String location) {
        synchronized (world) {
            Vault v = new Vault(subscription, group, vaultName);
            v.location = AzureRules.checkLocation(location);
            v.sku = "standard";
            world.deletedVaults.put(Model.key(vaultName), v);
        }
    }

    /** Who may read the vault's secrets: role assignees on an RBAC vault, else its access policies. */
    java.util.List<String> principalsWithSecretAccess(String vaultName) {
        synchronized (world) {
            Vault v = world.vaults.get(Model.key(vaultName));
            return v == null ? java.util.List.of()
                    : java.util.List.copyOf(v.rbac ? v.roleAssignees : v.principals);
        }
    }

    void mayAssignRoles(boolean may) {
        synchronized (world) {
            world.mayAssignRoles = may;
        }
    }

    /** For tests with a hand-moved timer: one round of saving the state, done on the caller's thread. */
    void saveStateNow() {
        if (store != null) {
            store.saveNow();
        }
    }

    /**
     * Counters for {@code STATISTICS}: with a state file, {@code stateFile()} says whether changes are
     * being saved ({@code ok}; {@code journal_only}: the document cannot be rewritten but every change
     * is in its journal; {@code not_saving}: changes cannot be saved and requests that would change the
     * cloud are refused).
     */
    @Override
    public CloudStatistics statistics() {
        return new CloudStatistics() {
            @Override
            public long throttledRetries() {
                return 0;
            }

            @Override
            public String stateFile() {
                return store == null ? null : store.status();
            }
        };
    }

    /**
     * Checks a state file before anything is started, for a CLI that refuses a bad one before it
     * prints its banner: an existing file is a regular file (a FIFO or device is named, never opened)
     * that can be read and holds one JSON object and nothing after it; the nearest directory that
     * exists lets files be created in it (tried, not judged from permission bits; nothing is left
     * behind). Reading it as a state document happens at {@link Builder#build}, which makes the same
     * checks but the JSON one.
     *
     * @throws StateFileException saying what is wrong, never quoting the file's contents
     */
    public static void checkStateFile(Path stateFile) {
        StateFileCheck.check(stateFile);
    }

    /**
     * The state a fake cloud built on {@code stateFile} would start from: the document with its
     * journal folded in, as pretty JSON in the document's layout (without secret values). Reads only;
     * for tools and tests that inspect a state file after the server exited.
     *
     * @throws StateFileException naming the file when it cannot be read or is not valid
     */
    public static String storedState(Path stateFile) {
        CloudState world = new CloudState(Clock.systemUTC(), 0, 0, null);
        ObjectMapper pretty = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        StateStore.read(stateFile, world, new ObjectMapper());
        synchronized (world) {
            StateDocument.settle(world);
            try {
                return pretty.writeValueAsString(StateDocument.snapshot(world));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write the fake cloud's state document", e);
            }
        }
    }

    /**
     * Fails operations under way (the cloud finishes or undoes what they started), stops the timers,
     * saves the last changes and, if there is time, brings the state document up to date. Returns
     * promptly.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        long deadline = nanoTime.getAsLong() + CLOSE_WRITE_BUDGET.toNanos();
        scheduler.shutdownNow();
        runner.close();
        if (store != null) {
            store.close(deadline);
        }
    }
}
