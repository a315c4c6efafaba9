package io.pgloom.it.core;

import io.pgloom.PgConnection;
import io.pgloom.Row;
import io.pgloom.it.TestDb;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The per-connection LRU statement cache: reuse, eviction, invalidation, and size 0. */
class StatementCacheTest {

    static long preparedOnServer(PgConnection conn) {
        // pg_prepared_statements lists this session's protocol-level statements by name.
        return conn.fetchVal(Long.class, "SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'pgloom%'");
    }

    @Test
    void evictsTheLeastRecentlyUsedAndClosesItOnTheServer() {
        try (PgConnection conn = PgConnection.connect(TestDb.server().uri() + "&statement_cache_size=3")) {
            for (int i = 0; i < 10; i++) {
                assertThat(conn.fetchVal("SELECT $1::int + " + i, 1)).isEqualTo(1 + i);
            }
            // The counting query itself takes a slot; the server never holds more than the cache.
            assertThat(preparedOnServer(conn)).isLessThanOrEqualTo(3);
            assertThat(preparedOnServer(conn)).isGreaterThan(0);
        }
    }

    @Test
    void reusesAPreparedStatement() {
        try (PgConnection conn = TestDb.connect()) {
            for (int i = 0; i < 50; i++) {
                conn.fetchVal("SELECT $1::int", i);
            }
            long before = preparedOnServer(conn);
            conn.fetchVal("SELECT $1::int", 99);
            assertThat(preparedOnServer(conn)).isEqualTo(before);
        }
    }

    @Test
    void reprepareAfterAlterTableChangesTheResultType() {
        try (PgConnection conn = TestDb.connect()) {
            conn.execute("CREATE TEMP TABLE sc_alter(id int, name text)");
            conn.execute("INSERT INTO sc_alter VALUES (1, 'a')");
            assertThat(conn.fetch("SELECT * FROM sc_alter WHERE id = $1", 1).get(0).size()).isEqualTo(2);
            conn.execute("ALTER TABLE sc_alter ADD COLUMN extra int DEFAULT 7");
            List<Row> rows = conn.fetch("SELECT * FROM sc_alter WHERE id = $1", 1);
            assertThat(rows.get(0).size()).isEqualTo(3);
            assertThat(rows.get(0).get("extra")).isEqualTo(7);
            conn.execute("ALTER TABLE sc_alter ALTER COLUMN extra TYPE bigint");
            assertThat(conn.fetch("SELECT * FROM sc_alter WHERE id = $1", 1).get(0).get("extra")).isEqualTo(7L);
        }
    }

    @Test
    void insideAFailedTransactionTheStalePlanErrorIsNotRetried() {
        try (PgConnection conn = TestDb.connect()) {
            conn.execute("CREATE TEMP TABLE sc_tx(id int)");
            conn.fetch("SELECT * FROM sc_tx WHERE id = $1", 1);
            conn.execute("BEGIN");
            conn.execute("ALTER TABLE sc_tx ADD COLUMN more int");
            assertThatThrownBy(() -> conn.fetch("SELECT * FROM sc_tx WHERE id = $1", 1))
                    .hasMessageContaining("cached plan");
            conn.execute("ROLLBACK");
            assertThat(conn.fetch("SELECT * FROM sc_tx WHERE id = $1", 1)).isEmpty();
        }
    }

    @Test
    void discardAllForgetsEveryStatement() {
        try (PgConnection conn = TestDb.connect()) {
            conn.fetchVal("SELECT $1::int", 1);
            conn.execute("DISCARD ALL");
            assertThat(conn.fetchVal("SELECT $1::int", 2)).isEqualTo(2);
        }
    }

    @Test
    void cacheSizeZeroUsesOnlyTheUnnamedStatement() {
        try (PgConnection conn = PgConnection.connect(TestDb.server().uri() + "&statement_cache_size=0")) {
            for (int i = 0; i < 20; i++) {
                assertThat(conn.fetchVal("SELECT $1::int * 2", i)).isEqualTo(i * 2);
            }
            assertThat(conn.fetchVal(Long.class, "SELECT count(*) FROM pg_prepared_statements")).isZero();
        }
    }
}
