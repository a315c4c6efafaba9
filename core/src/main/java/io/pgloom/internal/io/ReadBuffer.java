package io.pgloom.internal.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Pulls whole backend messages off a channel and reads their fields, big-endian.
 *
 * <p>{@link #nextMessage} blocks until one complete message (tag, length, body) is buffered and
 * leaves the cursor at the start of its body; the field readers then consume the body. Whatever
 * a message's reader leaves unread is skipped by the next call, so a decoder cannot desynchronize
 * the stream. The bytes of the current message stay valid until the next call: values are read
 * in place as (offset, length) views into {@link #array()}.
 *
 * <p>A message larger than the buffer grows it; the next small message shrinks it back. A
 * length that is negative, too small or larger than the caller allows is a protocol violation,
 * never an attempt to allocate it.
 *
 * <p>Not thread-safe: one connection, one reader.
 */
public final class ReadBuffer {

    private static final int RETAINED_CAPACITY = 64 * 1024;

    private final int initialCapacity;
    private byte[] bytes;
    private ByteBuffer view;
    private int start;       // first unread byte of buffered data
    private int end;         // end of buffered data
    private int position;    // cursor within the current message's body
    private int bodyEnd;     // end of the current message's body
    private byte tag;

    /** What to do before a read that would wait; see {@link #whileWaiting}. */
    private IdleWork idleWork;

    /** Whether reads stamp {@link #waitingSince}: only with a read timeout, so it costs nothing otherwise. */
    private volatile boolean clocked;
    /** {@link System#nanoTime()} when the read now blocked on the channel began, or 0 when none is. */
    private volatile long waitingSince;

    /**
     * Makes every channel read record when it started waiting, for a read timeout to watch from
     * another thread; {@code false} stops it (a wait that is meant to be long, such as for a
     * notification).
     */
    public void clockWaits(boolean on) {
        clocked = on;
        waitingSince = 0; // a stamp left by restartWaitClock() during an unclocked read
    }

    /**
     * When the read now blocked on the channel began ({@link System#nanoTime()}), or 0 when no
     * read is waiting or waits are not clocked. Each read returns as soon as any byte arrives, so
     * this is also the time of the last byte received while waiting for more.
     */
    public long waitingSince() {
        return waitingSince;
    }

    /** True while waits are clocked (a read timeout watches them). */
    public boolean isClocked() {
        return clocked;
    }

    /**
     * Clocks a blocking write as a wait, for the read timeout to watch: a write blocks only when
     * the peer stopped reading (a stalled network under a COPY), which must end as a silent
     * reply does. The caller is the channel's only user at that moment, so no read is waiting.
     */
    public void clockWrite(PgChannel channel, java.nio.ByteBuffer bytes) throws IOException {
        restartWaitClock();
        try {
            channel.write(bytes);
        } finally {
            waitingSince = 0;
        }
    }

    /** Counts a wait as if it began now (a request has just gone out after an unclocked stretch). */
    public void restartWaitClock() {
        long now = System.nanoTime();
        waitingSince = now == 0 ? 1 : now;
    }

    /**
     * Work that the reading thread can do while the server has not sent the next bytes yet, in
     * small steps: decoding the rows that already came (see {@code DecodeAhead}).
     */
    public interface IdleWork {
        /** True when there is a step to take now; cheap, asked before each read. */
        boolean pending();

        /** Takes one step, short next to a server's reply (a few microseconds). */
        void step();
    }

    /**
     * Sets the work to do, in steps, before a read that would have to wait ({@code null}: none).
     * Between steps the channel is asked whether bytes came, so the work fills only time the
     * thread would have spent parked, and never delays reading what arrived.
     */
    public void whileWaiting(IdleWork work) {
        idleWork = work;
    }

    public ReadBuffer(int initialCapacity) {
        this.initialCapacity = initialCapacity;
        this.bytes = new byte[initialCapacity];
        this.view = ByteBuffer.wrap(bytes);
    }

    /**
     * Reads the next whole message and returns its tag.
     *
     * @param maxLength the largest body this caller accepts for the given tag
     * @throws EOFException when the server closed the stream
     * @throws ProtocolViolation on an impossible length
     */
    public byte nextMessage(PgChannel channel, LengthLimit maxLength) throws IOException {
        start = bodyEnd > start ? bodyEnd : start;
        ensure(channel, 5);
        byte t = bytes[start];
        int length = intAt(start + 1);
        if (length < 4 || length - 4 > maxLength.maxBodyLength(t)) {
            throw new ProtocolViolation("backend message '" + printable(t) + "' has impossible length " + length);
        }
        int total = 1 + length;
        ensure(channel, total);
        tag = t;
        position = start + 5;
        bodyEnd = start + total;
        return t;
    }

    /**
     * Reads exactly one byte from the stream outside any message (the answer to an SSLRequest
     * or a GSSENCRequest), or -1 at the end of stream.
     */
    public int readSingleByte(PgChannel channel) throws IOException {
        start = bodyEnd > start ? bodyEnd : start;
        if (end - start < 1) {
            compactAndRead(channel, 1, true);
            if (end - start < 1) {
                return -1;
            }
        }
        int b = bytes[start] & 0xFF;
        start++;
        bodyEnd = start;
        position = start;
        return b;
    }

    /** How many bytes past the current message are already buffered (must be 0 before TLS starts). */
    public int bufferedBeyondMessage() {
        int from = bodyEnd > start ? bodyEnd : start;
        return end - from;
    }

    /** The largest body a tag may have: protects against garbage lengths. */
    @FunctionalInterface
    public interface LengthLimit {
        int maxBodyLength(byte tag);
    }

    public byte tag() {
        return tag;
    }

    public byte[] array() {
        return bytes;
    }

    public int position() {
        return position;
    }

    public int bodyEnd() {
        return bodyEnd;
    }

    public int remaining() {
        return bodyEnd - position;
    }

    public void skip(int n) {
        require(n);
        position += n;
    }

    public byte readByte() {
        require(1);
        return bytes[position++];
    }

    public short readShort() {
        require(2);
        short s = (short) (((bytes[position] & 0xFF) << 8) | (bytes[position + 1] & 0xFF));
        position += 2;
        return s;
    }

    public int readInt() {
        require(4);
        int i = intAt(position);
        position += 4;
        return i;
    }

    public long readLong() {
        long hi = readInt() & 0xFFFF_FFFFL;
        long lo = readInt() & 0xFFFF_FFFFL;
        return (hi << 32) | lo;
    }

    public byte[] readBytes(int n) {
        require(n);
        byte[] out = Arrays.copyOfRange(bytes, position, position + n);
        position += n;
        return out;
    }

    /** Reads a NUL-terminated UTF-8 string. */
    public String readCString() {
        int from = position;
        for (int i = from; i < bodyEnd; i++) {
            if (bytes[i] == 0) {
                position = i + 1;
                return new String(bytes, from, i - from, StandardCharsets.UTF_8);
            }
        }
        throw new ProtocolViolation("unterminated string in backend message '" + printable(tag) + "'");
    }

    /** Reads the rest of the body as UTF-8 (no terminator). */
    public String readRemainingString() {
        String s = new String(bytes, position, bodyEnd - position, StandardCharsets.UTF_8);
        position = bodyEnd;
        return s;
    }

    private void require(int n) {
        if (n < 0 || bodyEnd - position < n) {
            throw new ProtocolViolation("backend message '" + printable(tag) + "' is shorter than its fields");
        }
    }

    private int intAt(int at) {
        return ((bytes[at] & 0xFF) << 24) | ((bytes[at + 1] & 0xFF) << 16)
                | ((bytes[at + 2] & 0xFF) << 8) | (bytes[at + 3] & 0xFF);
    }

    private void ensure(PgChannel channel, int needed) throws IOException {
        if (end - start < needed) {
            compactAndRead(channel, needed, false);
        }
    }

    private void compactAndRead(PgChannel channel, int needed, boolean eofAllowed) throws IOException {
        int buffered = end - start;
        if (bytes.length > RETAINED_CAPACITY && needed <= initialCapacity && buffered <= initialCapacity) {
            // Give back what one huge message grew: the next messages are small again.
            replaceArray(Math.max(initialCapacity, buffered), buffered);
        } else if (start > 0) {
            System.arraycopy(bytes, start, bytes, 0, buffered);
        }
        bodyEnd -= start;
        position -= start;
        start = 0;
        end = buffered;
        while (end < needed) {
            if (end == bytes.length) {
                // Grow as the bytes arrive, doubling, never straight to the announced length:
                // five header bytes claiming 1 GiB must not make us allocate 1 GiB.
                replaceArray((int) Math.min(needed, Math.min((long) bytes.length * 2, Integer.MAX_VALUE - 16)), end);
            }
            view.limit(bytes.length).position(end);
            IdleWork work = idleWork;
            if (work != null) {
                while (work.pending() && channel.nothingArrived()) {
                    work.step();
                }
            }
            int n;
            if (!clocked) {
                n = channel.read(view);
            } else {
                long now = System.nanoTime();
                waitingSince = now == 0 ? 1 : now;
                try {
                    n = channel.read(view);
                } finally {
                    waitingSince = 0;
                }
            }
            if (n < 0) {
                if (eofAllowed) {
                    return;
                }
                throw new EOFException("the server closed the connection");
            }
            end += n;
        }
    }

    private void replaceArray(int capacity, int keep) {
        byte[] replacement = new byte[capacity];
        System.arraycopy(bytes, start, replacement, 0, keep);
        bytes = replacement;
        view = ByteBuffer.wrap(bytes);
    }

    private static String printable(byte t) {
        return t >= 0x20 && t < 0x7F ? String.valueOf((char) t) : String.format("0x%02x", t & 0xFF);
    }

    /** The server sent bytes that break the protocol: the connection cannot be trusted again. */
    public static final class ProtocolViolation extends RuntimeException {
        public ProtocolViolation(String message) {
            super(message);
        }
    }
}
