package org.azuregahp.domain.result;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.azuregahp.domain.client.ResultLine;
import org.azuregahp.domain.codec.GahpCodec;
import org.azuregahp.domain.result.ResultEncoder.Encoded;
import org.azuregahp.domain.result.ResultEncoder.VmListForm;
import org.azuregahp.ports.VmStatus;
import org.azuregahp.ports.testing.GridmanagerReading;
import org.junit.jupiter.api.Test;

/**
 * An {@code AZURE_VM_LIST} result too long for one line in full (HTCondor's bulk status poll over
 * about 6,000 VMs) takes a compact form that the gridmanager reads the same: each read here with
 * {@link #gridmanagerReads}, which reads a line as HTCondor's gridmanager does.
 */
class VmListFormsTest {

    /** HTCondor's gridmanager reads a line into a buffer of this many bytes and aborts on a longer one. */
    static final int GRIDMANAGER_BUFFER = GridmanagerReading.BUFFER;
    /** The server's own limit (protocol.md: never a line longer than 400,000 bytes). */
    static final int SERVER_LIMIT = 400_000;
    /** How long a compact VM list may be (issue 12.2: under the gridmanager's buffer). */
    static final int COMPACT_LIMIT = 500_000;
    static final String PREFIX = "GAHP:";
    static final List<String> RUNNING = List.of("ProvisioningState/succeeded", "PowerState/running");
    static final List<String> DEALLOCATED = List.of("ProvisioningState/succeeded", "PowerState/deallocated");

    /** What the gridmanager makes of a result line ({@link GridmanagerReading}): name → state, in order. */
    static Map<String, String> gridmanagerReads(String line) {
        return GridmanagerReading.vmList(PREFIX + line, PREFIX).states();
    }

    /**
     * The buffer check above counts stored bytes per argument, as the gridmanager's {@code ibuf} is reset
     * for each argument; the whole line must fit too, since the gridmanager keeps the line in one buffer.
     */
    static long lineBytes(String line) {
        return GahpCodec.utf8Length(PREFIX + line);
    }

    /** What the gridmanager reads from the full list: the state after the last '/' of each VM's status. */
    static Map<String, String> expected(List<VmStatus> vms) {
        Map<String, String> states = new LinkedHashMap<>();
        for (VmStatus vm : vms) {
            String status = vm.statuses().isEmpty() ? "NULL" : vm.statusText();
            int slash = status.lastIndexOf('/');
            states.put(vm.name().toLowerCase(Locale.ROOT), slash < 0 ? status : status.substring(slash + 1));
        }
        return states;
    }

    /** The outcome as a client reads it back from the line (which does not say who created a VM). */
    static Outcome asRead(Outcome o) {
        if (o instanceof Outcome.VmList l) {
            return new Outcome.VmList(l.vms().stream().map(v -> new VmStatus(v.name(), v.statuses())).toList());
        }
        return o;
    }

    static Encoded encode(List<VmStatus> vms, int limit) {
        return ResultEncoder.encode("12345", "AZURE_VM_LIST", new Outcome.VmList(vms), PREFIX.length(), limit);
    }

    /** {@code clusters × procs} VMs named as HTCondor names them, every seventh deallocated. */
    static List<VmStatus> htcondorVms(int firstCluster, int clusters, int procs) {
        List<VmStatus> vms = new ArrayList<>();
        for (int c = 0; c < clusters; c++) {
            for (int p = 0; p < procs; p++) {
                vms.add(new VmStatus("condorc" + (firstCluster + c) + "p" + p, vms.size() % 7 == 3 ? DEALLOCATED : RUNNING,
                        true));
            }
        }
        return vms;
    }

    /** As the engine encodes by default: full forms within 400,000 bytes, compact lists within 500,000. */
    static Encoded encodeAsServer(List<VmStatus> vms) {
        return ResultEncoder.encode("12345", "AZURE_VM_LIST", new Outcome.VmList(vms), PREFIX.length(), SERVER_LIMIT,
                COMPACT_LIMIT);
    }

