package io.pgloom.jdbc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Calendar;
import java.util.TimeZone;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every setter into a typed table and back through the getters' JDBC conversions. */
class TypesTest {

    private static Connection conn;

    @BeforeAll
    static void open() throws SQLException {
        conn = TestDb.connect();
        try (Statement st = conn.createStatement()) {
            st.execute("DROP TABLE IF EXISTS ty_all");
            st.execute("CREATE TABLE ty_all (k int PRIMARY KEY, b bool, s int2, i int4, l int8, r float4, d float8,"
                    + " n numeric(12, 3), t text, v varchar(20), bytes bytea, dt date, tm time, ts timestamp, tstz timestamptz,"
                    + " u uuid, ints int4[], texts text[], j jsonb)");
        }
    }

    @AfterAll
    static void close() throws SQLException {
        conn.close();
    }

    @Test
    void settersAndGettersRoundTrip() throws SQLException {
        UUID u = UUID.randomUUID();
        LocalDateTime ts = LocalDateTime.of(2024, 2, 29, 23, 59, 58, 123_456_000);
        OffsetDateTime tstz = OffsetDateTime.of(2024, 7, 1, 8, 0, 0, 0, ZoneOffset.ofHours(2));
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO ty_all VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setInt(1, 1);
            ps.setBoolean(2, true);
            ps.setShort(3, (short) -7);
            ps.setInt(4, Integer.MAX_VALUE);
            ps.setLong(5, Long.MIN_VALUE);
            ps.setFloat(6, 1.5f);
            ps.setDouble(7, Math.PI);
            ps.setBigDecimal(8, new BigDecimal("123456789.125"));
            ps.setCharacterStream(9, new StringReader("streamed text"));
            ps.setString(10, "varchar");
            ps.setBinaryStream(11, new ByteArrayInputStream(new byte[] {0, 1, (byte) 255}));
            ps.setDate(12, Date.valueOf("2024-02-29"));
            ps.setTime(13, Time.valueOf("13:14:15"));
            ps.setTimestamp(14, Timestamp.valueOf(ts));
            ps.setTimestamp(15, Timestamp.from(tstz.toInstant()));        // a Timestamp into timestamptz: its instant
            ps.setObject(16, u);
            ps.setArray(17, conn.createArrayOf("int4", new Integer[] {1, null, 3}));
            ps.setObject(18, new String[] {"a", "b,c"});
            ps.setObject(19, "{\"k\": [1, 2]}", Types.OTHER);
            assertThat(ps.executeUpdate()).isEqualTo(1);

            ps.setInt(1, 2);
            for (int i = 2; i <= 19; i++) {
                ps.setNull(i, Types.NULL);
            }
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM ty_all ORDER BY k")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBoolean("b")).isTrue();
            assertThat(rs.getShort("s")).isEqualTo((short) -7);
            assertThat(rs.getInt("i")).isEqualTo(Integer.MAX_VALUE);
            assertThat(rs.getLong("l")).isEqualTo(Long.MIN_VALUE);
            assertThat(rs.getFloat("r")).isEqualTo(1.5f);
            assertThat(rs.getDouble("d")).isEqualTo(Math.PI);
            assertThat(rs.getBigDecimal("n")).isEqualByComparingTo("123456789.125");
            assertThat(rs.getInt("n")).isEqualTo(123456789);                    // JDBC truncates
            assertThat(rs.getString("t")).isEqualTo("streamed text");
            assertThat(rs.getBytes("bytes")).containsExactly(0, 1, 255);
            assertThat(rs.getDate("dt")).isEqualTo(Date.valueOf("2024-02-29"));
            assertThat(rs.getObject("dt", LocalDate.class)).isEqualTo(LocalDate.of(2024, 2, 29));
            assertThat(rs.getTime("tm")).isEqualTo(Time.valueOf("13:14:15"));
            assertThat(rs.getObject("tm", LocalTime.class)).isEqualTo(LocalTime.of(13, 14, 15));
            assertThat(rs.getTimestamp("ts")).isEqualTo(Timestamp.valueOf(ts));
            assertThat(rs.getObject("ts", LocalDateTime.class)).isEqualTo(ts);
            assertThat(rs.getObject("tstz", OffsetDateTime.class).toInstant()).isEqualTo(tstz.toInstant());
            assertThat(rs.getObject("tstz", Instant.class)).isEqualTo(tstz.toInstant());
            assertThat(rs.getTimestamp("tstz").toInstant()).isEqualTo(tstz.toInstant());
            Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
            assertThat(rs.getTimestamp("ts", utc).toInstant()).isEqualTo(ts.toInstant(ZoneOffset.UTC));
            assertThat(rs.getObject("u")).isEqualTo(u);
            assertThat(rs.getObject("u", UUID.class)).isEqualTo(u);
            assertThat((Object[]) rs.getArray("ints").getArray()).containsExactly(1, null, 3);
            assertThat(rs.getArray("texts").getArray()).isInstanceOf(String[].class);
            assertThat((String[]) rs.getArray("texts").getArray()).containsExactly("a", "b,c");
            assertThat(rs.getString("j")).isEqualTo("{\"k\": [1, 2]}");
            assertThat(rs.getObject("i")).isInstanceOf(Integer.class);
            assertThat(rs.getObject("ts")).isInstanceOf(Timestamp.class);
            assertThat(rs.getObject("dt")).isInstanceOf(Date.class);
            assertThat(rs.getString("b")).isEqualTo("t");
            assertThat(new String(rs.getBinaryStream("bytes").readAllBytes(), StandardCharsets.ISO_8859_1)).hasSize(3);

            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt("i")).isZero();
            assertThat(rs.wasNull()).isTrue();
            assertThat(rs.getBoolean("b")).isFalse();
            assertThat(rs.wasNull()).isTrue();
            assertThat(rs.getString("t")).isNull();
            assertThat(rs.getObject("ts", LocalDateTime.class)).isNull();
            assertThat(rs.getArray("ints")).isNull();
            assertThat(rs.getInt("k")).isEqualTo(2);
            assertThat(rs.wasNull()).isFalse();
            assertThat(rs.next()).isFalse();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void conversionsThePreparedValuesNeed() throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT ? + ?, ?::text, ? || 'x', ?::uuid, ?")) {
            ps.setInt(1, 40);                                   // unknown + unknown: typed as int4 by the retry
            ps.setLong(2, 2);
            ps.setBigDecimal(3, new BigDecimal("1.50"));        // numeric to text: cast to its own type first
            ps.setInt(4, 7);                                    // text || 'x' with an int: sent as int4, concatenated
            UUID u = UUID.randomUUID();
            ps.setString(5, u.toString());                      // a String where the SQL says uuid
            ps.setObject(6, LocalDate.of(2025, 1, 31), Types.DATE);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(42);
                assertThat(rs.getString(2)).isEqualTo("1.50");
                assertThat(rs.getString(3)).isEqualTo("7x");
                assertThat(rs.getObject(4)).isEqualTo(u);
                assertThat(rs.getObject(5, LocalDate.class)).isEqualTo(LocalDate.of(2025, 1, 31));
            }
        }
        try (PreparedStatement ps = conn.prepareStatement("SELECT count(*) FROM ty_all WHERE i = ?")) {
            ps.setString(1, "12");             // a String for an integer column fails as it does with pgjdbc
            assertThatThrownBy(ps::executeQuery).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("42883"));      // integer = text
            ps.setObject(1, "12", Types.INTEGER);   // unless the caller says which type it is
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT 'abc'::text, 3000000000::int8")) {
            rs.next();
            assertThatThrownBy(() -> rs.getInt(1)).isInstanceOf(java.sql.SQLDataException.class);
            assertThatThrownBy(() -> rs.getInt(2)).isInstanceOf(java.sql.SQLDataException.class).hasMessageContaining("out of range");
        }
    }

    @Test
    void zonedAndOffsetTimesUseTheJvmsZone() throws SQLException {
        java.time.ZoneId zone = java.time.ZoneId.systemDefault();
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT timestamptz '2024-07-01 08:00:00+02' AS tstz,"
                     + " time '13:14:15' AS tm, timetz '13:14:15+03' AS tmtz, timestamp '2024-02-29 23:59:58' AS ts")) {
            assertThat(rs.next()).isTrue();
            Instant instant = OffsetDateTime.of(2024, 7, 1, 8, 0, 0, 0, ZoneOffset.ofHours(2)).toInstant();
            assertThat(rs.getObject("tstz", java.time.ZonedDateTime.class)).isEqualTo(instant.atZone(zone));
            assertThat(rs.getObject("tstz", LocalDateTime.class)).isEqualTo(LocalDateTime.ofInstant(instant, zone));
            assertThat(rs.getObject("tstz", LocalDate.class)).isEqualTo(LocalDate.ofInstant(instant, zone));
            assertThat(rs.getObject("ts", Instant.class))
                    .isEqualTo(LocalDateTime.of(2024, 2, 29, 23, 59, 58).atZone(zone).toInstant());
            assertThat(rs.getObject("tmtz", java.time.OffsetTime.class))
                    .isEqualTo(java.time.OffsetTime.of(13, 14, 15, 0, ZoneOffset.ofHours(3)));
            assertThat(rs.getObject("tm", java.time.OffsetTime.class))
                    .isEqualTo(LocalTime.of(13, 14, 15).atOffset(zone.getRules().getOffset(Instant.now())));
        }
    }

    @Test
    void applicationNameAsClientInfo() throws SQLException {
        conn.setClientInfo("ApplicationName", "types-test");
        assertThat(conn.getClientInfo("ApplicationName")).isEqualTo("types-test");
        assertThat(conn.getClientInfo().getProperty("ApplicationName")).isEqualTo("types-test");
        assertThatThrownBy(() -> conn.setClientInfo("Nonsense", "x"))
                .isInstanceOf(java.sql.SQLClientInfoException.class).hasMessageContaining("Nonsense");
    }
}
