package org.azuregahp.azure;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.ExponentialBackoff;
import com.azure.core.http.policy.RetryStrategy;
import java.time.Duration;
import org.azuregahp.ports.CloudException;

/**
 * Exponential backoff for throttling (429) and transient faults (408, 5xx, I/O), a bounded number of
 * times. The retry policy around it takes {@code Retry-After} from a response over this delay. A
 * failure to get a token is never retried here: the credential remembers it instead.
 */
final class BoundedRetry implements RetryStrategy {
    private final ExponentialBackoff backoff;

    BoundedRetry(int maxRetries, Duration base, Duration max) {
        this.backoff = new ExponentialBackoff(maxRetries, base, max);
    }

    @Override
    public int getMaxRetries() {
        return backoff.getMaxRetries();
    }

    @Override
    public Duration calculateRetryDelay(int retryAttempts) {
        return backoff.calculateRetryDelay(retryAttempts);
    }

    @Override
    public boolean shouldRetry(HttpResponse httpResponse) {
        return backoff.shouldRetry(httpResponse);
    }

    @Override
    public boolean shouldRetryException(Throwable throwable) {
        for (Throwable t = throwable; t != null; t = t.getCause()) {
            if (t instanceof CloudException || t instanceof ClientAuthenticationException) {
                return false;
            }
        }
        return backoff.shouldRetryException(throwable);
    }
}
