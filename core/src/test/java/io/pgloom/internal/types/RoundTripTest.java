package io.pgloom.internal.types;

import io.pgloom.PgBitString;
import io.pgloom.PgBox;
import io.pgloom.PgCidr;
import io.pgloom.PgCircle;
import io.pgloom.PgInet;
import io.pgloom.PgInterval;
import io.pgloom.PgLine;
import io.pgloom.PgLseg;
import io.pgloom.PgLsn;
import io.pgloom.PgMacAddr;
import io.pgloom.PgMultirange;
import io.pgloom.PgPath;
import io.pgloom.PgPoint;
import io.pgloom.PgPolygon;
import io.pgloom.PgRange;
import io.pgloom.internal.io.WriteBuffer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static io.pgloom.internal.types.BuiltinTypes.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every built-in codec's encode → decode round trip, in binary and in text, over edge values:
 * limits, zero and negative zero, NaN and infinities, empty and 1 MiB values, 4-byte UTF-8,
 * 40-digit numerics, time zones, ±infinity dates.
 */
class RoundTripTest {

    private final TypeRegistry registry = new TypeRegistry(null);

    private static final String MIB_TEXT = "é😀".repeat(1 << 18);
    private static final byte[] MIB_BYTES = new byte[1 << 20];

    static {
        new Random(42).nextBytes(MIB_BYTES);
    }

