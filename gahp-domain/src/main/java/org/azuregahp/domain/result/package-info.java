/**
 * Typed results: {@link org.azuregahp.domain.result.Outcome} is what a cloud request came to,
 * {@link org.azuregahp.domain.result.Result} one request's result, and
 * {@link org.azuregahp.domain.result.ResultEncoder} the one place that writes (and reads back)
 * result lines: the {@code NULL} marker, escaping and field counts.
 */
package org.azuregahp.domain.result;
