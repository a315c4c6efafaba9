package io.pgloom.internal.types;

import io.pgloom.internal.io.WriteBuffer;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * bool, the integer types, oid, float4/float8 and money.
 *
 * <p>Parameters: an integer type accepts any integral Java number (Byte, Short, Integer, Long,
 * BigInteger, or a BigDecimal without fraction) whose value fits; a float type accepts any
 * number it represents exactly (so {@code 0.1d} is refused as float4, {@code 0.5d} accepted).
 * Nothing is rounded or truncated silently, and strings are never parsed.
 */
final class NumberCodecs {

    private NumberCodecs() {
    }

    static final Codec BOOL = new Codec() {
        public boolean binary() {
            return true;
        }

        public Object decodeBinary(byte[] buf, int offset, int length) {
            Bytes.requireLength(length, 1, "bool");
            return buf[offset] != 0;
        }

        public void encodeBinary(Object value, WriteBuffer out) {
            out.writeByte(bool(value) ? 1 : 0);
        }

        public Object decodeText(String text) {
            return switch (text) {
                case "t", "true" -> Boolean.TRUE;
                case "f", "false" -> Boolean.FALSE;
                default -> throw ValueException.malformed("bool '" + text + "'");
            };
        }

        public String encodeText(Object value) {
            return bool(value) ? "t" : "f";
        }

        public String accepts() {
            return "Boolean";
        }

        private boolean bool(Object value) {
            if (value instanceof Boolean b) {
                return b;
            }
            throw ValueException.unsupported();
        }
    };

    static final Codec INT2 = new IntegerCodec("int2", 2, Short.MIN_VALUE, Short.MAX_VALUE) {
        public Object decodeBinary(byte[] buf, int offset, int length) {
            Bytes.requireLength(length, 2, "int2");
            return Bytes.int16(buf, offset);
        }

        public Object decodeText(String text) {
            return (short) parse(text);
        }
    };

    static final Codec INT4 = new IntegerCodec("int4", 4, Integer.MIN_VALUE, Integer.MAX_VALUE) {
        public Object decodeBinary(byte[] buf, int offset, int length) {
            Bytes.requireLength(length, 4, "int4");
            return Bytes.int32(buf, offset);
        }

        public Object decodeText(String text) {
            return (int) parse(text);
        }
    };

    static final Codec INT8 = new IntegerCodec("int8", 8, Long.MIN_VALUE, Long.MAX_VALUE) {
        public Object decodeBinary(byte[] buf, int offset, int length) {
            Bytes.requireLength(length, 8, "int8");
            return Bytes.int64(buf, offset);
        }

        public Object decodeText(String text) {
            return Long.valueOf(parse(text));
        }
    };

    /** oid is an unsigned 32-bit number: a {@code Long}, so that OIDs above 2^31 stay positive. */
    static final Codec OID = new IntegerCodec("oid", 4, 0, 0xFFFF_FFFFL) {
        public Object decodeBinary(byte[] buf, int offset, int length) {
            Bytes.requireLength(length, 4, "oid");
            return Bytes.int32(buf, offset) & 0xFFFF_FFFFL;
        }

        public Object decodeText(String text) {
            return parse(text);
        }
    };

    static final Codec FLOAT4 = new Codec() {
        public boolean binary() {
            return true;
        }

        public Object decodeBinary(byte[] buf, int offset, int length) {
            Bytes.requireLength(length, 4, "float4");
            return Float.intBitsToFloat(Bytes.int32(buf, offset));
        }

        public void encodeBinary(Object value, WriteBuffer out) {
            out.writeFloat(toFloat(value));
        }

        public Object decodeText(String text) {
            double d = parseFloat(text); // for NaN and the infinities' spellings
            // Parsing straight to float: through a double, rounding twice can miss by one ulp.
            return Double.isNaN(d) || Double.isInfinite(d) ? (float) d : Float.parseFloat(text);
        }

        public String encodeText(Object value) {
            return FloatText.format(toFloat(value), true);
        }

        public String accepts() {
            return "Float, or any number a float4 represents exactly";
        }
    };

