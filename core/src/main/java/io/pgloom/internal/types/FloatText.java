package io.pgloom.internal.types;

import java.math.BigDecimal;

/**
 * Formats floats as PostgreSQL 12+ prints them: the shortest digits that read back exactly
 * (Java's {@code toString} finds them since JDK 19, but never fewer than two), in fixed notation for decimal
 * exponents from -4 up to 14 (float4: 5) and as {@code 1.5e+20} outside, like printf's %g.
 */
final class FloatText {

    private FloatText() {
    }

    static String format(double value, boolean float4) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == 0) {
            return (1 / value < 0) ? "-0" : "0";
        }
        String shortest = float4 ? Float.toString((float) value) : Double.toString(value);
        BigDecimal d = new BigDecimal(shortest).stripTrailingZeros();
        if (d.precision() == 2) {
            // Java prints at least two digits (4.9E-324); PostgreSQL prints one when one reads back.
            BigDecimal one = d.round(new java.math.MathContext(1, java.math.RoundingMode.HALF_EVEN));
            boolean same = float4 ? Float.parseFloat(one.toString()) == (float) value : Double.parseDouble(one.toString()) == value;
            if (same) {
                d = one.stripTrailingZeros();
            }
        }
        String digits = d.unscaledValue().abs().toString();
        int exponent = digits.length() - d.scale() - 1;
        StringBuilder b = new StringBuilder(24);
        if (d.signum() < 0) {
            b.append('-');
        }
        if (exponent >= -4 && exponent < (float4 ? 6 : 15)) {
            b.append(d.abs().toPlainString());
            return b.toString();
        }
        b.append(digits.charAt(0));
        if (digits.length() > 1) {
            b.append('.').append(digits, 1, digits.length());
        }
        b.append('e').append(exponent < 0 ? '-' : '+');
        int e = Math.abs(exponent);
        if (e < 10) {
            b.append('0');
        }
        return b.append(e).toString();
    }
}
