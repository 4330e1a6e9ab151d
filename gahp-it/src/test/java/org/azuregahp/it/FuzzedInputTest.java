package org.azuregahp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.azuregahp.it.LauncherTestSupport.SUB;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.azuregahp.domain.codec.GahpCodec;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of request lines through the real launcher: random and mutated lines (binary
 * bytes, NUL, invalid UTF-8, lone and trailing backslashes, CR without LF, megabyte lines,
 * thousands of arguments, unknown keys, numbers out of range, every command name with random
 * arguments). Each request line gets exactly one return line ({@code S} or {@code E}), stdout holds
 * protocol lines only (none over 400,000 bytes), every accepted cloud request gets exactly one
 * result, and the server still serves valid requests afterwards.
 *
 * <p>Replay or enlarge a run: {@code mvn -B -ntp test -pl gahp-it -Dtest=FuzzedInputTest
 * -Dfuzz.seed=N -Dfuzz.lines=100000}.
 */
class FuzzedInputTest {
    static final int MAX_LINE = 1 << 20;

    static final List<String> CLOUD = List.of("AZURE_PING", "AZURE_VM_CREATE", "AZURE_VM_DELETE", "AZURE_VM_LIST",
            "AZURE_VMSS_CREATE", "AZURE_VMSS_DELETE", "AZURE_VMSS_START", "AZURE_VMSS_STOP", "AZURE_VMSS_RESTART",
            "AZURE_VMSS_SCALE", "AZURE_VMSS_LIST", "AZURE_KEYVAULT_CREATE");
    /** Session commands the fuzz may send (QUIT would end the run; RESPONSE_PREFIX is exercised on its own). */
    static final List<String> SESSION = List.of("ASYNC_MODE_ON", "ASYNC_MODE_OFF", "COMMANDS", "CONDOR_VERSION",
            "RESULTS", "STATISTICS", "VERSION");
    static final Set<String> ALL_SESSION = Set.of("ASYNC_MODE_ON", "ASYNC_MODE_OFF", "COMMANDS", "CONDOR_VERSION",
            "RESULTS", "STATISTICS", "VERSION", "QUIT", "RESPONSE_PREFIX");

    static final String[] NAMES = {"condorc1p0", "condorc2p0", "vm-a", "ss-a", "", "a\\ b", "\u00e9t\u00e9", "-x-",
        "x".repeat(300), "a/b", "NULL", "condorc1p0\\\\"};
    static final String[] LOCATIONS = {"westeurope", "eastus", "WestEurope", "", "nowhere", "NULL"};
    static final String[] IMAGES = {"linux-ubuntu-latest", "WINDOWS-server-latest", "Canonical:UbuntuServer:18.04-LTS:latest",
        "/subscriptions/" + SUB + "/resourceGroups/img/providers/Microsoft.Compute/images/base",
        "https://acct.blob.core.windows.net/vhds/a.vhd", "bogus", "a:b:c", "a:b:c:d:e", ""};
    static final String[] SIZES = {"Standard_B1s", "Standard_D2s_v3", "", "Huge_Size"};
    static final String[] NUMBERS = {"0", "1", "2", "-1", "1000", "1001", "4095", "4096", "2147483648",
        "99999999999999999999999", "abc", "1e3", "0x10", "", " ", "+5", "\u0663"};
    static final String[] KEYS = {LauncherTestSupport.SSH_KEY, "Sup3r-Secret!pw", "weak", "/nonexistent/id_rsa.pub", "",
        "ssh-ed25519\\ AAAAC3NzaC1lZDI1NTE5AAAAIstub"};
    static final String[] EXTRA = {"bogus=1", "=", "==", "noequals", "name=dup", "tag=a=b", "tag=x", "tag=",
        "deletionjob", "deletionjob=maybe", "deletionjob=true", "schedule=202611271200", "schedule=999999999999",
        "schedule=20261399", "keyvaultname=kv1", "keyvaultrg=rg", "vaultkey=s", "publicIPAddress=dynamic",
        "publicIPAddress=/subscriptions/x", "customData=hello", "customData=/nonexistent/file", "osType=Plan9",
        "vnetName=v", "vnetRGName=r", "subnetName=s", "sku=premium", "sku=gold", "users=a,b", "users=",
        "nodecount=", "dataDisks=", "dataDisks=1,,2", "dataDisks=10,20", "dataDisks=0", "dataDisks=4096"};
    static final String[] CREDS = {"NULL", "NULL", "NULL", "/nonexistent/cred.json", "relative/cred", "", "/"};

    record Outcome(List<String> acceptedIds, Map<String, String> commandById) {
    }

    static long seed() {
        return Long.getLong("fuzz.seed", 20261127L);
    }

