package org.azuregahp.ports.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How HTCondor's gridmanager reads an {@code AZURE_VM_LIST} result line ({@code GahpServer::read_argv}
 * and the Azure job's status handling), for tests in any module: byte by byte into a buffer of
 * {@value #BUFFER} bytes that is reset for each argument (escaping backslashes and CRs are not stored; an
 * argument that fills the buffer aborts it), split at unescaped spaces up to the newline, the response
 * prefix stripped; {@code argv[1]} must be {@code NULL} and there must be exactly {@code 3 + 2·count}
 * arguments. Each VM's name is lower-cased; of its status it keeps what follows the last {@code /} (all
 * of it when there is none).
 */
public final class GridmanagerReading {
    /** The gridmanager's argument buffer: {@code 1024 * 500} bytes. */
    public static final int BUFFER = 512_000;

    /**
     * What the gridmanager read: the request id (prefix stripped) and each VM's name → state, in the
     * order listed.
     */
    public record VmList(String requestId, Map<String, String> states) {
    }

    private GridmanagerReading() {
    }

    /** Reads {@code line} (the prefix included, no newline needed) as the gridmanager reads a VM list. */
    public static VmList vmList(String line, String prefix) {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        List<String> argv = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean escaped = false;
        for (byte b : bytes) {
            if (cur.length() >= BUFFER) {
                fail("an argument of more than %d bytes: the gridmanager would abort", BUFFER);
            }
            char c = (char) (b & 0xff);
            if (escaped) {
                cur.append(c);
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '\r') {
                continue;
            } else if (c == ' ' || c == '\n') {
                argv.add(cur.toString());
                cur.setLength(0);
                if (c == '\n') {
                    break;
                }
            } else {
                cur.append(c);
            }
        }
        assertThat(argv.get(0)).startsWith(prefix);
        String requestId = argv.get(0).substring(prefix.length());
        assertThat(argv.get(1)).as("a success: %s", argv.get(1).length() > 300 ? "" : argv.get(1)).isEqualTo("NULL");
        int count = Integer.parseInt(argv.get(2));
        assertThat(argv).as("3 + 2·count arguments").hasSize(3 + 2 * count);
        Map<String, String> states = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String status = argv.get(4 + 2 * i);
            int slash = status.lastIndexOf('/');
            states.put(argv.get(3 + 2 * i).toLowerCase(Locale.ROOT), slash < 0 ? status : status.substring(slash + 1));
        }
        return new VmList(requestId, states);
    }
}
