package io.pgloom.internal.types;

import io.pgloom.internal.io.WriteBuffer;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * numeric: {@code BigDecimal} of any precision, with the value's display scale kept (so
 * {@code 1.50} stays {@code 1.50}).
 *
 * <p>NaN, Infinity and -Infinity, which BigDecimal cannot hold, decode to the {@code Double}
 * values {@code NaN}, {@code POSITIVE_INFINITY} and {@code NEGATIVE_INFINITY}; those Doubles
 * encode back to them. Reading such a value with {@code get(i, BigDecimal.class)} is an error
 * that says so.
 *
 * <p>The binary form is four Int16 (number of digits, weight of the first digit, sign, display
 * scale) and then base-10000 digits, most significant first.
 */
final class NumericCodec implements Codec {

    static final NumericCodec INSTANCE = new NumericCodec();

    private static final int POSITIVE = 0x0000;
    private static final int NEGATIVE = 0x4000;
    private static final int NAN = 0xC000;
    private static final int PLUS_INFINITY = 0xD000;
    private static final int MINUS_INFINITY = 0xF000;
    private static final int MAX_DISPLAY_SCALE = 0x3FFF;

    private NumericCodec() {
    }

    public boolean binary() {
        return true;
    }

    public Object decodeBinary(byte[] buf, int offset, int length) {
        if (length < 8) {
            throw ValueException.malformed("numeric: " + length + " bytes");
        }
        int ndigits = Bytes.int16(buf, offset) & 0xFFFF;
        int weight = Bytes.int16(buf, offset + 2);
        int sign = Bytes.int16(buf, offset + 4) & 0xFFFF;
        int dscale = Bytes.int16(buf, offset + 6) & 0xFFFF;
        switch (sign) {
            case NAN:
                return Double.NaN;
            case PLUS_INFINITY:
                return Double.POSITIVE_INFINITY;
            case MINUS_INFINITY:
                return Double.NEGATIVE_INFINITY;
            case POSITIVE, NEGATIVE:
                break;
            default:
                throw ValueException.malformed("numeric: sign 0x" + Integer.toHexString(sign));
        }
        if (dscale > MAX_DISPLAY_SCALE) { // as numeric_recv; and setScale(65535) would build a 65535-digit number
            throw ValueException.malformed("numeric: display scale " + dscale);
        }
        Bytes.requireLength(length, 8 + 2 * ndigits, "numeric");
        BigInteger unscaled;
        int at = offset + 8;
        if (ndigits <= 4) {
            long acc = 0; // 10000^4 fits a long: the common case allocates nothing but the result
            for (int i = 0; i < ndigits; i++, at += 2) {
                acc = acc * 10000 + digit(buf, at);
            }
            if (ndigits > 0) {
                BigDecimal exact = atDisplayScale(acc, (ndigits - 1 - weight) * 4, dscale, sign == NEGATIVE);
                if (exact != null) {
                    return exact;
                }
            }
            unscaled = BigInteger.valueOf(acc);
        } else {
            StringBuilder digits = new StringBuilder(ndigits * 4);
            for (int i = 0; i < ndigits; i++, at += 2) {
                int d = digit(buf, at);
                digits.append((char) ('0' + d / 1000)).append((char) ('0' + d / 100 % 10))
                        .append((char) ('0' + d / 10 % 10)).append((char) ('0' + d % 10));
            }
            unscaled = new BigInteger(digits.toString());
        }
        // The last digit group sits at 10000^(weight - ndigits + 1).
        int scale = (ndigits - 1 - weight) * 4;
        BigDecimal value = ndigits == 0 ? BigDecimal.ZERO : new BigDecimal(unscaled, scale);
        if (sign == NEGATIVE) {
            value = value.negate();
        }
        try {
            return value.setScale(dscale, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            return value; // digits beyond the display scale: keep them rather than round
        }
    }

    /**
     * {@code ±digits × 10^-scale} as a BigDecimal of scale {@code dscale}, built from a long
     * directly (no BigInteger, no second BigDecimal for setScale); null when that would need
     * rounding or overflow a long, for the general path to decide.
     */
    private static BigDecimal atDisplayScale(long digits, int scale, int dscale, boolean negative) {
        if (digits == 0) {
            return BigDecimal.valueOf(0, dscale); // no digit to drop or shift (the server sends none such)
        }
        long v = digits;
        int s = scale;
        while (s > dscale) {
            if (v % 10 != 0) {
                return null;
            }
            v /= 10;
            s--;
        }
        while (s < dscale) {
            if (v > Long.MAX_VALUE / 10) {
                return null;
            }
            v *= 10;
            s++;
        }
        return BigDecimal.valueOf(negative ? -v : v, dscale);
    }

    /** One base-10000 digit; numeric_recv refuses any other, and so does this. */
    private static int digit(byte[] buf, int at) {
        int d = Bytes.int16(buf, at);
        if (d < 0 || d > 9999) {
            throw ValueException.malformed("numeric: digit " + d);
        }
        return d;
    }

    public void encodeBinary(Object value, WriteBuffer out) {
        Object v = normalize(value);
        if (v instanceof Double d) {
            out.writeShort(0);
            out.writeShort(0);
            out.writeShort(d.isNaN() ? NAN : d > 0 ? PLUS_INFINITY : MINUS_INFINITY);
            out.writeShort(0);
            return;
        }
        BigDecimal decimal = (BigDecimal) v;
        if (decimal.scale() < 0) {
            decimal = decimal.setScale(0);
        }
        int dscale = decimal.scale();
        if (dscale > MAX_DISPLAY_SCALE) {
            throw new ValueException("numeric's scale is at most " + MAX_DISPLAY_SCALE + ", this has " + dscale);
        }
        int paddedScale = (dscale + 3) / 4 * 4;
        String digits = decimal.abs().setScale(paddedScale).unscaledValue().toString();
        int groups = (digits.length() + 3) / 4;
        int firstWidth = digits.length() - (groups - 1) * 4;
        short[] base10000 = new short[groups];
        int at = 0;
        for (int g = 0; g < groups; g++) {
            int width = g == 0 ? firstWidth : 4;
            base10000[g] = (short) Integer.parseInt(digits, at, at + width, 10);
            at += width;
        }
        int first = 0;
        while (first < groups && base10000[first] == 0) {
            first++;
        }
        int last = groups - 1;
        while (last >= first && base10000[last] == 0) {
            last--;
        }
        int ndigits = last - first + 1;
        int weight = ndigits == 0 ? 0 : groups - 1 - paddedScale / 4 - first;
        if (weight > Short.MAX_VALUE || weight < Short.MIN_VALUE) {
            throw new ValueException("out of numeric's range");
        }
        out.writeShort(ndigits);
        out.writeShort(weight);
        out.writeShort(decimal.signum() < 0 ? NEGATIVE : POSITIVE);
        out.writeShort(dscale);
        for (int g = first; g <= last; g++) {
            out.writeShort(base10000[g]);
        }
    }

    public Object decodeText(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> {
                try {
                    yield new BigDecimal(text);
                } catch (NumberFormatException e) {
                    throw ValueException.malformed("numeric '" + text + "'");
                }
            }
        };
    }

    public String encodeText(Object value) {
        Object v = normalize(value);
        if (v instanceof Double d) {
            return d.isNaN() ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
        }
        BigDecimal decimal = (BigDecimal) v;
        return (decimal.scale() < 0 ? decimal.setScale(0) : decimal).toPlainString();
    }

    public String accepts() {
        return "BigDecimal, BigInteger, Short, Integer, Long, Float or Double";
    }

    /** A BigDecimal, or a Double holding NaN or an infinity. */
    private static Object normalize(Object value) {
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return d;
            }
        }
        return NumberCodecs.Numbers.exactDecimal(value);
    }
}
