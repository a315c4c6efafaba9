package io.pgloom.it.cursor;

import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.Row;
import io.pgloom.RowCursor;
import io.pgloom.Transaction;
import io.pgloom.it.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** conn.cursor and conn.stream against a real server: batches, early close, errors, transactions. */
class CursorTest {

    record Item(long id, String label) {
    }

    /** Result sizes around the batch size: the portal ends before, at, and after a batch boundary. */
    @ParameterizedTest
    @CsvSource({"0, 1000", "1, 1000", "999, 1000", "1000, 1000", "1001, 1000", "2000, 1000", "2500, 1000",
            "5000, 7", "3, 1"})
    void readsEveryRowInOrderWhateverTheBatch(int rows, int batch) {
        try (PgConnection conn = TestDb.connect()) {
            List<Long> seen = new ArrayList<>();
            try (RowCursor cur = conn.cursor(batch, "SELECT i, 'row ' || i FROM generate_series(1, $1) i", rows)) {
                assertThat(cur.columns()).extracting(c -> c.typeName()).containsExactly("int4", "text");
                for (Row row : cur) {
                    seen.add(row.get(0, Long.class));
                    assertThat(row.get(1)).isEqualTo("row " + row.get(0));
                }
            }
            assertThat(seen).hasSize(rows);
            for (int i = 0; i < rows; i++) {
                assertThat(seen.get(i)).isEqualTo(i + 1L);
            }
            assertThat(conn.fetchVal("SELECT 41 + 1")).isEqualTo(42);
        }
    }

    @Test
    void readingToTheEndFreesTheConnectionWithoutClose() {
        try (PgConnection conn = TestDb.connect()) {
            RowCursor cur = conn.cursor("SELECT generate_series(1, 3)");
            Iterator<Row> it = cur.iterator();
            int n = 0;
            while (it.hasNext()) {
                it.next();
                n++;
            }
            assertThat(n).isEqualTo(3);
            assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
            assertThat(conn.fetchVal(Integer.class, "SELECT 7")).isEqualTo(7);
            cur.close(); // still safe
        }
    }

    @Test
    void closingEarlyIsCheapAndTheConnectionWorksNext() {
        try (PgConnection conn = TestDb.connect(); PgConnection admin = TestDb.admin()) {
            RowCursor cur = conn.cursor(
                    // generate_series in the select list streams; in FROM it would be materialized first.
                    "SELECT i, repeat('x', 90) FROM (SELECT generate_series(1, 10000000) AS i) s");
            int n = 0;
            for (Row row : cur) {
                if (++n == 10) {
                    break;
                }
            }
            long start = System.nanoTime();
            cur.close();
            long closeMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(closeMillis).as("close after 10 of 10,000,000 rows").isLessThan(1000);
            assertThat(conn.fetchVal(Integer.class, "SELECT 7")).isEqualTo(7);
            assertThat(admin.fetchVal(String.class, "SELECT state FROM pg_stat_activity WHERE pid = $1",
                    conn.serverPid())).isEqualTo("idle");
        }
    }

    @Test
    void anErrorInTheMiddleSurfacesFromTheIterationAndTheConnectionSurvives() {
        try (PgConnection conn = TestDb.connect()) {
            long read = 0;
            RowCursor cur = conn.cursor(
                    "SELECT i, 1 / (500000 - i) FROM (SELECT generate_series(1, 1000000) AS i) s");
            Iterator<Row> it = cur.iterator();
            PgException error = null;
            try {
                while (it.hasNext()) {
                    it.next();
                    read++;
                }
            } catch (PgException e) {
                error = e;
            }
            assertThat(error).isNotNull();
            assertThat(error.sqlState()).isEqualTo("22012");
            assertThat(read).isEqualTo(499_999);
            assertThat(it.hasNext()).isFalse();
            cur.close();
            assertThat(conn.isInTransaction()).isFalse();
            assertThat(conn.fetchVal(Integer.class, "SELECT 8")).isEqualTo(8);
        }
    }

