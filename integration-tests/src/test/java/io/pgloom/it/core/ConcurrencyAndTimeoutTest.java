package io.pgloom.it.core;

import io.pgloom.ConnectOptions;
import io.pgloom.ConnectionException;
import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.PgTimeoutException;
import io.pgloom.QueryCanceledException;
import io.pgloom.SslMode;
import io.pgloom.it.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Timeouts cancel on the server; interrupts never leave a half-read stream; one operation at a time. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConcurrencyAndTimeoutTest {

    @Test
    void commandTimeoutCancelsAndTheConnectionStaysUsable() {
        try (PgConnection conn = TestDb.connect()) {
            conn.setCommandTimeout(Duration.ofMillis(300));
            assertThatThrownBy(() -> conn.execute("SELECT pg_sleep(10)"))
                    .isInstanceOf(QueryCanceledException.class);
            conn.setCommandTimeout(Duration.ZERO);
            assertThat(conn.fetchVal("SELECT 1")).isEqualTo(1);
            assertThat(conn.isInTransaction()).isFalse();
        }
    }

    @Test
    void perCallTimeout() {
        try (PgConnection conn = TestDb.connect()) {
            assertThatThrownBy(() -> conn.withTimeout(Duration.ofMillis(200)).fetch("SELECT pg_sleep($1)", 10.0))
                    .isInstanceOf(QueryCanceledException.class)
                    .satisfies(e -> assertThat(((PgException) e).sqlState()).isEqualTo("57014"));
            assertThat(conn.withTimeout(Duration.ofSeconds(5)).fetchVal("SELECT 7")).isEqualTo(7);
            assertThat(conn.commandTimeout()).isEqualTo(Duration.ZERO);
        }
    }

    @Test
    void aLateCancelNeverLandsOnTheNextStatement() {
        // Timeouts that fire just as the query finishes on its own: the cancel they send must
        // reach the server before the next statement starts, or it would cancel that one. On a
        // loaded machine the cancel (a new connection, which the server forks for) can take
        // longer than the query's last millisecond every time, which is the case under test; so
        // every tenth query sleeps long enough to be canceled for sure, to show that the
        // timeouts do fire.
        try (PgConnection conn = TestDb.connect()) {
            int canceled = 0;
            for (int i = 0; i < 200; i++) {
                String sleep = i % 10 == 9 ? "SELECT pg_sleep(0.2)" : "SELECT pg_sleep(0.003)";
                try {
                    conn.withTimeout(Duration.ofMillis(2)).execute(sleep);
                } catch (QueryCanceledException e) {
                    canceled++;
                }
                assertThat(conn.execute("SELECT pg_sleep(0.01)")).as("statement after round %d", i).isEqualTo("SELECT 1");
            }
            assertThat(canceled).as("canceled queries, of 20 that sleep 200 ms").isGreaterThanOrEqualTo(20);
        }
    }

    @Test
    void commandTimeoutFromTheUri() {
        try (PgConnection conn = PgConnection.connect(TestDb.server().uri() + "&command_timeout=0.3")) {
            assertThat(conn.commandTimeout()).isEqualTo(Duration.ofMillis(300));
            assertThatThrownBy(() -> conn.execute("SELECT pg_sleep(10)")).isInstanceOf(QueryCanceledException.class);
        }
    }

    @Test
    void aSecondThreadGetsConnectionBusyAtOnce() throws Exception {
        try (PgConnection conn = TestDb.connect()) {
            CountDownLatch started = new CountDownLatch(1);
            Thread sleeper = Thread.ofVirtual().start(() -> {
                started.countDown();
                conn.execute("SELECT pg_sleep(1.5)");
            });
            started.await();
            awaitRunning(conn.serverPid(), "pg_sleep");
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> conn.fetchVal("SELECT 1"))
                    .isInstanceOf(PgException.class).hasMessageContaining("connection busy");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
            sleeper.join();
            assertThat(conn.fetchVal("SELECT 1")).isEqualTo(1);
        }
    }

    @Test
    void cancelFromAnotherThread() throws Exception {
        try (PgConnection conn = TestDb.connect()) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread worker = Thread.ofVirtual().start(() -> {
                try {
                    conn.execute("SELECT pg_sleep(20)");
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            awaitRunning(conn.serverPid(), "pg_sleep");
            conn.cancel();
            worker.join(10_000);
            assertThat(failure.get()).isInstanceOf(QueryCanceledException.class);
            assertThat(conn.fetchVal("SELECT 5")).isEqualTo(5);
        }
    }

    @Test
    void interruptingAVirtualThreadCancelsTheQueryOnTheServer() throws Exception {
        PgConnection conn = TestDb.connect();
        int pid = conn.serverPid();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread worker = Thread.ofVirtual().start(() -> {
            try {
                conn.execute("SELECT pg_sleep(30)");
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        awaitRunning(pid, "pg_sleep");
        worker.interrupt();
        worker.join(10_000);
        assertThat(worker.isAlive()).isFalse();
        assertThat(failure.get()).isInstanceOf(PgException.class);
        // The connection is closed (never half-read) ...
        assertThat(conn.isClosed()).isTrue();
        assertThatThrownBy(() -> conn.fetch("SELECT 1")).isInstanceOf(ConnectionException.class);
        // ... and the server is no longer sleeping for it.
        try (PgConnection admin = TestDb.admin()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            Long running;
            do {
                Thread.sleep(50);
                running = admin.fetchVal(Long.class,
                        "SELECT count(*) FROM pg_stat_activity WHERE pid = $1 AND state = 'active'", pid);
            } while (running > 0 && System.nanoTime() < deadline);
            assertThat(running).isZero();
        }
    }

    /**
     * More virtual threads than carriers, each on its own connection, wait for replies at once,
     * so their reads move between spinning (while few wait) and parking (while more wait than
     * there are carriers), and every 25th query is slow enough to park whatever the count. Every
     * reply must reach the thread that asked, whole, and every connection stay usable.
     */
    @Test
    void aCrowdOfVirtualThreadsGetsEveryReplyRight() throws Exception {
        int threads = 4 * Runtime.getRuntime().availableProcessors() + 4;
        int queries = 300;
        java.util.List<Thread> workers = new java.util.ArrayList<>();
        java.util.Queue<Throwable> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            workers.add(Thread.ofVirtual().start(() -> {
                try (PgConnection conn = TestDb.connect()) {
                    for (int i = 0; i < queries; i++) {
                        int n = thread * 10_000 + i;
                        double sleep = i % 25 == 0 ? 0.003 : 0;
                        var row = conn.fetchRow("SELECT $1::int4 * 2 AS twice, repeat('x', $1 % 500) AS text, (SELECT 1 FROM pg_sleep($2)) AS slept",
                                n, sleep);
                        assertThat(row.get("twice")).as("thread %d, query %d", thread, i).isEqualTo(n * 2);
                        assertThat((String) row.get("text")).hasSize(n % 500);
                    }
                    assertThat(conn.fetchVal("SELECT 1")).isEqualTo(1);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread w : workers) {
            w.join(60_000);
            assertThat(w.isAlive()).as("a worker still waits").isFalse();
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void closeFromAnotherThreadEndsABlockedQuery() throws Exception {
        PgConnection conn = TestDb.connect();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread worker = Thread.ofVirtual().start(() -> {
            try {
                conn.execute("SELECT pg_sleep(30)");
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        awaitRunning(conn.serverPid(), "pg_sleep");
        conn.close();
        worker.join(10_000);
        assertThat(failure.get()).isInstanceOf(ConnectionException.class);
        assertThat(conn.isClosed()).isTrue();
    }

    @Test
    void connectTimeoutAgainstAPeerThatNeverAnswers() throws Exception {
        // A listener that accepts and then says nothing: what a real server cannot be made to do.
        try (ServerSocket silent = new ServerSocket()) {
            silent.bind(new InetSocketAddress("127.0.0.1", 0));
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try (Socket s = silent.accept()) {
                    Thread.sleep(10_000);
                } catch (Exception ignored) {
                    // the test is over
                }
            });
            ConnectOptions options = ConnectOptions.builder().host("127.0.0.1").port(silent.getLocalPort())
                    .user("x").sslMode(SslMode.DISABLE).connectTimeout(Duration.ofMillis(500)).build();
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> PgConnection.connect(options)).isInstanceOf(PgTimeoutException.class)
                    .hasMessageContaining("500");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            acceptor.interrupt();
        }
    }

    @Test
    void nothingListeningIsAConnectionExceptionThatWasNotSent() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ConnectOptions options = ConnectOptions.builder().host("127.0.0.1").port(port).user("x")
                .sslMode(SslMode.DISABLE).build();
        assertThatThrownBy(() -> PgConnection.connect(options))
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("127.0.0.1:" + port)
                .satisfies(e -> assertThat(((ConnectionException) e).requestSent()).isFalse());
    }

    /** Polls until backend {@code pid} runs a query containing {@code text}: the state the test waits for. */
    static void awaitRunning(int pid, String text) throws InterruptedException {
        try (PgConnection admin = TestDb.admin()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (admin.fetchVal(Long.class, "SELECT count(*) FROM pg_stat_activity WHERE pid = $1"
                    + " AND state = 'active' AND position($2 in query) > 0", pid, text) == 0) {
                assertThat(System.nanoTime()).as("backend " + pid + " to run " + text).isLessThan(deadline);
                Thread.sleep(5);
            }
        }
    }
}
