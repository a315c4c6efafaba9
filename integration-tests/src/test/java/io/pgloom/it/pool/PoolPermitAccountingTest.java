package io.pgloom.it.pool;

import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.PgTimeoutException;
import io.pgloom.it.TestDb;
import io.pgloom.pool.PgPool;
import io.pgloom.pool.PoolStats;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 100,000 acquire/release cycles from 8 threads on a pool of 4, with failures mixed in: backends
 * killed mid-borrow, exceptions in the body, zero-wait acquires that time out, failed and
 * abandoned transactions, statement timeouts, interrupts. Whatever happened, every permit comes
 * back and the pool still serves.
 */
class PoolPermitAccountingTest {

    private static final int THREADS = 8;
    private static final int CYCLES_PER_THREAD = 12_500;
    private static final int MAX_SIZE = 4;

    @Test
    void noPermitIsLostWhateverFails() throws Exception {
        String app = Pools.appName("permits");
        LongAdder acquired = new LongAdder();
        LongAdder timedOut = new LongAdder();
        LongAdder killed = new LongAdder();
        LongAdder cycles = new LongAdder();
        try (PgPool pool = PgPool.create(Pools.options(app).maxSize(MAX_SIZE).minSize(1).build())) {
            try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    long seed = 1234 + t;
                    futures.add(executor.submit(() -> {
                        SplittableRandom random = new SplittableRandom(seed);
                        for (int i = 0; i < CYCLES_PER_THREAD; i++) {
                            oneCycle(pool, random.nextInt(1000), acquired, timedOut, killed);
                            cycles.increment();
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get(3, TimeUnit.MINUTES);
                }
            }
            // The housekeeper may be refilling minSize after a kill, holding a permit meanwhile.
            Pools.awaitTrue(() -> {
                PoolStats s = pool.stats();
                return s.size() >= 1 && s.size() == s.idle() && s.availablePermits() == MAX_SIZE;
            }, Duration.ofSeconds(15), "the pool to settle");
            PoolStats stats = pool.stats();
            assertThat(cycles.sum()).isEqualTo((long) THREADS * CYCLES_PER_THREAD);
            assertThat(stats.availablePermits()).as("permits at the end").isEqualTo(MAX_SIZE);
            assertThat(stats.inUse()).isZero();
            assertThat(stats.waiting()).isZero();
            assertThat(stats.size()).isEqualTo(stats.idle()).isLessThanOrEqualTo(MAX_SIZE);
            assertThat(stats.acquires()).isEqualTo(acquired.sum());
            assertThat(stats.acquireTimeouts()).isEqualTo(timedOut.sum());
            assertThat(killed.sum()).as("backends killed").isPositive();
            assertThat(stats.connectionsClosed()).isGreaterThanOrEqualTo(killed.sum());
            assertThat(stats.connectionsCreated() - stats.connectionsClosed()).isEqualTo(stats.size());

            // Still serving, with every connection usable at once.
            List<PgConnection> all = new ArrayList<>();
            for (int i = 0; i < MAX_SIZE; i++) {
                all.add(pool.acquire(Duration.ofSeconds(10)));
            }
            for (PgConnection c : all) {
                assertThat(c.fetchVal("SELECT 1")).isEqualTo(1);
                c.close();
            }
            Pools.awaitAllPermitsFree(pool);
            try (PgConnection admin = TestDb.admin()) {
                assertThat(Pools.backends(admin, app)).isBetween(1, MAX_SIZE);
            }
        }
    }

    private static void oneCycle(PgPool pool, int dice, LongAdder acquired, LongAdder timedOut, LongAdder killed) {
        if (dice < 5) {
            // Interrupted before asking: the acquire refuses and keeps the interrupt.
            Thread.currentThread().interrupt();
            try {
                pool.acquire().close();
                throw new AssertionError("an interrupted acquire succeeded");
            } catch (PgException expected) {
                assertThat(Thread.interrupted()).isTrue();
            }
            return;
        }
        if (dice < 60) {
            try (PgConnection conn = pool.acquire(Duration.ZERO)) {
                acquired.increment();
                conn.fetchVal("SELECT 1");
            } catch (PgTimeoutException e) {
                timedOut.increment();
            }
            return;
        }
        if (dice < 70) {
            try {
                pool.inTransaction(conn -> {
                    conn.execute("SELECT 1");
                    throw new IllegalStateException("the body failed");
                });
            } catch (IllegalStateException expected) {
                // rolled back and given back
            }
            acquired.increment();
            return;
        }
        try (PgConnection conn = pool.acquire()) {
            acquired.increment();
            if (dice < 72) {
                killed.increment();
                try {
                    conn.execute("SELECT pg_terminate_backend(pg_backend_pid())");
                } catch (PgException expected) {
                    // the connection is gone; release must discard it
                }
            } else if (dice < 100) {
                throw new IllegalArgumentException("the borrower's code failed");
            } else if (dice < 120) {
                conn.execute("BEGIN");
                try {
                    conn.execute("SELECT 1/0");
                } catch (PgException expected) {
                    // a failed transaction, left for the release to roll back
                }
            } else if (dice < 140) {
                conn.transaction();
                conn.execute("SET LOCAL work_mem = '8MB'"); // abandoned open transaction
            } else if (dice < 150) {
                // A statement that times out. Server-side (statement_timeout), not a client
                // command timeout: core's CancelRequest can arrive after its query ended and hit a
                // later statement (reported to core), which would fail an unrelated cycle here.
                conn.execute("BEGIN");
                conn.execute("SET LOCAL statement_timeout = '1ms'");
                try {
                    conn.execute("SELECT pg_sleep(0.05)");
                    throw new AssertionError("statement_timeout did not fire");
                } catch (io.pgloom.QueryCanceledException expected) {
                    // the transaction is failed now; the release rolls it back
                }
            } else if (dice < 160) {
                conn.fetchVal("SELECT 1");
                Thread.currentThread().interrupt(); // pending when the connection is released
            } else if (dice < 600) {
                conn.fetchVal("SELECT $1::int", dice);
            }
            // else: borrowed and given back without a statement
        } catch (IllegalArgumentException expected) {
            // thrown out of the try-with-resources, after the release
        } finally {
            Thread.interrupted();
        }
    }
}
