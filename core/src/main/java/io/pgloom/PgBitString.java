package io.pgloom;

import java.util.Arrays;

/**
 * A PostgreSQL {@code bit(n)} or {@code bit varying(n)} value: a sequence of bits, printed as
 * {@code 0} and {@code 1} characters, first bit first.
 *
 * <pre>{@code
 * PgBitString flags = PgBitString.parse("10110");
 * boolean third = flags.get(2);                       // true
 * conn.execute("UPDATE t SET flags = $1", flags);
 * }</pre>
 *
 * <p>Immutable and thread-safe: the bytes are copied in and out.
 */
public final class PgBitString {

    private final int length;
    private final byte[] bytes;

    private PgBitString(int length, byte[] bytes) {
        this.length = length;
        this.bytes = bytes;
    }

    /** Parses a string of '0' and '1'. */
    public static PgBitString parse(String bits) {
        byte[] bytes = new byte[(bits.length() + 7) / 8];
        for (int i = 0; i < bits.length(); i++) {
            char c = bits.charAt(i);
            if (c == '1') {
                bytes[i / 8] |= (byte) (0x80 >>> (i % 8));
            } else if (c != '0') {
                throw new IllegalArgumentException("a bit string holds only '0' and '1', not '" + c + "'");
            }
        }
        return new PgBitString(bits.length(), bytes);
    }

    /**
     * The first {@code length} bits of {@code bytes}, most significant bit of the first byte
     * first (PostgreSQL's order); bits past the length are cleared.
     */
    public static PgBitString of(int length, byte[] bytes) {
        if (length < 0 || (length + 7) / 8 > bytes.length) {
            throw new IllegalArgumentException(length + " bits do not fit " + bytes.length + " bytes");
        }
        byte[] copy = Arrays.copyOf(bytes, (length + 7) / 8);
        if (length % 8 != 0) {
            copy[copy.length - 1] &= (byte) (0xFF << (8 - length % 8));
        }
        return new PgBitString(length, copy);
    }

    /** The number of bits. */
    public int length() {
        return length;
    }

    /** The bit at {@code index} (0 is the first, leftmost). */
    public boolean get(int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException(index);
        }
        return (bytes[index / 8] & (0x80 >>> (index % 8))) != 0;
    }

    /** A copy of the bits packed into bytes, first bit in the high bit of the first byte. */
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PgBitString b && b.length == length && Arrays.equals(b.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return 31 * length + Arrays.hashCode(bytes);
    }

    /** The bits as '0' and '1' characters, PostgreSQL's form. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(get(i) ? '1' : '0');
        }
        return b.toString();
    }
}
