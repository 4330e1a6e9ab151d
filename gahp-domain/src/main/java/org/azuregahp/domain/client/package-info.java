/**
 * A small client-side API for driving any GAHP from Java: {@link org.azuregahp.domain.client.RequestLine}
 * builds escaped request lines, {@link org.azuregahp.domain.client.ReturnLine} and
 * {@link org.azuregahp.domain.client.ResultLine} read what the server writes ({@code ResultLine.outcome}
 * gives a result as a typed {@link org.azuregahp.domain.result.Outcome}).
 */
package org.azuregahp.domain.client;
