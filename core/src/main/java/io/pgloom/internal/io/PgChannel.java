package io.pgloom.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A connected byte stream to the server: plain ({@link PlainChannel}) or TLS over a plain one
 * ({@code TlsChannel}). Reads and writes block the calling thread, which on a virtual thread
 * means it parks and frees its carrier.
 *
 * <p>Not thread-safe for reads or writes; {@link #close()} may come from any thread and makes a
 * blocked read or write fail at once, which is how timeouts and {@code close()} from another
 * thread stop a stalled connection.
 */
public interface PgChannel extends AutoCloseable {

    /** Reads at least one byte into {@code dst}, blocking as needed; returns -1 at end of stream. */
    int read(ByteBuffer dst) throws IOException;

    /**
     * True when a read now would have to wait: nothing has arrived that it could return. At most
     * one system call (the kernel's count of waiting bytes); false when the channel cannot tell,
     * so that a caller never takes "don't know" for "idle".
     */
    default boolean nothingArrived() {
        return false;
    }

    /** Writes every remaining byte of {@code src}. */
    void write(ByteBuffer src) throws IOException;

    /** True when bytes are encrypted. */
    boolean isTls();

    /** Closes the channel; idempotent and safe from any thread. */
    @Override
    void close();
}
