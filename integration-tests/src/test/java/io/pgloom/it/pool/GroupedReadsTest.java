package io.pgloom.it.pool;

import io.pgloom.ConnectionException;
import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.Row;
import io.pgloom.it.TestDb;
import io.pgloom.pool.PgPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plain reads pipelined together share one Sync (one implicit transaction on the server), and
 * still behave as if each ran alone: each caller gets its own rows or its own error, and a
 * statement that wrote through a function is neither lost nor run twice when another member of
 * its group fails.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GroupedReadsTest {

    private static final int CALLERS = 200;
    private static final int LONG = CALLERS / 2;

    /** Runs {@code call(i)} for i in [0, CALLERS) on virtual threads released together. */
    private static <T> List<Future<T>> together(ExecutorService threads, java.util.function.IntFunction<T> call) {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<T>> results = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            int n = i;
            results.add(threads.submit(() -> {
                go.await();
                return call.apply(n);
            }));
        }
        go.countDown();
        return results;
    }

    @Test
    void readsQueuedTogetherShareATransactionAndEachGetsItsOwnRow() throws Exception {
        String app = Pools.appName("grouped");
        try (PgPool pool = PgPool.create(Pools.options(app).maxSize(1).pipelining(64).build());
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            pool.fetchVal("SELECT 1");
            List<Future<Row>> rows = together(threads, i -> pool.fetchRow(
                    "SELECT $1::int AS k, transaction_timestamp()::text AS tx, pg_backend_pid() AS pid", i));
            Set<String> transactions = new HashSet<>();
            for (int i = 0; i < CALLERS; i++) {
                Row row = rows.get(i).get();
                assertThat(row.get("k", Integer.class)).isEqualTo(i);
                transactions.add(row.get("pid", Integer.class) + "/" + row.get("tx", String.class));
            }
            assertThat(transactions).as("server transactions for %d reads on one connection", CALLERS)
                    .hasSizeLessThan(CALLERS);
        }
    }

    @Test
    void withGroupedReadsOffEachReadIsATransactionOfItsOwn() throws Exception {
        String app = Pools.appName("ungrouped");
        var connect = TestDb.options().toBuilder().groupedReads(false).build();
        try (PgPool pool = PgPool.create(Pools.options(connect, app).maxSize(1).pipelining(64).build());
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            pool.fetchVal("SELECT 1");
            List<Future<Row>> rows = together(threads, i -> pool.fetchRow(
                    "SELECT $1::int AS k, transaction_timestamp()::text AS tx", i));
            Set<String> transactions = new HashSet<>();
            for (int i = 0; i < CALLERS; i++) {
                Row row = rows.get(i).get();
                assertThat(row.get("k", Integer.class)).isEqualTo(i);
                transactions.add(row.get("tx", String.class));
            }
            assertThat(transactions).hasSize(CALLERS);
        }
    }

    @Test
    void aFailingReadFailsOnlyItselfAndItsGroupIsServedAgain() throws Exception {
        String app = Pools.appName("grouped-fail");
        try (PgPool pool = PgPool.create(Pools.options(app).maxSize(1).pipelining(64).build());
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            pool.fetchVal("SELECT 1");
            List<Future<Object>> results = together(threads, i -> {
                try {
                    return i % 5 == 0
                            ? pool.fetchVal(Integer.class, "SELECT 1 / ($1::int - $1::int)", i)
                            : pool.fetchVal(Integer.class, "SELECT $1::int * 2", i);
                } catch (PgException e) {
                    return e;
                }
            });
            for (int i = 0; i < CALLERS; i++) {
                Object r = results.get(i).get();
                if (i % 5 == 0) {
                    assertThat(r).as("caller %d divides by zero", i).isInstanceOf(PgException.class);
                    assertThat(((PgException) r).sqlState()).isEqualTo("22012");
                } else {
                    assertThat(r).as("caller %d", i).isEqualTo(i * 2);
                }
            }
            assertThat(pool.fetchVal(Integer.class, "SELECT 41 + 1")).isEqualTo(42);
        }
    }

    @Test
    void aWriteThroughAFunctionInAGroupedSelectHappensExactlyOnce() throws Exception {
        String app = Pools.appName("grouped-write");
        try (PgConnection admin = TestDb.admin()) {
            admin.execute("DROP TABLE IF EXISTS grouped_writes");
            admin.execute("CREATE TABLE grouped_writes (k int PRIMARY KEY)");
            admin.execute("CREATE OR REPLACE FUNCTION grouped_write(k int) RETURNS int LANGUAGE sql"
                    + " AS 'INSERT INTO grouped_writes VALUES (k) RETURNING k'");
        }
        try (PgPool pool = PgPool.create(Pools.options(app).maxSize(1).pipelining(64).build());
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            pool.fetchVal("SELECT 1");
            // Half the callers write through a SELECT, half fail: most groups hold both, so the
            // writes that ran before a failure were rolled back and must run again.
            List<Future<Object>> results = together(threads, i -> {
                try {
                    return i % 2 == 0
                            ? pool.fetchVal(Integer.class, "SELECT grouped_write($1)", i)
                            : pool.fetchVal(Integer.class, "SELECT 1 / ($1::int - $1::int)", i);
                } catch (PgException e) {
                    return e;
                }
            });
            for (int i = 0; i < CALLERS; i++) {
                Object r = results.get(i).get();
                if (i % 2 == 0) {
                    assertThat(r).as("writer %d", i).isEqualTo(i);
                } else {
                    assertThat(((PgException) r).sqlState()).isEqualTo("22012");
                }
            }
            List<Row> written = pool.fetch("SELECT k FROM grouped_writes ORDER BY k");
            assertThat(written).hasSize(CALLERS / 2);
            for (int j = 0; j < written.size(); j++) {
                assertThat(written.get(j).get(0, Integer.class)).isEqualTo(2 * j);
            }
        } finally {
            try (PgConnection admin = TestDb.admin()) {
                admin.execute("DROP TABLE grouped_writes");
                admin.execute("DROP FUNCTION grouped_write(int)");
            }
        }
    }

    @Test
    void aKilledBackendSaysWhichGroupedReadsMayHaveTakenEffect() throws Exception {
        String app = Pools.appName("grouped-kill");
        try (PgPool pool = PgPool.create(Pools.options(app).maxSize(1).pipelining(64).build());
             PgConnection admin = TestDb.admin();
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            pool.fetchVal("SELECT 1");
            // Quick reads and one that runs for seconds (a plain read: no pg_sleep), released
            // together, so that the long one shares a Sync with quick ones ahead of it.
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Object>> calls = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                int n = i;
                calls.add(threads.submit(() -> {
                    go.await();
                    try {
                        return n == LONG
                                ? pool.fetchVal(Long.class, "SELECT count(*) FROM generate_series(1, 200000000)")
                                : pool.fetchVal(Integer.class, "SELECT $1::int", n);
                    } catch (ConnectionException e) {
                        return e;
                    }
                }));
            }
            go.countDown();
            Pools.awaitTrue(() -> admin.fetchVal(Integer.class, "SELECT count(*)::int FROM pg_stat_activity"
                    + " WHERE application_name = $1 AND query LIKE '%generate_series%' AND state = 'active'", app) == 1,
                    Duration.ofSeconds(20), "the long read running");
            int pid = admin.fetchVal(Integer.class, "SELECT pid FROM pg_stat_activity WHERE application_name = $1", app);
            admin.fetchVal("SELECT pg_terminate_backend($1)", pid);
            int mayHaveRun = 0;
            for (int i = 0; i < calls.size(); i++) {
                Object r = calls.get(i).get();
                if (r instanceof ConnectionException e) {
                    if (e.requestSent()) {
                        mayHaveRun++;
                    }
                } else {
                    assertThat(r).as("caller %d served before the kill, or after it on a new connection", i)
                            .isEqualTo(i);
                }
            }
            // The server ended the session with a FATAL error, so it rolled back whatever shared the
            // running read's transaction: only that read may have taken effect.
            assertThat(mayHaveRun).isEqualTo(1);
            assertThat(pool.fetchVal(Integer.class, "SELECT 7")).isEqualTo(7);
            Pools.awaitAllPermitsFree(pool);
        }
    }

    @Test
    void readsThatRanAheadOfAKilledReadInTheirGroupAreHeldAndReportedNotToHaveTakenEffect() throws Exception {
        String app = Pools.appName("grouped-held");
        try (PgConnection conn = PgConnection.connect(TestDb.options().toBuilder().applicationName(app).build());
             PgConnection admin = TestDb.admin();
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            io.pgloom.SharedConnection shared = conn.shared();
            // Prepared beforehand, so that below each call is one request with no Parse round trip.
            shared.fetchVal("SELECT 1 FROM pg_sleep($1::float8)", 0.0);
            shared.fetchVal(Integer.class, "SELECT length($1::text)", "x");
            shared.fetchVal(Long.class, "SELECT count(*) FROM generate_series(1, $1::int)", 1);
            shared.fetchVal(Integer.class, "SELECT $1::int", 0);
            // The server sleeps (pg_sleep keeps a Sync of its own) and so stops reading; a 32 MB
            // parameter behind it fills the socket and holds the writer, so the reads queued
            // meanwhile leave in one write, under one Sync: five quick ones, a long one, five more.
            Future<Object> sleep = threads.submit(() -> orError(() -> shared.fetchVal("SELECT 1 FROM pg_sleep($1::float8)", 1.0)));
            awaitInFlight(shared, 1);
            String big = "x".repeat(32 << 20);
            Future<Object> filler = threads.submit(() -> orError(() -> shared.fetchVal(Integer.class, "SELECT length($1::text)", big)));
            awaitInFlight(shared, 2);
            List<Future<Object>> group = new ArrayList<>();
            for (int i = 0; i < 11; i++) {
                int n = i;
                group.add(threads.submit(() -> orError(() -> n == 5
                        ? shared.fetchVal(Long.class, "SELECT count(*) FROM generate_series(1, $1::int)", 300_000_000)
                        : shared.fetchVal(Integer.class, "SELECT $1::int", n))));
                awaitInFlight(shared, 3 + i);
            }
            assertThat(sleep.get()).isEqualTo(1);
            assertThat(filler.get()).isEqualTo(32 << 20);
            Pools.awaitTrue(() -> admin.fetchVal(Integer.class, "SELECT count(*)::int FROM pg_stat_activity"
                    + " WHERE application_name = $1 AND query LIKE '%generate_series%' AND state = 'active'", app) == 1,
                    Duration.ofSeconds(20), "the long read running");
            for (int i = 0; i < 5; i++) {
                assertThat(group.get(i).isDone()).as("read %d ran, but its result waits for the shared commit", i).isFalse();
            }
            admin.fetchVal("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", app);
            for (int i = 0; i < 11; i++) {
                Object r = group.get(i).get();
                assertThat(r).as("read %d", i).isInstanceOf(ConnectionException.class);
                // After the server's FATAL error only the running read may have taken effect: the
                // ones that ran ahead of it were rolled back with it, the rest never started.
                assertThat(((ConnectionException) r).requestSent()).as("read %d may have taken effect", i).isEqualTo(i == 5);
            }
        }
    }

    private static Object orError(java.util.concurrent.Callable<Object> call) throws Exception {
        try {
            return call.call();
        } catch (PgException e) {
            return e;
        }
    }

    private static void awaitInFlight(io.pgloom.SharedConnection shared, int n) {
        Pools.awaitTrue(() -> shared.inFlight() >= n, Duration.ofSeconds(10), n + " requests in flight");
    }
}