    @Test
    void anErrorAtTheBindIsThrownByCursorItself() {
        try (PgConnection conn = TestDb.connect()) {
            assertThatThrownBy(() -> conn.cursor("SELECT $1::int", "not a number"))
                    .isInstanceOf(PgException.class).hasMessageContaining("$1");
            assertThatThrownBy(() -> conn.cursor("SELECT * FROM no_such_table_here"))
                    .isInstanceOf(PgException.class).extracting(e -> ((PgException) e).sqlState()).isEqualTo("42P01");
            assertThat(conn.fetchVal(Integer.class, "SELECT 9")).isEqualTo(9);
        }
    }

    @Test
    void cancelStopsTheQueryOfAnOpenCursor() {
        try (PgConnection conn = TestDb.connect()) {
            // 10 ms a row and batches of 10: the server is always executing a batch ahead.
            RowCursor cur = conn.cursor(10, "SELECT i, pg_sleep(0.01) FROM (SELECT generate_series(1, 100000) AS i) s");
            Iterator<Row> it = cur.iterator();
            assertThat(it.next().get(0)).isEqualTo(1);
            conn.cancel();
            assertThatThrownBy(() -> {
                while (it.hasNext()) {
                    it.next();
                }
            }).isInstanceOf(io.pgloom.QueryCanceledException.class);
            cur.close();
            assertThat(conn.fetchVal(Integer.class, "SELECT 14")).isEqualTo(14);
        }
    }

    @Test
    void closingTheConnectionUnderAnOpenCursorEndsTheIterationWithAConnectionError() {
        PgConnection conn = TestDb.connect();
        RowCursor cur = conn.cursor(10, "SELECT generate_series(1, 100000)");
        Iterator<Row> it = cur.iterator();
        assertThat(it.next().get(0)).isEqualTo(1);
        conn.close();
        assertThat(conn.isClosed()).isTrue();
        assertThatThrownBy(() -> {
            while (it.hasNext()) {
                it.next();
            }
        }).isInstanceOf(io.pgloom.ConnectionException.class);
        cur.close();
    }

    @Test
    void theConnectionRefusesOtherCallsWhileACursorIsOpen() {
        try (PgConnection conn = TestDb.connect()) {
            try (RowCursor cur = conn.cursor("SELECT generate_series(1, 5000)")) {
                assertThat(cur.iterator().next().get(0)).isEqualTo(1);
                assertThatThrownBy(() -> conn.fetchVal("SELECT 1"))
                        .isInstanceOf(PgException.class).hasMessageContaining("cursor is open");
                assertThatThrownBy(conn::transaction).hasMessageContaining("cursor is open");
            }
            assertThat(conn.fetchVal(Integer.class, "SELECT 10")).isEqualTo(10);
        }
    }

    @Test
    void insideATransactionTheCursorSeesItsWritesAndTheTransactionGoesOn() {
        try (PgConnection conn = TestDb.connect()) {
            conn.execute("CREATE TEMP TABLE cur_tx(id int)");
            try (Transaction tx = conn.transaction()) {
                conn.execute("INSERT INTO cur_tx SELECT generate_series(1, 2000)");
                long sum = 0;
                try (RowCursor cur = conn.cursor("SELECT id FROM cur_tx ORDER BY id")) {
                    for (Row row : cur) {
                        sum += row.get(0, Integer.class);
                    }
                }
                assertThat(sum).isEqualTo(2000L * 2001 / 2);
                // Closed early, inside the transaction: the transaction is still good.
                try (RowCursor cur = conn.cursor(100, "SELECT id FROM cur_tx ORDER BY id")) {
                    assertThat(cur.iterator().next().get(0)).isEqualTo(1);
                }
                assertThat(conn.isInTransaction()).isTrue();
                conn.execute("INSERT INTO cur_tx VALUES ($1)", 2001);
                tx.commit();
            }
            assertThat(conn.fetchVal(Long.class, "SELECT count(*) FROM cur_tx")).isEqualTo(2001L);
        }
    }

