package org.azuregahp.domain.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.azuregahp.domain.command.CloudRequest;
import org.azuregahp.domain.command.CustomDataSource;
import org.azuregahp.domain.command.KeySource;
import org.azuregahp.domain.command.MachineRequest;
import org.azuregahp.ports.AdminCredential;
import org.azuregahp.ports.Cloud;
import org.azuregahp.ports.CloudAccount;
import org.azuregahp.ports.CloudException;
import org.azuregahp.ports.LocalFiles;
import org.azuregahp.ports.MachineSpec;
import org.azuregahp.ports.ResourceRef;
import org.azuregahp.ports.ScaleSetSpec;
import org.azuregahp.ports.ScaleSetStatus;
import org.azuregahp.ports.ScheduledDeletion;
import org.azuregahp.ports.VmQuery;
import org.azuregahp.ports.VmStatus;

/**
 * Runs each cloud request through the ports. Every method answers the success fields (after
 * {@code NULL}); failures fail the stage. Runs on the engine's worker threads, never the reader's.
 */
final class Handlers {

    static final int MAX_KEY_FILE_BYTES = 64 * 1024;
    static final int MAX_CUSTOM_DATA_BYTES = 256 * 1024;

    private final Cloud cloud;
    private final LocalFiles files;

    Handlers(Cloud cloud, LocalFiles files) {
        this.cloud = Objects.requireNonNull(cloud, "cloud");
        this.files = Objects.requireNonNull(files, "files");
    }

    CompletionStage<List<String>> run(CloudRequest r) {
        CloudAccount acct = cloud.account(r.account());
        if (acct == null) {
            throw new IllegalStateException("the cloud answered no account");
        }
        if (r instanceof CloudRequest.Ping) {
            return none(acct.ping());
        }
        if (r instanceof CloudRequest.VmCreate c) {
            MachineSpec spec = resolve(c.machine());
            return nonNull(acct.virtualMachines().create(spec))
                    .thenApply(vm -> java.util.Arrays.asList(vm.vmId(), vm.publicIp()));
        }
        if (r instanceof CloudRequest.VmDelete d) {
            return none(acct.virtualMachines().delete(d.vm()));
        }
        if (r instanceof CloudRequest.VmList l) {
            return vmList(acct, l.query()).thenApply(Handlers::vmFields);
        }
        if (r instanceof CloudRequest.VmssCreate c) {
            return vmssCreate(acct, c);
        }
        if (r instanceof CloudRequest.VmssDelete d) {
            // The delete decides the result: once the scale set and its group are gone, a failed cancel
            // leaves at worst a schedule that finds nothing to delete, so it must not turn success into error.
            return nonNull(acct.scaleSets().delete(d.scaleSet()))
                    .thenCompose(v -> cancelQuietly(acct, d.scaleSet().groupOrName()))
                    .thenApply(v -> List.of());
        }
        if (r instanceof CloudRequest.VmssStart s) {
            return none(acct.scaleSets().start(s.scaleSet()));
        }
        if (r instanceof CloudRequest.VmssStop s) {
            return none(acct.scaleSets().stop(s.scaleSet()));
        }
        if (r instanceof CloudRequest.VmssRestart s) {
            return none(acct.scaleSets().restart(s.scaleSet()));
        }
        if (r instanceof CloudRequest.VmssScale s) {
            return none(acct.scaleSets().scale(s.scaleSet(), s.nodeCount()));
        }
        if (r instanceof CloudRequest.VmssList l) {
            return nonNull(acct.scaleSets().list(l.scaleSetName())).thenApply(Handlers::vmssFields);
        }
        if (r instanceof CloudRequest.KeyvaultCreate k) {
            return none(acct.secretVaults().createVault(k.vault()));
        }
        throw new IllegalStateException("no handler for " + r.name());
    }

    /**
     * Secret first (nothing is created when it is missing), then the scale set, then the deletion
     * schedule; when scheduling fails the new scale set is deleted again and the scheduling error is
     * the result.
     */
    private CompletionStage<List<String>> vmssCreate(CloudAccount acct, CloudRequest.VmssCreate c) {
        ScaleSetSpec spec = new ScaleSetSpec(resolve(c.machine()), c.nodeCount(), c.secret());
        CompletionStage<Void> checked = c.secret() == null ? CompletableFuture.completedFuture(null)
                : nonNull(acct.secretVaults().checkSecret(c.secret()));
        CompletionStage<Void> created = checked.thenCompose(v -> nonNull(acct.scaleSets().create(spec)));
        if (c.deleteAt() == null) {
            return created.thenApply(v -> List.of());
        }
        ResourceRef ref = ResourceRef.named(spec.name());
        ScheduledDeletion deletion = new ScheduledDeletion(spec.name(), spec.machine().location(), c.deleteAt());
        return created.thenCompose(v -> {
            CompletableFuture<List<String>> out = new CompletableFuture<>();
            stageOf(() -> acct.deletionSchedules().schedule(deletion)).whenComplete((ok, err) -> {
                if (err == null) {
                    out.complete(List.of());
                    return;
                }
                deleteWithRetries(acct, ref, CLEANUP_ATTEMPTS).whenComplete((x, delErr) -> out.completeExceptionally(err));
            });
            return out;
        });
    }

