package org.azuregahp.domain.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.azuregahp.domain.codec.GahpCodec;

/** Builds request lines for any GAHP: every argument escaped, no line terminator. */
public final class RequestLine {

    private RequestLine() {
    }

    /**
     * {@code of("AZURE_VM_CREATE", "7", "/cred.json", "sub", "name=x", ...)}; a null argument is
     * written {@code NULL}.
     */
    public static String of(String command, String... args) {
        Objects.requireNonNull(command, "command");
        List<String> all = new ArrayList<>(args.length + 1);
        all.add(command);
        all.addAll(Arrays.asList(args));
        return GahpCodec.join(all);
    }

    public static String of(String command, List<String> args) {
        return of(command, args.toArray(new String[0]));
    }
}
