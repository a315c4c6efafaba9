package io.pgloom.internal.io;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable big-endian byte buffer that frontend messages encode themselves into.
 *
 * <p>A message starts with {@link #startMessage(byte)}, which writes the tag and a length
 * placeholder, and ends with {@link #endMessage(int)}, which patches the length: nobody adds
 * up sizes by hand. A whole query (Parse, Bind, Execute, Sync) goes into one buffer and one
 * flush. A buffer grown for one large message shrinks back on {@link #reset()} so that a
 * single 100 MB parameter does not pin 100 MB for the connection's life.
 *
 * <p>Not thread-safe: one connection, one buffer.
 */
public final class WriteBuffer {

    /** The largest message the protocol can describe: its Int32 length must stay positive. */
    public static final int MAX_MESSAGE_LENGTH = 0x3FFF_FFFF; // 1 GiB - 1, PostgreSQL's own MaxAllocSize
    /** Room for one message of the largest size with its tag, plus a little for what precedes it. */
    private static final long ONE_MESSAGE_CAPACITY = MAX_MESSAGE_LENGTH + 64L * 1024;

    private static final int RETAINED_CAPACITY = 64 * 1024;

    private byte[] bytes;
    private int position;
    /** A reusable view of {@link #bytes} for {@link #flip()}; replaced when the array is. */
    private ByteBuffer view;

    public WriteBuffer(int initialCapacity) {
        this.bytes = new byte[initialCapacity];
    }

    /** Writes a message tag and an Int32 length placeholder; returns where the length goes. */
    public int startMessage(byte tag) {
        writeByte(tag);
        int lengthAt = position;
        writeInt(0);
        return lengthAt;
    }

    /** Writes a message without a tag (StartupMessage, SSLRequest, CancelRequest). */
    public int startUntaggedMessage() {
        int lengthAt = position;
        writeInt(0);
        return lengthAt;
    }

    /** Patches the length written at {@code lengthAt} to cover everything written since. */
    public void endMessage(int lengthAt) {
        long length = (long) position - lengthAt;
        if (length > MAX_MESSAGE_LENGTH) {
            throw new MessageTooLargeException(length);
        }
        putInt(lengthAt, (int) length);
    }

    /** Starts a length-prefixed value (a Bind parameter): returns where its length goes. */
    public int startValue() {
        int lengthAt = position;
        writeInt(0);
        return lengthAt;
    }

    /** Patches a value's Int32 length, which does not count itself. */
    public void endValue(int lengthAt) {
        putInt(lengthAt, position - lengthAt - 4);
    }

    public void writeByte(int b) {
        ensure(1);
        bytes[position++] = (byte) b;
    }

    public void writeShort(int s) {
        ensure(2);
        bytes[position++] = (byte) (s >>> 8);
        bytes[position++] = (byte) s;
    }

    public void writeInt(int i) {
        ensure(4);
        bytes[position++] = (byte) (i >>> 24);
        bytes[position++] = (byte) (i >>> 16);
        bytes[position++] = (byte) (i >>> 8);
        bytes[position++] = (byte) i;
    }

    public void writeLong(long l) {
        writeInt((int) (l >>> 32));
        writeInt((int) l);
    }

    public void writeFloat(float f) {
        writeInt(Float.floatToRawIntBits(f));
    }

    public void writeDouble(double d) {
        writeLong(Double.doubleToRawLongBits(d));
    }

    public void writeBytes(byte[] src) {
        writeBytes(src, 0, src.length);
    }

    public void writeBytes(byte[] src, int offset, int length) {
        ensure(length);
        System.arraycopy(src, offset, bytes, position, length);
        position += length;
    }

    /**
     * Reads up to {@code max} bytes from {@code in} straight into the buffer (COPY data from a
     * stream, without an intermediate array); returns how many, or -1 at the end of the stream.
     */
    public int writeFrom(java.io.InputStream in, int max) throws java.io.IOException {
        ensure(max);
        int n = in.read(bytes, position, max);
        if (n > 0) {
            position += n;
        }
        return n;
    }

    /**
     * Writes a string as UTF-8 without a terminator. ASCII, the common case, is copied
     * without an intermediate array.
     *
     * @throws UnpairedSurrogateException when the text holds half a surrogate pair, which has no
     *     UTF-8 form (the JDK's encoder would silently send '?')
     * @throws MessageTooLargeException when the text's UTF-8 form alone passes the message limit,
     *     found by counting before a byte of the non-ASCII rest is written
     */
    public void writeUtf8(String s) {
        int n = s.length();
        if (n > LARGE_TEXT_CHARS) {
            // Measured before the buffer grows: one character may take three bytes, and a text
            // too large to send must be refused without first growing a buffer to its size.
            writeUtf8From(s, 0);
            return;
        }
        ensure(n);
        int p = position;
        byte[] b = bytes;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                position = p;
                writeUtf8From(s, i);
                return;
            }
            b[p++] = (byte) c;
        }
        position = p;
    }

    /** Texts longer than this are measured before the buffer grows for them. */
    private static final int LARGE_TEXT_CHARS = 1 << 20;

    /** The non-ASCII rest of {@link #writeUtf8}: measured (and checked) first, then encoded in place. */
    private void writeUtf8From(String s, int from) {
        long length = utf8Length(s, from);
        if (length > MAX_MESSAGE_LENGTH) {
            throw new MessageTooLargeException((long) position + length);
        }
        ensure((int) length);
        byte[] b = bytes;
        int p = position;
        int n = s.length();
        for (int i = from; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                b[p++] = (byte) c;
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c)) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                b[p++] = (byte) (0xF0 | (cp >> 18));
                b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        position = p;
    }

    /** The UTF-8 length of {@code s} from {@code from} on; refuses an unpaired surrogate. */
    private static long utf8Length(String s, int from) {
        long length = 0;
        int n = s.length();
        for (int i = from; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                length++;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    length += 4;
                    i++;
                } else {
                    throw new UnpairedSurrogateException(c, i);
                }
            } else {
                length += 3;
            }
        }
        return length;
    }

    /** Writes a NUL-terminated string (a protocol "String"); the caller checks it holds no NUL. */
    public void writeCString(String s) {
        writeUtf8(s);
        writeByte(0);
    }

    public int position() {
        return position;
    }

    /** Moves the write position back to an earlier mark, dropping what came after. */
    public void truncate(int mark) {
        position = mark;
    }

    /** Removes the bytes from {@code from} up to {@code to}, moving what follows down. */
    public void cut(int from, int to) {
        System.arraycopy(bytes, to, bytes, from, position - to);
        position -= to - from;
    }

    public void putInt(int at, int i) {
        bytes[at] = (byte) (i >>> 24);
        bytes[at + 1] = (byte) (i >>> 16);
        bytes[at + 2] = (byte) (i >>> 8);
        bytes[at + 3] = (byte) i;
    }

    public void putShort(int at, int s) {
        bytes[at] = (byte) (s >>> 8);
        bytes[at + 1] = (byte) s;
    }

    /**
     * The bytes written so far, as a buffer ready to be written to a channel. The buffer is
     * reused by the next call: one query, no allocation.
     */
    public ByteBuffer flip() {
        ByteBuffer v = view;
        if (v == null || v.array() != bytes) {
            v = ByteBuffer.wrap(bytes);
            view = v;
        }
        v.clear().limit(position);
        return v;
    }

    /** A copy of the bytes written so far (for tests and the fake server). */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, position);
    }

    /** Empties the buffer, giving back memory grown for one unusually large message. */
    public void reset() {
        position = 0;
        if (bytes.length > RETAINED_CAPACITY) {
            bytes = new byte[RETAINED_CAPACITY];
        }
    }

    private void ensure(int extra) {
        long needed = (long) position + extra;
        if (needed > bytes.length) {
            grow(needed);
        }
    }

    private void grow(long needed) {
        // One message may be up to 1 GiB; a pipeline of several may pass that, but never 2 GiB.
        if (needed > Integer.MAX_VALUE - 16) {
            throw new MessageTooLargeException(needed);
        }
        // Doubling past one message's limit would ask for 2 GiB to hold a message just under 1 GiB.
        long cap = needed <= ONE_MESSAGE_CAPACITY ? ONE_MESSAGE_CAPACITY : Integer.MAX_VALUE - 16;
        long capacity = Math.max(needed, Math.min((long) bytes.length * 2, cap));
        bytes = Arrays.copyOf(bytes, (int) capacity);
    }

    /** Thrown for text holding half a surrogate pair: it has no UTF-8 form. */
    public static final class UnpairedSurrogateException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UnpairedSurrogateException(char c, int index) {
            super(String.format("the text holds an unpaired surrogate U+%04X at index %d, which has no UTF-8 form",
                    (int) c, index));
        }
    }

    /** Thrown when a message would not fit the protocol's Int32 length. */
    public static final class MessageTooLargeException extends RuntimeException {
        private final long length;

        public MessageTooLargeException(long length) {
            super("message of " + length + " bytes exceeds the protocol's limit of " + MAX_MESSAGE_LENGTH + " bytes");
            this.length = length;
        }

        public long length() {
            return length;
        }
    }
}
