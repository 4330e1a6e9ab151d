package org.azuregahp.cli;

import org.azuregahp.domain.engine.EngineListener;
import org.azuregahp.domain.result.Result;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the log says about the session, from the engine's typed events (the same for both front
 * ends): its start (info), each request's command and id, refusals and each result (debug), over-long
 * lines (warn). A request line itself is never logged: its arguments may hold a password
 * ({@code key=}) or custom data. Only the command's name and the request id are, and the id only when
 * it looks like an id.
 */
final class RequestLog implements EngineListener {
    private static final Logger LOG = LoggerFactory.getLogger("azure-gahp.requests");
    private static final int MAX_TOKEN = 64;

    static void sessionStarted(BuildInfo build, Settings settings) {
        LOG.info("azure-gahp {} serving the {} cloud (max in flight {}, request timeout {})", build.version(),
                settings.cloud().flagValue(), settings.maxInFlight(), settings.requestTimeout());
    }

    @Override
    public void received(String command, String requestId) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("request {} {}", command, requestId == null ? "-" : safe(requestId, true));
        }
    }

    @Override
    public void refused(String reason) {
        LOG.debug("refused a request line (E): {}", reason);
    }

    @Override
    public void oversized(long bytes) {
        LOG.warn("refused a request line of {} bytes (over the --max-line-bytes limit)", bytes);
    }

    /** A queued result: ids, VM ids, addresses, names and statuses, or an error text; no secrets. */
    @Override
    public void completed(Result result) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("result of {} {}", result.command(), result.line());
        }
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