    @Test
    void anErrorInsideATransactionFailsTheTransaction() {
        try (PgConnection conn = TestDb.connect()) {
            try (Transaction tx = conn.transaction()) {
                RowCursor cur = conn.cursor("SELECT 1 / (3 - i) FROM generate_series(1, 5) i");
                assertThatThrownBy(() -> cur.forEach(r -> { })).extracting(e -> ((PgException) e).sqlState())
                        .isEqualTo("22012");
                assertThatThrownBy(() -> conn.fetchVal("SELECT 1")).extracting(e -> ((PgException) e).sqlState())
                        .isEqualTo("25P02");
            }
            assertThat(conn.isInTransaction()).isFalse();
            assertThat(conn.fetchVal(Integer.class, "SELECT 11")).isEqualTo(11);
        }
    }

    @Test
    void aStatementThatReturnsNoRowsRunsOnceAndYieldsNothing() {
        try (PgConnection conn = TestDb.connect()) {
            conn.execute("CREATE TEMP TABLE cur_upd(id int, n int)");
            conn.execute("INSERT INTO cur_upd SELECT i, 0 FROM generate_series(1, 10) i");
            try (Transaction tx = conn.transaction()) {
                try (RowCursor cur = conn.cursor("UPDATE cur_upd SET n = n + 1 WHERE id <= $1", 4)) {
                    assertThat(cur.iterator().hasNext()).isFalse();
                    assertThat(cur.columns()).isEmpty();
                }
                tx.commit();
            }
            assertThat(conn.fetchVal(Long.class, "SELECT sum(n) FROM cur_upd")).isEqualTo(4L);
            // RETURNING rows come through a cursor too, the statement running exactly once.
            try (RowCursor cur = conn.cursor(3, "UPDATE cur_upd SET n = n + 1 RETURNING id")) {
                assertThat(cur.stream().count()).isEqualTo(10);
            }
            assertThat(conn.fetchVal(Long.class, "SELECT sum(n) FROM cur_upd")).isEqualTo(14L);
        }
    }

    @Test
    void streamMapsRecordsAndClosingTheStreamClosesTheCursor() {
        try (PgConnection conn = TestDb.connect()) {
            try (Stream<Item> items = conn.stream(Item.class,
                    "SELECT i AS id, 'item ' || i AS label FROM generate_series(1::bigint, 100000) i")) {
                List<Item> first = items.limit(3).toList();
                assertThat(first).containsExactly(new Item(1, "item 1"), new Item(2, "item 2"), new Item(3, "item 3"));
            }
            assertThat(conn.fetchVal(Integer.class, "SELECT 12")).isEqualTo(12);
        }
    }

    @Test
    void fetchRowAsksTheServerForOneRowOnly() {
        try (PgConnection conn = TestDb.connect()) {
            // The second row divides by zero: it is never produced when only one row is asked for.
            String sql = "SELECT i, 10 / (2 - i) AS q FROM generate_series(1, 3) i";
            assertThat(conn.fetchRow(sql).get("q")).isEqualTo(10);
            assertThat(conn.fetchVal(sql)).isEqualTo(1);
            assertThat(conn.fetchVal(Long.class, sql)).isEqualTo(1L);
            assertThatThrownBy(() -> conn.fetch(sql)).extracting(e -> ((PgException) e).sqlState()).isEqualTo("22012");
            // execute keeps its command tag.
            assertThat(conn.execute("SELECT generate_series(1, $1)", 5)).isEqualTo("SELECT 5");
            assertThat(conn.fetchRow("SELECT 1 WHERE false")).isNull();
            // A data-modifying statement still runs whole under a row limit.
            conn.execute("CREATE TEMP TABLE one_row(id int)");
            assertThat(conn.fetchVal(Integer.class, "INSERT INTO one_row SELECT generate_series(1, 5) RETURNING id"))
                    .isEqualTo(1);
            assertThat(conn.fetchVal(Long.class, "SELECT count(*) FROM one_row")).isEqualTo(5L);
            // The shared (pipelined) view asks for one row too.
            assertThat(conn.shared().fetchRow(sql).get("q")).isEqualTo(10);
            assertThat(conn.shared().fetchVal(Integer.class, sql)).isEqualTo(1);
            // So does a pipeline's, independent or atomic; its fetch still reads every row.
            for (boolean atomic : new boolean[] {false, true}) {
                try (io.pgloom.Pipeline p = atomic ? conn.atomicPipeline() : conn.pipeline()) {
                    var row = p.fetchRow(sql);
                    var value = p.fetchVal(Integer.class, sql);
                    var count = p.execute("SELECT generate_series(1, $1)", 4);
                    p.sync();
                    assertThat(row.get().get("q")).as("atomic: %s", atomic).isEqualTo(10);
                    assertThat(value.get()).isEqualTo(1);
                    assertThat(count.get()).isEqualTo("SELECT 4");
                }
            }
            try (io.pgloom.Pipeline p = conn.pipeline()) {
                var all = p.fetch(sql);
                var after = p.fetchVal(Integer.class, "SELECT 14");
                p.sync();
                assertThatThrownBy(all::get).extracting(e -> ((PgException) e).sqlState()).isEqualTo("22012");
                assertThat(after.get()).isEqualTo(14);
            }
        }
    }

