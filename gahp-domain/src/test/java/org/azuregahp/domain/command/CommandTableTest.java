package org.azuregahp.domain.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.azuregahp.domain.result.ResultShape;
import org.junit.jupiter.api.Test;

class CommandTableTest {

    final CommandTable table = CommandTable.standard();

    @Test
    void listsEveryCommandInAStableOrderIncludingTheOnesTheGridmanagerLooksFor() {
        assertThat(table.names()).containsExactly("AZURE_PING", "AZURE_VM_CREATE", "AZURE_VM_DELETE", "AZURE_VM_LIST",
                "AZURE_VMSS_CREATE", "AZURE_VMSS_DELETE", "AZURE_VMSS_START", "AZURE_VMSS_STOP",
                "AZURE_VMSS_RESTART", "AZURE_VMSS_SCALE", "AZURE_VMSS_LIST", "AZURE_KEYVAULT_CREATE",
                "ASYNC_MODE_ON", "ASYNC_MODE_OFF", "COMMANDS", "CONDOR_VERSION", "QUIT", "RESPONSE_PREFIX",
                "RESULTS", "STATISTICS", "VERSION");
    }

    @Test
    void cloudRequestsSayWhatTheirResultHoldsAndSessionCommandsHaveNoResultLine() {
        assertThat(table.find("AZURE_VM_CREATE").orElseThrow().resultShape()).isEqualTo(ResultShape.CREATED_VM);
        assertThat(table.find("AZURE_VM_LIST").orElseThrow().resultShape()).isEqualTo(ResultShape.VM_LIST);
        assertThat(table.find("AZURE_VMSS_LIST").orElseThrow().resultShape()).isEqualTo(ResultShape.SCALE_SET_LIST);
        for (String name : List.of("AZURE_PING", "AZURE_VM_DELETE", "AZURE_VMSS_CREATE", "AZURE_VMSS_DELETE",
                "AZURE_VMSS_START", "AZURE_VMSS_STOP", "AZURE_VMSS_RESTART", "AZURE_VMSS_SCALE",
                "AZURE_KEYVAULT_CREATE")) {
            assertThat(table.find(name).orElseThrow().resultShape()).as(name).isEqualTo(ResultShape.DONE);
        }
        assertThat(table.infos()).filteredOn(i -> !i.cloudRequest()).extracting(CommandInfo::resultShape)
                .hasSize(9).containsOnlyNulls();
    }

    @Test
    void findIsCaseInsensitive() {
        assertThat(table.find("azure_vm_create")).isPresent().get()
                .satisfies(i -> {
                    assertThat(i.name()).isEqualTo("AZURE_VM_CREATE");
                    assertThat(i.cloudRequest()).isTrue();
                    assertThat(i.keys()).contains("name", "location", "image", "size", "adminUsername", "key",
                            "dataDisks", "publicIPAddress", "customData", "tag", "osType", "priority", "maxPrice");
                    assertThat(i.usage()).startsWith("AZURE_VM_CREATE <id>");
                });
        assertThat(table.find("Results")).map(CommandInfo::cloudRequest).contains(false);
        assertThat(table.find("nope")).isEmpty();
        assertThat(table.find(null)).isEmpty();
    }

    @Test
    void everyRowHasUsageAndSummaryAndSensibleArity() {
        for (CommandInfo i : table.infos()) {
            assertThat(i.usage()).startsWith(i.name());
            assertThat(i.summary()).isNotBlank();
            assertThat(table.minArgs(i.name())).isGreaterThanOrEqualTo(i.cloudRequest() ? 4 : 1);
        }
        assertThat(table.find("AZURE_VMSS_CREATE").orElseThrow().keys())
                .contains("nodecount", "deletionjob", "schedule", "keyvaultname", "keyvaultrg", "vaultkey");
        assertThat(table.find("AZURE_KEYVAULT_CREATE").orElseThrow().keys())
                .containsExactly("name", "location", "sku", "users");
        assertThat(table.find("AZURE_PING").orElseThrow().keys()).isEmpty();
    }
}
