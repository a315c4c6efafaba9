package io.pgloom;

/**
 * A PostgreSQL {@code pg_lsn}: a position in the write-ahead log, an unsigned 64-bit number
 * printed as two hex halves, {@code 16/B374D848}.
 *
 * <pre>{@code
 * PgLsn lsn = conn.fetchVal(PgLsn.class, "SELECT pg_current_wal_lsn()");
 * }</pre>
 *
 * <p>Immutable and thread-safe. Ordered as unsigned numbers.
 *
 * @param value the position, as an unsigned long
 */
public record PgLsn(long value) implements Comparable<PgLsn> {

    /** Parses {@code hi/lo}, both in hex. */
    public static PgLsn parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a pg_lsn (hi/lo in hex): " + text);
        }
        long hi = Long.parseLong(text.substring(0, slash), 16);
        long lo = Long.parseLong(text.substring(slash + 1), 16);
        return new PgLsn(hi << 32 | lo);
    }

    @Override
    public int compareTo(PgLsn other) {
        return Long.compareUnsigned(value, other.value);
    }

    /** {@code hi/lo} in upper-case hex, as PostgreSQL prints it. */
    @Override
    public String toString() {
        return Long.toHexString(value >>> 32).toUpperCase() + "/" + Long.toHexString(value & 0xFFFF_FFFFL).toUpperCase();
    }
}
