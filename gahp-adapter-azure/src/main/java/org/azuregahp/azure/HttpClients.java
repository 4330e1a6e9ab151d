package org.azuregahp.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The one HTTP client of the process: the JDK's {@code java.net.http} client through the SDK's
 * adapter (not Netty: no event-loop threads, no pooled direct buffers, no native TLS library; a
 * server making a few calls a second needs none of them). Its completions run on {@code executor}
 * (a small pool of the adapter's) rather than the SDK's shared pool; its one selector thread does the
 * I/O. Proxy settings come from the environment as with the SDK's default client
 * ({@code HTTPS_PROXY}, {@code NO_PROXY}, or the JVM's {@code https.proxyHost}); trust from the
 * JVM's default trust store ({@code -Djavax.net.ssl.trustStore=...}).
 */
final class HttpClients {
    private HttpClients() {
    }

    /**
     * No read timeout of the adapter's own: it would put a timer task per call on the SDK's shared
     * thread pool (which then grows to 10 threads per core); the response timeout (until the headers
     * arrive, 60 s by default) is the JDK client's own timer, and every operation is bounded by its
     * deadline anyway. Bodies are small JSON documents read at once.
     */
    static HttpClient jdk(Executor executor) {
        return new JdkHttpClientBuilder().executor(executor).readTimeout(Duration.ZERO).build();
    }
}