    record Case(int oid, Object value) {
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        add(c, BOOL, true, false);
        add(c, INT2, (short) 0, Short.MIN_VALUE, Short.MAX_VALUE, (short) -1);
        add(c, INT4, 0, Integer.MIN_VALUE, Integer.MAX_VALUE, -1);
        add(c, INT8, 0L, Long.MIN_VALUE, Long.MAX_VALUE, -1L);
        add(c, OID, 0L, 4_294_967_295L, 2_147_483_648L);
        add(c, FLOAT4, 0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
                Float.MAX_VALUE, -Float.MAX_VALUE, 0.1f, 1.0e-10f, 16777217f);
        add(c, FLOAT8, 0d, -0d, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE,
                Double.MAX_VALUE, Double.MIN_NORMAL, 0.1, 1e100, -1e-100, 123456789012345.6);
        add(c, NUMERIC, new BigDecimal("0"), new BigDecimal("0.00"), new BigDecimal("1"), new BigDecimal("-1"),
                new BigDecimal("1234567890123456789012345678901234567890"),
                new BigDecimal("-0.1234567890123456789012345678901234567890"),
                new BigDecimal("9999999999999999999999999999999999999999.9999999999999999999999999999999999999999"),
                new BigDecimal("0.00000000000000000001"), new BigDecimal("100000000000000000000000"),
                new BigDecimal("10000"), new BigDecimal("0.0001"), new BigDecimal("12.3400"),
                new BigDecimal(BigInteger.TEN.pow(1000).add(BigInteger.ONE)),
                Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
        add(c, TEXT, "", "hello", "héllo wörld", "😀𝄞 emoji and musical symbols", "a\"b\\c,{}()", " padded ", MIB_TEXT);
        add(c, VARCHAR, "x", "日本語");
        add(c, BPCHAR, "ab  ");
        add(c, NAME, "pg_catalog");
        add(c, CHAR, "a", "", "ÿ");
        add(c, JSON, "{\"a\": [1, 2.5, null, \"😀\"]}", "null");
        add(c, JSONB, "{\"a\": 1}", "\"é\"");
        add(c, XML, "<a b=\"c\">d</a>");
        add(c, BYTEA, new byte[0], new byte[] {0, -1, 127, -128}, MIB_BYTES);
        add(c, UUID, new UUID(0, 0), new UUID(-1, -1), java.util.UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
        add(c, DATE, LocalDate.of(2000, 1, 1), LocalDate.of(1970, 1, 1), LocalDate.of(1999, 12, 31),
                LocalDate.of(-43, 3, 15), LocalDate.of(-4713, 11, 24), LocalDate.of(5874897, 12, 31),
                LocalDate.of(10000, 1, 1), LocalDate.MAX, LocalDate.MIN);
        add(c, TIME, LocalTime.MIDNIGHT, LocalTime.of(23, 59, 59, 999_999_000), LocalTime.MAX, LocalTime.of(12, 34, 56, 500_000_000));
        add(c, TIMETZ, OffsetTime.of(12, 34, 56, 0, ZoneOffset.ofHoursMinutes(5, 30)),
                OffsetTime.of(0, 0, 0, 0, ZoneOffset.ofHoursMinutes(-14, -59)),
                OffsetTime.of(23, 59, 59, 999_999_000, ZoneOffset.ofHours(14)),
                OffsetTime.of(1, 2, 3, 0, ZoneOffset.ofHoursMinutesSeconds(0, 53, 28)));
        add(c, TIMESTAMP, LocalDateTime.of(2000, 1, 1, 0, 0), LocalDateTime.of(1970, 1, 1, 0, 0, 0, 1000),
                LocalDateTime.of(1999, 12, 31, 23, 59, 59, 999_999_000), LocalDateTime.of(-43, 3, 15, 12, 0),
                LocalDateTime.of(294276, 12, 31, 23, 59, 59, 999_999_000), LocalDateTime.of(-4713, 11, 24, 0, 0),
                LocalDateTime.MAX, LocalDateTime.MIN);
        add(c, TIMESTAMPTZ, OffsetDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
                OffsetDateTime.of(2024, 3, 10, 7, 4, 56, 789_000_000, ZoneOffset.UTC),
                OffsetDateTime.of(1900, 6, 1, 0, 0, 0, 0, ZoneOffset.UTC),
                OffsetDateTime.of(-100, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
                OffsetDateTime.MAX, OffsetDateTime.MIN);
        add(c, INTERVAL, PgInterval.ZERO, new PgInterval(14, 3, 14_706_789_000L), new PgInterval(-14, 3, -14_706_000_000L),
                new PgInterval(0, 1, -1_000_000), new PgInterval(Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE),
                new PgInterval(0, 0, -1), new PgInterval(1, 0, 0));
        add(c, INET, PgInet.parse("192.168.0.1"), PgInet.parse("192.168.0.1/24"), PgInet.parse("0.0.0.0/0"),
                PgInet.parse("::1"), PgInet.parse("2001:db8::ff00:42:8329/64"), PgInet.parse("::ffff:1.2.3.4"));
        add(c, CIDR, PgCidr.parse("10.0.0.0/8"), PgCidr.parse("2001:db8::/32"), PgCidr.parse("1.2.3.4/32"));
        add(c, MACADDR, PgMacAddr.parse("08:00:2b:01:02:03"), PgMacAddr.parse("ff:ff:ff:ff:ff:ff"));
        add(c, MACADDR8, PgMacAddr.parse("08:00:2b:01:02:03:04:05"));
        add(c, MONEY, new BigDecimal("12.34"), new BigDecimal("-92233720368547758.08"), new BigDecimal("0.00"));
        add(c, BIT, PgBitString.parse("10110"), PgBitString.parse("1"));
        add(c, VARBIT, PgBitString.parse(""), PgBitString.parse("101101011101"), PgBitString.parse("1".repeat(1000)));
        add(c, POINT, new PgPoint(1, 2), new PgPoint(-1.5, 1e300), new PgPoint(Double.NaN, -0.0));
        add(c, LINE, new PgLine(1, -1, 0));
        add(c, LSEG, new PgLseg(new PgPoint(1, 2), new PgPoint(3, 4)));
        add(c, BOX, new PgBox(new PgPoint(3, 4), new PgPoint(1, 2)));
        add(c, PATH, new PgPath(List.of(new PgPoint(1, 2), new PgPoint(3, 4)), false),
                new PgPath(List.of(new PgPoint(0, 0), new PgPoint(1, 1)), true));
        add(c, POLYGON, new PgPolygon(List.of(new PgPoint(0, 0), new PgPoint(1, 0), new PgPoint(0, 1))));
        add(c, CIRCLE, new PgCircle(new PgPoint(1, 2), 3));
        add(c, PG_LSN, new PgLsn(0), new PgLsn(-1), PgLsn.parse("16/B374D848"));
        add(c, INT4RANGE, PgRange.empty(), PgRange.closedOpen(1, 10), PgRange.closedOpen(null, 5),
                PgRange.closedOpen(3, null), PgRange.closedOpen(null, null));
        add(c, NUMRANGE, PgRange.of(new BigDecimal("1.5"), false, new BigDecimal("2.5"), true));
        add(c, TSTZRANGE, PgRange.closedOpen(OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), OffsetDateTime.MAX));
        add(c, DATERANGE, PgRange.closedOpen(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 2, 1)));
        add(c, INT4MULTIRANGE, new PgMultirange<>(List.of()),
                new PgMultirange<>(List.of(PgRange.closedOpen(1, 3), PgRange.closedOpen(5, 7))));
        add(c, ARRAY_OF[INT4], List.of(), List.of(1, 2, 3), Arrays.asList(1, null, 3),
                List.of(List.of(1, 2), List.of(3, 4)), threeDimensions());
        add(c, ARRAY_OF[TEXT], Arrays.asList("a b", "c\"d", "e\\f", null, "NULL", "", "x", "{}", "😀"),
                List.of(List.of("a", "b"), List.of("c", "d")));
        add(c, ARRAY_OF[FLOAT8], List.of(1.5, Double.NaN, Double.NEGATIVE_INFINITY, -0.0));
        add(c, ARRAY_OF[BYTEA], Arrays.asList(new byte[] {0, -1}, null, new byte[0]));
        add(c, ARRAY_OF[BOX], List.of(new PgBox(new PgPoint(3, 4), new PgPoint(1, 2)), new PgBox(new PgPoint(1, 1), new PgPoint(0, 0))));
        add(c, ARRAY_OF[INT4RANGE], List.of(PgRange.closedOpen(1, 3), PgRange.empty()));
        add(c, ARRAY_OF[DATE], List.of(LocalDate.of(2024, 1, 1), LocalDate.MAX));
        add(c, ARRAY_OF[NUMERIC], List.of(new BigDecimal("1.5"), Double.NaN, new BigDecimal("-0.001")));
        return c;
    }