    static int lineCount() {
        return Integer.getInteger("fuzz.lines", 2500);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String pick(Random r, String[] a) {
        return a[r.nextInt(a.length)];
    }

    /** A plausible cloud request with values drawn from pools of good and bad ones. */
    static String plausible(Random r, int id) {
        String cmd = CLOUD.get(r.nextInt(CLOUD.size()));
        String cred = pick(r, CREDS);
        String sub = r.nextInt(10) == 0 ? "not-a-guid" : SUB;
        StringBuilder b = new StringBuilder(r.nextBoolean() ? cmd : cmd.toLowerCase(Locale.ROOT));
        b.append(' ').append(id).append(' ').append(cred).append(' ').append(sub);
        switch (cmd) {
            case "AZURE_VM_CREATE", "AZURE_VMSS_CREATE", "AZURE_KEYVAULT_CREATE" -> {
                List<String> kv = new ArrayList<>();
                kv.add("name=" + pick(r, NAMES));
                kv.add("location=" + pick(r, LOCATIONS));
                if (!cmd.equals("AZURE_KEYVAULT_CREATE")) {
                    kv.add("image=" + pick(r, IMAGES));
                    kv.add("size=" + pick(r, SIZES));
                    kv.add("adminUsername=" + (r.nextBoolean() ? "azureuser" : "root"));
                    kv.add("key=" + pick(r, KEYS));
                }
                if (cmd.equals("AZURE_VMSS_CREATE")) {
                    kv.add("nodecount=" + pick(r, NUMBERS));
                }
                if (r.nextBoolean()) {
                    kv.add("dataDisks=" + pick(r, NUMBERS));
                }
                int extra = r.nextInt(3);
                for (int i = 0; i < extra; i++) {
                    kv.add(pick(r, EXTRA));
                }
                if (r.nextInt(5) == 0) {
                    kv.remove(r.nextInt(kv.size()));
                }
                if (r.nextInt(5) == 0) {
                    java.util.Collections.shuffle(kv, r);
                }
                kv.forEach(x -> b.append(' ').append(x));
            }
            case "AZURE_VMSS_SCALE" -> {
                if (r.nextBoolean()) {
                    b.append(" name=").append(pick(r, NAMES)).append(" nodecount=").append(pick(r, NUMBERS));
                } else {
                    b.append(' ').append(pick(r, NAMES)).append(' ').append(pick(r, NAMES)).append(' ')
                            .append(pick(r, NUMBERS));
                }
            }
            case "AZURE_PING" -> {
                if (r.nextInt(4) == 0) {
                    b.append(" extra");
                }
            }
            default -> {
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    b.append(' ').append(r.nextBoolean() ? pick(r, NAMES) : pick(r, EXTRA));
                }
            }
        }
        return b.toString();
    }

    /** Any command name (either case) with 0 to 6 random arguments. */
    static String anyCommand(Random r, int id) {
        List<String> names = new ArrayList<>(CLOUD);
        names.addAll(SESSION);
        names.add("NOT_A_COMMAND");
        String cmd = names.get(r.nextInt(names.size()));
        if (r.nextBoolean()) {
            cmd = cmd.toLowerCase(Locale.ROOT);
        }
        StringBuilder b = new StringBuilder(cmd);
        int n = r.nextInt(7);
        for (int i = 0; i < n; i++) {
            String a = switch (r.nextInt(6)) {
                case 0 -> String.valueOf(id + i);
                case 1 -> pick(r, NUMBERS);
                case 2 -> pick(r, NAMES);
                case 3 -> pick(r, EXTRA);
                case 4 -> "NULL";
                default -> SUB;
            };
            b.append(' ').append(a);
        }
        return b.toString();
    }

    static byte[] randomBytes(Random r, int max) {
        byte[] b = new byte[r.nextInt(max)];
        r.nextBytes(b);
        return noLf(b);
    }

