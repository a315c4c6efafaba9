package io.pgloom;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * A PostgreSQL {@code cidr}: an IPv4 or IPv6 network, whose address has no bits set right of
 * the prefix ({@code 10.0.0.0/8}, never {@code 10.0.0.1/8}).
 *
 * <pre>{@code
 * PgCidr net = PgCidr.parse("192.168.0.0/16");
 * boolean inside = conn.fetchVal(Boolean.class, "SELECT $1::inet << $2", PgInet.parse("192.168.4.2"), net);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param address the network address
 * @param prefixLength the network prefix length: 0..32 for IPv4, 0..128 for IPv6
 */
public record PgCidr(InetAddress address, int prefixLength) {

    public PgCidr {
        if (address == null) {
            throw new NullPointerException("address");
        }
        byte[] bytes = address.getAddress();
        int max = bytes.length * 8;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0.." + max);
        }
        for (int bit = prefixLength; bit < max; bit++) {
            if ((bytes[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                throw new IllegalArgumentException(address.getHostAddress() + "/" + prefixLength
                        + " has bits set right of the prefix; a cidr is a network address");
            }
        }
    }

    /** Parses {@code address/prefix}; without a prefix, the full one. Never looks up a host name. */
    public static PgCidr parse(String text) {
        int slash = text.indexOf('/');
        InetAddress address = PgInet.literal(slash < 0 ? text : text.substring(0, slash));
        int prefix = slash < 0 ? (address instanceof Inet4Address ? 32 : 128) : Integer.parseInt(text.substring(slash + 1));
        return new PgCidr(address, prefix);
    }

    /** PostgreSQL's form, always with the prefix: {@code 10.0.0.0/8}. */
    @Override
    public String toString() {
        return PgInet.format(address) + "/" + prefixLength;
    }
}
