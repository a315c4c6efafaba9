package io.pgloom.internal.types;

import io.pgloom.internal.io.WriteBuffer;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Numerics of up to 16 significant digits decode without BigInteger (straight to a BigDecimal of
 * the display scale); this checks that shortcut against what was encoded, value and scale, over
 * the scales, signs and weights where it must either be exact or step aside.
 */
class NumericDecodeTest {

    private static BigDecimal roundTrip(BigDecimal value) {
        WriteBuffer out = new WriteBuffer(16);
        NumericCodec.INSTANCE.encodeBinary(value, out);
        byte[] bytes = out.toByteArray();
        return (BigDecimal) NumericCodec.INSTANCE.decodeBinary(bytes, 0, bytes.length);
    }

    @Test
    void shortNumericsKeepTheirValueAndScale() {
        Random random = new Random(20261204);
        for (int i = 0; i < 20_000; i++) {
            int digits = 1 + random.nextInt(18);
            BigInteger unscaled = new BigInteger(digits * 4, random).mod(BigInteger.TEN.pow(digits));
            if (random.nextBoolean()) {
                unscaled = unscaled.negate();
            }
            int scale = random.nextInt(30) - 10;
            BigDecimal value = new BigDecimal(unscaled, Math.max(scale, 0));
            if (scale < 0) {
                value = value.movePointRight(-scale).setScale(0); // numeric has no negative display scale
            }
            BigDecimal back = roundTrip(value);
            assertThat(back).as("%s", value).isEqualTo(value);
            assertThat(back.scale()).as("scale of %s", value).isEqualTo(value.scale());
        }
    }

    @Test
    void edgesOfTheShortcut() {
        for (String s : new String[] {"0.00", "-0.5", "12.340", "9999999999999999", "99999999999999999999",
                "100000000000000000000", "0.0000000000000001", "-9223372036854775808", "9223372036854775807.5",
                "1e-30", "123456789012.3456"}) {
            BigDecimal value = new BigDecimal(s);
            if (value.scale() < 0) {
                value = value.setScale(0);
            }
            BigDecimal back = roundTrip(value);
            assertThat(back).as(s).isEqualTo(value);
        }
    }
}
