package io.pgloom.it.types;

import io.pgloom.PgBitString;
import io.pgloom.PgBox;
import io.pgloom.PgCidr;
import io.pgloom.PgCircle;
import io.pgloom.PgConnection;
import io.pgloom.PgException;
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
import io.pgloom.it.TestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every built-in type through a real server: {@code SELECT $1::type} gives back the value sent
 * (both directions in binary), and literals the server parses decode to the expected value.
 */
class ServerRoundTripTest {

    static PgConnection conn;

    @BeforeAll
    static void open() {
        conn = TestDb.connect();
        conn.execute("SET TimeZone = 'America/New_York'"); // timestamptz must not depend on the session zone
    }

    @AfterAll
    static void close() {
        conn.close();
    }

    record Case(String type, Object value) {
        @Override
        public String toString() {
            String v = value instanceof byte[] b ? "byte[" + b.length + "]" : String.valueOf(value);
            return type + " " + (v.length() > 50 ? v.substring(0, 50) + "…" : v);
        }
    }

    static List<Case> roundTrips() {
        byte[] mib = new byte[1 << 20];
        new Random(7).nextBytes(mib);
        List<Case> c = new ArrayList<>();
        add(c, "bool", true, false);
        add(c, "int2", (short) 0, Short.MIN_VALUE, Short.MAX_VALUE);
        add(c, "int4", 0, Integer.MIN_VALUE, Integer.MAX_VALUE);
        add(c, "int8", 0L, Long.MIN_VALUE, Long.MAX_VALUE);
        add(c, "oid", 0L, 4_294_967_295L);
        add(c, "float4", 0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, Float.MAX_VALUE);
        add(c, "float8", 0d, -0d, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE,
                Double.MAX_VALUE, 0.1);
        add(c, "numeric", new BigDecimal("0"), new BigDecimal("0.000"), new BigDecimal("-12.340"),
                new BigDecimal("1234567890123456789012345678901234567890"),
                new BigDecimal("-0.1234567890123456789012345678901234567890"),
                new BigDecimal("1e-1000").setScale(1000), Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
        add(c, "text", "", "héllo", "😀𝄞 four-byte", "x".repeat(1 << 20), "quote ' and \" and \\");
        add(c, "varchar", "v");
        add(c, "bpchar", "ab");
        add(c, "name", "some_name");
        add(c, "\"char\"", "a");
        add(c, "bytea", new byte[0], new byte[] {0, -1, 1}, mib);
        add(c, "uuid", UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), new UUID(0, 0));
        add(c, "json", "{\"a\": [1, null, \"😀\"]}");
        add(c, "jsonb", "{\"a\": [1, null, \"😀\"]}");
        add(c, "xml", "<a>b</a>");
        add(c, "date", LocalDate.of(2024, 2, 29), LocalDate.of(-43, 3, 15), LocalDate.of(5874897, 12, 31),
                LocalDate.of(-4713, 11, 24), LocalDate.MAX, LocalDate.MIN);
        add(c, "time", LocalTime.MIDNIGHT, LocalTime.of(23, 59, 59, 999_999_000), LocalTime.MAX);
        add(c, "timetz", OffsetTime.of(12, 0, 0, 0, ZoneOffset.ofHoursMinutes(5, 30)),
                OffsetTime.of(1, 2, 3, 4000, ZoneOffset.ofHours(-15)));
        add(c, "timestamp", LocalDateTime.of(2024, 2, 29, 12, 34, 56, 789_012_000), LocalDateTime.of(-4713, 11, 24, 0, 0),
                LocalDateTime.of(294276, 12, 31, 23, 59, 59, 999_999_000), LocalDateTime.MAX, LocalDateTime.MIN);
        add(c, "timestamptz", OffsetDateTime.of(2024, 3, 10, 7, 4, 56, 789_000_000, ZoneOffset.UTC),
                OffsetDateTime.of(1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), OffsetDateTime.MAX, OffsetDateTime.MIN);
        add(c, "interval", PgInterval.ZERO, new PgInterval(14, -3, 14_706_789_000L), new PgInterval(0, 0, -1));
        add(c, "inet", PgInet.parse("192.168.0.1/24"), PgInet.parse("::ffff:1.2.3.4"), PgInet.parse("2001:db8::1/64"));
        add(c, "cidr", PgCidr.parse("10.0.0.0/8"), PgCidr.parse("2001:db8::/32"));
        add(c, "macaddr", PgMacAddr.parse("08:00:2b:01:02:03"));
        add(c, "macaddr8", PgMacAddr.parse("08:00:2b:01:02:03:04:05"));
        add(c, "money", new BigDecimal("-92233720368547758.08"), new BigDecimal("12.34"));
        add(c, "bit(5)", PgBitString.parse("10110"));
        add(c, "varbit", PgBitString.parse(""), PgBitString.parse("1".repeat(999)));
        add(c, "point", new PgPoint(1.5, -2));
        add(c, "line", new PgLine(1, -1, 0));
        add(c, "lseg", new PgLseg(new PgPoint(1, 2), new PgPoint(3, 4)));
        add(c, "box", new PgBox(new PgPoint(3, 4), new PgPoint(1, 2)));
        add(c, "path", new PgPath(List.of(new PgPoint(1, 2), new PgPoint(3, 4)), false),
                new PgPath(List.of(new PgPoint(0, 0), new PgPoint(1, 1), new PgPoint(1, 0)), true));
        add(c, "polygon", new PgPolygon(List.of(new PgPoint(0, 0), new PgPoint(1, 0), new PgPoint(0, 1))));
        add(c, "circle", new PgCircle(new PgPoint(1, 2), 3));
        add(c, "pg_lsn", PgLsn.parse("16/B374D848"), new PgLsn(-1));
        add(c, "int4range", PgRange.empty(), PgRange.closedOpen(1, 10), PgRange.closedOpen(null, 5), PgRange.closedOpen(3, null));
        add(c, "numrange", PgRange.of(new BigDecimal("1.5"), false, new BigDecimal("2.5"), true));
        add(c, "daterange", PgRange.closedOpen(LocalDate.of(2024, 1, 1), LocalDate.MAX));
        add(c, "tstzrange", PgRange.closedOpen(OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), null));
        add(c, "int8multirange", new PgMultirange<>(List.of(PgRange.closedOpen(1L, 3L), PgRange.closedOpen(5L, 7L))),
                new PgMultirange<>(List.of()));
        add(c, "int4[]", List.of(), List.of(1, 2, 3), Arrays.asList(1, null, 3), List.of(List.of(1, 2), List.of(3, 4)));
        add(c, "text[]", Arrays.asList("a b", "c\"d", "e\\f", null, "NULL", "", "😀"));
        add(c, "box[]", List.of(new PgBox(new PgPoint(3, 4), new PgPoint(1, 2)), new PgBox(new PgPoint(1, 1), new PgPoint(0, 0))));
        add(c, "numeric[]", Arrays.asList(new BigDecimal("1.50"), null, Double.NaN));
        add(c, "bytea[]", Arrays.asList(new byte[] {1, 2}, null));
        add(c, "int4range[]", List.of(PgRange.closedOpen(1, 3), PgRange.empty()));
        return c;
    }

    private static void add(List<Case> cases, String type, Object... values) {
        for (Object v : values) {
            cases.add(new Case(type, v));
        }
    }

    @TestFactory
    List<DynamicTest> selectParameterGivesItBack() {
        return roundTrips().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            Object back = conn.fetchVal("SELECT $1::" + c.type(), c.value());
            assertThat(Values.same(back, c.value())).as(Values.show(back)).isTrue();
        })).toList();
    }

    @TestFactory
    List<DynamicTest> serverAgreesWithTheValueSent() {
        // The server compares what it received with its own parse of our text form.
        return roundTrips().stream()
                .filter(c -> !c.type().equals("xml") && !c.type().equals("json") && !c.type().equals("point")
                        && !c.type().equals("line") && !c.type().equals("lseg") && !c.type().equals("box")
                        && !c.type().equals("path") && !c.type().equals("polygon") && !c.type().equals("box[]")
                        && !c.type().equals("circle")) // these types have no = operator or a fuzzy one
                .map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
                    String text = TestTypes.registry().convert(c.value(), oidOf(c.type()), String.class);
                    Boolean same = conn.fetchVal(Boolean.class,
                            "SELECT $1::" + c.type() + " IS NOT DISTINCT FROM $2::text::" + c.type(), c.value(), text);
                    assertThat(same).as(text).isTrue();
                })).toList();
    }

    private static int oidOf(String type) {
        return conn.fetchVal(Long.class, "SELECT $1::regtype::oid", type).intValue();
    }

    @Test
    void serverLiteralsDecodeToTheExpectedValues() {
        assertThat(conn.fetchVal("SELECT 2 ^ $1", 10)).isEqualTo(1024.0);
        assertThat(conn.fetchVal("SELECT 'NaN'::numeric")).isEqualTo(Double.NaN);
        assertThat(conn.fetchVal("SELECT '-Infinity'::numeric")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(conn.fetchVal("SELECT 123456789012345678901234567890.123456789::numeric"))
                .isEqualTo(new BigDecimal("123456789012345678901234567890.123456789"));
        assertThat(conn.fetchVal("SELECT '-0'::float8")).isEqualTo(-0.0d);
        assertThat(conn.fetchVal("SELECT 'infinity'::date")).isEqualTo(LocalDate.MAX);
        assertThat(conn.fetchVal("SELECT '-infinity'::timestamp")).isEqualTo(LocalDateTime.MIN);
        assertThat(conn.fetchVal("SELECT 'infinity'::timestamptz")).isEqualTo(OffsetDateTime.MAX);
        assertThat(conn.fetchVal("SELECT '2024-03-10 12:34:56.789+05:30'::timestamptz"))
                .isEqualTo(OffsetDateTime.of(2024, 3, 10, 7, 4, 56, 789_000_000, ZoneOffset.UTC));
        assertThat(conn.fetchVal("SELECT '0044-03-15 BC'::date")).isEqualTo(LocalDate.of(-43, 3, 15));
        assertThat(conn.fetchVal("SELECT '24:00:00'::time")).isEqualTo(LocalTime.MAX);
        assertThat(conn.fetchVal("SELECT '1 year 2 mons 3 days 04:05:06.789'::interval"))
                .isEqualTo(new PgInterval(14, 3, 14_706_789_000L));
        assertThat(conn.fetchVal("SELECT '192.168.0.1/24'::inet")).isEqualTo(PgInet.parse("192.168.0.1/24"));
        assertThat(conn.fetchVal("SELECT '$1,234.56'::money")).isEqualTo(new BigDecimal("1234.56"));
        assertThat(conn.fetchVal("SELECT B'10110'")).isEqualTo(PgBitString.parse("10110"));
        assertThat(conn.fetchVal("SELECT '(1,2),(3,4)'::box")).isEqualTo(new PgBox(new PgPoint(3, 4), new PgPoint(1, 2)));
        assertThat(conn.fetchVal("SELECT '[1,5]'::int4range")).isEqualTo(PgRange.closedOpen(1, 6));
        assertThat(conn.fetchVal("SELECT 'ab'::char(4)")).isEqualTo("ab  ");
        assertThat(conn.fetchVal("SELECT '{\"b\": 1,   \"a\": 2}'::jsonb")).isEqualTo("{\"a\": 2, \"b\": 1}");
        assertThat(conn.fetchVal("SELECT 'tsvector'::regtype")).isEqualTo("tsvector"); // no codec: its text
        assertThat(conn.fetchVal("SELECT 'a:1 b:2'::tsvector")).isEqualTo("'a':1 'b':2");
    }

    @Test
    void conversionsOnRead() {
        assertThat(conn.fetchVal(Long.class, "SELECT 42::int4")).isEqualTo(42L);
        assertThat(conn.fetchVal(Integer.class, "SELECT count(*) FROM generate_series(1, 5)")).isEqualTo(5);
        assertThatThrownBy(() -> conn.fetchVal(Integer.class, "SELECT 2::int8 ^ 40::int8 * 0 + 1099511627776::int8"))
                .isInstanceOf(PgException.class).hasMessageContaining("Integer");
        assertThat(conn.fetchVal(Instant.class, "SELECT '2024-01-01 00:00:00+00'::timestamptz"))
                .isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(conn.fetchVal(ZonedDateTime.class, "SELECT '2024-01-01 00:00:00+00'::timestamptz").toInstant())
                .isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(conn.fetchVal(Instant.class, "SELECT 'infinity'::timestamptz")).isEqualTo(Instant.MAX);
        assertThat(conn.fetchVal(Duration.class, "SELECT '1 day 02:00:00'::interval")).isEqualTo(Duration.ofHours(26));
        assertThat(conn.fetchVal(String.class, "SELECT 1.50::numeric")).isEqualTo("1.50");
        assertThat(conn.fetchVal(String.class, "SELECT '2001:db8::1/64'::inet")).isEqualTo("2001:db8::1/64");
        assertThat(conn.fetchVal(String.class, "SELECT ARRAY['a b', NULL]")).isEqualTo("{\"a b\",NULL}");
        assertThat(conn.fetchVal(InetAddress.class, "SELECT '10.0.0.1'::inet").getHostAddress()).isEqualTo("10.0.0.1");
        assertThatThrownBy(() -> conn.fetchVal(BigDecimal.class, "SELECT 'NaN'::numeric"))
                .isInstanceOf(PgException.class).hasMessageContaining("NaN");
        assertThat(conn.fetchVal(Double.class, "SELECT 'NaN'::numeric")).isNaN();
    }

    @Test
    void parametersWidenButNeverLoseAnything() {
        assertThat(conn.fetchVal("SELECT $1::int8", 5)).isEqualTo(5L);
        assertThat(conn.fetchVal("SELECT $1::numeric", 5L)).isEqualTo(new BigDecimal(5));
        assertThat(conn.fetchVal("SELECT $1::float8", 1.5f)).isEqualTo(1.5);
        assertThat(conn.fetchVal("SELECT $1::timestamptz", Instant.parse("2024-01-01T00:00:00Z")))
                .isEqualTo(OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
        assertThat(conn.fetchVal("SELECT $1::timestamp", LocalDate.of(2024, 1, 1))).isEqualTo(LocalDateTime.of(2024, 1, 1, 0, 0));
        assertThat(conn.fetchVal("SELECT $1::interval", Duration.ofMinutes(90))).isEqualTo(new PgInterval(0, 0, 5_400_000_000L));
        assertThat(conn.fetchVal("SELECT $1::inet", InetAddress.getLoopbackAddress())).isEqualTo(PgInet.parse("127.0.0.1"));
    }

    @Test
    void refusedParametersNameTheParameterAndTypesAndLeaveTheConnectionUsable() {
        assertThatThrownBy(() -> conn.fetchVal("SELECT $1::text, $2::int2", "a", 70000))
                .isInstanceOf(PgException.class)
                .hasMessageContaining("$2").hasMessageContaining("java.lang.Integer").hasMessageContaining("int2");
        assertThatThrownBy(() -> conn.fetchVal("SELECT $1::int4", "42"))
                .hasMessageContaining("$1").hasMessageContaining("java.lang.String").hasMessageContaining("int4");
        assertThatThrownBy(() -> conn.fetchVal("SELECT $1::text", "a\0b")).hasMessageContaining("NUL");
        assertThatThrownBy(() -> conn.fetchVal("SELECT $1::float4", 0.1)).hasMessageContaining("float4");
        assertThatThrownBy(() -> conn.fetchVal("SELECT $1::timestamptz", LocalDateTime.of(2024, 1, 1, 0, 0)))
                .hasMessageContaining("timestamptz");
        assertThatThrownBy(() -> conn.fetchVal("SELECT $1::int4[]", List.of(List.of(1, 2), List.of(3))))
                .hasMessageContaining("rectangular");
        assertThatThrownBy(() -> conn.fetchVal("SELECT $1::int4[]", Arrays.asList(1, "x")))
                .hasMessageContaining("element 1");
        assertThat(conn.fetchVal("SELECT 1")).isEqualTo(1);
    }
}
