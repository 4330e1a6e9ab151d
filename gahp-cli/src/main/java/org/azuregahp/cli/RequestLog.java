package org.azuregahp.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the log says about the session: its start (info), each request's command and id and each
 * result (debug), over-long lines (warn). A request line itself is never logged: its arguments may
 * hold a password ({@code key=}) or custom data. Only the command word and the request id are, and
 * only when they look like a command word and an id.
 */
final class RequestLog {
    private static final Logger LOG = LoggerFactory.getLogger("azure-gahp.requests");
    private static final int MAX_TOKEN = 64;

    private RequestLog() {
    }

    static void sessionStarted(BuildInfo build, Settings settings) {
        LOG.info("azure-gahp {} serving the {} cloud (max in flight {}, request timeout {})", build.version(),
                settings.cloud().flagValue(), settings.maxInFlight(), settings.requestTimeout());
    }

    static void request(String line) {
        if (!LOG.isDebugEnabled()) {
            return;
        }
        int sp = line.indexOf(' ');
        String command = sp < 0 ? line : line.substring(0, sp);
        String id = "";
        if (sp >= 0) {
            int sp2 = line.indexOf(' ', sp + 1);
            id = sp2 < 0 ? line.substring(sp + 1) : line.substring(sp + 1, sp2);
        }
        LOG.debug("request {} {}", safe(command, false), safe(id, true));
    }

    /** A queued result line: ids, VM ids, addresses, names and statuses, or an error text; no secrets. */
    static void result(String resultLine) {
        LOG.debug("result {}", resultLine);
    }

    static void oversized(long bytes) {
        LOG.warn("refused a request line of {} bytes (over the --max-line-bytes limit)", bytes);
    }

    /** The token if it looks like a command word (letters and _) or an id (letters, digits, . _ -), else a placeholder. */
    static String safe(String token, boolean id) {
        if (token.isEmpty()) {
            return "-";
        }
        if (token.length() > MAX_TOKEN) {
            return "(" + token.length() + " characters)";
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'
                    || (id && ((c >= '0' && c <= '9') || c == '.' || c == '-'));
            if (!ok) {
                return "(not shown)";
            }
        }
        return token;
    }
}
