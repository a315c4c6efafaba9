package io.pgloom.it.core;

import io.pgloom.Isolation;
import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.SerializationFailureException;
import io.pgloom.Transaction;
import io.pgloom.TransactionOptions;
import io.pgloom.it.TestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** try-with-resources transactions: BEGIN/COMMIT/ROLLBACK, savepoints, options, and every misuse. */
class TransactionTest {

    static PgConnection conn;

    @BeforeAll
    static void open() {
        conn = TestDb.connect();
        conn.execute("DROP TABLE IF EXISTS tx_items");
        conn.execute("CREATE TABLE tx_items(id int PRIMARY KEY, name text)");
    }

    @AfterAll
    static void close() {
        conn.execute("DROP TABLE tx_items");
        conn.close();
    }

    @BeforeEach
    void clean() {
        conn.execute("TRUNCATE tx_items");
    }

    static long count() {
        return conn.fetchVal(Long.class, "SELECT count(*) FROM tx_items");
    }

    @Test
    void commitKeepsAndCloseWithoutCommitRollsBack() {
        try (Transaction tx = conn.transaction()) {
            conn.execute("INSERT INTO tx_items VALUES ($1, $2)", 1, "kept");
            assertThat(conn.isInTransaction()).isTrue();
            tx.commit();
            assertThat(tx.isActive()).isFalse();
        }
        try (Transaction tx = conn.transaction()) {
            conn.execute("INSERT INTO tx_items VALUES ($1, $2)", 2, "dropped");
        }
        assertThat(conn.isInTransaction()).isFalse();
        assertThat(conn.fetch("SELECT name FROM tx_items")).extracting(r -> r.get(0)).containsExactly("kept");
    }

    @Test
    void anExceptionInTheBodyRollsBack() {
        assertThatThrownBy(() -> {
            try (Transaction tx = conn.transaction()) {
                conn.execute("INSERT INTO tx_items VALUES ($1, $2)", 1, "a");
                throw new IllegalStateException("business rule");
            }
        }).isInstanceOf(IllegalStateException.class);
        assertThat(count()).isZero();
        assertThat(conn.isInTransaction()).isFalse();
    }

    @Test
    void explicitRollback() {
        try (Transaction tx = conn.transaction()) {
            conn.execute("INSERT INTO tx_items VALUES ($1, $2)", 1, "a");
            tx.rollback();
            assertThat(conn.isInTransaction()).isFalse();
        }
        assertThat(count()).isZero();
    }

    @Test
    void nestedTransactionsAreSavepoints() {
        try (Transaction outer = conn.transaction()) {
            conn.execute("INSERT INTO tx_items VALUES ($1, $2)", 1, "outer");
            try (Transaction inner = conn.transaction()) {
                conn.execute("INSERT INTO tx_items VALUES ($1, $2)", 2, "inner rolled back");
            }
            try (Transaction inner = conn.transaction()) {
                conn.execute("INSERT INTO tx_items VALUES ($1, $2)", 3, "inner kept");
                try (Transaction innermost = conn.transaction()) {
                    conn.execute("INSERT INTO tx_items VALUES ($1, $2)", 4, "innermost kept");
                    innermost.commit();
                }
                inner.commit();
            }
            outer.commit();
        }
        assertThat(conn.fetch("SELECT id FROM tx_items ORDER BY id")).extracting(r -> r.get(0)).containsExactly(1, 3, 4);
    }

    @Test
    void aSavepointRecoversFromAnErrorInsideTheTransaction() {
        try (Transaction outer = conn.transaction()) {
            conn.execute("INSERT INTO tx_items VALUES ($1, $2)", 1, "a");
            try (Transaction inner = conn.transaction()) {
                conn.execute("INSERT INTO tx_items VALUES ($1, $2)", 1, "duplicate");
                inner.commit();
            } catch (PgException e) {
                assertThat(e.sqlState()).isEqualTo("23505");
            }
            conn.execute("INSERT INTO tx_items VALUES ($1, $2)", 2, "b");
            outer.commit();
        }
        assertThat(count()).isEqualTo(2);
    }

    @Test
    void aQueryErrorFailsTheTransactionUntilRollback() {
        try (Transaction tx = conn.transaction()) {
            assertThatThrownBy(() -> conn.fetch("SELECT 1/0")).isInstanceOf(PgException.class);
            PgException failed = catchThrowableOfType(PgException.class, () -> conn.fetch("SELECT 1"));
            assertThat(failed.sqlState()).isEqualTo("25P02");
            assertThat(conn.isInTransaction()).isTrue();
            PgException commit = catchThrowableOfType(PgException.class, tx::commit);
            assertThat(commit.getMessage()).contains("ROLLBACK");
            assertThat(tx.isActive()).isFalse();
        }
        assertThat(conn.isInTransaction()).isFalse();
        assertThat(conn.fetchVal("SELECT 1")).isEqualTo(1);
    }

