/**
 * The engine: {@link org.azuregahp.domain.engine.GahpEngine} (built with
 * {@link org.azuregahp.domain.engine.GahpEngine#builder}) answers request lines, runs cloud requests
 * through the ports on an {@link java.util.concurrent.Executor} and a
 * {@link org.azuregahp.domain.engine.Scheduler} it is given, and queues exactly one result line per
 * accepted request. Front ends give it an {@link org.azuregahp.domain.engine.OutputSink}, and hear
 * typed results through {@link org.azuregahp.domain.engine.EngineListener}; unexpected exceptions go
 * to {@link org.azuregahp.domain.engine.Diagnostics}.
 */
package org.azuregahp.domain.engine;