    /**
     * A bare word ({@code AZURE_VM_LIST ... word}) may be a VM's name or a tag's name (protocol.md
     * writes {@code [<name> | <tag>[=<value>]]}): both are asked for and the answers merged, each VM
     * once. Either failing fails the list: a list is complete or an error.
     */
    private static CompletionStage<List<VmStatus>> vmList(CloudAccount acct, VmQuery query) {
        if (!(query instanceof VmQuery.ByName byName)) {
            return nonNull(acct.virtualMachines().list(query));
        }
        CompletionStage<List<VmStatus>> named = nonNull(acct.virtualMachines().list(query));
        CompletionStage<List<VmStatus>> tagged = stageOf(
                () -> acct.virtualMachines().list(new VmQuery.ByTag(byName.name(), null)));
        return named.thenCombine(tagged, (a, b) -> {
            java.util.Map<String, VmStatus> merged = new java.util.LinkedHashMap<>();
            for (VmStatus vm : a) {
                merged.putIfAbsent(vm.name(), vm);
            }
            for (VmStatus vm : b) {
                merged.putIfAbsent(vm.name(), vm);
            }
            return List.copyOf(merged.values());
        });
    }

    /** How often a scale set whose deletion could not be scheduled is tried to be deleted again. */
    static final int CLEANUP_ATTEMPTS = 5;

    /**
     * Deletes a scale set, trying again after 0.5, 1, 2 and 4 s when a delete fails: a scale set left
     * behind by a create that answered an error would run (and cost) with nobody knowing of it.
     */
    private static CompletionStage<Void> deleteWithRetries(CloudAccount acct, ResourceRef ref, int attempts) {
        return stageOf(() -> acct.scaleSets().delete(ref)).handle((ok, err) -> {
            if (err == null || attempts <= 1 || notFound(err)) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            long delayMs = 500L << (CLEANUP_ATTEMPTS - attempts);
            java.util.concurrent.Executor later = CompletableFuture.delayedExecutor(delayMs,
                    java.util.concurrent.TimeUnit.MILLISECONDS);
            return CompletableFuture.supplyAsync(() -> null, later)
                    .thenCompose(x -> deleteWithRetries(acct, ref, attempts - 1));
        }).thenCompose(x -> x);
    }

    private static boolean notFound(Throwable err) {
        Throwable t = ResultEncoder.unwrap(err);
        return t instanceof CloudException ce && CloudException.NOT_FOUND.equals(ce.code());
    }

    private static CompletionStage<Void> cancelQuietly(CloudAccount acct, String group) {
        return stageOf(() -> acct.deletionSchedules().cancel(group)).handle((x, err) -> null);
    }

    /** Calls {@code s}; a throw or a null stage becomes a failed stage. */
    private static <T> CompletionStage<T> stageOf(java.util.function.Supplier<CompletionStage<T>> s) {
        try {
            return nonNull(s.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static <T> CompletionStage<T> nonNull(CompletionStage<T> stage) {
        if (stage == null) {
            throw new IllegalStateException("a cloud port answered no stage");
        }
        return stage;
    }

    private static CompletionStage<List<String>> none(CompletionStage<Void> stage) {
        return nonNull(stage).thenApply(v -> List.of());
    }

    static List<String> vmFields(List<VmStatus> vms) {
        List<String> out = new ArrayList<>(1 + 2 * vms.size());
        out.add(Integer.toString(vms.size()));
        for (VmStatus vm : vms) {
            out.add(vm.name());
            out.add(vm.statuses().isEmpty() ? "NULL" : vm.statusText());
        }
        return out;
    }

    static List<String> vmssFields(List<ScaleSetStatus> sets) {
        List<String> out = new ArrayList<>(1 + 3 * sets.size());
        out.add(Integer.toString(sets.size()));
        for (ScaleSetStatus s : sets) {
            out.add(s.name());
            out.add(Integer.toString(s.capacity()));
            out.add(s.statuses().isEmpty() ? "NULL" : s.statusText());
        }
        return out;
    }

    /** Reads {@code key=} and {@code customData=} files now, at execution time. */
    MachineSpec resolve(MachineRequest m) {
        AdminCredential credential = null;
        if (m.key() instanceof KeySource.Given g) {
            credential = g.credential();
        } else if (m.key() instanceof KeySource.KeyFile f) {
            Optional<String> text = files.readIfExists(f.path(), MAX_KEY_FILE_BYTES);
            if (text.isEmpty()) {
                // The value is not echoed: a password that happens to start with '/' must not leak.
                throw CloudException.invalid("the key= value looks like a file path, but no such file exists");
            }
            String key = firstKeyLine(text.get());
            if (key == null) {
                throw CloudException.invalid("the key file " + f.path() + " does not hold an SSH public key");
            }
            credential = new AdminCredential.SshPublicKey(key);
        }
        String customData = null;
        if (m.customData() instanceof CustomDataSource.Text t) {
            customData = t.text();
        } else if (m.customData() instanceof CustomDataSource.PathOrText p) {
            customData = files.readIfExists(p.value(), MAX_CUSTOM_DATA_BYTES).orElse(p.value());
        }
        return m.toSpec(credential, customData);
    }

    private static String firstKeyLine(String text) {
        for (String line : text.split("\r?\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            return org.azuregahp.domain.command.KeyText.looksLikeSshKey(t) ? t : null;
        }
        return null;
    }
}
