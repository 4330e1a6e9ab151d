package org.azuregahp.domain.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.azuregahp.domain.codec.GahpCodec;
import org.azuregahp.ports.ScaleSetStatus;
import org.azuregahp.ports.VmStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ResultEncoderTest {

    @Test
    void successWritesNullMarkersAndEscapes() {
        assertThat(ResultEncoder.encode("4", new Outcome.CreatedVm("/subscriptions/x/vm", null)))
                .isEqualTo("4 NULL /subscriptions/x/vm NULL");
        assertThat(ResultEncoder.encode("4", new Outcome.CreatedVm("id", "203.0.113.4")))
                .isEqualTo("4 NULL id 203.0.113.4");
        assertThat(ResultEncoder.encode("2", Outcome.done())).isEqualTo("2 NULL");
        assertThat(ResultEncoder.encode("3", new Outcome.VmList(List.of(new VmStatus("my vm", List.of()),
                new VmStatus("b", List.of("ProvisioningState/succeeded", "PowerState/running"))))))
                .isEqualTo("3 NULL 2 my\\ vm NULL b ProvisioningState/succeeded,PowerState/running");
        assertThat(ResultEncoder.encode("5", new Outcome.ScaleSetList(List.of(
                new ScaleSetStatus("s1", 3, List.of("PowerState/running")), new ScaleSetStatus("s2", 0, List.of())))))
                .isEqualTo("5 NULL 2 s1 3 PowerState/running s2 0 NULL");
        assertThat(ResultEncoder.encode("6", new Outcome.VmList(List.of()))).isEqualTo("6 NULL 0");
        assertThat(ResultEncoder.encode("7 8", new Outcome.Failed("Conflict: exists"))).isEqualTo("7\\ 8 Conflict:\\ exists");
    }

    @Test
    void errorIsOneEscapedArgumentAndNeverReadsAsSuccess() {
        assertThat(ResultEncoder.error("4", "QuotaExceeded: a\\b c")).isEqualTo("4 QuotaExceeded:\\ a\\\\b\\ c");
        // Line breaks and control characters become spaces, so the result is one physical line.
        assertThat(ResultEncoder.error("4", "QuotaExceeded: a\r\nb\tc\u0000d")).isEqualTo("4 QuotaExceeded:\\ a\\ \\ b\\ c\\ d");
        assertThat(ResultEncoder.error("4", "NULL")).isEqualTo("4 UnknownError");
        assertThat(ResultEncoder.error("4", "")).isEqualTo("4 UnknownError");
        assertThat(ResultEncoder.encode("4", new Outcome.Failed("NULL"))).isEqualTo("4 UnknownError");
    }

    @Test
    void aSuccessTooLargeForOneLineBecomesResultTooLargeCountingThePrefix() {
        Outcome list = new Outcome.VmList(List.of(new VmStatus("a".repeat(100), List.of("PowerState/running"))));
        String line = ResultEncoder.encode("9", list);
        long bytes = GahpCodec.utf8Length(line);
        ResultEncoder.Encoded fits = ResultEncoder.encode("9", "AZURE_VM_LIST", list, 5, (int) bytes + 5);
        assertThat(fits.line()).isEqualTo(line);
        assertThat(fits.sent()).isEqualTo(list);
        ResultEncoder.Encoded over = ResultEncoder.encode("9", "AZURE_VM_LIST", list, 6, (int) bytes + 5);
        assertThat(over.sent()).isEqualTo(new Outcome.Failed("ResultTooLarge: the AZURE_VM_LIST result has 1 entries and "
                + (bytes + 6) + " bytes, more than one result line may carry (" + (bytes + 5)
                + " bytes); list by name or tag instead"));
        assertThat(over.line()).startsWith("9 ResultTooLarge:");
    }

    static Stream<Arguments> roundTrips() {
        return Stream.of(
                Arguments.of(ResultShape.DONE, Outcome.done()),
                Arguments.of(ResultShape.CREATED_VM, new Outcome.CreatedVm("6f0c-1", "203.0.113.4")),
                Arguments.of(ResultShape.CREATED_VM, new Outcome.CreatedVm("6f0c-1", null)),
                Arguments.of(ResultShape.VM_LIST, new Outcome.VmList(List.of())),
                Arguments.of(ResultShape.VM_LIST, new Outcome.VmList(List.of(new VmStatus("a b\\c", List.of()),
                        new VmStatus("vm2", List.of("ProvisioningState/succeeded", "PowerState/running"))))),
                Arguments.of(ResultShape.SCALE_SET_LIST, new Outcome.ScaleSetList(List.of(
                        new ScaleSetStatus("pool1", 3, List.of("ProvisioningState/succeeded", "PowerState/running")),
                        new ScaleSetStatus("pool2", 0, List.of())))),
                Arguments.of(ResultShape.VM_LIST, new Outcome.Failed("ResourceNotFound: vm x could not be found")));
    }

    @ParameterizedTest
    @MethodSource("roundTrips")
    void everyOutcomeReadsBackAsItWasWritten(ResultShape shape, Outcome outcome) {
        List<String> f = GahpCodec.split(ResultEncoder.encode("42", outcome));
        assertThat(f.get(0)).isEqualTo("42");
        assertThat(ResultEncoder.decode(shape, f.get(1), f.subList(2, f.size()))).isEqualTo(outcome);
    }

    @Test
    void aLineWithTheWrongFieldCountIsNotReadAsAnOutcome() {
        assertThatThrownBy(() -> ResultEncoder.decode(ResultShape.DONE, "NULL", List.of("x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ResultEncoder.decode(ResultShape.CREATED_VM, "NULL", List.of("id")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ResultEncoder.decode(ResultShape.VM_LIST, "NULL", List.of("2", "a", "NULL")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ResultEncoder.decode(ResultShape.VM_LIST, "NULL", List.of("x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ResultEncoder.decode(ResultShape.SCALE_SET_LIST, "NULL",
                List.of("1", "s", "many", "NULL"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ResultEncoder.decode(ResultShape.DONE, "Conflict: x", List.of("extra")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailuresCodeIsTheWordBeforeTheColon() {
        assertThat(new Outcome.Failed("ResourceNotFound: gone").code()).isEqualTo("ResourceNotFound");
        assertThat(new Outcome.Failed("UnknownError").code()).isEqualTo("UnknownError");
        assertThat(Outcome.failed("Conflict", "exists")).isEqualTo(new Outcome.Failed("Conflict: exists"));
        assertThat(Outcome.done().succeeded()).isTrue();
        assertThat(Outcome.failed("X", "y").succeeded()).isFalse();
    }
}
