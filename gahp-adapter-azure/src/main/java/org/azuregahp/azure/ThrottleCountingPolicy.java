package org.azuregahp.azure;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;

/** Sits after the retry policy, so it sees every attempt; counts the ones Azure throttled (429). */
final class ThrottleCountingPolicy implements HttpPipelinePolicy {
    private final AtomicLong throttled;

    ThrottleCountingPolicy(AtomicLong throttled) {
        this.throttled = throttled;
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        return next.process().doOnNext(this::count);
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        HttpResponse r = next.processSync();
        count(r);
        return r;
    }

    private void count(HttpResponse r) {
        if (r.getStatusCode() == 429) {
            throttled.incrementAndGet();
        }
    }
}
