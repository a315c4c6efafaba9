package io.pgloom.internal.types;

import io.pgloom.Column;
import io.pgloom.PgException;
import io.pgloom.PgInterval;
import io.pgloom.internal.io.WriteBuffer;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;

import static io.pgloom.internal.types.BuiltinTypes.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Row.get(i, Class) conversions, RecordMapper, and the messages of refused parameters. */
class ConversionsAndErrorsTest {

    private final TypeRegistry registry = new TypeRegistry(null);

    enum Color { RED, GREEN }

    record Point3(int x, long y, String label) {
    }

    record Outer(String name, Point3 point) {
    }

    private void encode(int oid, Object value, int index) {
        registry.encode(oid, registry.parameterFormat(oid), value, index, new WriteBuffer(16));
    }

    @Test
    void integersConvertWhenTheValueFits() {
        assertThat(registry.convert(5L, INT8, Integer.class)).isEqualTo(5);
        assertThat(registry.convert(5, INT4, long.class)).isEqualTo(5L);
        assertThat(registry.convert((short) 5, INT2, BigInteger.class)).isEqualTo(BigInteger.valueOf(5));
        assertThat(registry.convert(5, INT4, Double.class)).isEqualTo(5.0);
        assertThat(registry.convert(new BigDecimal("7.00"), NUMERIC, Integer.class)).isEqualTo(7);
        assertThatThrownBy(() -> registry.convert(1L << 40, INT8, Integer.class))
                .isInstanceOf(PgException.class).hasMessageContaining("int8").hasMessageContaining("java.lang.Integer");
        assertThatThrownBy(() -> registry.convert(new BigDecimal("7.5"), NUMERIC, Integer.class)).hasMessageContaining("fit");
        assertThatThrownBy(() -> registry.convert((1L << 53) + 1, INT8, Double.class)).hasMessageContaining("exactly");
    }

    @Test
    void numericSpecialValuesAreDoubles() {
        assertThat(registry.convert(Double.NaN, NUMERIC, Double.class)).isNaN();
        assertThat(registry.convert(new BigDecimal("0.1"), NUMERIC, Double.class)).isEqualTo(0.1);
        assertThatThrownBy(() -> registry.convert(Double.POSITIVE_INFINITY, NUMERIC, BigDecimal.class))
                .hasMessageContaining("Infinity").hasMessageContaining("BigDecimal");
        assertThat(registry.convert(Double.NaN, NUMERIC, String.class)).isEqualTo("NaN");
    }

    @Test
    void timesAndIntervals() {
        OffsetDateTime t = OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        assertThat(registry.convert(t, TIMESTAMPTZ, Instant.class)).isEqualTo(t.toInstant());
        assertThat(registry.convert(t, TIMESTAMPTZ, ZonedDateTime.class)).isEqualTo(t.atZoneSameInstant(ZoneOffset.UTC));
        assertThat(registry.convert(OffsetDateTime.MIN, TIMESTAMPTZ, Instant.class)).isEqualTo(Instant.MIN);
        assertThat(registry.convert(new PgInterval(0, 1, 3_600_000_000L), INTERVAL, Duration.class)).isEqualTo(Duration.ofHours(25));
        assertThat(registry.convert(new PgInterval(14, 3, 0), INTERVAL, Period.class)).isEqualTo(Period.of(1, 2, 3));
        assertThatThrownBy(() -> registry.convert(new PgInterval(1, 0, 0), INTERVAL, Duration.class)).hasMessageContaining("months");
        assertThatThrownBy(() -> registry.convert(LocalDateTime.of(2024, 1, 1, 0, 0), TIMESTAMP, Instant.class))
                .hasMessageContaining("timestamp").hasMessageContaining("java.time.Instant");
        assertThat(registry.convert(LocalDate.of(-43, 3, 15), DATE, String.class)).isEqualTo("0044-03-15 BC");
    }

    @Test
    void arraysBecomeJavaArrays() {
        int arrayOfInt4 = ARRAY_OF[INT4];
        assertThat(registry.convert(List.of(1, 2), arrayOfInt4, int[].class)).containsExactly(1, 2);
        assertThat(registry.convert(List.of(1, 2), arrayOfInt4, long[].class)).containsExactly(1L, 2L);
        assertThat(registry.convert(List.of(List.of(1), List.of(2)), arrayOfInt4, int[][].class)).isDeepEqualTo(new int[][] {{1}, {2}});
        assertThat(registry.convert(Arrays.asList(1, null), arrayOfInt4, Integer[].class)).containsExactly(1, null);
        assertThat(registry.convert(List.of(1, 2), arrayOfInt4, String[].class)).containsExactly("1", "2");
        assertThatThrownBy(() -> registry.convert(Arrays.asList(1, null), arrayOfInt4, int[].class))
                .hasMessageContaining("element 1 is NULL").hasMessageContaining("Integer[]");
        assertThat(registry.convert(List.of("RED", "green"), ARRAY_OF[TEXT], Color[].class)).containsExactly(Color.RED, Color.GREEN);
        assertThatThrownBy(() -> registry.convert("BLUE", TEXT, Color.class)).hasMessageContaining("BLUE").hasMessageContaining("RED");
    }

