package io.pgloom.it.reliability;

import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.Transaction;
import io.pgloom.it.TestDb;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A cached statement whose parameter types no longer fit (a column changed type) is prepared
 * again outside a transaction, as for "cached plan must not change result type", instead of
 * failing until {@code reloadSchemaState()}.
 */
class StaleParameterTypesTest {

    // A String fits both the old type (text) and the new one (jsonb), so only the server can object.

    @Test
    void aColumnThatChangedTypeIsRePreparedForAnInsert() {
        try (PgConnection conn = TestDb.connect()) {
            conn.execute("CREATE TEMP TABLE stale_ins(v text)");
            conn.execute("INSERT INTO stale_ins VALUES ($1)", "{}");
            conn.execute("ALTER TABLE stale_ins ALTER COLUMN v TYPE jsonb USING v::jsonb");
            // The cached statement's $1 is text: the server now says 42804 (datatype mismatch).
            assertThat(conn.execute("INSERT INTO stale_ins VALUES ($1)", "{\"a\": 1}")).isEqualTo("INSERT 0 1");
            assertThat(conn.fetchVal(Long.class, "SELECT count(*) FROM stale_ins")).isEqualTo(2L);
        }
    }

    @Test
    void anOperatorThatNoLongerExistsIsRePreparedForAWhereClause() {
        try (PgConnection conn = TestDb.connect()) {
            conn.execute("CREATE TEMP TABLE stale_where(v text)");
            conn.execute("INSERT INTO stale_where VALUES ('1')");
            assertThat(conn.fetch("SELECT * FROM stale_where WHERE v = $1", "1")).hasSize(1);
            conn.execute("ALTER TABLE stale_where ALTER COLUMN v TYPE jsonb USING v::jsonb");
            // jsonb = text does not exist: 42883 from the cached plan with $1 text.
            assertThat(conn.fetch("SELECT * FROM stale_where WHERE v = $1", "1")).hasSize(1);
        }
    }

    @Test
    void aFunctionReplacedWithOtherParameterTypesIsRePrepared() {
        try (PgConnection conn = TestDb.connect()) {
            conn.execute("CREATE FUNCTION pg_temp.twice(int) RETURNS int LANGUAGE sql AS 'SELECT $1 * 2'");
            assertThat(conn.fetchVal("SELECT pg_temp.twice($1)", 2)).isEqualTo(4);
            conn.execute("DROP FUNCTION pg_temp.twice(int)");
            conn.execute("CREATE FUNCTION pg_temp.twice(bigint) RETURNS bigint LANGUAGE sql AS 'SELECT $1 * 2'");
            assertThat(conn.fetchVal("SELECT pg_temp.twice($1)", 3)).isEqualTo(6L);
        }
    }

    @Test
    void insideATransactionTheErrorStands() {
        try (PgConnection conn = TestDb.connect()) {
            conn.execute("CREATE TEMP TABLE stale_tx(v text)");
            conn.execute("INSERT INTO stale_tx VALUES ($1)", "{}");
            conn.execute("ALTER TABLE stale_tx ALTER COLUMN v TYPE jsonb USING v::jsonb");
            try (Transaction tx = conn.transaction()) {
                assertThatThrownBy(() -> conn.execute("INSERT INTO stale_tx VALUES ($1)", "{}"))
                        .isInstanceOf(PgException.class).extracting(e -> ((PgException) e).sqlState()).isEqualTo("42804");
            }
            assertThat(conn.execute("INSERT INTO stale_tx VALUES ($1)", "{}")).isEqualTo("INSERT 0 1");
        }
    }

    @Test
    void aGenuineTypeErrorIsNotRetried() {
        try (PgConnection conn = TestDb.connect()) {
            conn.execute("CREATE TEMP TABLE genuine(v int)");
            assertThatThrownBy(() -> conn.execute("INSERT INTO genuine VALUES ($1::inet)", "10.0.0.1"))
                    .isInstanceOf(PgException.class).extracting(e -> ((PgException) e).sqlState()).isEqualTo("42804");
            assertThat(conn.fetchVal(Long.class, "SELECT count(*) FROM genuine")).isZero();
        }
    }
}
