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
        String host = format(address);
        return prefixLength == max ? host : host + "/" + prefixLength;
    }

    /**
     * An address as PostgreSQL prints it: dotted IPv4; IPv6 in lower-case hex with the longest
     * run of two or more zero groups as {@code ::}, and IPv4-mapped and -compatible
     * addresses as {@code ::ffff:1.2.3.4} and {@code ::1.2.3.4}.
     */
    static String format(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return address.getHostAddress();
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
        }
        boolean firstFiveZero = groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0 && groups[4] == 0;
        // IPv4-mapped (::ffff:1.2.3.4) and IPv4-compatible (::1.2.3.4) addresses end in dotted form.
        boolean mapped = firstFiveZero && (groups[5] == 0xFFFF || (groups[5] == 0 && groups[6] != 0));
        int count = mapped ? 6 : 8;
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < count; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < count && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder s = new StringBuilder(40);
        for (int i = 0; i < count; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLength - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(groups[i]));
        }
        if (mapped) {
            if (s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(b[12] & 0xFF).append('.').append(b[13] & 0xFF).append('.').append(b[14] & 0xFF).append('.')
                    .append(b[15] & 0xFF);
        }
        return s.toString();
    }

    static InetAddress literal(String text) {
        boolean numeric = text.indexOf(':') >= 0 || text.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
        if (!numeric || text.isEmpty()) {
            throw new IllegalArgumentException("not a numeric IP address: " + text);
        }
        try {
            InetAddress address = InetAddress.getByName(text);
            if (address instanceof Inet4Address && text.indexOf(':') >= 0) {
                // Java turns ::ffff:1.2.3.4 into an IPv4 address; PostgreSQL keeps it IPv6.
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xFF;
                mapped[11] = (byte) 0xFF;
                System.arraycopy(address.getAddress(), 0, mapped, 12, 4);
                return java.net.Inet6Address.getByAddress(null, mapped, -1);
            }
            return address;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + text, e);
        }
    }
}
