package io.pgloom.internal.types;

import java.math.BigDecimal;

/**
 * Formats floats as PostgreSQL 12+ prints them: the shortest digits that read back exactly
 * (Java's {@code toString} finds the same digits since JDK 19), in fixed notation for decimal
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
