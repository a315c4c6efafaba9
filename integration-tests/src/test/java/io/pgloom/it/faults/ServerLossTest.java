package io.pgloom.it.faults;

import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.it.TestDb;
import io.pgloom.pool.PgPool;
import io.pgloom.pool.PoolOptions;
import io.pgloom.testing.FaultProxy;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The fault battery's server part: backends terminated under pool load, COPY and LISTEN when the
 * backend goes away, and a long pipeline through 8 KiB socket buffers. Figures are printed.
 */
@Tag("long")
class ServerLossTest {

    static final long MARGIN_MS = 1_500;

    static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    static void terminate(PgConnection admin, int pid) {
        admin.fetchVal("SELECT pg_terminate_backend($1)", pid);
    }

    record Call(long startNanos, long endNanos, Throwable error) {
    }

    /**
     * pg_terminate_backend on all of a pool's connections under load: every failed call fails
     * within 1 s with a PgException, service resumes within 1 s, no permit is lost, and the
     * backends never exceed the pool size. Once with exclusive borrows, once with the pipelined
     * lanes the pool uses by default.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "pipelining {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 0})
    void terminateAllOfAPoolsBackendsUnderLoad(int pipelining) throws Exception {
        String app = "faults-terminate-" + System.nanoTime();
        int max = 6;
        PoolOptions.Builder options = PoolOptions.builder()
                .connectOptions(TestDb.options().toBuilder().applicationName(app).build())
                .minSize(max).maxSize(max).acquireTimeout(Duration.ofSeconds(10));
        if (pipelining > 0) {
            options.pipelining(pipelining); // 0: the default, pipelined lanes
        }
        try (PgPool pool = PgPool.create(options.build());
             PgConnection admin = TestDb.admin()) {
            ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
            long runUntil = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < 24; w++) {
                workers.add(Thread.ofVirtual().start(() -> {
                    while (System.nanoTime() < runUntil) {
                        long start = System.nanoTime();
                        Throwable error = catchThrowable(() -> pool.fetchVal("SELECT pg_sleep(0.005), 1"));
                        calls.add(new Call(start, System.nanoTime(), error));
                    }
                }));
            }
            AtomicInteger mostBackends = new AtomicInteger();
            // A terminated backend stays in pg_stat_activity until its process has exited, by
            // which time the pool may have opened its replacement: count only the live ones.
            java.util.Set<Integer> killed = java.util.concurrent.ConcurrentHashMap.newKeySet();
            PgConnection watcher = TestDb.admin();
            Thread sampler = Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < runUntil) {
                    int n = watcher.fetchVal(Integer.class, "SELECT count(*)::int FROM pg_stat_activity"
                            + " WHERE application_name = $1 AND pid <> ALL($2::int4[])", app, List.copyOf(killed));
                    mostBackends.accumulateAndGet(n, Math::max);
                }
            });
            Thread.sleep(1_500);
            long killedAt = System.nanoTime();
            for (Object pid : admin.fetch("SELECT pid FROM pg_stat_activity WHERE application_name = $1", app)
                    .stream().map(r -> r.get(0)).toList()) {
                killed.add((Integer) pid);
                terminate(admin, (Integer) pid);
            }
            for (Thread t : workers) {
                t.join(Duration.ofSeconds(15));
                if (t.isAlive()) {
                    StringBuilder where = new StringBuilder();
                    for (StackTraceElement e : t.getStackTrace()) {
                        where.append("\n    at ").append(e);
                    }
                    throw new AssertionError("a worker is stuck 11 s after the load ended:" + where);
                }
            }
            sampler.join(Duration.ofSeconds(10));
            watcher.close();
            long failed = 0;
            long slowestFailure = 0;
            long firstSuccessAfter = Long.MAX_VALUE;
            for (Call c : calls) {
                if (c.error() != null) {
                    failed++;
                    assertThat(c.error()).isInstanceOf(PgException.class);
                    slowestFailure = Math.max(slowestFailure, (c.endNanos() - Math.max(c.startNanos(), killedAt)) / 1_000_000);
                } else if (c.startNanos() > killedAt) {
                    firstSuccessAfter = Math.min(firstSuccessAfter, (c.endNanos() - killedAt) / 1_000_000);
                }
            }
            System.out.printf("terminate under load: %d calls, %d failed, slowest failure %d ms after the kill,"
                    + " first success %d ms after it, at most %d backends of %d%n", calls.size(), failed,
                    slowestFailure, firstSuccessAfter, mostBackends.get(), max);
            assertThat(slowestFailure).as("every failed call fails within 1 s").isLessThan(1_000 + MARGIN_MS);
            assertThat(firstSuccessAfter).as("service resumes within 1 s").isLessThan(1_000 + MARGIN_MS);
            assertThat(mostBackends.get()).as("backends never exceed the pool size").isLessThanOrEqualTo(max);
            long permitsDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (pool.stats().availablePermits() != max) {
                assertThat(System.nanoTime()).as("all permits free again: " + pool.stats()).isLessThan(permitsDeadline);
                Thread.sleep(10);
            }
        }
    }

    /** COPY FROM STDIN whose backend is terminated: the writer fails within 1 s. */
    @Test
    void copyUnderBackendLoss() throws Exception {
        try (PgConnection conn = TestDb.connect(); PgConnection admin = TestDb.admin()) {
            conn.execute("CREATE TEMP TABLE copy_loss(n int)");
            CountDownLatch streaming = new CountDownLatch(1);
            AtomicLong killedAt = new AtomicLong();
            InputStream endless = new InputStream() {
                long n;

                @Override
                public int read() {
                    return -1;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    streaming.countDown();
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                    byte[] line = (n++ + "\n").getBytes();
                    System.arraycopy(line, 0, b, off, line.length);
                    return line.length;
                }
            };
            int pid = conn.serverPid();
            Thread killer = Thread.ofVirtual().start(() -> {
                try {
                    streaming.await(10, TimeUnit.SECONDS);
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
                killedAt.set(System.nanoTime());
                terminate(admin, pid);
            });
            Throwable t = catchThrowable(() -> conn.copyToTable("copy_loss", endless));
            long millis = millisSince(killedAt.get());
            killer.join();
            System.out.println("COPY under backend loss: the writer failed " + millis + " ms after the kill");
            assertThat(t).isInstanceOf(PgException.class);
            assertThat(millis).isLessThan(1_000 + MARGIN_MS);
            assertThat(conn.isClosed()).isTrue();
        }
    }

    /** A thread waiting for notifications is told within 1 s when its connection is lost. */
    @Test
    void listenUnderConnectionLoss() throws Exception {
        try (PgConnection conn = TestDb.connect(); PgConnection admin = TestDb.admin()) {
            conn.addListener("loss", n -> { });
            AtomicLong endedAt = new AtomicLong();
            Thread waiter = Thread.ofVirtual().start(() -> {
                catchThrowable(() -> conn.waitForNotifications(Duration.ofSeconds(30)));
                endedAt.set(System.nanoTime());
            });
            Thread.sleep(200);
            long killedAt = System.nanoTime();
            terminate(admin, conn.serverPid());
            waiter.join(Duration.ofSeconds(10));
            long millis = (endedAt.get() - killedAt) / 1_000_000;
            System.out.println("LISTEN under connection loss: the waiter was told after " + millis + " ms");
            assertThat(waiter.isAlive()).isFalse();
            assertThat(millis).isLessThan(1_000 + MARGIN_MS);
            assertThat(conn.isClosed()).isTrue();
        }
    }

    /** 100,000 pipelined INSERT ... RETURNING through 8 KiB socket buffers: no deadlock. */
    @Test
    void aLongPipelineThroughSmallSocketBuffers() throws Exception {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", TestDb.server().port(), 8192);
             PgConnection conn = PgConnection.connect(NetworkFaultTest.through(proxy.port()).build())) {
            conn.execute("CREATE TEMP TABLE piped(id serial, n int)");
            long start = System.nanoTime();
            Thread run = Thread.ofVirtual().start(() -> {
                List<io.pgloom.Pipeline.Result<Object>> results = new ArrayList<>(100_000);
                try (io.pgloom.Pipeline p = conn.pipeline()) {
                    for (int i = 0; i < 100_000; i++) {
                        results.add(p.fetchVal("INSERT INTO piped(n) VALUES ($1) RETURNING id", i));
                    }
                    p.sync();
                }
                for (int i = 0; i < results.size(); i++) {
                    assertThat(results.get(i).get()).isEqualTo(i + 1);
                }
            });
            run.join(Duration.ofSeconds(120));
            assertThat(run.isAlive()).as("deadlocked").isFalse();
            System.out.println("100,000 pipelined INSERT ... RETURNING through 8 KiB buffers: " + millisSince(start) + " ms");
            assertThat(conn.fetchVal(Long.class, "SELECT count(*) FROM piped")).isEqualTo(100_000L);
        }
    }
}