    @Test
    void twentyThousandHtcondorVmsFitInOneLineUnderTheGridmanagersBufferWithBareStates() {
        // 4,000 submits of 5 jobs each, cluster ids of 6 digits: condorc123456p0 .. condorc127455p4.
        List<VmStatus> vms = htcondorVms(123_456, 4_000, 5);
        assertThat(vms).hasSize(20_000);
        Encoded full = encode(vms, Integer.MAX_VALUE);
        assertThat(lineBytes(full.line())).as("in full: 1.26 MB").isGreaterThan(1_250_000);

        Encoded e = encodeAsServer(vms);
        assertThat(e.shortened().form()).isEqualTo(VmListForm.STATE_WORD);
        assertThat(e.shortened().leftOut()).isZero();
        // 24 bytes a VM ("condorc123456p0 running "): 480,000 and a little.
        assertThat(lineBytes(e.line())).isLessThanOrEqualTo(COMPACT_LIMIT).isLessThan(GRIDMANAGER_BUFFER)
                .isEqualTo(e.shortened().sentBytes()).isGreaterThan(SERVER_LIMIT);
        assertThat(gridmanagerReads(e.line())).isEqualTo(expected(vms)).hasSize(20_000);
        assertThat(e.line()).contains(" condorc123456p0 running ", " condorc123456p3 deallocated ");
        assertThat(asRead(e.sent())).as("what listeners hear is what the line says")
                .isEqualTo(ResultLine.parse(e.line()).outcome("AZURE_VM_LIST"));
    }

    @Test
    void theFullFormKeepsTheServersOwnLimitOnlyCompactFormsGoFurther() {
        // The full form stops near 6,000 of HTCondor's VMs (400,000 bytes); the power-state form then
        // carries them (35 bytes a VM) within the same 400,000.
        assertThat(encodeAsServer(htcondorVms(123_456, 1_200, 5)).shortened()).isNull();
        Encoded power = encodeAsServer(htcondorVms(123_456, 1_300, 5));
        assertThat(power.shortened().form()).isEqualTo(VmListForm.POWER_STATE);
        assertThat(lineBytes(power.line())).isLessThanOrEqualTo(SERVER_LIMIT);

        // With one limit of 400,000 for every form, bare states carry 16,000 and 20,000 do not fit.
        List<VmStatus> sixteenThousand = htcondorVms(123_456, 3_200, 5);
        Encoded e = encode(sixteenThousand, SERVER_LIMIT);
        assertThat(e.shortened().form()).isEqualTo(VmListForm.STATE_WORD);
        assertThat(lineBytes(e.line())).isLessThanOrEqualTo(SERVER_LIMIT);
        assertThat(gridmanagerReads(e.line())).isEqualTo(expected(sixteenThousand));
        Encoded twenty = encode(htcondorVms(123_456, 4_000, 5), SERVER_LIMIT);
        assertThat(twenty.sent()).isInstanceOf(Outcome.Failed.class);
        assertThat(((Outcome.Failed) twenty.sent()).text()).startsWith("ResultTooLarge: the AZURE_VM_LIST result has 20000"
                + " entries and ").contains(" with bare states, ").contains(" with only the 20000 VMs created by this server,");

        // Past 20,800 of them even bare states pass 500,000: HTCondor's VMs are never left out, so it is an error.
        Encoded tooMany = encodeAsServer(htcondorVms(123_456, 4_200, 5));
        assertThat(((Outcome.Failed) tooMany.sent()).text()).startsWith("ResultTooLarge: the AZURE_VM_LIST result has 21000"
                + " entries").endsWith("more than the 500000 bytes a compact list may take), more than one result line may"
                + " carry (400000 bytes); list by name or tag instead");
        assertThat(lineBytes(tooMany.line())).isLessThanOrEqualTo(SERVER_LIMIT);
    }

    @Test
    void vmsNotCreatedByThisServerAreLeftOutOnlyWhenBareStatesDoNotFit() {
        List<VmStatus> vms = new ArrayList<>(htcondorVms(123_456, 4_000, 5));
        for (int i = 0; i < 1_000; i++) {
            vms.add(new VmStatus("made-by-hand-" + i, RUNNING, false));
        }
        Encoded e = encodeAsServer(vms);
        assertThat(e.shortened().form()).isEqualTo(VmListForm.CREATED_BY_SERVER_ONLY);
        assertThat(e.shortened().leftOut()).isEqualTo(1_000);
        assertThat(lineBytes(e.line())).isLessThanOrEqualTo(COMPACT_LIMIT);
        assertThat(gridmanagerReads(e.line())).isEqualTo(expected(vms.subList(0, 20_000)));

        List<VmStatus> fewer = new ArrayList<>(htcondorVms(123_456, 3_000, 5));
        fewer.addAll(vms.subList(20_000, 21_000));
        Encoded bare = encodeAsServer(fewer);
        assertThat(bare.shortened().form()).isEqualTo(VmListForm.STATE_WORD);
        assertThat(gridmanagerReads(bare.line())).isEqualTo(expected(fewer)).hasSize(16_000);
    }