    @Test
    void compositesMapToNestedRecordsByName() {
        CompositeCodec point = new CompositeCodec("point3", List.of("x", "y", "label"), new int[] {INT4, INT8, TEXT}, registry);
        CompositeRow p = (CompositeRow) point.decodeText("(1,2,\"a \"\"b\"\"\")");
        assertThat(p.get("label")).isEqualTo("a \"b\"");
        assertThat(p.as(Point3.class)).isEqualTo(new Point3(1, 2L, "a \"b\""));
        CompositeRow outer = new CompositeRow(List.of(new Column("name", TEXT, "text", 0, 1, -1),
                new Column("point", 99999, "point3", 0, 2, -1)), new Object[] {"o", p}, registry);
        assertThat(RecordMapper.map(outer, Outer.class)).isEqualTo(new Outer("o", new Point3(1, 2L, "a \"b\"")));
        assertThat(point.encodeText(new Point3(3, 4L, null))).isEqualTo("(3,4,)");
        assertThat(point.decodeText("(3,4,)")).isEqualTo(point.decodeText(point.encodeText(new Point3(3, 4L, null))));
        assertThatThrownBy(() -> point.encodeText(new Outer("x", null))).hasMessageContaining("no component for field \"x\"");
    }

    @Test
    void refusedParametersNameTheParameterTheJavaTypeAndThePostgresType() {
        assertThatThrownBy(() -> encode(INT2, 70000, 1))
                .isInstanceOf(PgException.class)
                .hasMessageStartingWith("$2: cannot send java.lang.Integer (70000) as int2: out of range");
        assertThatThrownBy(() -> encode(INT4, "42", 0))
                .hasMessageStartingWith("$1: cannot send java.lang.String as int4, which accepts")
                .hasMessageContaining("strings are not converted");
        assertThatThrownBy(() -> encode(TEXT, "a\0b", 2)).hasMessageContaining("$3").hasMessageContaining("NUL");
        assertThatThrownBy(() -> encode(FLOAT4, 0.1, 0)).hasMessageContaining("float4 cannot represent 0.1 exactly");
        assertThatThrownBy(() -> encode(INT8, 1.0, 0)).hasMessageContaining("java.lang.Double").hasMessageContaining("int8");
        assertThatThrownBy(() -> encode(TIMESTAMPTZ, LocalDateTime.of(2024, 1, 1, 0, 0), 0)).hasMessageContaining("timestamptz");
        assertThatThrownBy(() -> encode(DATE, LocalDate.of(6_000_000, 1, 1), 0)).hasMessageContaining("range");
        assertThatThrownBy(() -> encode(TIMESTAMP, LocalDateTime.of(300_000, 1, 1, 0, 0), 0)).hasMessageContaining("range");
        assertThatThrownBy(() -> encode(ARRAY_OF[INT4], List.of(List.of(1, 2), List.of(3)), 0)).hasMessageContaining("rectangular");
        assertThatThrownBy(() -> encode(ARRAY_OF[INT4], List.of(1, List.of(2)), 0)).hasMessageContaining("rectangular");
        assertThatThrownBy(() -> encode(ARRAY_OF[INT2], List.of(1, 99999), 0)).hasMessageContaining("element 1: out of range");
        assertThatThrownBy(() -> encode(NUMERIC, new BigDecimal("1e-20000"), 0)).hasMessageContaining("scale");
        assertThatThrownBy(() -> encode(MONEY, new BigDecimal("0.001"), 0)).hasMessageContaining("two fraction digits");
    }

    @Test
    void widening() {
        WriteBuffer out = new WriteBuffer(16);
        registry.encode(INT8, 1, 5, 0, out);
        registry.encode(NUMERIC, 1, 5L, 1, out);
        registry.encode(FLOAT8, 1, 1.5f, 2, out);
        registry.encode(FLOAT8, 1, 5, 3, out);
        registry.encode(FLOAT4, 1, 0.5, 4, out);
        registry.encode(TIMESTAMPTZ, 1, Instant.EPOCH, 5, out);
        registry.encode(TIMESTAMPTZ, 1, ZonedDateTime.now(), 6, out);
        registry.encode(TIMESTAMP, 1, LocalDate.of(2024, 1, 1), 7, out);
        registry.encode(INTERVAL, 1, Period.ofMonths(3), 8, out);
        assertThat(out.position()).isEqualTo(8 + 10 + 8 + 8 + 4 + 8 + 8 + 8 + 16); // numeric 5: 8-byte header + one digit
    }

    @Test
    void unknownTypesTravelAsText() {
        int unknownOid = 987_654;
        assertThat(registry.isKnown(unknownOid)).isFalse();
        assertThat(registry.resultFormat(unknownOid)).isZero();
        assertThat(registry.typeName(unknownOid)).isEqualTo("987654");
        byte[] text = "anything".getBytes();
        assertThat(registry.decode(unknownOid, 0, text, 0, text.length)).isEqualTo("anything");
        assertThat(registry.resultFormat(3614)).isZero(); // tsvector: known, but text
        assertThat(registry.isKnown(3614)).isTrue();
    }

    @Test
    void floatTextIsPostgresqls() {
        assertThat(FloatText.format(1e100, false)).isEqualTo("1e+100");
        assertThat(FloatText.format(Double.MIN_VALUE, false)).isEqualTo("5e-324");
        assertThat(FloatText.format(123456789012345.0, false)).isEqualTo("123456789012345");
        assertThat(FloatText.format(1234567890123456.0, false)).isEqualTo("1.234567890123456e+15");
        assertThat(FloatText.format(0.0001, false)).isEqualTo("0.0001");
        assertThat(FloatText.format(0.00001, false)).isEqualTo("1e-05");
        assertThat(FloatText.format(-0.0, false)).isEqualTo("-0");
        assertThat(FloatText.format(1234567f, true)).isEqualTo("1.234567e+06");
    }
}
