package io.pgloom.it.core;

import io.pgloom.Column;
import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.Row;
import io.pgloom.it.TestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** execute, fetch, fetchRow, fetchVal and executeMany against a real server. */
class QueryTest {

    static PgConnection conn;

    @BeforeAll
    static void open() {
        conn = TestDb.connect();
    }

    @AfterAll
    static void close() {
        conn.close();
    }

    @Test
    void executeReturnsCommandTags() {
        assertThat(conn.execute("CREATE TEMP TABLE q_users(id int PRIMARY KEY, name text, born date)"))
                .isEqualTo("CREATE TABLE");
        assertThat(conn.execute("INSERT INTO q_users VALUES ($1, $2, $3)", 1, "Bob", LocalDate.of(1990, 5, 1)))
                .isEqualTo("INSERT 0 1");
        assertThat(conn.execute("UPDATE q_users SET name = name")).isEqualTo("UPDATE 1");
        assertThat(conn.execute("DROP TABLE q_users")).isEqualTo("DROP TABLE");
    }

    @Test
    void simpleProtocolRunsSeveralStatementsAndReturnsTheLastTag() {
        String tag = conn.execute("CREATE TEMP TABLE q_multi(i int); INSERT INTO q_multi VALUES (1), (2);"
                + " DELETE FROM q_multi WHERE i = 1");
        assertThat(tag).isEqualTo("DELETE 1");
        assertThat(conn.fetchVal(Long.class, "SELECT count(*) FROM q_multi")).isEqualTo(1L);
        conn.execute("DROP TABLE q_multi");
    }

