package io.pgloom.internal.types;

import io.pgloom.PgCidr;
import io.pgloom.PgInet;
import io.pgloom.PgMacAddr;
import io.pgloom.internal.io.WriteBuffer;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * inet ({@link PgInet}), cidr ({@link PgCidr}), macaddr and macaddr8 ({@link PgMacAddr}).
 *
 * <p>inet and cidr share one binary form: a family byte (2 for IPv4, 3 for IPv6), the prefix
 * length, an is-cidr flag, the address length (4 or 16) and the address bytes.
 */
final class NetworkCodecs {

    private NetworkCodecs() {
    }

    private static final int FAMILY_INET = 2;
    private static final int FAMILY_INET6 = 3;

    static final Codec INET = new AddressCodec(false);
    static final Codec CIDR = new AddressCodec(true);
    static final Codec MACADDR = new MacCodec(6);
    static final Codec MACADDR8 = new MacCodec(8);

    private static final class AddressCodec implements Codec {
        private final boolean cidr;

        AddressCodec(boolean cidr) {
            this.cidr = cidr;
        }

        public boolean binary() {
            return true;
        }

        public Object decodeBinary(byte[] buf, int offset, int length) {
            Bytes.require(offset, 4, offset + length, cidr ? "cidr" : "inet");
            int family = buf[offset];
            int bits = buf[offset + 1] & 0xFF;
            int size = buf[offset + 3] & 0xFF;
            if ((family != FAMILY_INET || size != 4) && (family != FAMILY_INET6 || size != 16)) {
                throw ValueException.malformed("inet: family " + family + ", " + size + " bytes");
            }
            Bytes.requireLength(length, 4 + size, cidr ? "cidr" : "inet");
            byte[] address = java.util.Arrays.copyOfRange(buf, offset + 4, offset + 4 + size);
            InetAddress a;
            try {
                // Inet6Address keeps ::ffff:1.2.3.4 IPv6, as the server does; getByAddress would not.
                a = size == 4 ? InetAddress.getByAddress(address) : Inet6Address.getByAddress(null, address, -1);
            } catch (UnknownHostException e) {
                throw ValueException.malformed("inet address");
            }
            try {
                return cidr ? new PgCidr(a, bits) : new PgInet(a, bits);
            } catch (IllegalArgumentException e) {
                throw ValueException.malformed("inet: " + e.getMessage());
            }
        }

        public void encodeBinary(Object value, WriteBuffer out) {
            InetAddress address;
            int bits;
            if (value instanceof PgInet i && !cidr) {
                address = i.address();
                bits = i.prefixLength();
            } else if (value instanceof PgCidr c) {
                address = c.address();
                bits = c.prefixLength();
            } else if (value instanceof InetAddress a) {
                address = a;
                bits = a.getAddress().length * 8;
            } else {
                throw ValueException.unsupported();
            }
            byte[] bytes = address.getAddress();
            out.writeByte(bytes.length == 4 ? FAMILY_INET : FAMILY_INET6);
            out.writeByte(bits);
            out.writeByte(cidr ? 1 : 0);
            out.writeByte(bytes.length);
            out.writeBytes(bytes);
        }

        public Object decodeText(String text) {
            try {
                return cidr ? PgCidr.parse(text) : PgInet.parse(text);
            } catch (IllegalArgumentException e) {
                throw ValueException.malformed((cidr ? "cidr '" : "inet '") + text + "'");
            }
        }

        public String encodeText(Object value) {
            if (value instanceof PgInet i && !cidr) {
                return i.toString();
            }
            if (value instanceof PgCidr c) {
                return c.toString();
            }
            if (value instanceof InetAddress a) {
                return cidr ? new PgCidr(a, a.getAddress().length * 8).toString() : PgInet.of(a).toString();
            }
            throw ValueException.unsupported();
        }

        public String accepts() {
            return cidr ? "PgCidr or InetAddress" : "PgInet, PgCidr or InetAddress";
        }
    }

    private static final class MacCodec implements Codec {
        private final int size;

        MacCodec(int size) {
            this.size = size;
        }

        public boolean binary() {
            return true;
        }

        public Object decodeBinary(byte[] buf, int offset, int length) {
            Bytes.requireLength(length, size, size == 6 ? "macaddr" : "macaddr8");
            return PgMacAddr.of(java.util.Arrays.copyOfRange(buf, offset, offset + size));
        }

        public void encodeBinary(Object value, WriteBuffer out) {
            out.writeBytes(bytes(value));
        }

        public Object decodeText(String text) {
            try {
                return PgMacAddr.parse(text);
            } catch (IllegalArgumentException e) {
                throw ValueException.malformed("macaddr '" + text + "'");
            }
        }

        public String encodeText(Object value) {
            return PgMacAddr.of(bytes(value)).toString();
        }

        public String accepts() {
            return size == 6 ? "PgMacAddr of 6 bytes" : "PgMacAddr (6 bytes are widened the way the server does)";
        }

        private byte[] bytes(Object value) {
            if (!(value instanceof PgMacAddr mac)) {
                throw ValueException.unsupported();
            }
            byte[] b = mac.bytes();
            if (b.length == size) {
                return b;
            }
            if (size == 8) {
                // EUI-48 to EUI-64 as macaddr8's input does: FF:FE in the middle.
                return new byte[] {b[0], b[1], b[2], (byte) 0xFF, (byte) 0xFE, b[3], b[4], b[5]};
            }
            throw new ValueException("macaddr holds 6 bytes; this has 8 (use macaddr8)");
        }
    }
}