    static List<Object> threeDimensions() {
        List<Object> planes = new ArrayList<>();
        int n = 0;
        for (int i = 0; i < 3; i++) {
            List<Object> rows = new ArrayList<>();
            for (int j = 0; j < 2; j++) {
                List<Integer> row = new ArrayList<>();
                for (int k = 0; k < 2; k++) {
                    row.add(++n % 5 == 0 ? null : n);
                }
                rows.add(row);
            }
            planes.add(rows);
        }
        return planes;
    }

    private static void add(List<Case> cases, int oid, Object... values) {
        for (Object v : values) {
            cases.add(new Case(oid, v));
        }
    }

    private static String label(Case c) {
        String v = c.value() instanceof byte[] b ? "byte[" + b.length + "]" : String.valueOf(c.value());
        return BuiltinTypes.NAMES[c.oid()] + " " + (v.length() > 60 ? v.substring(0, 60) + "…(" + v.length() + ")" : v);
    }

    @TestFactory
    List<DynamicTest> binaryRoundTrip() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(label(c), () -> {
            WriteBuffer out = new WriteBuffer(16);
            registry.encode(c.oid(), 1, c.value(), 0, out);
            byte[] bytes = out.toByteArray();
            // Decode from the middle of a larger array: a codec must read only its own bytes.
            byte[] framed = new byte[bytes.length + 6];
            Arrays.fill(framed, (byte) 0x5A);
            System.arraycopy(bytes, 0, framed, 3, bytes.length);
            Object back = registry.decode(c.oid(), 1, framed, 3, bytes.length);
            assertThat(Values.same(back, c.value())).as(Values.show(back)).isTrue();
        })).toList();
    }

    @TestFactory
    List<DynamicTest> textRoundTrip() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(label(c), () -> {
            WriteBuffer out = new WriteBuffer(16);
            registry.encode(c.oid(), 0, c.value(), 0, out);
            byte[] bytes = out.toByteArray();
            Object back = registry.decode(c.oid(), 0, bytes, 0, bytes.length);
            assertThat(Values.same(back, c.value())).as(Values.show(back)).isTrue();
        })).toList();
    }

    @TestFactory
    List<DynamicTest> everyCaseHasABinaryFormat() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(label(c), () -> {
            assertThat(registry.resultFormat(c.oid())).isEqualTo(1);
            assertThat(registry.parameterFormat(c.oid())).isEqualTo(1);
            assertThat(registry.isKnown(c.oid())).isTrue();
        })).toList();
    }

    @org.junit.jupiter.api.Test
    void hstoreRoundTripsInBothFormats() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("a", "1");
        map.put("key with \"quotes\" and \\", "😀");
        map.put("null value", null);
        map.put("", "");
        WriteBuffer out = new WriteBuffer(16);
        HstoreCodec.INSTANCE.encodeBinary(map, out);
        byte[] bytes = out.toByteArray();
        assertThat(HstoreCodec.INSTANCE.decodeBinary(bytes, 0, bytes.length)).isEqualTo(map);
        assertThat(HstoreCodec.INSTANCE.decodeText(HstoreCodec.INSTANCE.encodeText(map))).isEqualTo(map);
        assertThat(HstoreCodec.INSTANCE.decodeText("\"a\"=>\"1\", b=>NULL")).isEqualTo(new LinkedHashMap<>(Map.of("a", "1")) {
            {
                put("b", null);
            }
        });
    }
}
