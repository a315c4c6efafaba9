package io.pgloom;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A MAC address: 6 bytes for PostgreSQL's {@code macaddr}, 8 for {@code macaddr8} (EUI-64).
 *
 * <pre>{@code
 * PgMacAddr mac = PgMacAddr.parse("08:00:2b:01:02:03");
 * conn.execute("INSERT INTO nics(mac) VALUES ($1)", mac);
 * }</pre>
 *
 * <p>Immutable and thread-safe: the bytes are copied in and out.
 */
public final class PgMacAddr {

    private final byte[] bytes;

    private PgMacAddr(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A MAC address of 6 or 8 bytes. */
    public static PgMacAddr of(byte[] bytes) {
        if (bytes.length != 6 && bytes.length != 8) {
            throw new IllegalArgumentException("a MAC address has 6 or 8 bytes, not " + bytes.length);
        }
        return new PgMacAddr(bytes.clone());
    }

    /** Parses hex bytes separated by ':', '-' or '.', or not at all ({@code 08002b010203}). */
    public static PgMacAddr parse(String text) {
        String hex = text.replaceAll("[:.\\-]", "");
        return of(HexFormat.of().parseHex(hex));
    }

    /** A copy of the address's 6 or 8 bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** 6 for macaddr, 8 for macaddr8. */
    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PgMacAddr m && Arrays.equals(bytes, m.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** PostgreSQL's form: lower-case hex bytes separated by colons. */
    @Override
    public String toString() {
        return HexFormat.ofDelimiter(":").formatHex(bytes);
    }
}