    static byte[] noLf(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n') {
                b[i] = (byte) 0xFF;
            }
        }
        return b;
    }

    /** One to four byte-level mutations of a line. */
    static byte[] mutate(Random r, byte[] line) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] cur = line;
        int ops = 1 + r.nextInt(4);
        for (int k = 0; k < ops; k++) {
            int pos = cur.length == 0 ? 0 : r.nextInt(cur.length + 1);
            out.reset();
            switch (r.nextInt(10)) {
                case 0 -> { // replace a byte
                    if (cur.length > 0) {
                        cur = cur.clone();
                        cur[Math.min(pos, cur.length - 1)] = (byte) r.nextInt(256);
                    }
                    continue;
                }
                case 1 -> insert(out, cur, pos, new byte[] {'\\'});
                case 2 -> insert(out, cur, pos, new byte[] {0});
                case 3 -> insert(out, cur, pos, new byte[] {(byte) 0xC3});
                case 4 -> insert(out, cur, pos, new byte[] {'\r'});
                case 5 -> insert(out, cur, cur.length, new byte[] {'\\'});
                case 6 -> { // delete a range
                    int end = Math.min(cur.length, pos + r.nextInt(20));
                    out.write(cur, 0, pos);
                    out.write(cur, end, cur.length - end);
                }
                case 7 -> { // duplicate a range
                    int end = Math.min(cur.length, pos + r.nextInt(40));
                    out.write(cur, 0, end);
                    out.write(cur, pos, cur.length - pos);
                }
                case 8 -> insert(out, cur, pos, new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98});
                default -> insert(out, cur, pos, new byte[] {'\\', ' '});
            }
            cur = out.toByteArray();
        }
        return noLf(cur);
    }

    private static void insert(ByteArrayOutputStream out, byte[] cur, int pos, byte[] what) {
        out.write(cur, 0, pos);
        out.write(what, 0, what.length);
        out.write(cur, pos, cur.length - pos);
    }

    static byte[] thousandsOfArguments(Random r, int id) {
        StringBuilder b = new StringBuilder(CLOUD.get(r.nextInt(CLOUD.size())) + " " + id + " NULL " + SUB);
        int n = 1000 + r.nextInt(9000);
        for (int i = 0; i < n; i++) {
            b.append(r.nextBoolean() ? " tag=t" + i : " x" + i);
        }
        return utf8(b.toString());
    }

    /** A line just under, at or over the 1 MiB limit, or far over it. */
    static byte[] megabyteLine(Random r, int id) {
        int[] sizes = {MAX_LINE - 1, MAX_LINE, MAX_LINE + 1, MAX_LINE + 4096, 3 * MAX_LINE};
        int size = sizes[r.nextInt(sizes.length)];
        byte[] head = utf8("AZURE_VM_LIST " + id + " NULL " + SUB + " ");
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) (r.nextBoolean() ? 'a' : '\\'));
        System.arraycopy(head, 0, b, 0, head.length);
        if (r.nextBoolean()) {
            b[b.length - 1] = '\\';
        }
        return b;
    }

    static byte[] generate(Random r, int id) {
        int k = r.nextInt(1000);
        if (k < 300) {
            return utf8(plausible(r, id));
        } else if (k < 450) {
            return utf8(anyCommand(r, id));
        } else if (k < 750) {
            return mutate(r, utf8(r.nextBoolean() ? plausible(r, id) : anyCommand(r, id)));
        } else if (k < 870) {
            return randomBytes(r, 400);
        } else if (k < 900) {
            String[] odd = {"\\", "\\\\", "RESULTS\\", "AZURE_PING " + id + " NULL " + SUB + "\\",
                "AZURE_PING " + id + " NULL \\", "\\ ", " ", "", "\r", "a\rb", "VERSION\r\r", "\0", "RESULTS\0",
                "AZURE_PING\\ " + id + " NULL " + SUB, "AZURE_PING  " + id + " NULL " + SUB,
                " AZURE_PING " + id + " NULL " + SUB, "AZURE_PING " + id + " NULL " + SUB + " "};
            return utf8(pick(r, odd));
        } else if (k < 990) {
            return thousandsOfArguments(r, id);
        } else if (k < 996) {
            byte[] b = randomBytes(r, 200_000);
            return b;
        } else {
            return megabyteLine(r, id);
        }
    }

    /** What the server will take as the command name and arguments of a line (UTF-8 decoded leniently). */
    static List<String> args(byte[] line) {
        return GahpCodec.split(new String(line, StandardCharsets.UTF_8));
    }

    @Test
    void randomAndMutatedLinesGetOneReturnLineEachAndTheServerKeepsServing() throws Exception {
        long seed = seed();
        int count = lineCount();
        String why = "fuzz seed " + seed + " (replay: -Dfuzz.seed=" + seed + " -Dfuzz.lines=" + count + ")";
        Random rnd = new Random(seed);
        List<String> accepted = new ArrayList<>();
        Map<String, String> commandOf = new HashMap<>();
        List<List<String>> results = new ArrayList<>();
        try (GahpProcess gahp = GahpProcess.start("--cloud", "fake")) {
            GahpSession s = new GahpSession(gahp);
            s.handshake();
            int id = 1000;
            int rejected = 0;
            for (int n = 0; n < count; n++) {
                byte[] line = generate(rnd, id);
                id += 10;
                ByteArrayOutputStream b = new ByteArrayOutputStream(line.length + 2);
                b.writeBytes(line);
                b.write('\r');
                b.write('\n');
                gahp.sendRaw(b.toByteArray());
                String ret = s.returnLine();
                String what = why + ", line " + n + " (" + line.length + " bytes): "
                        + preview(line);
                assertThat(ret).as(what).matches("(?s)(S|E)( .*)?");
                if (ret.startsWith("E")) {
                    rejected++;
                }
                if (line.length > MAX_LINE) {
                    assertThat(ret).as(what).startsWith("E");
                    continue;
                }
                List<String> a = args(line);
                String name = a.isEmpty() ? "" : a.get(0).toUpperCase(Locale.ROOT);
                if (ret.equals("S") && !ALL_SESSION.contains(name)) {
                    assertThat(CLOUD).as(what).contains(name);
                    accepted.add(a.get(1));
                    commandOf.merge(a.get(1), name, (x, y) -> x.equals(y) ? x : "?");
                } else if (name.equals("RESULTS") && ret.matches("S \\d+")) {
                    results.addAll(readResults(s, Integer.parseInt(ret.substring(2)), what));
                }
            }

            // Still serving: a valid request is accepted and answered.
            assertThat(s.command("AZURE_PING 7 NULL " + SUB)).as(why).containsExactly("S");
            accepted.add("7");
            commandOf.put("7", "AZURE_PING");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (results.size() < accepted.size() && System.nanoTime() < deadline) {
                List<String> ret = s.command("RESULTS");
                int n = Integer.parseInt(ret.get(1));
                results.addAll(readResults(s, n, why));
                if (n == 0) {
                    Thread.sleep(20);
                }
            }
            assertThat(results).as(why).contains(List.of("7", "NULL"));
            List<String> answered = results.stream().map(r -> r.get(0)).sorted().toList();
            assertThat(answered).as("%s: every accepted request id answered exactly once", why)
                    .containsExactlyElementsOf(accepted.stream().sorted().toList());
            for (List<String> r : results) {
                assertResultShape(r, commandOf.get(r.get(0)), why);
            }

            System.out.printf("%s: %,d lines, %,d answered E, %,d cloud requests accepted and answered"
                    + " (%,d with NULL)%n", why, count, rejected, accepted.size(),
                    results.stream().filter(r -> r.get(1).equals("NULL")).count());
            List<String> out = gahp.allStdout();
            assertThat(out.get(0)).startsWith("$GahpVersion: ");
            for (String l : out.subList(1, out.size())) {
                assertThat(l.getBytes(StandardCharsets.UTF_8).length).as(why).isLessThanOrEqualTo(400_000);
            }
            gahp.closeStdin();
            assertThat(gahp.waitFor(Duration.ofSeconds(10))).as(why).isTrue();
            assertThat(gahp.exitValue()).as("%s: exit status; stderr:%n%s", why, gahp.stderr()).isZero();
            LauncherTestSupport.assertNoStackTraces(gahp.stderr());
        }
    }

    private static List<List<String>> readResults(GahpSession s, int n, String why) throws Exception {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String l = s.process().nextLine();
            assertThat(l).as(why).startsWith(GahpSession.PREFIX);
            String body = l.substring(GahpSession.PREFIX.length());
            assertThat(body).as("%s: no R inside RESULTS output", why).isNotEqualTo("R");
            List<String> r = GahpCodec.split(body);
            assertThat(r.size()).as("%s: result line %s", why, body).isGreaterThanOrEqualTo(2);
            out.add(r);
        }
        return out;
    }

    /** The field counts the gridmanager checks. */
    static void assertResultShape(List<String> r, String command, String why) {
        String line = GahpCodec.join(r);
        if (!r.get(1).equals("NULL")) {
            assertThat(r).as("%s: error result %s", why, line).hasSize(2);
            assertThat(r.get(1)).as(why).isNotBlank();
            return;
        }
        if (command == null || command.equals("?")) {
            return;
        }
        switch (command) {
            case "AZURE_VM_CREATE" -> {
                assertThat(r).as("%s: %s", why, line).hasSize(4);
                assertThat(r.get(2)).as(why).isNotEmpty();
            }
            case "AZURE_VM_LIST" -> assertThat(r).as("%s: %s", why, line)
                    .hasSize(3 + 2 * Integer.parseInt(r.get(2)));
            case "AZURE_VMSS_LIST" -> assertThat(r).as("%s: %s", why, line)
                    .hasSize(3 + 3 * Integer.parseInt(r.get(2)));
            default -> assertThat(r).as("%s: %s", why, line).hasSize(2);
        }
    }

    private static String preview(byte[] line) {
        String s = new String(line, 0, Math.min(line.length, 160), StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }
}
