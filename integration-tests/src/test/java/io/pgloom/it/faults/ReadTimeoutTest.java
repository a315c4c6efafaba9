package io.pgloom.it.faults;

import io.pgloom.ConnectOptions;
import io.pgloom.ConnectionException;
import io.pgloom.PgConnection;
import io.pgloom.Row;
import io.pgloom.RowCursor;
import io.pgloom.Transaction;
import io.pgloom.it.TestDb;
import io.pgloom.pool.PgPool;
import io.pgloom.pool.PoolOptions;
import io.pgloom.testing.FaultProxy;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static io.pgloom.it.faults.NetworkFaultTest.millisSince;
import static io.pgloom.it.faults.NetworkFaultTest.through;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@link ConnectOptions.Builder#readTimeout}: a blackholed network ends a waiting call within the
 * read timeout (issue 14, item 2), on the exclusive path and on the pool's pipelined lanes, while
 * an idle connection, a cursor between fetches and a query that keeps sending rows are left alone.
 */
class ReadTimeoutTest {

    /** The bound: the read timeout plus a generous margin for a loaded 2-core machine. */
    static final long BOUND_MS = 3_000;

    @Test
    void aBlackholedQueryFailsWithinTheReadTimeoutAndClosesTheConnection() {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", TestDb.server().port());
             PgConnection conn = PgConnection.connect(through(proxy.port())
                     .connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofMillis(500)).build())) {
            assertThat(conn.fetchVal("SELECT 1")).isEqualTo(1);
            proxy.blackhole();
            long start = System.nanoTime();
            Throwable t = catchThrowable(() -> conn.fetchVal("SELECT 2"));
            long millis = millisSince(start);
            System.out.println("read timeout 500 ms under blackhole: the call ended after " + millis + " ms");
            assertThat(t).isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("read timeout of 500 ms").hasMessageContaining("read_timeout");
            assertThat(millis).isGreaterThanOrEqualTo(450).isLessThan(BOUND_MS);
            assertThat(conn.isClosed()).isTrue();
        }
    }

    /**
     * A COPY whose writes stop being taken (the network went dark under it, with small buffers so
     * the pipe fills early) fails within the read timeout instead of blocking forever.
     */
    @Test
    @org.junit.jupiter.api.Timeout(30) // without the write clock this COPY blocks for good
    void aCopyIntoAStalledNetworkFailsWithinTheReadTimeout() {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", TestDb.server().port(), 16 * 1024);
             PgConnection conn = PgConnection.connect(through(proxy.port())
                     .connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofMillis(500)).build())) {
            conn.execute("CREATE TEMP TABLE stalled_copy(id int, pad text)");
            String pad = "x".repeat(200);
            long[] start = {0};
            Iterable<Object[]> rows = () -> new java.util.Iterator<>() {
                int i;

                @Override
                public boolean hasNext() {
                    return i < 5_000_000; // ~1 GB: never finishes unless the network is cut
                }

                @Override
                public Object[] next() {
                    if (++i == 2_000) {
                        proxy.blackhole();
                        start[0] = System.nanoTime();
                    }
                    return new Object[] {i, pad};
                }
            };
            Throwable t = catchThrowable(() -> conn.copyRecordsToTable("stalled_copy", rows, "id", "pad"));
            long millis = millisSince(start[0]);
            System.out.println("read timeout 500 ms, COPY into a blackholed network: failed after " + millis + " ms");
            assertThat(t).isInstanceOf(ConnectionException.class).hasMessageContaining("read timeout of 500 ms");
            assertThat(millis).isLessThan(BOUND_MS + 2_000);
            assertThat(conn.isClosed()).isTrue();
        }
    }

    /** pgjdbc's socketTimeout semantics: a query silent for longer than the timeout trips it too. */
    @Test
    void aQuerySilentForLongerThanTheReadTimeoutTripsIt() {
        try (PgConnection conn = PgConnection.connect(TestDb.options().toBuilder()
                .readTimeout(Duration.ofMillis(300)).build())) {
            Throwable t = catchThrowable(() -> conn.execute("SELECT pg_sleep(3)"));
            assertThat(t).isInstanceOf(ConnectionException.class).hasMessageContaining("read timeout of 300 ms");
            assertThat(conn.isClosed()).isTrue();
        }
    }

    @Test
    void anIdleConnectionOutlivesItsReadTimeout() throws Exception {
        try (PgConnection conn = PgConnection.connect(TestDb.options().toBuilder()
                .readTimeout(Duration.ofMillis(200)).build())) {
            assertThat(conn.fetchVal("SELECT 1")).isEqualTo(1);
            Thread.sleep(1_000); // idle: no request outstanding, so nothing is awaited
            assertThat(conn.isClosed()).isFalse();
            assertThat(conn.fetchVal("SELECT 2")).isEqualTo(2);
        }
    }

    /** A wait for a notification is idle time: only its own timeout ends it. */
    @Test
    void aNotificationWaitLongerThanTheReadTimeoutIsNotBroken() {
        try (PgConnection conn = PgConnection.connect(TestDb.options().toBuilder()
                .readTimeout(Duration.ofMillis(200)).build())) {
            conn.addListener("read_timeout_test", n -> { });
            assertThat(conn.waitForNotifications(Duration.ofMillis(800))).isZero();
            assertThat(conn.fetchVal("SELECT 3")).isEqualTo(3);
        }
    }

    /**
     * Rows of 10 kB each (larger than the server's 8 kB send buffer, so each one is flushed as it
     * is made) every 50 ms for 1 s: bytes keep coming, so a 300 ms read timeout never fires. And a
     * cursor whose caller dawdles between batches is idle then, not waiting.
     */
    @Test
    void aStreamingQueryAndACursorBetweenBatchesAreNotBroken() throws Exception {
        try (PgConnection conn = PgConnection.connect(TestDb.options().toBuilder()
                .readTimeout(Duration.ofMillis(300)).build())) {
            String slowRows = "SELECT pg_sleep(0.05), repeat('x', 10000) FROM generate_series(1, 20)";
            AtomicLong bytes = new AtomicLong();
            long copied = conn.copyFromQuery(slowRows, new OutputStream() {
                @Override public void write(int b) { bytes.incrementAndGet(); }
                @Override public void write(byte[] b, int off, int len) { bytes.addAndGet(len); }
            });
            assertThat(copied).isEqualTo(20);
            assertThat(bytes.get()).isGreaterThan(20 * 10_000L);
            assertThat(conn.fetch(slowRows)).hasSize(20);

            try (Transaction tx = conn.transaction();
                 RowCursor cursor = conn.cursor(2, "SELECT i FROM generate_series(1, 4) i")) {
                int seen = 0;
                for (Row row : cursor) {
                    seen++;
                    assertThat(row.get(0, Integer.class)).isEqualTo(seen);
                    if (seen % 2 == 0) {
                        Thread.sleep(500); // between batches: no batch outstanding
                    }
                }
                assertThat(seen).isEqualTo(4);
                tx.commit();
            }
            assertThat(conn.isClosed()).isFalse();
            assertThat(conn.fetchVal("SELECT 4")).isEqualTo(4);
        }
    }

    /**
     * The pool's default pipelined lanes under blackhole: the call fails within the bound, the
     * broken connection is discarded, and once the network is back the pool serves again.
     */
    @Test
    void aPoolFailsFastUnderBlackholeAndRecoversAfterIt() {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", TestDb.server().port());
             PgPool pool = PgPool.create(PoolOptions.builder()
                     .connectOptions(through(proxy.port()).connectTimeout(Duration.ofSeconds(2))
                             .readTimeout(Duration.ofMillis(500)).build())
                     .minSize(1).maxSize(2).acquireTimeout(Duration.ofSeconds(10)).build())) {
            assertThat(pool.fetchVal("SELECT 1")).isEqualTo(1); // pipelined (the default)
            proxy.blackhole();
            long start = System.nanoTime();
            Throwable pipelined = catchThrowable(() -> pool.fetchVal("SELECT 2"));
            long millis = millisSince(start);
            System.out.println("pool, pipelined, read timeout 500 ms under blackhole: ended after " + millis + " ms");
            assertThat(pipelined).isInstanceOf(ConnectionException.class).hasMessageContaining("read timeout of 500 ms");
            assertThat(millis).isLessThan(BOUND_MS);

            start = System.nanoTime();
            Throwable exclusive = catchThrowable(() -> {
                try (PgConnection conn = pool.acquire()) {
                    conn.fetchVal("SELECT 3");
                }
            });
            millis = millisSince(start);
            System.out.println("pool, acquired connection under blackhole: ended after " + millis + " ms");
            assertThat(exclusive).isInstanceOf(io.pgloom.PgException.class);
            assertThat(millis).isLessThan(2_000 + BOUND_MS); // at worst a connect timeout, then the read timeout

            proxy.pass();
            long recoverBy = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            Object value = null;
            while (value == null && System.nanoTime() < recoverBy) {
                try {
                    value = pool.fetchVal("SELECT 5");
                } catch (io.pgloom.PgException e) {
                    sleepQuietly(100); // a connection broken during the blackhole, discarded as it fails
                }
            }
            assertThat(value).isEqualTo(5);
            for (int i = 0; i < 10; i++) {
                assertThat(pool.fetchVal("SELECT $1::int", i)).isEqualTo(i);
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
