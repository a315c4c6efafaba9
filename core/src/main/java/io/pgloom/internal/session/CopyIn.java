package io.pgloom.internal.session;

import io.pgloom.internal.io.WriteBuffer;

import java.io.IOException;

/**
 * Supplies the data of a COPY FROM STDIN, a chunk at a time, written straight into the body of a
 * CopyData message. The session frames and flushes the chunks; the source knows nothing of them.
 */
@FunctionalInterface
public interface CopyIn {

    /** A chunk this size or a little more is written before each flush. */
    int CHUNK = 64 * 1024;

    /**
     * How long data may wait in the buffer before it is sent anyway: a slow source must not hide
     * for long that the server went away (a write is how a lost connection shows).
     */
    long MAX_HOLD_NANOS = 100_000_000L;

    /**
     * Appends up to about {@link #CHUNK} bytes of COPY data to {@code out}.
     *
     * @return false when this was the last chunk (it may be empty)
     */
    boolean writeChunk(WriteBuffer out) throws IOException;
}