    static final Codec FLOAT8 = new Codec() {
        public boolean binary() {
            return true;
        }

        public Object decodeBinary(byte[] buf, int offset, int length) {
            Bytes.requireLength(length, 8, "float8");
            return Bytes.float64(buf, offset);
        }

        public void encodeBinary(Object value, WriteBuffer out) {
            out.writeDouble(toDouble(value));
        }

        public Object decodeText(String text) {
            return parseFloat(text);
        }

        public String encodeText(Object value) {
            return FloatText.format(toDouble(value), false);
        }

        public String accepts() {
            return "Double, Float, or any number a float8 represents exactly";
        }
    };

    /**
     * money, as a {@code BigDecimal} with two fraction digits. The server stores an int64 count
     * of the currency's smallest unit and formats it by lc_monetary; pgloom assumes the unit is
     * a hundredth (as in C, en_*, de_*, fr_* and most locales). Parameters must have at most
     * two fraction digits.
     */
    static final Codec MONEY = new Codec() {
        public boolean binary() {
            return true;
        }

        public Object decodeBinary(byte[] buf, int offset, int length) {
            Bytes.requireLength(length, 8, "money");
            return BigDecimal.valueOf(Bytes.int64(buf, offset), 2);
        }

        public void encodeBinary(Object value, WriteBuffer out) {
            out.writeLong(cents(value));
        }

        public Object decodeText(String text) {
            String t = text.trim();
            boolean negative = t.startsWith("-") || t.startsWith("(");
            StringBuilder digits = new StringBuilder();
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                if ((c >= '0' && c <= '9') || c == '.') {
                    digits.append(c);
                }
            }
            if (digits.isEmpty()) {
                throw ValueException.malformed("money '" + text + "'");
            }
            BigDecimal v = new BigDecimal(digits.toString()).setScale(2);
            return negative ? v.negate() : v;
        }

        public String encodeText(Object value) {
            return BigDecimal.valueOf(cents(value), 2).toPlainString();
        }

        public String accepts() {
            return "BigDecimal with at most 2 fraction digits, or an integral number";
        }

