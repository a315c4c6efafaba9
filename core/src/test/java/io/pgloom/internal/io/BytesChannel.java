package io.pgloom.internal.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;

/**
 * A {@link PgChannel} over a fixed byte array that hands out at most {@code chunk} bytes per
 * read, then reports the end of stream. With a chunk of one it is the cheapest way to find
 * framing bugs: every field of every message straddles a read. Writes are collected.
 *
 * <p>Not thread-safe; for tests only.
 */
public final class BytesChannel implements PgChannel {

    private final byte[] data;
    private final int chunk;
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private int position;
    private int reads;
    private boolean closed;

    private BytesChannel(byte[] data, int chunk) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be at least 1, not " + chunk);
        }
        this.data = data;
        this.chunk = chunk;
    }

    /** A channel that returns exactly one byte per read. */
    public static BytesChannel oneByteAtATime(byte[] data) {
        return new BytesChannel(data, 1);
    }

    /** A channel that returns up to {@code chunk} bytes per read. */
    public static BytesChannel inChunks(byte[] data, int chunk) {
        return new BytesChannel(data, chunk);
    }

    /** A channel that returns everything it can in one read. */
    public static BytesChannel whole(byte[] data) {
        return new BytesChannel(data, Integer.MAX_VALUE);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        if (position == data.length) {
            return -1;
        }
        int n = Math.min(Math.min(chunk, dst.remaining()), data.length - position);
        dst.put(data, position, n);
        position += n;
        reads++;
        return n;
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        while (src.hasRemaining()) {
            written.write(src.get());
        }
    }

    @Override
    public boolean isTls() {
        return false;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** How many bytes the reader has taken so far. */
    public int consumed() {
        return position;
    }

    /** How many reads returned data. */
    public int reads() {
        return reads;
    }

    /** Everything written to this channel. */
    public byte[] written() {
        return written.toByteArray();
    }
}
