package org.azuregahp.domain.command;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.azuregahp.domain.result.Outcome;
import org.azuregahp.ports.CloudAccount;
import org.azuregahp.ports.VmQuery;
import org.azuregahp.ports.VmStatus;

/** The handlers of the VM commands: {@code AZURE_VM_CREATE}, {@code AZURE_VM_DELETE}, {@code AZURE_VM_LIST}. */
final class VmCommands {

    private VmCommands() {
    }

    static CompletionStage<Outcome> create(CloudRequest.VmCreate c, CommandContext ctx) {
        CloudAccount acct = ctx.account();
        return MachineSpecs.resolve(c.machine(), ctx)
                .thenCompose(spec -> Stages.nonNull(acct.virtualMachines().create(spec)))
                .thenApply(vm -> new Outcome.CreatedVm(vm.vmId(), vm.publicIp()));
    }

    static CompletionStage<Outcome> delete(CloudRequest.VmDelete d, CommandContext ctx) {
        return Stages.done(ctx.account().virtualMachines().delete(d.vm()));
    }

    /**
     * A bare word ({@code AZURE_VM_LIST ... word}) may be a VM's name or a tag's name (protocol.md
     * writes {@code [<name> | <tag>[=<value>]]}): both are asked for and the answers merged, each VM
     * once. Either failing fails the list: a list is complete or an error.
     */
    static CompletionStage<Outcome> list(CloudRequest.VmList l, CommandContext ctx) {
        CloudAccount acct = ctx.account();
        VmQuery query = l.query();
        CompletionStage<List<VmStatus>> named = Stages.nonNull(acct.virtualMachines().list(query));
        if (!(query instanceof VmQuery.ByName byName)) {
            return named.thenApply(Outcome.VmList::new);
        }
        CompletionStage<List<VmStatus>> tagged = Stages.stageOf(
                () -> acct.virtualMachines().list(new VmQuery.ByTag(byName.name(), null)));
        return named.thenCombine(tagged, (a, b) -> {
            Map<String, VmStatus> merged = new LinkedHashMap<>();
            for (VmStatus vm : a) {
                merged.putIfAbsent(vm.name(), vm);
            }
            for (VmStatus vm : b) {
                merged.putIfAbsent(vm.name(), vm);
            }
            return new Outcome.VmList(List.copyOf(merged.values()));
        });
    }
}
