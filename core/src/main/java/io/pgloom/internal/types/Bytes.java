package io.pgloom.internal.types;

/** Big-endian reads from a byte array: the binary formats' integers. */
final class Bytes {

    private Bytes() {
    }

    static short int16(byte[] b, int at) {
        return (short) (((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF));
    }

    static int int32(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    static long int64(byte[] b, int at) {
        return ((long) int32(b, at) << 32) | (int32(b, at + 4) & 0xFFFF_FFFFL);
    }

    static double float64(byte[] b, int at) {
        return Double.longBitsToDouble(int64(b, at));
    }

    /** Fails unless a value has exactly the size its fixed-width type requires. */
    static void requireLength(int length, int expected, String type) {
        if (length != expected) {
            throw ValueException.malformed(type + ": " + length + " bytes, expected " + expected);
        }
    }

    /** Fails unless {@code need} more bytes are available at {@code at} before {@code end}. */
    static void require(int at, int need, int end, String type) {
        if (need < 0 || at + (long) need > end) {
            throw ValueException.malformed(type + ": value ends early");
        }
    }
}