    @Test
    void fetchReturnsRowsByIndexAndName() {
        conn.execute("CREATE TEMP TABLE q_rows(id int PRIMARY KEY, name text, born date)");
        conn.executeMany("INSERT INTO q_rows VALUES ($1, $2, $3)", List.of(
                new Object[]{1, "Bob", LocalDate.of(1990, 5, 1)},
                new Object[]{2, "Ann", null},
                new Object[]{3, "Eve", null}));
        List<Row> rows = conn.fetch("SELECT * FROM q_rows WHERE id > $1 ORDER BY id", 0);
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0).get("name", String.class)).isEqualTo("Bob");
        assertThat(rows.get(0).get(0, Integer.class)).isEqualTo(1);
        assertThat(rows.get(0).get("born")).isEqualTo(LocalDate.of(1990, 5, 1));
        assertThat(rows.get(1).get("born")).isNull();
        assertThat(rows.get(1).isNull(2)).isTrue();
        assertThat(rows.get(2).get(1)).isEqualTo("Eve");
        // Rows of one result share one column description.
        assertThat(rows.get(0).columns()).isSameAs(rows.get(2).columns());
        List<Column> columns = rows.get(0).columns();
        assertThat(columns).extracting(Column::name).containsExactly("id", "name", "born");
        assertThat(columns).extracting(Column::typeName).containsExactly("int4", "text", "date");
        assertThat(columns).extracting(Column::typeOid).containsExactly(23, 25, 1082);

        Row bob = conn.fetchRow("SELECT * FROM q_rows WHERE name = $1", "Bob");
        assertThat(bob.get("id")).isEqualTo(1);
        assertThat(conn.fetchRow("SELECT * FROM q_rows WHERE name = $1", "Nobody")).isNull();
        conn.execute("DROP TABLE q_rows");
    }

    @Test
    void fetchValUsesTheServersInferredParameterType() {
        assertThat(conn.fetchVal("SELECT 2 ^ $1", 10)).isEqualTo(1024.0);
        assertThat(conn.fetchVal(Long.class, "SELECT count(*) FROM generate_series(1, $1)", 7)).isEqualTo(7L);
        assertThat(conn.fetchVal("SELECT $1::numeric * 2", new BigDecimal("1.25"))).isEqualTo(new BigDecimal("2.50"));
        UUID id = UUID.randomUUID();
        assertThat(conn.fetchVal("SELECT $1::uuid", id)).isEqualTo(id);
        assertThat(conn.fetchVal("SELECT NULL::int")).isNull();
        assertThat(conn.fetchVal("SELECT 1 WHERE false")).isNull();
    }

    @Test
    void executeManyIsAllOrNothingOutsideATransaction() {
        conn.execute("CREATE TEMP TABLE q_batch(id int PRIMARY KEY)");
        List<Object[]> args = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            args.add(new Object[]{i});
        }
        conn.executeMany("INSERT INTO q_batch VALUES ($1)", args);
        assertThat(conn.fetchVal(Long.class, "SELECT count(*) FROM q_batch")).isEqualTo(10_000L);

        List<Object[]> clash = List.of(new Object[]{20_000}, new Object[]{20_001}, new Object[]{5}, new Object[]{20_002});
        assertThatThrownBy(() -> conn.executeMany("INSERT INTO q_batch VALUES ($1)", clash))
                .isInstanceOf(io.pgloom.UniqueViolationException.class);
        assertThat(conn.fetchVal(Long.class, "SELECT count(*) FROM q_batch")).isEqualTo(10_000L);
        conn.execute("DROP TABLE q_batch");
    }

    @Test
    void executeManyOfPlainInsertsKeepsEveryRowInOrder() {
        conn.execute("CREATE TEMP TABLE q_rewrite(seq serial, id int, name text)");
        for (int n : new int[]{1, 2, 127, 128, 129, 1000, 3001}) {
            conn.execute("TRUNCATE q_rewrite");
            List<Object[]> args = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                args.add(new Object[]{i, i % 7 == 0 ? null : "n" + i});
            }
            conn.executeMany("INSERT INTO q_rewrite (id, name) VALUES ($1, $2)", args);
            List<Row> rows = conn.fetch("SELECT id, name FROM q_rewrite ORDER BY seq");
            assertThat(rows).hasSize(n);
            for (int i = 0; i < n; i++) {
                assertThat(rows.get(i).get(0)).isEqualTo(i);
                assertThat(rows.get(i).get(1)).isEqualTo(i % 7 == 0 ? null : "n" + i);
            }
        }
        conn.execute("DROP TABLE q_rewrite");
    }

    @Test
    void executeManyNamesTheArgumentListAndParameterThatCannotBeEncoded() {
        conn.execute("CREATE TEMP TABLE q_bad(id int, name text)");
        List<Object[]> args = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            args.add(new Object[]{i, "x"});
        }
        args.set(250, new Object[]{250, 250});
        assertThatThrownBy(() -> conn.executeMany("INSERT INTO q_bad VALUES ($1, $2)", args))
                .isInstanceOf(PgException.class)
                .hasMessageContaining("argument list 250").hasMessageContaining("$2").hasMessageContaining("text")
                .satisfies(e -> assertThat(((PgException) e).sqlState()).isNull());
        args.set(250, new Object[]{250});
        assertThatThrownBy(() -> conn.executeMany("INSERT INTO q_bad VALUES ($1, $2)", args))
                .isInstanceOf(PgException.class).hasMessageContaining("argument list 250");
        assertThat(conn.fetchVal(Long.class, "SELECT count(*) FROM q_bad")).isZero();
        // A statement the rewrite leaves alone still runs, row by row.
        args.set(250, new Object[]{250, "x"});
        conn.executeMany("INSERT INTO q_bad VALUES ($1, $2) ON CONFLICT DO NOTHING", args);
        assertThat(conn.fetchVal(Long.class, "SELECT count(*) FROM q_bad")).isEqualTo(300L);
        conn.execute("DROP TABLE q_bad");
    }

    @Test
    void emptyQueryAndNoRowStatements() {
        assertThat(conn.execute("")).isEmpty();
        assertThat(conn.fetch("SET application_name = 'x'")).isEmpty();
        assertThat(conn.fetch("SELECT 1 WHERE false")).isEmpty();
    }

    @Test
    void rowGetOutOfRangeAndUnknownNameAreClearErrors() {
        Row row = conn.fetchRow("SELECT 1 AS a");
        assertThatThrownBy(() -> row.get(3)).isInstanceOf(PgException.class).hasMessageContaining("out of range");
        assertThatThrownBy(() -> row.get("b")).isInstanceOf(PgException.class).hasMessageContaining("\"b\"");
    }
}
