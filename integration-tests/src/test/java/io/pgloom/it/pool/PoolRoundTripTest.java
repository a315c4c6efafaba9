package io.pgloom.it.pool;

import io.pgloom.Isolation;
import io.pgloom.PgConnection;
import io.pgloom.TransactionOptions;
import io.pgloom.pool.PgPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Round trips per pool call, counted by the connection's protocol layer
 * ({@link PgConnection#roundTrips()}): a pool of one, so every call uses the same connection,
 * and warm statements, so a first Parse does not count. The counter is read on a borrow before
 * and after; that borrow's acquire and release cost nothing themselves (asserted too).
 */
class PoolRoundTripTest {

    private static PgPool pool;

    @BeforeAll
    static void start() {
        pool = PgPool.create(Pools.options(Pools.appName("round-trips")).maxSize(1)
                // no liveness check in between: a check is a round trip of its own
                .livenessCheckAfter(Duration.ofMinutes(10)).build());
        pool.execute("CREATE TABLE IF NOT EXISTS pool_rt_users(id int PRIMARY KEY, name text)");
        pool.execute("INSERT INTO pool_rt_users VALUES (1, 'Bob') ON CONFLICT DO NOTHING");
        for (int i = 0; i < 3; i++) { // prepare and cache what the tests run
            pool.fetchRow("SELECT id, name FROM pool_rt_users WHERE id = $1", 1);
            pool.inTransaction(c -> c.fetchVal("SELECT 2 ^ $1", 10));
        }
    }

    @AfterAll
    static void stop() {
        pool.execute("DROP TABLE pool_rt_users");
        pool.close();
    }

    /** The round trips {@code call} made, seen from the pool's one connection. */
    private static long roundTripsOf(Runnable call) {
        long before = counter();
        call.run();
        return counter() - before;
    }

    private static long counter() {
        try (PgConnection conn = pool.acquire()) {
            return conn.roundTrips();
        }
    }

    @Test
    void aCleanAcquireAndCloseCostsNothing() {
        assertThat(roundTripsOf(() -> {
            for (int i = 0; i < 5; i++) {
                pool.acquire().close();
            }
        })).isZero();
    }

    @Test
    void fetchRowIsOneRoundTripIncludingRelease() {
        for (int i = 0; i < 5; i++) {
            assertThat(roundTripsOf(() -> assertThat(pool.fetchRow("SELECT id, name FROM pool_rt_users WHERE id = $1", 1)
                    .get("name", String.class)).isEqualTo("Bob"))).isEqualTo(1);
        }
    }

    @Test
    void inTransactionWithOneStatementIsTwoRoundTrips() {
        for (int i = 0; i < 5; i++) {
            Object[] result = new Object[1];
            assertThat(roundTripsOf(() -> result[0] = pool.inTransaction(c -> c.fetchVal("SELECT 2 ^ $1", 10))))
                    .isEqualTo(2);
            assertThat(result[0]).isEqualTo(1024.0);
        }
    }

    @Test
    void inTransactionWithOptionsIsTwoRoundTripsAndTheOptionsHold() {
        TransactionOptions serializableReadOnly = TransactionOptions.builder()
                .isolation(Isolation.SERIALIZABLE).readOnly(true).build();
        Supplier<String> levelAndReadOnly = () -> pool.inTransaction(serializableReadOnly,
                c -> c.fetchVal(String.class, "SELECT current_setting('transaction_isolation') || '/' || current_setting($1)",
                        "transaction_read_only"));
        levelAndReadOnly.get(); // prepare
        String[] seen = new String[1];
        assertThat(roundTripsOf(() -> seen[0] = levelAndReadOnly.get())).isEqualTo(2);
        assertThat(seen[0]).isEqualTo("serializable/on");
    }

    @Test
    void anEmptyTransactionCostsNothing() {
        assertThat(roundTripsOf(() -> pool.inTransaction(c -> null))).isZero();
    }

    @Test
    void theResetAfterADirtyBorrowRidesWithTheNextStatement() {
        String defaultWorkMem = pool.fetchVal(String.class, "SHOW work_mem");
        long dirty = roundTripsOf(() -> {
            try (PgConnection conn = pool.acquire()) {
                conn.execute("SET work_mem = '7MB'");
            }
        });
        assertThat(dirty).as("the SET itself; the release waits for nothing").isEqualTo(1);
        long next = roundTripsOf(() -> assertThat(pool.fetchRow("SELECT id, name FROM pool_rt_users WHERE id = $1", 1))
                .isNotNull());
        assertThat(next).as("the reset and the statement in one write").isEqualTo(1);
        assertThat(pool.fetchVal(String.class, "SHOW work_mem")).isEqualTo(defaultWorkMem);
    }

    @Test
    void theCounterCountsRequestsNotMessages() {
        try (PgConnection conn = pool.acquire()) {
            conn.fetchVal("SELECT $1::int", 1); // prepared and cached
            long before = conn.roundTrips();
            conn.execute("SELECT 1; SELECT 2; SELECT 3"); // three statements, one request
            conn.fetchVal("SELECT $1::int", 1);
            assertThat(conn.roundTrips() - before).isEqualTo(2);
        }
    }
}