        private long cents(Object value) {
            BigDecimal d = Numbers.exactDecimal(value);
            try {
                return d.movePointRight(2).setScale(0).longValueExact();
            } catch (ArithmeticException e) {
                throw new ValueException("money has two fraction digits and the range of an int8 count of cents");
            }
        }
    };

    static float toFloat(Object value) {
        if (value instanceof Float f) {
            return f;
        }
        if (value instanceof Double d) {
            if (d.isNaN() || d.isInfinite() || (double) d.floatValue() == d) {
                return d.floatValue();
            }
            throw new ValueException("float4 cannot represent " + d + " exactly; pass a Float or cast to float8");
        }
        if (value instanceof Number n && Numbers.isIntegral(n)) {
            long l = Numbers.exactLong(n);
            float f = (float) l;
            if ((long) f == l && f != 0x1p63f) {
                return f;
            }
            throw new ValueException("float4 cannot represent " + l + " exactly");
        }
        if (value instanceof BigDecimal bd) {
            float f = bd.floatValue();
            if (!Float.isInfinite(f) && new BigDecimal(f).compareTo(bd) == 0) {
                return f;
            }
            throw new ValueException("float4 cannot represent " + bd + " exactly");
        }
        throw ValueException.unsupported();
    }

    static double toDouble(Object value) {
        if (value instanceof Double d) {
            return d;
        }
        if (value instanceof Float f) {
            return f;
        }
        if (value instanceof Number n && Numbers.isIntegral(n)) {
            long l = Numbers.exactLong(n);
            double d = (double) l;
            if ((long) d == l && d != 0x1p63) {
                return d;
            }
            throw new ValueException("float8 cannot represent " + l + " exactly");
        }
        if (value instanceof BigDecimal bd) {
            double d = bd.doubleValue();
            if (!Double.isInfinite(d) && new BigDecimal(d).compareTo(bd) == 0) {
                return d;
            }
            throw new ValueException("float8 cannot represent " + bd + " exactly; cast the parameter to numeric");
        }
        throw ValueException.unsupported();
    }

    static double parseFloat(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> {
                try {
                    yield Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw ValueException.malformed("float '" + text + "'");
                }
            }
        };
    }

    /** The integer types and oid: one range check, one width. */
    private abstract static class IntegerCodec implements Codec {
        private final String name;
        private final int width;
        private final long min;
        private final long max;

        IntegerCodec(String name, int width, long min, long max) {
            this.name = name;
            this.width = width;
            this.min = min;
            this.max = max;
        }

        public boolean binary() {
            return true;
        }

        public void encodeBinary(Object value, WriteBuffer out) {
            long v = check(value);
            switch (width) {
                case 2 -> out.writeShort((int) v);
                case 4 -> out.writeInt((int) v);
                default -> out.writeLong(v);
            }
        }

        public String encodeText(Object value) {
            return Long.toString(check(value));
        }

        public String accepts() {
            return "Short, Integer, Long, BigInteger or an integral BigDecimal within " + name + "'s range";
        }

        long parse(String text) {
            try {
                long v = Long.parseLong(text.trim());
                if (v < min || v > max) {
                    throw ValueException.malformed(name + " '" + text + "'");
                }
                return v;
            } catch (NumberFormatException e) {
                throw ValueException.malformed(name + " '" + text + "'");
            }
        }

        private long check(Object value) {
            if (!(value instanceof Number n) || !Numbers.isIntegral(n)) {
                throw ValueException.unsupported();
            }
            long v;
            try {
                v = Numbers.exactLong(n);
            } catch (ValueException e) {
                throw new ValueException("out of range [" + min + ", " + max + "]");
            }
            if (v < min || v > max) {
                throw new ValueException("out of range [" + min + ", " + max + "]");
            }
            return v;
        }
    }

    /** Helpers shared by the numeric codecs and conversions. */
    static final class Numbers {
        private Numbers() {
        }

        /** Byte, Short, Integer, Long, BigInteger, or a BigDecimal with no fraction. */
        static boolean isIntegral(Number n) {
            if (n instanceof Byte || n instanceof Short || n instanceof Integer || n instanceof Long
                    || n instanceof BigInteger) {
                return true;
            }
            if (n instanceof BigDecimal bd) {
                return bd.signum() == 0 || bd.stripTrailingZeros().scale() <= 0;
            }
            return false;
        }

        /** The value of an integral number as a long; a ValueException when it does not fit. */
        static long exactLong(Number n) {
            if (n instanceof BigInteger bi) {
                if (bi.bitLength() > 63) {
                    throw new ValueException("out of range");
                }
                return bi.longValue();
            }
            if (n instanceof BigDecimal bd) {
                try {
                    return bd.longValueExact();
                } catch (ArithmeticException e) {
                    throw new ValueException("out of range");
                }
            }
            return n.longValue();
        }

        /** A number as an exact BigDecimal: integers, BigDecimal; floats by their shortest decimal form. */
        static BigDecimal exactDecimal(Object value) {
            if (value instanceof BigDecimal bd) {
                return bd;
            }
            if (value instanceof BigInteger bi) {
                return new BigDecimal(bi);
            }
            if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long) {
                return BigDecimal.valueOf(((Number) value).longValue());
            }
            if (value instanceof Double || value instanceof Float) {
                double d = ((Number) value).doubleValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw new ValueException(d + " has no decimal value");
                }
                return value instanceof Float f ? new BigDecimal(Float.toString(f)) : BigDecimal.valueOf(d);
            }
            throw ValueException.unsupported();
        }
    }
}
