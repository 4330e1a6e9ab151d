package org.azuregahp.azure;

import reactor.core.publisher.Mono;

final class AsyncUtil {
    private AsyncUtil() {
    }

    /** The value, or empty when Azure answers 404. */
    static <T> Mono<T> orEmptyIfNotFound(Mono<T> mono) {
        return mono.onErrorResume(AzureErrors::isNotFound, e -> Mono.empty());
    }
}
