package org.azuregahp.domain.engine;

/**
 * Where the engine writes protocol lines. Lines come without a terminator: the front end appends
 * {@code "\n"} and flushes. The engine calls this only while holding its own output lock, one line
 * at a time, so an implementation needs no locking of its own for protocol output.
 *
 * <p>A line may contain an escaped line break (backslash + LF, or backslash + CR) when an argument
 * holds one, as the protocol's escaping prescribes; it never contains an unescaped LF. Readers
 * should frame with {@link org.azuregahp.domain.codec.LineFramer}, which honours the escape.
 */
@FunctionalInterface
public interface OutputSink {
    void writeLine(String line);
}
