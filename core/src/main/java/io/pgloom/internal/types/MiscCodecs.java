package io.pgloom.internal.types;

import io.pgloom.PgBitString;
import io.pgloom.PgLsn;
import io.pgloom.internal.io.WriteBuffer;

/** bit and varbit ({@link PgBitString}) and pg_lsn ({@link PgLsn}). */
final class MiscCodecs {

    private MiscCodecs() {
    }

    /** bit and varbit: Int32 number of bits, then the bits packed first-bit-high. */
    static final Codec BIT = new Codec() {
        public boolean binary() {
            return true;
        }

        public Object decodeBinary(byte[] buf, int offset, int length) {
            Bytes.require(offset, 4, offset + length, "bit");
            int bits = Bytes.int32(buf, offset);
            if (bits < 0) {
                throw ValueException.malformed("bit: length " + bits);
            }
            Bytes.requireLength(length, 4 + (bits + 7) / 8, "bit");
            return PgBitString.of(bits, java.util.Arrays.copyOfRange(buf, offset + 4, offset + length));
        }

        public void encodeBinary(Object value, WriteBuffer out) {
            PgBitString b = bits(value);
            out.writeInt(b.length());
            out.writeBytes(b.bytes());
        }

        public Object decodeText(String text) {
            try {
                return PgBitString.parse(text);
            } catch (IllegalArgumentException e) {
                throw ValueException.malformed("bit '" + text + "'");
            }
        }

        public String encodeText(Object value) {
            return bits(value).toString();
        }

        public String accepts() {
            return "PgBitString";
        }

        private PgBitString bits(Object value) {
            if (value instanceof PgBitString b) {
                return b;
            }
            throw ValueException.unsupported();
        }
    };

    static final Codec PG_LSN = new Codec() {
        public boolean binary() {
            return true;
        }

        public Object decodeBinary(byte[] buf, int offset, int length) {
            Bytes.requireLength(length, 8, "pg_lsn");
            return new PgLsn(Bytes.int64(buf, offset));
        }

        public void encodeBinary(Object value, WriteBuffer out) {
            out.writeLong(lsn(value).value());
        }

        public Object decodeText(String text) {
            try {
                return PgLsn.parse(text);
            } catch (IllegalArgumentException e) {
                throw ValueException.malformed("pg_lsn '" + text + "'");
            }
        }

        public String encodeText(Object value) {
            return lsn(value).toString();
        }

        public String accepts() {
            return "PgLsn";
        }

        private PgLsn lsn(Object value) {
            if (value instanceof PgLsn l) {
                return l;
            }
            throw ValueException.unsupported();
        }
    };
}
