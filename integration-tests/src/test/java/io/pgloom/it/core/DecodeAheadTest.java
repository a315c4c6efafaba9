package io.pgloom.it.core;

import io.pgloom.PgConnection;
import io.pgloom.Row;
import io.pgloom.SslMode;
import io.pgloom.it.TestDb;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fetch decodes the rows it already has while the server is still producing the rest. The
 * server here stops for 300 ms in the middle of a result, after it has sent several packets of
 * rows; those rows are decoded in that pause. Decoded-ahead values are visible from outside
 * only as the same instance handed out by every {@code get}, so that is what these tests look
 * for, besides every value being right wherever it was decoded.
 */
class DecodeAheadTest {

    private static final int ROWS = 2_000;
    /** Stops the server for 300 ms at row 1,500, long after its first 8 KiB packets went out. */
    private static final String PAUSING = "SELECT g, 'row ' || g, (g * 1.25)::numeric(12, 2), int4send(g),"
            + " CASE WHEN g = 1500 THEN (SELECT 1 FROM pg_sleep(0.3)) END"
            + " FROM generate_series(1, " + ROWS + ") g";

    @Test
    void rowsThatCameBeforeAPauseAreDecodedInIt() {
        try (PgConnection c = TestDb.connect()) {
            checkPausingResult(c);
        }
    }

    @Test
    void overTlsToo() {
        try (PgConnection c = PgConnection.connect(TlsTest.scram().sslMode(SslMode.REQUIRE).build())) {
            assertThat(c.fetchVal(Boolean.class, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).isTrue();
            checkPausingResult(c);
        }
    }

    private static void checkPausingResult(PgConnection c) {
        List<Row> rows = c.fetch(PAUSING);
        assertThat(rows).hasSize(ROWS);
        Row first = rows.get(0);
        assertThat(first.get(1)).as("a text value decoded ahead is one instance").isSameAs(first.get(1));
        assertThat(first.get(1, String.class)).isSameAs(first.get(1));
        assertThat(first.get(2)).isSameAs(first.get(2, BigDecimal.class));
        assertThat(first.get(3)).as("a byte array can be changed by its caller, so it is never shared")
                .isNotSameAs(first.get(3));
        for (int i = 0; i < ROWS; i++) {
            Row r = rows.get(i);
            int g = i + 1;
            assertThat(r.get(0)).isEqualTo(g);
            assertThat(r.get(0, Long.class)).isEqualTo(g);
            assertThat(r.get(1)).isEqualTo("row " + g);
            assertThat(r.get(2, BigDecimal.class)).isEqualTo(BigDecimal.valueOf(g * 125L, 2));
            assertThat(r.get(2, String.class)).isEqualTo(BigDecimal.valueOf(g * 125L, 2).toPlainString());
            assertThat((byte[]) r.get(3)).containsExactly(java.nio.ByteBuffer.allocate(4).putInt(g).array());
            assertThat(r.isNull(4)).isEqualTo(g != 1500);
        }
        byte[] changed = (byte[]) first.get(3);
        changed[3] = 99;
        assertThat((byte[]) first.get(3)).as("a caller's change to a byte array stays its own").containsExactly(0, 0, 0, 1);
        // The connection is in step after it.
        assertThat(c.fetchVal(Integer.class, "SELECT 42")).isEqualTo(42);
    }

    @Test
    void valuesOfEveryUnchangeableKindAreSharedAndArraysAreNot() {
        try (PgConnection c = TestDb.connect()) {
            List<Row> rows = c.fetch("SELECT g::int2, g, g::int8, g::float4, g::float8, g % 2 = 0, g::numeric, g::text,"
                    + " md5(g::text)::uuid, timestamptz '2026-01-01 00:00+00' + g * interval '1 s',"
                    + " timestamp '2026-01-01' + g * interval '1 s', date '2026-01-01' + g, time '00:00' + g * interval '1 s',"
                    + " timetz '00:00+00' + g * interval '1 s', ARRAY[g, g],"
                    + " CASE WHEN g = 1500 THEN (SELECT 1 FROM pg_sleep(0.3)) END"
                    + " FROM generate_series(1, " + ROWS + ") g");
            assertThat(rows).hasSize(ROWS);
            // Row 1,000: before the pause, and past the small numbers Integer.valueOf and its kind
            // hand out cached (a Boolean is always one of two, so that column proves nothing).
            Row before = rows.get(999);
            List<Class<?>> kinds = List.of(Short.class, Integer.class, Long.class, Float.class, Double.class, Boolean.class,
                    BigDecimal.class, String.class, java.util.UUID.class, java.time.OffsetDateTime.class,
                    java.time.LocalDateTime.class, java.time.LocalDate.class, java.time.LocalTime.class,
                    java.time.OffsetTime.class);
            for (int i = 0; i < kinds.size(); i++) {
                assertThat(before.get(i)).isInstanceOf(kinds.get(i));
                assertThat(before.get(i)).as("column %d, a %s decoded ahead, is one instance", i,
                        kinds.get(i).getSimpleName()).isSameAs(before.get(i));
            }
            assertThat(before.get(14)).as("an array can be changed by its caller, so it is never shared")
                    .isNotSameAs(before.get(14));
            assertThat(rows.get(ROWS - 1).get(1)).isEqualTo(ROWS);
        }
    }

    @Test
    void bigValuesPastTheBudgetAreLeftForGet() {
        try (PgConnection c = TestDb.connect()) {
            // 8 rows of 512 KiB with a pause before the last: the first row fits the 1 MiB
            // budget and the second does not, so the seven that came before the pause are
            // decoded in it only up to the budget; the rest wait for get.
            List<Row> rows = c.fetch("SELECT g, CASE WHEN g = 8 THEN (SELECT '' FROM pg_sleep(0.2)) ELSE '' END"
                    + " || repeat('x', 512 * 1024) FROM generate_series(1, 8) g");
            assertThat(rows).hasSize(8);
            assertThat(rows.get(0).get(1)).as("within the budget: decoded in the pause").isSameAs(rows.get(0).get(1));
            for (int i = 1; i < 8; i++) {
                assertThat(rows.get(i).get(1)).as("row %d, past the budget", i).isNotSameAs(rows.get(i).get(1));
            }
            for (Row r : rows) {
                assertThat(r.get(1, String.class)).hasSize(512 * 1024);
            }
        }
    }

    @Test
    void aFailedValueIsReportedByGetAsBefore() {
        try (PgConnection c = TestDb.connect()) {
            // A result that pauses, then a row whose conversion the caller gets wrong: decoding
            // ahead must not swallow the error or hand back something else.
            List<Row> rows = c.fetch("SELECT g, CASE WHEN g = 1500 THEN (SELECT 'x' FROM pg_sleep(0.2)) ELSE 'y' END"
                    + " FROM generate_series(1, " + ROWS + ") g");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> rows.get(0).get(1, java.util.UUID.class))
                    .isInstanceOf(io.pgloom.PgException.class).hasMessageContaining("column 1");
            assertThat(rows.get(0).get(1, String.class)).isEqualTo("y");
        }
    }
}
