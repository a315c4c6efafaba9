package io.pgloom.it.cursor;

import io.pgloom.Column;
import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.PreparedQuery;
import io.pgloom.Row;
import io.pgloom.RowCursor;
import io.pgloom.Transaction;
import io.pgloom.it.TestDb;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** conn.prepare: introspection, every way to run it, re-preparing after DDL, deallocation. */
class PreparedQueryTest {

    static long preparedOnServer(PgConnection conn, String name) {
        return conn.fetchVal(Long.class, "SELECT count(*) FROM pg_prepared_statements WHERE name = $1", name);
    }

    static String nameOf(PgConnection conn, String sql) {
        return conn.fetchVal(String.class, "SELECT name FROM pg_prepared_statements WHERE statement = $1", sql);
    }

    @Test
    void introspectsAQueryWithoutParameters() {
        try (PgConnection conn = TestDb.connect();
             PreparedQuery q = conn.prepare("SELECT 1 AS one, 'x'::text AS t, now() AS at, NULL::numeric(10,2) AS n")) {
            assertThat(q.parameterTypes()).isEmpty();
            assertThat(q.columns()).extracting(Column::name).containsExactly("one", "t", "at", "n");
            assertThat(q.columns()).extracting(Column::typeName).containsExactly("int4", "text", "timestamptz", "numeric");
            assertThat(q.columns().get(3).typeModifier()).isNotEqualTo(-1);
            assertThat(q.fetchVal()).isEqualTo(1);
        }
    }

    @Test
    void introspectsParametersTheServerInferredIncludingUntypedAndUserDefinedOnes() {
        try (PgConnection conn = TestDb.connect()) {
            conn.execute("CREATE TYPE pq_mood AS ENUM ('sad', 'ok', 'happy')");
            try {
                try (PreparedQuery q = conn.prepare("SELECT $1 AS untyped, $2::pq_mood AS mood, $3::int8[] AS ids,"
                        + " $4 + 1 AS plus")) {
                    // An untyped $1 in a select list is text; $4 + 1 makes it int4.
                    assertThat(q.parameterTypes()).containsExactly("text", "pq_mood", "_int8", "int4");
                    assertThat(q.columns()).extracting(Column::typeName).containsExactly("text", "pq_mood", "_int8", "int4");
                    Row row = q.fetchRow("a", "happy", List.of(1L, 2L), 41);
                    assertThat(row.get("untyped")).isEqualTo("a");
                    assertThat(row.get("mood")).isEqualTo("happy");
                    assertThat(row.get("ids")).isEqualTo(List.of(1L, 2L));
                    assertThat(row.get("plus")).isEqualTo(42);
                }
                // A statement with no result at all.
                try (PreparedQuery q = conn.prepare("SET application_name = 'pq'")) {
                    assertThat(q.columns()).isEmpty();
                    assertThat(q.parameterTypes()).isEmpty();
                    assertThat(q.execute()).isEqualTo("SET");
                }
            } finally {
                conn.execute("DROP TYPE pq_mood");
            }
        }
    }

    @Test
    void introspectsCompositeColumns() {
        try (PgConnection conn = TestDb.connect()) {
            conn.execute("CREATE TYPE pq_pair AS (a int, b text)");
            try (PreparedQuery q = conn.prepare("SELECT ROW($1, 'x')::pq_pair AS p, ARRAY[ROW(2, 'y')::pq_pair] AS ps")) {
                assertThat(q.parameterTypes()).containsExactly("int4");
                assertThat(q.columns()).extracting(Column::typeName).containsExactly("pq_pair", "_pq_pair");
                Row p = q.fetchRow(7).get("p", Row.class);
                assertThat(p.get("a")).isEqualTo(7);
                assertThat(p.get("b")).isEqualTo("x");
            } finally {
                conn.execute("DROP TYPE pq_pair");
            }
        }
    }

