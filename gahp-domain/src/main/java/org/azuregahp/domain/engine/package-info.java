/**
 * The engine: {@link org.azuregahp.domain.engine.GahpEngine} answers request lines, runs cloud
 * requests through the ports on its own bounded worker pool and queues exactly one result line per
 * accepted request; front ends give it an {@link org.azuregahp.domain.engine.OutputSink}.
 */
package org.azuregahp.domain.engine;
