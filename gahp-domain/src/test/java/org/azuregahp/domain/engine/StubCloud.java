package org.azuregahp.domain.engine;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.azuregahp.ports.AccountRef;
import org.azuregahp.ports.Cloud;
import org.azuregahp.ports.CloudAccount;
import org.azuregahp.ports.CloudStatistics;
import org.azuregahp.ports.DeletionSchedules;
import org.azuregahp.ports.MachineSpec;
import org.azuregahp.ports.ResourceRef;
import org.azuregahp.ports.ScaleSetSpec;
import org.azuregahp.ports.ScaleSetStatus;
import org.azuregahp.ports.ScaleSets;
import org.azuregahp.ports.ScheduledDeletion;
import org.azuregahp.ports.SecretVaults;
import org.azuregahp.ports.VaultSecretRef;
import org.azuregahp.ports.VaultSpec;
import org.azuregahp.ports.VirtualMachines;
import org.azuregahp.ports.VmCreated;
import org.azuregahp.ports.VmQuery;
import org.azuregahp.ports.VmStatus;

/**
 * A programmable stand-in for the cloud ports: every call is recorded as {@link Call} and answered
 * by the behaviour registered for its operation name (default: success with an empty answer).
 */
final class StubCloud implements Cloud {

    /** One port call: operation name ({@code ping}, {@code vm.create}, ...), its argument, its account. */
    record Call(String op, Object arg, AccountRef account, String thread) {
    }

    final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
    final Map<String, Function<Object, CompletionStage<?>>> behaviour = new ConcurrentHashMap<>();
    final AtomicLong throttled = new AtomicLong();
    volatile Function<AccountRef, CloudAccount> accountHook;

    StubCloud on(String op, Function<Object, CompletionStage<?>> answer) {
        behaviour.put(op, answer);
        return this;
    }

    Call nextCall() throws InterruptedException {
        Call c = calls.poll(5, TimeUnit.SECONDS);
        if (c == null) {
            throw new AssertionError("no port call within 5 s");
        }
        return c;
    }

    /** What {@code statistics().stateFile()} answers (null: no state file). */
    volatile String stateFile;

    @Override
    public CloudStatistics statistics() {
        return new CloudStatistics() {
            @Override
            public long throttledRetries() {
                return throttled.get();
            }

            @Override
            public String stateFile() {
                return stateFile;
            }
        };
    }

    @SuppressWarnings("unchecked")
    private <T> CompletionStage<T> call(AccountRef acct, String op, Object arg, Object dflt) {
        calls.add(new Call(op, arg, acct, Thread.currentThread().getName()));
        Function<Object, CompletionStage<?>> f = behaviour.get(op);
        if (f == null) {
            return CompletableFuture.completedFuture((T) dflt);
        }
        return (CompletionStage<T>) f.apply(arg);
    }

    @Override
    public CloudAccount account(AccountRef ref) {
        if (accountHook != null) {
            return accountHook.apply(ref);
        }
        return new Account(ref);
    }

    final class Account implements CloudAccount {
        final AccountRef ref;

        Account(AccountRef ref) {
            this.ref = ref;
        }

        @Override
        public CompletionStage<Void> ping() {
            return call(ref, "ping", null, null);
        }

        @Override
        public VirtualMachines virtualMachines() {
            return new VirtualMachines() {
                @Override
                public CompletionStage<VmCreated> create(MachineSpec spec) {
                    return call(ref, "vm.create", spec, new VmCreated("vm-id-" + spec.name(), null));
                }

                @Override
                public CompletionStage<Void> delete(ResourceRef vm) {
                    return call(ref, "vm.delete", vm, null);
                }

                @Override
                public CompletionStage<List<VmStatus>> list(VmQuery query) {
                    return call(ref, "vm.list", query, List.of());
                }
            };
        }

        @Override
        public ScaleSets scaleSets() {
            return new ScaleSets() {
                @Override
                public CompletionStage<Void> create(ScaleSetSpec spec) {
                    return call(ref, "vmss.create", spec, null);
                }

                @Override
                public CompletionStage<Void> delete(ResourceRef s) {
                    return call(ref, "vmss.delete", s, null);
                }

                @Override
                public CompletionStage<Void> start(ResourceRef s) {
                    return call(ref, "vmss.start", s, null);
                }

                @Override
                public CompletionStage<Void> stop(ResourceRef s) {
                    return call(ref, "vmss.stop", s, null);
                }

                @Override
                public CompletionStage<Void> restart(ResourceRef s) {
                    return call(ref, "vmss.restart", s, null);
                }

                @Override
                public CompletionStage<Void> scale(ResourceRef s, int capacity) {
                    return call(ref, "vmss.scale", List.of(s, capacity), null);
                }

                @Override
                public CompletionStage<List<ScaleSetStatus>> list(String name) {
                    return call(ref, "vmss.list", name, List.of());
                }
            };
        }

        @Override
        public SecretVaults secretVaults() {
            return new SecretVaults() {
                @Override
                public CompletionStage<Void> checkSecret(VaultSecretRef secret) {
                    return call(ref, "vault.check", secret, null);
                }

                @Override
                public CompletionStage<Void> createVault(VaultSpec vault) {
                    return call(ref, "vault.create", vault, null);
                }
            };
        }

        @Override
        public DeletionSchedules deletionSchedules() {
            return new DeletionSchedules() {
                @Override
                public CompletionStage<Void> schedule(ScheduledDeletion deletion) {
                    return call(ref, "schedule", deletion, null);
                }

                @Override
                public CompletionStage<Void> cancel(String resourceGroup) {
                    return call(ref, "schedule.cancel", resourceGroup, null);
                }
            };
        }
    }
}