    @Test
    void theSharedViewWaitsForNoCursorAndRefusesWhileOneIsOpen() {
        try (PgConnection conn = TestDb.connect()) {
            try (RowCursor cur = conn.cursor("SELECT generate_series(1, 5000)")) {
                assertThat(cur.iterator().next().get(0)).isEqualTo(1);
                assertThatThrownBy(() -> conn.shared().fetchVal("SELECT 1")).isInstanceOf(PgException.class)
                        .hasMessageContaining("cursor");
            }
            assertThat(conn.shared().fetchVal(Integer.class, "SELECT 13")).isEqualTo(13);
        }
    }

    @Test
    void theQueryListenerSeesACursorWhenItEndsAndEachRunOfAPreparedQuery() {
        List<io.pgloom.QueryListener.Query> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (PgConnection conn = PgConnection.connect(TestDb.options().toBuilder().queryListener(seen::add).build())) {
            try (RowCursor cur = conn.cursor("SELECT generate_series(1, 2500)")) {
                cur.forEach(r -> { });
            }
            try (RowCursor cur = conn.cursor("SELECT generate_series(1, 5000) AS early")) {
                cur.iterator().next();
            }
            assertThatThrownBy(() -> conn.cursor("SELECT 1 / (2 - i) FROM generate_series(1, 3) i").forEach(r -> { }))
                    .isInstanceOf(PgException.class);
            try (var q = conn.prepare("SELECT $1::int AS prepared")) {
                q.fetchVal(3);
                q.fetchVal(4);
                try (RowCursor cur = q.cursor(5)) {
                    cur.forEach(r -> { });
                }
            }
        }
        assertThat(seen).filteredOn(q -> q.sql().equals("SELECT generate_series(1, 2500)"))
                .singleElement().satisfies(q -> {
                    assertThat(q.rows()).isEqualTo(2500);
                    assertThat(q.error()).isNull();
                });
        assertThat(seen).filteredOn(q -> q.sql().contains("AS early")).singleElement()
                .satisfies(q -> assertThat(q.rows()).isEqualTo(1));
        assertThat(seen).filteredOn(q -> q.sql().contains("1 / (2 - i)")).singleElement()
                .satisfies(q -> assertThat(q.error().sqlState()).isEqualTo("22012"));
        assertThat(seen).filteredOn(q -> q.sql().contains("AS prepared")).extracting(q -> q.rows())
                .containsExactly(1L, 1L, 1L);
    }

    @Test
    void fetchRowMapsARecord() {
        try (PgConnection conn = TestDb.connect()) {
            assertThat(conn.fetchRow(Item.class, "SELECT $1::int8 AS id, $2 AS label", 5L, "five"))
                    .isEqualTo(new Item(5, "five"));
            assertThat(conn.fetchRow(Item.class, "SELECT 1::int8 AS id, 'x' AS label WHERE false")).isNull();
        }
    }
}
