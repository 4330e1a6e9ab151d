package org.azuregahp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.azuregahp.domain.codec.GahpCodec;

/**
 * A gridmanager-style conversation on top of a {@link GahpProcess}: the start-up handshake, return
 * lines read past any asynchronous {@code R} notice, and {@code RESULTS} polled until the expected
 * number of result lines has arrived.
 */
final class GahpSession {
    static final String PREFIX = "GAHP:";

    private final GahpProcess gahp;
    private String prefix = "";
    private int notices;

    GahpSession(GahpProcess gahp) {
        this.gahp = gahp;
    }

    /** Reads the banner and performs the gridmanager's start-up: COMMANDS, RESPONSE_PREFIX, ASYNC_MODE_ON. */
    List<String> handshake() throws Exception {
        String banner = gahp.nextLine();
        assertThat(banner).matches("\\$GahpVersion: \\S+ [A-Z][a-z]{2} \\d{1,2} \\d{4} .+ \\$");
        assertThat(banner.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThan(150);
        List<String> commands = command("COMMANDS");
        assertThat(commands.get(0)).isEqualTo("S");
        gahp.send("RESPONSE_PREFIX " + PREFIX);
        assertThat(gahp.nextLine()).isIn("S", PREFIX + "S");
        prefix = PREFIX;
        assertThat(command("ASYNC_MODE_ON")).containsExactly("S");
        return commands.subList(1, commands.size());
    }

    /** Sends a line and returns its return line split into arguments (prefix removed), skipping R notices. */
    List<String> command(String line) throws Exception {
        gahp.send(line);
        return GahpCodec.split(returnLine());
    }

    /** Reads the next return line (prefix removed), skipping R notices. */
    String returnLine() throws Exception {
        while (true) {
            String l = gahp.nextLine();
            assertThat(l).as("every line carries the prefix").startsWith(prefix);
            String body = l.substring(prefix.length());
            if (body.equals("R")) {
                notices++;
                continue;
            }
            return body;
        }
    }

    /** Polls RESULTS until {@code expected} result lines have been collected; each split into arguments. */
    List<List<String>> results(int expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<List<String>> out = new ArrayList<>();
        while (out.size() < expected) {
            assertThat(System.nanoTime()).as("%d of %d results within %s", out.size(), expected, timeout)
                    .isLessThan(deadline);
            List<String> ret = command("RESULTS");
            assertThat(ret).hasSize(2);
            assertThat(ret.get(0)).isEqualTo("S");
            int n = Integer.parseInt(ret.get(1));
            for (int i = 0; i < n; i++) {
                String l = gahp.nextLine();
                assertThat(l).startsWith(prefix);
                String body = l.substring(prefix.length());
                assertThat(body).as("no R inside RESULTS output").isNotEqualTo("R");
                out.add(GahpCodec.split(body));
            }
            if (out.size() < expected && n == 0) {
                Thread.sleep(20);
            }
        }
        return out;
    }

    /** The single result of one request, by polling. */
    List<String> result(Duration timeout) throws Exception {
        List<List<String>> r = results(1, timeout);
        assertThat(r).hasSize(1);
        return r.get(0);
    }

    int notices() {
        return notices;
    }

    GahpProcess process() {
        return gahp;
    }
}
