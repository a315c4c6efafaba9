package io.pgloom.it.pipeline;

import io.pgloom.ConnectionException;
import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.PgTimeoutException;
import io.pgloom.QueryCanceledException;
import io.pgloom.SharedConnection;
import io.pgloom.it.Await;
import io.pgloom.it.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** conn.shared(): many threads' statements pipelined on one connection, each caller isolated. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedConnectionTest {

    @Test
    void manyThreadsGetTheirOwnResults() throws Exception {
        try (PgConnection conn = TestDb.connect()) {
            SharedConnection shared = conn.shared();
            ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < 50; t++) {
                    int caller = t;
                    done.add(threads.submit(() -> {
                        for (int i = 0; i < 100; i++) {
                            int expected = caller * 1000 + i;
                            // A new SQL text per caller now and then, so Parses share the stream too.
                            String sql = i % 10 == 0 ? "SELECT $1::int + " + caller + " - " + caller : "SELECT $1::int";
                            Integer got = shared.fetchVal(Integer.class, sql, expected);
                            if (got != expected) {
                                wrong.add("caller " + caller + " expected " + expected + " got " + got);
                            }
                            if (i % 17 == 0) {
                                try {
                                    shared.execute("SELECT 1 / $1::int", 0);
                                    wrong.add("caller " + caller + ": division by zero did not fail");
                                } catch (PgException e) {
                                    if (!"22012".equals(e.sqlState())) {
                                        wrong.add("caller " + caller + " got someone else's error: " + e);
                                    }
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            }
            assertThat(wrong).isEmpty();
            assertThat(shared.inFlight()).isZero();
            // Exclusive use works again once nothing is in flight.
            assertThat(conn.fetchVal("SELECT 3")).isEqualTo(3);
        }
    }

    @Test
    void sessionChangingStatementsAreRefusedBeforeSending() {
        try (PgConnection conn = TestDb.connect()) {
            SharedConnection shared = conn.shared();
            for (String sql : List.of("SET search_path = public", "  begin", "LISTEN x", "CREATE TEMP TABLE t(i int)",
                    "SELECT set_config('a.b', 'c', false)", "SELECT 1; SELECT 2", "COPY t FROM STDIN",
                    "/* c */ RESET ALL", "SELECT pg_advisory_lock(1)")) {
                assertThatThrownBy(() -> shared.execute(sql)).as(sql).hasMessageContaining("not run on a shared connection");
            }
            assertThat(SharedConnection.changesSession("SELECT pg_advisory_xact_lock(1)", true)).isNull();
            assertThat(SharedConnection.changesSession("SELECT 1;", true)).isNull();
            assertThat(shared.execute("SELECT 1")).isEqualTo("SELECT 1");
            assertThat(conn.fetchVal(String.class, "SHOW search_path")).doesNotContain("public\"");
        }
    }

    @Test
    void aTimedOutRunningRequestIsCanceledAndOthersAreUntouched() throws Exception {
        try (PgConnection conn = TestDb.connect()) {
            SharedConnection shared = conn.shared();
            CountDownLatch sleeping = new CountDownLatch(1);
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<Throwable> slow = threads.submit(() -> {
                    sleeping.countDown();
                    try {
                        shared.withTimeout(Duration.ofMillis(300)).execute("SELECT pg_sleep($1)", 5.0);
                        return null;
                    } catch (Throwable e) {
                        return e;
                    }
                });
                sleeping.await();
                Thread.sleep(50);
                // Queued behind the sleep: they wait, then run, unharmed by its cancel.
                List<Future<Integer>> behind = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    int v = i;
                    behind.add(threads.submit(() -> shared.fetchVal(Integer.class, "SELECT $1::int", v)));
                }
                assertThat(slow.get()).isInstanceOf(QueryCanceledException.class);
                for (int i = 0; i < 20; i++) {
                    assertThat(behind.get(i).get()).isEqualTo(i);
                }
            }
            assertThat(conn.isClosed()).isFalse();
        }
    }

    @Test
    void aTimedOutQueuedRequestIsDroppedAndItsReplyDiscarded() throws Exception {
        try (PgConnection conn = TestDb.connect()) {
            SharedConnection shared = conn.shared();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<Object> slow = threads.submit(() -> shared.fetchVal("SELECT pg_sleep(0.5)::text"));
                Thread.sleep(100);
                long start = System.nanoTime();
                assertThatThrownBy(() -> shared.withTimeout(Duration.ofMillis(50)).fetchVal("SELECT $1::int", 1))
                        .isInstanceOf(PgTimeoutException.class).hasMessageContaining("before the server started it");
                // It gave up at its own deadline, not at the end of the sleep in front of it.
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(450));
                assertThat(slow.get()).isEqualTo("");
                // The discarded reply did not shift anyone's results.
                assertThat(shared.fetchVal(Integer.class, "SELECT $1::int", 2)).isEqualTo(2);
            }
        }
    }

    @Test
    void anInterruptedCallerLeavesTheConnectionUsable() throws Exception {
        try (PgConnection conn = TestDb.connect()) {
            SharedConnection shared = conn.shared();
            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    shared.execute("SELECT pg_sleep($1)", 0.5);
                } catch (PgException expected) {
                    // interrupted: it stops waiting
                }
            });
            Thread.sleep(100);
            caller.interrupt();
            caller.join(5000);
            assertThat(caller.isAlive()).isFalse();
            assertThat(shared.fetchVal(Integer.class, "SELECT $1::int", 9)).isEqualTo(9);
            assertThat(conn.isClosed()).isFalse();
        }
    }

    @Test
    void aKilledBackendFailsExactlyTheRequestsInFlight() throws Exception {
        try (PgConnection conn = TestDb.connect(); PgConnection admin = TestDb.admin()) {
            SharedConnection shared = conn.shared();
            int pid = conn.serverPid();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Throwable>> inFlight = sleepers(threads, shared, 10, 2.0);
                while (shared.inFlight() < 10) {
                    Thread.sleep(5);
                }
                Thread.sleep(200);
                admin.fetchVal("SELECT pg_terminate_backend($1)", pid);
                int sentAndMaybeRun = 0;
                for (Future<Throwable> f : inFlight) {
                    Throwable e = f.get();
                    assertThat(e).isInstanceOf(ConnectionException.class);
                    if (((ConnectionException) e).requestSent()) {
                        sentAndMaybeRun++;
                    }
                }
                // The one running was hit by the FATAL; the ones behind it never ran.
                assertThat(sentAndMaybeRun).isEqualTo(1);
            }
            assertThat(conn.isClosed()).isTrue();
            assertThatThrownBy(() -> shared.fetchVal("SELECT 1")).isInstanceOf(ConnectionException.class)
                    .satisfies(e -> assertThat(((ConnectionException) e).requestSent()).isFalse());
        }
    }

    /**
     * Closing a connection while requests are in flight fails them with a ConnectionException, and
     * its reader and writer threads end quietly: the reader's read failing on the closed socket
     * once threw an uncaught IllegalStateException (a cause set twice) in a pgloom thread.
     */
    @Test
    void closingWithRequestsInFlightFailsThemAndNoThreadDiesOfAnError() throws Exception {
        ConcurrentLinkedQueue<String> uncaught = new ConcurrentLinkedQueue<>();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> uncaught.add(thread.getName() + ": " + e));
        try {
            List<String> ourThreads = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                PgConnection conn = TestDb.connect();
                ourThreads.add("pgloom-reader-" + conn.serverPid());
                ourThreads.add("pgloom-writer-" + conn.serverPid());
                SharedConnection shared = conn.shared();
                try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                    List<Future<Throwable>> inFlight = sleepers(threads, shared, 4, 5.0);
                    Await.until(Duration.ofSeconds(10), () -> shared.inFlight() == 4, "4 requests in flight");
                    conn.close();
                    for (Future<Throwable> f : inFlight) {
                        assertThat(f.get(10, TimeUnit.SECONDS)).isInstanceOf(ConnectionException.class);
                    }
                }
            }
            // The threads end after their callers were failed; give them the moment they need.
            Await.until(Duration.ofSeconds(10), () -> Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> ourThreads.contains(t.getName())), "the connections' reader and writer threads to end");
            assertThat(uncaught).isEmpty();
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
    }

    @Test
    void exclusiveAndSharedUseExcludeEachOther() throws Exception {
        try (PgConnection conn = TestDb.connect()) {
            SharedConnection shared = conn.shared();
            Thread t = Thread.ofVirtual().start(() -> shared.execute("SELECT pg_sleep($1)", 0.5));
            while (shared.inFlight() == 0) {
                Thread.sleep(5);
            }
            assertThatThrownBy(() -> conn.fetchVal("SELECT 1")).hasMessageContaining("connection busy");
            t.join();
            assertThat(conn.fetchVal("SELECT 1")).isEqualTo(1);
        }
    }

    /**
     * The exclusive path reads whether shared requests are in flight without the pipeline's lock;
     * however a shared request ends (its reply, a value that cannot be sent, the server's error,
     * a timeout) the connection must be free for exclusive use again right after.
     */
    @Test
    void theConnectionIsFreeForExclusiveUseAfterEveryWayASharedRequestEnds() throws Exception {
        try (PgConnection conn = TestDb.connect()) {
            SharedConnection shared = conn.shared();
            assertThat(shared.fetchVal(Integer.class, "SELECT $1::int4", 7)).isEqualTo(7);
            assertThat(conn.fetchVal("SELECT 1")).as("after a reply").isEqualTo(1);

            assertThatThrownBy(() -> shared.fetchVal("SELECT $1::int4", new Object())).isInstanceOf(PgException.class);
            assertThat(conn.fetchVal("SELECT 2")).as("after a value that could not be sent").isEqualTo(2);

            assertThatThrownBy(() -> shared.execute("SELECT 1/0")).isInstanceOf(PgException.class);
            assertThat(conn.fetchVal("SELECT 3")).as("after the server's error").isEqualTo(3);

            assertThatThrownBy(() -> shared.withTimeout(Duration.ofMillis(100)).execute("SELECT pg_sleep(5)"))
                    .isInstanceOf(PgException.class);
            assertThat(conn.fetchVal("SELECT 4")).as("after a timeout").isEqualTo(4);
        }
    }

    /** Starts {@code n} callers that each run {@code pg_sleep(seconds)} on {@code shared}; each future gives its error, or null. */
    private static List<Future<Throwable>> sleepers(ExecutorService threads, SharedConnection shared, int n,
                                                    double seconds) {
        List<Future<Throwable>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            calls.add(threads.submit(() -> {
                try {
                    shared.execute("SELECT pg_sleep($1)", seconds);
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            }));
        }
        return calls;
    }
}