    @Test
    void runsInEveryFormWithArguments() {
        try (PgConnection conn = TestDb.connect()) {
            conn.execute("CREATE TEMP TABLE pq_users(id int PRIMARY KEY, name text, born date, tag uuid)");
            UUID tag = UUID.randomUUID();
            try (PreparedQuery insert = conn.prepare("INSERT INTO pq_users VALUES ($1, $2, $3, $4)");
                 PreparedQuery select = conn.prepare("SELECT id, name, born, tag FROM pq_users WHERE id >= $1 ORDER BY id")) {
                assertThat(insert.parameterTypes()).containsExactly("int4", "text", "date", "uuid");
                assertThat(insert.execute(1, "Bob", LocalDate.of(1990, 5, 1), tag)).isEqualTo("INSERT 0 1");
                assertThat(insert.execute(2, null, null, null)).isEqualTo("INSERT 0 1");
                insert.executeMany(List.of(new Object[]{3, "Ann", null, null}, new Object[]{4, "Eve", null, tag}));
                insert.executeMany(List.of());

                List<Row> rows = select.fetch(1);
                assertThat(rows).extracting(r -> r.get("id")).containsExactly(1, 2, 3, 4);
                assertThat(rows.get(0).get("born")).isEqualTo(LocalDate.of(1990, 5, 1));
                assertThat(rows.get(0).get("tag")).isEqualTo(tag);
                assertThat(rows.get(1).get("name")).isNull();
                assertThat(select.fetchRow(3).get("name")).isEqualTo("Ann");
                assertThat(select.fetchRow(99)).isNull();
                assertThat(select.fetchVal(2)).isEqualTo(2);
                assertThat(select.fetchVal(Long.class, 4)).isEqualTo(4L);
                try (RowCursor cur = select.cursor(2)) {
                    assertThat(cur.stream().map(r -> r.get("id", Integer.class)).toList()).containsExactly(2, 3, 4);
                }

                // Bad input is refused before sending, naming the parameter; the statement stays usable.
                assertThatThrownBy(() -> select.fetch()).isInstanceOf(PgException.class).hasMessageContaining("1 parameter");
                assertThatThrownBy(() -> insert.execute("x", "y", null, null)).hasMessageContaining("$1");
                assertThatThrownBy(() -> insert.executeMany(List.<Object[]>of(new Object[]{5, "a", null, null},
                        new Object[]{6}))).hasMessageContaining("argument list 1");
                assertThatThrownBy(() -> insert.execute(1, "dup", null, null))
                        .extracting(e -> ((PgException) e).sqlState()).isEqualTo("23505");
                assertThat(select.fetch(1)).hasSize(4);
            }
        }
    }

    @Test
    void keepsWorkingAfterDdlChangesItsResult() {
        try (PgConnection conn = TestDb.connect()) {
            conn.execute("CREATE TEMP TABLE pq_alter(id int, name text)");
            conn.execute("INSERT INTO pq_alter VALUES (1, 'a')");
            try (PreparedQuery q = conn.prepare("SELECT * FROM pq_alter WHERE id = $1")) {
                assertThat(q.columns()).hasSize(2);
                conn.execute("ALTER TABLE pq_alter ADD COLUMN extra int DEFAULT 7");
                Row row = q.fetchRow(1);
                assertThat(row.size()).isEqualTo(3);
                assertThat(row.get("extra")).isEqualTo(7);
                assertThat(q.columns()).extracting(Column::name).containsExactly("id", "name", "extra");
                conn.execute("ALTER TABLE pq_alter ALTER COLUMN extra TYPE bigint");
                try (RowCursor cur = q.cursor(1)) {
                    assertThat(cur.iterator().next().get("extra")).isEqualTo(7L);
                }
                // The server dropped it: prepared again under the same name.
                conn.execute("DEALLOCATE ALL");
                assertThat(q.fetchVal(1)).isEqualTo(1);
                // Inside a transaction the failed plan fails the block: no retry, a clear error.
                conn.execute("ALTER TABLE pq_alter DROP COLUMN extra");
                try (Transaction tx = conn.transaction()) {
                    assertThatThrownBy(() -> q.fetchRow(1)).isInstanceOf(PgException.class)
                            .hasMessageContaining("cached plan must not change result type");
                }
                assertThat(q.fetchRow(1).size()).isEqualTo(2);
            }
        }
    }

    @Test
    void closeDeallocatesOnTheServer() {
        try (PgConnection conn = TestDb.connect()) {
            String sql = "SELECT $1::int * 3";
            PreparedQuery q = conn.prepare(sql);
            String name = nameOf(conn, sql);
            assertThat(name).isNotNull();
            assertThat(preparedOnServer(conn, name)).isEqualTo(1);
            assertThat(q.fetchVal(2)).isEqualTo(6);
            q.close();
            q.close();
            assertThat(preparedOnServer(conn, name)).isZero();
            assertThatThrownBy(() -> q.fetchVal(2)).hasMessageContaining("closed");
            // Statements prepared on their own are not the cache's: eviction never drops them.
            try (PgConnection small = PgConnection.connect(TestDb.server().uri() + "&statement_cache_size=2");
                 PreparedQuery kept = small.prepare("SELECT $1::int + 1")) {
                for (int i = 0; i < 10; i++) {
                    small.fetchVal("SELECT $1::int + " + (i + 10), 1);
                }
                assertThat(kept.fetchVal(1)).isEqualTo(2);
            }
        }
    }
}
