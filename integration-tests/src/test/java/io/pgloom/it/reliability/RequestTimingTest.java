package io.pgloom.it.reliability;

import io.pgloom.ConnectionException;
import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.QueryCanceledException;
import io.pgloom.it.TestDb;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A timeout applies to the whole request, including when it expires between its round trips;
 * and a request the server never saw says so ({@code requestSent() == false}).
 */
class RequestTimingTest {

    /**
     * The defect: a timer firing between the prepare round trip and Execute found the session
     * idle and did nothing, so 2-3 of 20 tries at 1-500 µs ran {@code pg_sleep(0.3)} to the end.
     * Each try here uses new SQL text, so each has a prepare round trip before its Execute.
     */
    @Test
    void aTimeoutThatExpiresBetweenRoundTripsStillApplies() {
        try (PgConnection conn = TestDb.connect()) {
            int completed = 0;
            for (int i = 0; i < 60; i++) {
                Duration timeout = Duration.ofNanos(1_000 + (i % 20) * 25_000L); // 1 µs .. 476 µs
                String sql = "SELECT pg_sleep(0.3), $1::int /* try " + i + " */";
                Throwable t = catchThrowable(() -> conn.withTimeout(timeout).fetchVal(sql, 1));
                if (t == null) {
                    completed++;
                } else {
                    assertThat(t).as("try " + i).isInstanceOf(QueryCanceledException.class);
                }
                assertThat(conn.isClosed()).isFalse();
            }
            assertThat(completed).as("tries that ran pg_sleep(0.3) to completion past a timeout under 0.5 ms").isZero();
            assertThat(conn.fetchVal("SELECT 1")).isEqualTo(1);
        }
    }

    /**
     * idle_session_timeout shorter than the caller's pause: the server ends the session while it
     * waits, with FATAL 57P05 before our request arrives, so the request was not sent and a
     * retry is safe.
     */
    @Test
    void aSessionTheServerEndedWhileIdleReportsTheRequestAsNotSent() throws Exception {
        try (PgConnection admin = TestDb.admin()) {
            if (admin.serverVersion() < 140000) {
                return; // idle_session_timeout is PostgreSQL 14+
            }
            int notSent = 0;
            for (int i = 0; i < 5; i++) {
                try (PgConnection conn = PgConnection.connect(TestDb.options().toBuilder()
                        .serverSetting("idle_session_timeout", "200ms").build())) {
                    int pid = conn.serverPid();
                    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                    while (admin.fetchVal(Long.class, "SELECT count(*) FROM pg_stat_activity WHERE pid = $1", pid) > 0) {
                        assertThat(System.nanoTime()).as("the server ends the idle session").isLessThan(deadline);
                        Thread.sleep(20);
                    }
                    Throwable t = catchThrowable(() -> conn.execute("INSERT INTO never_created VALUES (1)"));
                    assertThat(t).isInstanceOf(ConnectionException.class);
                    assertThat(((PgException) t).sqlState()).isIn("57P05", null);
                    if (!((ConnectionException) t).requestSent()) {
                        notSent++;
                    }
                    assertThat(conn.isClosed()).isTrue();
                }
            }
            assertThat(notSent).as("failures reported as not sent, of 5").isEqualTo(5);
        }
    }
}