    @Test
    void eachFormIsTakenOnlyWhenTheFullerOnesDoNotFitThePrefixIncluded() {
        List<VmStatus> vms = List.of(new VmStatus("condorc1p0", RUNNING, true),
                new VmStatus("other-group", DEALLOCATED, false),
                new VmStatus("condorc2p0", List.of("ProvisioningState/creating"), true));
        String full = "12345 NULL 3 condorc1p0 ProvisioningState/succeeded,PowerState/running other-group"
                + " ProvisioningState/succeeded,PowerState/deallocated condorc2p0 ProvisioningState/creating";
        String power = "12345 NULL 3 condorc1p0 PowerState/running other-group PowerState/deallocated condorc2p0"
                + " ProvisioningState/creating";
        String word = "12345 NULL 3 condorc1p0 running other-group deallocated condorc2p0 creating";
        String ours = "12345 NULL 2 condorc1p0 running condorc2p0 creating";
        String[] lines = {full, power, word, ours};
        VmListForm[] forms = VmListForm.values();
        for (int f = 0; f < lines.length; f++) {
            int exact = (int) lineBytes(lines[f]);
            Encoded fits = encode(vms, exact);
            assertThat(fits.line()).as("%s in exactly its length", forms[f]).isEqualTo(lines[f]);
            if (f == 0) {
                assertThat(fits.shortened()).isNull();
            } else {
                assertThat(fits.shortened().form()).isEqualTo(forms[f]);
                assertThat(fits.shortened().sentBytes()).isEqualTo(exact);
                assertThat(fits.shortened().fullBytes()).isEqualTo(lineBytes(full));
                assertThat(fits.shortened().leftOut()).isEqualTo(forms[f] == VmListForm.CREATED_BY_SERVER_ONLY ? 1 : 0);
            }
            Map<String, String> read = gridmanagerReads(fits.line());
            Map<String, String> want = expected(vms);
            if (forms[f] == VmListForm.CREATED_BY_SERVER_ONLY) {
                want.remove("other-group");
            }
            assertThat(read).as("the gridmanager reads %s", forms[f]).isEqualTo(want);
            if (f + 1 < lines.length) {
                assertThat(encode(vms, exact - 1).line()).as("one byte less than %s", forms[f]).isEqualTo(lines[f + 1]);
            }
        }
        Encoded none = encode(vms, (int) lineBytes(ours) - 1);
        assertThat(none.line()).startsWith("12345 ResultTooLarge:\\ the\\ AZURE_VM_LIST\\ result\\ has\\ 3\\ entries");
        assertThat(none.shortened()).isNull();
    }

    @Test
    void theGridmanagerReadsTheSameStateFromEveryFormWhateverTheStatusesLookLike() {
        Random random = new Random(12);
        String[] codes = {"ProvisioningState/succeeded", "PowerState/running", "PowerState/deallocated", "OSState/generalized",
                "odd", "odd/", "/", "with space/and more", "PowerState/with\\backslash", "a/b/c", "ProvisioningState/", ""};
        List<VmStatus> vms = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            List<String> statuses = new ArrayList<>();
            int n = random.nextInt(4);
            for (int k = 0; k < n; k++) {
                statuses.add(codes[random.nextInt(codes.length)]);
            }
            vms.add(new VmStatus("vm " + i, statuses, random.nextBoolean()));
        }
        Map<String, String> want = expected(vms);
        long full = lineBytes(encode(vms, Integer.MAX_VALUE).line());
        for (long limit = full; limit > 0; limit -= 397) {
            Encoded e = encode(vms, (int) limit);
            if (e.sent() instanceof Outcome.Failed) {
                assertThat(e.line()).contains("ResultTooLarge");
                break;
            }
            assertThat(lineBytes(e.line())).isLessThanOrEqualTo(limit);
            Map<String, String> read = gridmanagerReads(e.line());
            if (e.shortened() != null && e.shortened().form() == VmListForm.CREATED_BY_SERVER_ONLY) {
                Map<String, String> ours = new LinkedHashMap<>();
                vms.stream().filter(VmStatus::createdByServer).forEach(v -> ours.put(
                        v.name().toLowerCase(Locale.ROOT), want.get(v.name().toLowerCase(Locale.ROOT))));
                assertThat(read).isEqualTo(ours);
            } else {
                assertThat(read).isEqualTo(want);
            }
            assertThat(asRead(e.sent())).isEqualTo(ResultLine.parse(e.line()).outcome("AZURE_VM_LIST"));
        }
    }

    @Test
    void aVmWithoutStatusesIsNullInEveryForm() {
        VmStatus bare = new VmStatus("new-vm", List.of(), true);
        for (VmListForm form : VmListForm.values()) {
            assertThat(ResultEncoder.status(bare, form)).isEqualTo("NULL");
        }
        VmStatus vm = new VmStatus("x", List.of("ProvisioningState/succeeded", "odd/"), true);
        assertThat(ResultEncoder.status(vm, VmListForm.POWER_STATE)).isEqualTo("odd/");
        assertThat(ResultEncoder.status(vm, VmListForm.STATE_WORD)).as("no empty word").isEqualTo("odd/");
    }
}
