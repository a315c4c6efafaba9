package io.pgloom.it.pool;

import io.pgloom.ConnectionException;
import io.pgloom.PgConnection;
import io.pgloom.Row;
import io.pgloom.it.TestDb;
import io.pgloom.pool.PgPool;
import io.pgloom.pool.PoolOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The pool's query methods pipelined onto shared connections: spread, head-of-line, failures, exclusive users. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PoolPipeliningTest {

    @Test
    void pipeliningIsOnByDefaultAndCanBeSwitchedOff() {
        assertThat(PoolOptions.builder().uri(TestDb.server().uri()).build().pipelining())
                .isEqualTo(PoolOptions.DEFAULT_PIPELINING).isEqualTo(64);
        assertThat(PoolOptions.fromMap(Map.of("url", TestDb.server().uri(), "pipelining", "1")).pipelining()).isEqualTo(1);
    }

    @Test
    void aBatchRunsAsMultiRowInsertsOnAConnectionOfItsOwn() {
        String app = Pools.appName("pipe-batch");
        try (PgPool pool = PgPool.create(Pools.options(app).maxSize(1).build())) {
            pool.execute("CREATE TABLE IF NOT EXISTS pipe_batch(n int, s text)");
            pool.execute("TRUNCATE pipe_batch");
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                rows.add(new Object[]{i, "row " + i});
            }
            pool.executeMany("INSERT INTO pipe_batch VALUES ($1, $2)", rows);
            pool.executeMany("INSERT INTO pipe_batch VALUES ($1, $2)", List.<Object[]>of(new Object[]{-1, "alone"}));
            assertThat(pool.fetchVal(Long.class, "SELECT count(*) FROM pipe_batch")).isEqualTo(301L);
            assertThat(pool.fetchVal(Long.class, "SELECT sum(n) FROM pipe_batch")).isEqualTo(299L * 300 / 2 - 1);
            // One connection: the statements the batch prepared on it are in its session. The batch
            // became inserts of 128 rows (and a 32-row and 8-row rest), not 300 single-row ones.
            try (var conn = pool.acquire()) {
                List<String> prepared = conn.fetch("SELECT statement FROM pg_prepared_statements"
                        + " WHERE statement LIKE 'INSERT INTO pipe_batch%' ORDER BY length(statement)")
                        .stream().map(r -> r.get(0, String.class)).toList();
                assertThat(prepared).anySatisfy(sql -> assertThat(sql).contains("($255, $256)"));
            }
            Pools.awaitAllPermitsFree(pool);
            pool.execute("DROP TABLE pipe_batch");
        }
    }

    @Test
    void requestsGoToTheConnectionWithFewestInFlight() throws Exception {
        String app = Pools.appName("pipe-spread");
        try (PgPool pool = PgPool.create(Pools.options(app).maxSize(4).pipelining(32).build());
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> pids = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                pids.add(threads.submit(() -> pool.fetchVal(Integer.class, "SELECT pg_backend_pid() FROM pg_sleep(0.3)")));
            }
            Map<Integer, Integer> perPid = new HashMap<>();
            for (Future<Integer> f : pids) {
                perPid.merge(f.get(), 1, Integer::sum);
            }
            // 40 sleeps on 4 connections, queued where the fewest wait: about 10 each, never all on one.
            assertThat(perPid).hasSize(4);
            assertThat(perPid.values()).allSatisfy(n -> assertThat(n).isBetween(5, 15));
            Pools.awaitAllPermitsFree(pool);
        }
    }

    @Test
    void aSlowStatementDelaysOnlyWhatQueuedBehindItOnItsConnection() throws Exception {
        String app = Pools.appName("pipe-hol");
        try (PgPool pool = PgPool.create(Pools.options(app).maxSize(2).pipelining(32).build());
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            pool.fetchVal("SELECT 1"); // warm: one connection open
            Future<Integer> slow = threads.submit(() -> pool.fetchVal(Integer.class, "SELECT pg_backend_pid() FROM pg_sleep(1)"));
            Thread.sleep(100);
            record Timed(int pid, long millis) { }
            List<Future<Timed>> quick = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                quick.add(threads.submit(() -> {
                    long start = System.nanoTime();
                    int pid = pool.fetchVal(Integer.class, "SELECT pg_backend_pid()");
                    return new Timed(pid, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                }));
            }
            int slowPid = slow.get();
            int elsewhere = 0;
            for (Future<Timed> f : quick) {
                Timed t = f.get();
                if (t.pid() != slowPid) {
                    elsewhere++;
                    // Not behind the sleep: served long before it ends (generous for a loaded box).
                    assertThat(t.millis()).as("a quick select on the other connection").isLessThan(700);
                } else {
                    assertThat(t.millis()).as("a quick select queued behind the sleep").isGreaterThanOrEqualTo(500);
                }
            }
            assertThat(elsewhere).as("quick selects that went to the connection without the sleep").isPositive();
        }
    }

    @Test
    void quickStatementsDoNotJoinAConnectionWhoseReplyIsLate() throws Exception {
        String app = Pools.appName("pipe-fill");
        try (PgPool pool = PgPool.create(Pools.options(app).maxSize(2).pipelining(32).build());
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            String sleepy = "SELECT pg_backend_pid() FROM pg_sleep($1)";
            for (int i = 0; i < 50; i++) {
                pool.fetchVal(Integer.class, sleepy, 0.0);   // this text is quick, as far as the pool has seen
                pool.fetchVal(Integer.class, "SELECT pg_backend_pid()");
            }
            Future<Integer> late = threads.submit(() -> pool.fetchVal(Integer.class, sleepy, 1.0));
            Thread.sleep(100);
            // One at a time, so the other connection always has room and no request is sent to
            // the fewest in flight: only joining the late one's connection could put one behind it.
            List<Integer> quickPids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                quickPids.add(pool.fetchVal(Integer.class, "SELECT pg_backend_pid()"));
                assertThat(late.isDone()).as("every quick select is answered before the late reply").isFalse();
            }
            // The late one's connection has not answered for longer than a quick statement takes:
            // nothing joins it, so none of the quick selects waited for the sleep.
            assertThat(quickPids).doesNotContain(late.get());
            Pools.awaitAllPermitsFree(pool);
        }
    }

    @Test
    void aKilledBackendFailsOnlyItsRequestsAndThePoolRecovers() throws Exception {
        String app = Pools.appName("pipe-kill");
        try (PgPool pool = PgPool.create(Pools.options(app).maxSize(2).pipelining(32).build());
             PgConnection admin = TestDb.admin();
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Object>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(threads.submit(() -> {
                    try {
                        return pool.fetchVal(Integer.class, "SELECT pg_backend_pid() FROM pg_sleep(0.4)");
                    } catch (ConnectionException e) {
                        return e;
                    }
                }));
            }
            Pools.awaitTrue(() -> Pools.backends(admin, app) == 2, Duration.ofSeconds(10), "two connections");
            Thread.sleep(100);
            List<Row> backends = admin.fetch("SELECT pid FROM pg_stat_activity WHERE application_name = $1 ORDER BY pid", app);
            int victim = backends.get(0).get(0, Integer.class);
            admin.fetchVal("SELECT pg_terminate_backend($1)", victim);
            int failed = 0;
            int failedWhileRunning = 0;
            for (Future<Object> f : calls) {
                Object r = f.get();
                if (r instanceof ConnectionException e) {
                    failed++;
                    if (e.requestSent()) {
                        failedWhileRunning++;
                    }
                } else {
                    assertThat(r).as("a request that succeeded ran on the surviving backend").isNotEqualTo(victim);
                }
            }
            // Only the requests on the killed backend failed: about half; exactly one of them was running.
            assertThat(failed).isBetween(1, 19);
            assertThat(failedWhileRunning).isEqualTo(1);
            // The pool recovers: new requests succeed and no permit was lost.
            for (int i = 0; i < 5; i++) {
                assertThat(pool.fetchVal(Integer.class, "SELECT $1::int", i)).isEqualTo(i);
            }
            Pools.awaitAllPermitsFree(pool);
        }
    }

    @Test
    void sessionChangesRunOnAConnectionOfTheirOwnAndAcquireIsNotStarved() throws Exception {
        String app = Pools.appName("pipe-session");
        try (PgPool pool = PgPool.create(Pools.options(app).maxSize(2).pipelining(32).build());
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            // Routed, not refused; and it does not leak into the shared connections.
            assertThat(pool.execute("SET application_name = 'changed'")).isEqualTo("SET");
            assertThat(pool.execute("CREATE TEMP TABLE pipe_tmp(i int); INSERT INTO pipe_tmp VALUES (1)")).isEqualTo("INSERT 0 1");
            for (int i = 0; i < 10; i++) {
                assertThat(pool.fetchVal(String.class, "SELECT current_setting('application_name')")).isEqualTo(app);
            }
            // A steady pipelined load does not keep acquire() waiting.
            List<Future<?>> load = new ArrayList<>();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            for (int t = 0; t < 50; t++) {
                load.add(threads.submit(() -> {
                    while (System.nanoTime() < until) {
                        pool.fetchVal("SELECT 1");
                    }
                    return null;
                }));
            }
            Thread.sleep(300);
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                try (PgConnection conn = pool.acquire(Duration.ofSeconds(5))) {
                    assertThat(conn.fetchVal("SELECT 2")).isEqualTo(2);
                }
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
                int three = pool.inTransaction(c -> c.fetchVal(Integer.class, "SELECT 3"));
                assertThat(three).isEqualTo(3);
            }
            for (Future<?> f : load) {
                f.get();
            }
            Pools.awaitAllPermitsFree(pool);
        }
    }
}
