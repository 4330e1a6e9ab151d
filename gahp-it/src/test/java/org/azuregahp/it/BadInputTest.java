package org.azuregahp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Malformed, oversized and binary request lines: the server answers exactly one return line per
 * request line, writes nothing but protocol, and keeps serving.
 */
class BadInputTest {
    static final String SUB = "00000000-0000-0000-0000-000000000001";

    static List<byte[]> nastyLines(long seed) {
        Random rnd = new Random(seed);
        List<byte[]> lines = new ArrayList<>();
        lines.add(new byte[0]);
        lines.add(bytes("   "));
        lines.add(bytes("\\"));
        lines.add(bytes("RESULTS\\"));
        lines.add(bytes("AZURE_PING\\ 2 NULL sub"));
        lines.add(bytes("AZURE_PING 2\\"));
        lines.add(new byte[] {0, 0, 0});
        lines.add(new byte[] {'A', 'Z', (byte) 0xC3, (byte) 0x28, ' ', (byte) 0xFF, (byte) 0xFE});
        lines.add(bytes("AZURE_VM_CREATE 10 NULL " + SUB + " name=\u00e9\u00e8 location=westeurope size=x image=y"));
        lines.add(bytes("AZURE_VM_CREATE 11 NULL " + SUB + " name=a location=westeurope size=Standard_B1s image=linux-ubuntu-latest dataDisks=99999"));
        lines.add(bytes("AZURE_VM_CREATE 12 NULL " + SUB + " name=a location=westeurope size=Standard_B1s image=linux-ubuntu-latest bogus=1"));
        lines.add(bytes("AZURE_VM_CREATE 13 NULL " + SUB + " location=westeurope"));
        lines.add(bytes("AZURE_VMSS_SCALE 14 NULL " + SUB + " name=x nodecount=-5"));
        lines.add(bytes("AZURE_VM_LIST 15 NULL " + SUB + " a b c d e f"));
        lines.add(bytes("CR\rIN\rTHE\rMIDDLE"));
        StringBuilder many = new StringBuilder("AZURE_VM_DELETE 16 NULL " + SUB);
        for (int i = 0; i < 5000; i++) {
            many.append(" x").append(i);
        }
        lines.add(bytes(many.toString()));
        byte[] huge = new byte[3 << 20];
        java.util.Arrays.fill(huge, (byte) 'A');
        lines.add(huge);
        for (int i = 0; i < 40; i++) {
            byte[] b = new byte[rnd.nextInt(300)];
            rnd.nextBytes(b);
            for (int j = 0; j < b.length; j++) {
                if (b[j] == '\n') {
                    b[j] = ' ';
                }
            }
            lines.add(b);
        }
        return lines;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyLineGetsExactlyOneReturnLineAndTheServerKeepsServing() throws Exception {
        try (GahpProcess gahp = GahpProcess.start("--cloud", "fake")) {
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            for (byte[] line : nastyLines(42)) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                b.write(line);
                b.write('\r');
                b.write('\n');
                gahp.sendRaw(b.toByteArray());
                String ret = s.returnLine();
                assertThat(ret).as("return line for a %d-byte line", line.length).matches("(S|E)( .*)?");
            }
            // Still serving, and every request accepted with S got exactly one result.
            assertThat(s.command("AZURE_PING 99 NULL " + SUB)).containsExactly("S");
            List<List<String>> results = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (results.stream().noneMatch(r -> r.get(0).equals("99")) && System.nanoTime() < deadline) {
                results.addAll(pollOnce(s));
                Thread.sleep(20);
            }
            assertThat(results).anyMatch(r -> r.equals(List.of("99", "NULL")));
            List<String> ids = results.stream().map(r -> r.get(0)).toList();
            assertThat(ids).doesNotHaveDuplicates();

            for (String l : gahp.allStdout().subList(1, gahp.allStdout().size())) {
                assertThat(l).as("only protocol lines on stdout").matches("(GAHP:)?(S|E|R|\\S+ .*|\\S+)( .*)?");
                assertThat(l.length()).isLessThan(400_000);
            }
            gahp.closeStdin();
            assertThat(gahp.waitFor(Duration.ofSeconds(5))).isTrue();
            assertThat(gahp.exitValue()).isZero();
        }
    }

    private static List<List<String>> pollOnce(GahpSession s) throws Exception {
        List<String> ret = s.command("RESULTS");
        int n = Integer.parseInt(ret.get(1));
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String l = s.process().nextLine();
            out.add(org.azuregahp.domain.codec.GahpCodec.split(l.substring(GahpSession.PREFIX.length())));
        }
        return out;
    }
}
