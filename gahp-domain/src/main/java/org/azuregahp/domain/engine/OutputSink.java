package org.azuregahp.domain.engine;

/**
 * Where the engine writes protocol lines. Lines come without a terminator: the front end appends
 * {@code "\n"} and flushes. The engine calls this only while holding its own output lock, one line
 * at a time, so an implementation needs no locking of its own for protocol output.
 */
@FunctionalInterface
public interface OutputSink {
    void writeLine(String line);
}
