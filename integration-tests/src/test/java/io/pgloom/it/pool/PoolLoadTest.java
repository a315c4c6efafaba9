package io.pgloom.it.pool;

import io.pgloom.PgConnection;
import io.pgloom.it.TestDb;
import io.pgloom.pool.PgPool;
import io.pgloom.pool.PoolStats;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 2,000 virtual threads, 5 statements each, through a pool of 4: every statement succeeds, the
 * server never sees more than 4 backends, and no virtual thread is pinned to its carrier.
 */
class PoolLoadTest {

    private static final int THREADS = 2_000;
    private static final int STATEMENTS = 5;

    @Test
    void twoThousandVirtualThreadsShareFourConnections(@TempDir Path dir) throws Exception {
        String app = Pools.appName("load");
        Path jfr = dir.resolve("pool-load.jfr");
        AtomicInteger maxBackends = new AtomicInteger();
        AtomicInteger samples = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        try (PgPool pool = PgPool.create(Pools.options(app).maxSize(4).build());
             PgConnection admin = TestDb.admin();
             Recording recording = new Recording()) {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            // pgloom's own events are left out: committing a JFR event may pin inside the JDK
            // (a contended monitor in its event writer), which is not what this looks for
            recording.disable("io.pgloom.Query");
            recording.disable("io.pgloom.Cancel");
            recording.start();

            AtomicBoolean running = new AtomicBoolean(true);
            Thread sampler = Thread.ofVirtual().name("backend-sampler").start(() -> {
                while (running.get()) {
                    maxBackends.accumulateAndGet(Pools.backends(admin, app), Math::max);
                    samples.incrementAndGet();
                }
            });
            // Every path once before the load: the first use of a class or call site initializes
            // it, and a virtual thread waiting for another's initialization is pinned, which is
            // the JDK's doing, not what this test looks for.
            for (int q = 0; q < STATEMENTS; q++) {
                runOne(pool, 0, q);
            }
            try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> futures = new ArrayList<>(THREADS);
                for (int t = 0; t < THREADS; t++) {
                    int n = t;
                    futures.add(executor.submit(() -> {
                        for (int q = 0; q < STATEMENTS; q++) {
                            runOne(pool, n, q);
                        }
                        done.incrementAndGet();
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get(2, TimeUnit.MINUTES); // rethrows the first failure, if any
                }
            } finally {
                running.set(false);
                sampler.join();
            }
            recording.stop();
            recording.dump(jfr);

            PoolStats stats = pool.stats();
            // acquire() and inTransaction borrow each time (2 of 5 statements); the pool's own query
            // methods are pipelined onto borrowed connections, which borrow at most once each.
            assertThat(stats.acquires()).isBetween((long) THREADS * 2 + 1, (long) (THREADS + 1) * STATEMENTS);
            assertThat(stats.acquireTimeouts()).isZero();
            assertThat(stats.inUse()).isZero();
            assertThat(stats.availablePermits()).isEqualTo(4);
            assertThat(stats.size()).isBetween(1, 4).isEqualTo(stats.idle());
            assertThat(stats.connectionsCreated()).isEqualTo(stats.size()); // none was lost or replaced
            assertThat(Pools.backends(admin, app)).isEqualTo(stats.size());
        }
        assertThat(done.get()).isEqualTo(THREADS);
        assertThat(samples.get()).isPositive();
        assertThat(maxBackends.get()).as("most backends seen at once").isBetween(0, 4);
        List<RecordedEvent> pinned = io.pgloom.it.PinnedEvents.inPgloom(jfr);
        assertThat(pinned).as("pinned virtual threads: %s", pinned).isEmpty();
    }

    /** A mix of the ways to use a pool: its own query methods, a borrowed connection, a transaction. */
    private static void runOne(PgPool pool, int n, int q) {
        switch (q) {
            case 0 -> assertThat(pool.fetchVal(Integer.class, "SELECT $1::int * 2", n)).isEqualTo(2 * n);
            case 1 -> {
                try (PgConnection conn = pool.acquire()) {
                    assertThat(conn.fetchRow("SELECT $1::int AS n, $2::text AS s", n, "x").get("n")).isEqualTo(n);
                }
            }
            case 2 -> {
                Integer plusOne = pool.inTransaction(conn -> conn.fetchVal(Integer.class, "SELECT $1::int + 1", n));
                assertThat(plusOne).isEqualTo(n + 1);
            }
            case 3 -> assertThat(pool.execute("SELECT pg_sleep(0.0005)")).isEqualTo("SELECT 1");
            default -> assertThat(pool.fetch("SELECT generate_series(1, $1::int)", 3)).hasSize(3);
        }
    }
}
