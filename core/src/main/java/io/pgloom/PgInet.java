package io.pgloom;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A PostgreSQL {@code inet}: an IPv4 or IPv6 host address with an optional network prefix
 * length ({@code 192.168.0.7/24} is host .7 on the /24 network).
 *
 * <pre>{@code
 * PgInet a = PgInet.parse("10.1.2.3/8");
 * conn.execute("INSERT INTO hosts(addr) VALUES ($1)", a);
 * InetAddress ip = row.get("addr", PgInet.class).address();
 * }</pre>
 *
 * <p>A plain {@link InetAddress} is accepted as an inet parameter too (with the full prefix).
 * Immutable and thread-safe.
 *
 * @param address the host address
 * @param prefixLength the network prefix length: 0..32 for IPv4, 0..128 for IPv6
 */
public record PgInet(InetAddress address, int prefixLength) {

    public PgInet {
        if (address == null) {
            throw new NullPointerException("address");
        }
        int max = address instanceof Inet4Address ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0.." + max);
        }
    }

    /** A host address with the full prefix (/32 or /128). */
    public static PgInet of(InetAddress address) {
        return new PgInet(address, address instanceof Inet4Address ? 32 : 128);
    }

    /**
     * Parses a numeric address with an optional {@code /prefix}, as PostgreSQL prints it.
     * Never looks up a host name.
     */
    public static PgInet parse(String text) {
        int slash = text.indexOf('/');
        InetAddress address = literal(slash < 0 ? text : text.substring(0, slash));
        int prefix = slash < 0 ? (address instanceof Inet4Address ? 32 : 128) : Integer.parseInt(text.substring(slash + 1));
        return new PgInet(address, prefix);
    }

    /** PostgreSQL's form: the address, then {@code /prefix} unless the prefix is full. */
    @Override
    public String toString() {
        int max = address instanceof Inet4Address ? 32 : 128;
        String host = address.getHostAddress();
        return prefixLength == max ? host : host + "/" + prefixLength;
    }

    static InetAddress literal(String text) {
        boolean numeric = text.indexOf(':') >= 0 || text.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
        if (!numeric || text.isEmpty()) {
            throw new IllegalArgumentException("not a numeric IP address: " + text);
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + text, e);
        }
    }
}
