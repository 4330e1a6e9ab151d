package org.azuregahp.domain.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.azuregahp.domain.result.Outcome;
import org.azuregahp.domain.result.ResultShape;
import org.azuregahp.ports.ScaleSetStatus;
import org.azuregahp.ports.VmStatus;
import org.junit.jupiter.api.Test;

class ClientLinesTest {

    @Test
    void requestLinesEscapeEveryArgument() {
        assertThat(RequestLine.of("AZURE_VM_CREATE", "4", "/home/alice/azure_auth.json", "sub", "name=condorc1p0",
                "key=ssh-rsa AAAA alice@laptop"))
                .isEqualTo("AZURE_VM_CREATE 4 /home/alice/azure_auth.json sub name=condorc1p0 "
                        + "key=ssh-rsa\\ AAAA\\ alice@laptop");
        assertThat(RequestLine.of("AZURE_PING", "2", null, "sub")).isEqualTo("AZURE_PING 2 NULL sub");
        assertThat(RequestLine.of("RESULTS")).isEqualTo("RESULTS");
        assertThat(RequestLine.of("X", List.of("a\\", "b"))).isEqualTo("X a\\\\ b");
    }

    @Test
    void returnLinesDropThePrefix() {
        ReturnLine s = ReturnLine.parse("GAHP:S 2", "GAHP:");
        assertThat(s.kind()).isEqualTo("S");
        assertThat(s.fields()).containsExactly("2");
        assertThat(s.success()).isTrue();
        assertThat(ReturnLine.parse("GAHP:R", "GAHP:").resultsNotice()).isTrue();
        assertThat(ReturnLine.parse("S", "GAHP:").success()).isTrue();
        ReturnLine e = ReturnLine.parse("E unknown\\ command");
        assertThat(e.error()).isTrue();
        assertThat(e.fields()).containsExactly("unknown command");
    }

    @Test
    void resultLinesSplitIntoIdStatusAndFields() {
        ResultLine ok = ResultLine.parse("5 NULL 1 CONDORC1P0 ProvisioningState/succeeded,PowerState/running");
        assertThat(ok.requestId()).isEqualTo("5");
        assertThat(ok.success()).isTrue();
        assertThat(ok.errorText()).isEmpty();
        assertThat(ok.fields()).containsExactly("1", "CONDORC1P0", "ProvisioningState/succeeded,PowerState/running");
        assertThat(ok.fieldCount()).isEqualTo(5);

        ResultLine err = ResultLine.parse("4 QuotaExceeded:\\ stub\\ says\\ no");
        assertThat(err.success()).isFalse();
        assertThat(err.status()).isEqualTo("QuotaExceeded: stub says no");
        assertThat(err.errorText()).contains("QuotaExceeded: stub says no");
        assertThat(err.fields()).isEmpty();

        assertThat(ResultLine.tryParse("lonely")).isEmpty();
        assertThatThrownBy(() -> ResultLine.parse("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resultLinesReadBackAsTypedOutcomesOfTheirCommand() {
        assertThat(ResultLine.parse("5 NULL 1 CONDORC1P0 ProvisioningState/succeeded,PowerState/running")
                .outcome("azure_vm_list")).isEqualTo(new Outcome.VmList(List.of(new VmStatus("CONDORC1P0",
                        List.of("ProvisioningState/succeeded", "PowerState/running")))));
        assertThat(ResultLine.parse("2 NULL 6f0c NULL").outcome("AZURE_VM_CREATE"))
                .isEqualTo(new Outcome.CreatedVm("6f0c", null));
        assertThat(ResultLine.parse("3 NULL 1 pool 2 NULL").outcome(ResultShape.SCALE_SET_LIST))
                .isEqualTo(new Outcome.ScaleSetList(List.of(new ScaleSetStatus("pool", 2, List.of()))));
        assertThat(ResultLine.parse("4 NULL").outcome("AZURE_VMSS_DELETE")).isEqualTo(Outcome.done());
        assertThat(ResultLine.parse("4 QuotaExceeded:\\ no").outcome("AZURE_VM_CREATE"))
                .isEqualTo(new Outcome.Failed("QuotaExceeded: no"));
        assertThatThrownBy(() -> ResultLine.parse("4 NULL x").outcome("AZURE_PING"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ResultLine.parse("4 NULL").outcome("RESULTS"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