    @Test
    void misuseIsAnError() {
        Transaction tx = conn.transaction();
        tx.commit();
        assertThatThrownBy(tx::commit).isInstanceOf(PgException.class).hasMessageContaining("already committed");
        assertThatThrownBy(tx::rollback).isInstanceOf(PgException.class);
        tx.close(); // closing an ended transaction does nothing

        Transaction rolledBack = conn.transaction();
        rolledBack.rollback();
        assertThatThrownBy(rolledBack::commit).isInstanceOf(PgException.class).hasMessageContaining("rolled back");

        try (Transaction outer = conn.transaction()) {
            Transaction inner = conn.transaction();
            assertThatThrownBy(outer::commit).isInstanceOf(PgException.class).hasMessageContaining("inner");
            assertThat(outer.isActive()).isTrue();
            inner.rollback();
            outer.commit();
        }

        conn.execute("BEGIN");
        assertThatThrownBy(conn::transaction).isInstanceOf(PgException.class).hasMessageContaining("BEGIN");
        conn.execute("ROLLBACK");
    }

    @Test
    void closingOutOfOrderRollsBackBothAndSaysSo() {
        Transaction outer = conn.transaction();
        conn.execute("INSERT INTO tx_items VALUES ($1, $2)", 1, "a");
        Transaction inner = conn.transaction();
        conn.execute("INSERT INTO tx_items VALUES ($1, $2)", 2, "b");
        assertThatThrownBy(outer::close).isInstanceOf(PgException.class).hasMessageContaining("out of order");
        assertThat(inner.isActive()).isFalse();
        assertThat(outer.isActive()).isFalse();
        assertThat(conn.isInTransaction()).isFalse();
        assertThat(count()).isZero();
    }

    @Test
    void optionsReachTheServer() {
        TransactionOptions options = TransactionOptions.builder()
                .isolation(Isolation.SERIALIZABLE).readOnly(true).deferrable(true).build();
        try (Transaction tx = conn.transaction(options)) {
            assertThat(conn.fetchVal("SHOW transaction_isolation")).isEqualTo("serializable");
            assertThat(conn.fetchVal("SHOW transaction_read_only")).isEqualTo("on");
            assertThat(conn.fetchVal("SHOW transaction_deferrable")).isEqualTo("on");
            assertThatThrownBy(() -> conn.execute("INSERT INTO tx_items VALUES ($1, $2)", 1, "a"))
                    .isInstanceOf(PgException.class).satisfies(e -> assertThat(((PgException) e).sqlState()).isEqualTo("25006"));
        }
        try (Transaction tx = conn.transaction(TransactionOptions.builder().isolation(Isolation.REPEATABLE_READ).build())) {
            assertThat(conn.fetchVal("SHOW transaction_isolation")).isEqualTo("repeatable read");
            assertThatThrownBy(() -> conn.transaction(TransactionOptions.builder().readOnly(true).build()))
                    .isInstanceOf(PgException.class).hasMessageContaining("savepoint");
            tx.commit();
        }
        assertThatThrownBy(() -> TransactionOptions.builder().deferrable(true).build())
                .isInstanceOf(PgException.class).hasMessageContaining("deferrable");
    }

    @Test
    void aDeferredConstraintFailingAtCommitRaisesTheServersErrorAndEndsTheTransaction() {
        conn.execute("CREATE TEMP TABLE tx_deferred(id int, CONSTRAINT u UNIQUE (id) DEFERRABLE INITIALLY DEFERRED)");
        Transaction tx = conn.transaction();
        conn.execute("INSERT INTO tx_deferred VALUES (1), (1)");
        PgException e = catchThrowableOfType(PgException.class, tx::commit);
        assertThat(e.sqlState()).isEqualTo("23505");
        assertThat(tx.isActive()).isFalse();
        assertThat(conn.isInTransaction()).isFalse();
        tx.close();
        assertThat(conn.fetchVal(Long.class, "SELECT count(*) FROM tx_deferred")).isZero();
    }

    @Test
    void aSerializationFailureAtCommitIsItsOwnType() throws Exception {
        conn.execute("INSERT INTO tx_items VALUES (1, 'x'), (2, 'y')");
        TransactionOptions serializable = TransactionOptions.builder().isolation(Isolation.SERIALIZABLE).build();
        try (PgConnection other = TestDb.connect()) {
            Transaction a = conn.transaction(serializable);
            Transaction b = other.transaction(serializable);
            conn.fetch("SELECT sum(id) FROM tx_items");
            other.fetch("SELECT sum(id) FROM tx_items");
            conn.execute("INSERT INTO tx_items VALUES (10, 'a')");
            other.execute("INSERT INTO tx_items VALUES (20, 'b')");
            a.commit();
            SerializationFailureException e = catchThrowableOfType(SerializationFailureException.class, () -> {
                try {
                    other.execute("SELECT 1");
                    b.commit();
                } finally {
                    b.close();
                }
            });
            assertThat(e.sqlState()).isEqualTo("40001");
            assertThat(other.isInTransaction()).isFalse();
        }
    }

    @Test
    void aTransactionEndedWithSqlIsNoLongerActive() {
        Transaction tx = conn.transaction();
        conn.execute("ROLLBACK");
        assertThat(conn.isInTransaction()).isFalse();
        conn.fetchVal("SELECT 1");
        assertThat(tx.isActive()).isFalse();
        tx.close();
        try (Transaction fresh = conn.transaction()) {
            fresh.commit();
        }
    }
}
