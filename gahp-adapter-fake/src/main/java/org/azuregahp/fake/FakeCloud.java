package org.azuregahp.fake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.azuregahp.fake.Model.Group;
import org.azuregahp.fake.Model.Vault;
import org.azuregahp.fake.Model.Vm;
import org.azuregahp.ports.AccountRef;
import org.azuregahp.ports.Cloud;
import org.azuregahp.ports.CloudAccount;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.credentials.CredentialFiles;
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

    private final CloudState world;
    private final StepScheduler runner;
    private final ScheduledThreadPoolExecutor scheduler;
    private final Path stateFile;
    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Map<Path, FileStamp> credentialStamps = new ConcurrentHashMap<>();
    private final Object writeLock = new Object();
    private volatile boolean closed;
    private volatile String lastWriteProblem;

    /** A credential file as last read well, and the principal (client id) it names. */
    private record FileStamp(FileTime modified, long size, String principal) {
    }

    private FakeCloud(Options options, Clock clock) {
        this.world = new CloudState(clock, options.failureRate(), options.seed(), options.vmLifetime());
        this.stateFile = options.stateFile();
        if (stateFile != null && Files.exists(stateFile)) {
            load(stateFile);
        }
        world.dirty.set(false);
        this.scheduler = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "fake-cloud-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.runner = new StepScheduler(world, scheduler, options.latency().toNanos());
        scheduler.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
        if (stateFile != null) {
            scheduler.scheduleWithFixedDelay(this::writeIfChanged, 250, 250, TimeUnit.MILLISECONDS);
        }
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

        /** A JSON file to load at build (if it exists) and to keep up to date; null for none. */
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
         * @throws IllegalStateException    naming the state file when it cannot be read or is not a valid state document
         */
        public FakeCloud build() {
            FakeCloud cloud = new FakeCloud(new Options(latency, failureRate, seed, stateFile, vmLifetime), clock);
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
        String principal = "ambient";
        if (ref.credentialFile() != null) {
            Path file;
            try {
                file = Path.of(ref.credentialFile());
            } catch (java.nio.file.InvalidPathException e) {
                throw new CloudException(CloudException.CREDENTIAL_FILE,
                        "credential file " + ref.credentialFile().replace("\0", "\\0") + " is not a valid path");
            }
            principal = checkCredentials(file);
        }
        return new FakeAccount(world, runner, ref.subscription().strip(), principal);
    }

    /** Reads the credential file unless it is unchanged since it last read well; the principal it names. */
    private String checkCredentials(Path file) {
        FileTime modified = null;
        long size = -1;
        try {
            modified = Files.getLastModifiedTime(file);
            size = Files.size(file);
        } catch (IOException | RuntimeException e) {
            // CredentialFiles.read below says what is wrong.
        }
        FileStamp known = credentialStamps.get(file);
        if (modified != null && known != null && known.modified().equals(modified) && known.size() == size) {
            return known.principal();
        }
        credentialStamps.remove(file);
        String clientId = CredentialFiles.read(file).clientId();
        String principal = clientId == null ? "unknown" : clientId.toLowerCase(java.util.Locale.ROOT);
        if (modified != null) {
            credentialStamps.put(file, new FileStamp(modified, size, principal));
        }
        return principal;
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
            for (Vm vm : world.allVms()) {
                if (vm.displayName.equalsIgnoreCase(vmName)) {
                    vm.powerState = "deallocated";
                    vm.provisioningState = "succeeded";
                    vm.deallocateAt = null;
                    world.changed();
                    return;
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
            world.changed();
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
            world.changed();
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

    /** Operations started and not yet finished (for tests). */
    int pendingOperations() {
        return runner.pendingCount();
    }

    /** The last problem writing the state file, or null (never includes secret values). */
    public String lastStateWriteProblem() {
        return lastWriteProblem;
    }

    /** Fails operations under way, stops the timers and writes the state file. Returns promptly. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        scheduler.shutdownNow();
        runner.close();
        if (stateFile != null) {
            writeState(false);
        }
    }

    private void writeIfChanged() {
        if (!closed && world.dirty.get()) {
            writeState(true);
        }
    }

    /** Writes the state document to a temporary file beside the state file, then moves it into place atomically. */
    private void writeState(boolean periodic) {
        synchronized (writeLock) {
            // The snapshot is taken under the write lock, and a periodic write gives way once the cloud
            // is closed: a periodic write that took its snapshot earlier can never land after the
            // final one written at close.
            if (periodic && closed) {
                return;
            }
            world.dirty.set(false);
            String json = stateJson();
            Path target = stateFile.toAbsolutePath();
            Path dir = target.getParent();
            Path tmp = null;
            try {
                if (dir != null) {
                    Files.createDirectories(dir);
                }
                tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
                Files.writeString(tmp, json);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
                lastWriteProblem = null;
            } catch (IOException | UncheckedIOException e) {
                lastWriteProblem = "cannot write fake cloud state file " + target + ": " + e;
                LOG.log(System.Logger.Level.WARNING, lastWriteProblem);
                world.dirty.set(true);
                if (tmp != null) {
                    try {
                        Files.deleteIfExists(tmp);
                    } catch (IOException ignored) {
                        // best effort
                    }
                }
            }
        }
    }

    private void load(Path file) {
        JsonNode root;
        try {
            root = mapper.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            var loc = e.getLocation();
            throw new IllegalStateException("fake cloud state file " + file + " is not valid JSON"
                    + (loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")"));
        } catch (IOException e) {
            throw new IllegalStateException("fake cloud state file " + file + " cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
        if (root == null || root.isMissingNode()) {
            throw new IllegalStateException("fake cloud state file " + file + " is empty");
        }
        try {
            synchronized (world) {
                StateDocument.load(world, root, mapper);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("fake cloud state file " + file + " is not a valid state document: "
                    + e.getMessage());
        }
    }
}
