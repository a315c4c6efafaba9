package io.pgloom.it.pool;

import io.pgloom.DeadlockDetectedException;
import io.pgloom.Isolation;
import io.pgloom.PgConnection;
import io.pgloom.SerializationFailureException;
import io.pgloom.Transaction;
import io.pgloom.TransactionOptions;
import io.pgloom.it.TestDb;
import io.pgloom.pool.PgPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * inTransaction commits, rolls back on error, and runs the body again after a real serialization
 * failure: write skew between two SERIALIZABLE transactions, the other one committing in between.
 */
class PoolInTransactionTest {

    private static final TransactionOptions SERIALIZABLE =
            TransactionOptions.builder().isolation(Isolation.SERIALIZABLE).build();

    private String table;
    private PgPool pool;
    private PgConnection other;

    @BeforeEach
    void createTable() {
        table = "pool_tx_" + Math.abs(System.nanoTime() % 1_000_000);
        pool = PgPool.create(Pools.options(Pools.appName("in-tx")).maxSize(2).maxTransactionAttempts(3)
                .retryBackoff(Duration.ofMillis(1)).build());
        pool.execute("CREATE TABLE " + table + "(k int, v int)");
        other = TestDb.connect();
    }

    @AfterEach
    void dropTable() {
        other.close();
        pool.execute("DROP TABLE " + table);
        pool.close();
    }

    /**
     * The body reads the sum and inserts it, as does a concurrent serializable transaction on
     * another connection that commits between our read and our write: a dangerous structure that
     * PostgreSQL's SSI must break by failing ours with 40001.
     */
    private int writeSkew(PgConnection conn, boolean interfere) {
        int sum = conn.fetchVal(Integer.class, "SELECT coalesce(sum(v), 0)::int FROM " + table + " WHERE k = 1");
        if (interfere) {
            try (Transaction tx = other.transaction(SERIALIZABLE)) {
                int s = other.fetchVal(Integer.class, "SELECT coalesce(sum(v), 0)::int FROM " + table + " WHERE k = 1");
                other.execute("INSERT INTO " + table + " VALUES (1, $1)", s + 1);
                tx.commit();
            }
        }
        conn.execute("INSERT INTO " + table + " VALUES (1, $1)", sum + 10);
        return sum + 10;
    }

    @Test
    void aSerializationFailureIsRetriedOnceTheClashIsGone() {
        AtomicInteger attempts = new AtomicInteger();
        int written = pool.inTransaction(SERIALIZABLE, conn -> writeSkew(conn, attempts.incrementAndGet() == 1));
        assertThat(attempts.get()).isEqualTo(2);
        // The retry saw the other transaction's row (1) and wrote 1 + 10.
        assertThat(written).isEqualTo(11);
        assertThat(pool.fetchVal(Long.class, "SELECT count(*) FROM " + table)).isEqualTo(2);
        assertThat(pool.stats().availablePermits()).isEqualTo(2);
    }

    @Test
    void itGivesUpAfterMaxTransactionAttempts() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> pool.inTransaction(SERIALIZABLE, conn -> {
            attempts.incrementAndGet();
            return writeSkew(conn, true);
        }))
                .isInstanceOf(SerializationFailureException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).anySatisfy(s ->
                        assertThat(s).hasMessageContaining("gave up after 3 attempts")));
        assertThat(attempts.get()).isEqualTo(3);
        assertThat(pool.fetchVal(Long.class, "SELECT count(*) FROM " + table))
                .as("only the other transaction's rows were kept").isEqualTo(3);
        assertThat(pool.stats().availablePermits()).isEqualTo(2);
        assertThat(pool.stats().inUse()).isZero();
    }

    @Test
    void aDeadlockIsRetriedToo() {
        // A genuine 40P01 takes two transactions locking in opposite order; the server's error
        // with that SQLSTATE is what the pool reacts to, so raising it is the same to the pool.
        AtomicInteger attempts = new AtomicInteger();
        String result = pool.inTransaction(conn -> {
            if (attempts.incrementAndGet() < 3) {
                conn.execute("DO $$ BEGIN RAISE EXCEPTION 'simulated deadlock' USING ERRCODE = '40P01'; END $$");
            }
            return "done";
        });
        assertThat(result).isEqualTo("done");
        assertThat(attempts.get()).isEqualTo(3);
        assertThatThrownBy(() -> pool.inTransaction(conn ->
                conn.execute("DO $$ BEGIN RAISE EXCEPTION 'always' USING ERRCODE = '40P01'; END $$")))
                .isInstanceOf(DeadlockDetectedException.class);
    }

    @Test
    void commitsOnSuccessAndRollsBackOnOtherErrorsWithoutRetry() {
        int value = pool.inTransaction(conn -> {
            conn.execute("INSERT INTO " + table + " VALUES (2, 5)");
            assertThat(conn.isInTransaction()).isTrue();
            return 5;
        });
        assertThat(value).isEqualTo(5);
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> pool.inTransaction(conn -> {
            attempts.incrementAndGet();
            conn.execute("INSERT INTO " + table + " VALUES (2, 6)");
            throw new IllegalStateException("no");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(attempts.get()).isEqualTo(1);
        assertThat(pool.fetch("SELECT v FROM " + table + " WHERE k = 2")).singleElement()
                .satisfies(r -> assertThat(r.get(0)).isEqualTo(5));
    }
}
