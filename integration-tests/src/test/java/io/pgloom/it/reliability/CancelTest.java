package io.pgloom.it.reliability;

import io.pgloom.ConnectOptions;
import io.pgloom.PgConnection;
import io.pgloom.QueryCanceledException;
import io.pgloom.SslMode;
import io.pgloom.it.TestDb;
import io.pgloom.testing.PgServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Cancel requests against a real server: over TLS when the session is TLS, and off the caller's thread. */
class CancelTest {

    static final PgServer server = TestDb.server();

    static ConnectOptions.Builder tls(SslMode mode) {
        return ConnectOptions.builder().host("localhost").port(server.port()).user("scram_user")
                .password("scram_pw").database("pgloom").sslMode(mode)
                .sslRootCert(server.caCertificate().toString());
    }

    /** PostgreSQL reads a CancelRequest inside TLS after an SSLRequest: the timeout still cancels. */
    @Test
    void aTimeoutCancelsOverTls() {
        try (PgConnection conn = PgConnection.connect(tls(SslMode.VERIFY_FULL).build())) {
            assertThat(conn.fetchVal(Boolean.class, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).isTrue();
            long start = System.nanoTime();
            Throwable t = catchThrowable(() -> conn.withTimeout(Duration.ofMillis(200)).execute("SELECT pg_sleep(30)"));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(t).isInstanceOf(QueryCanceledException.class);
            assertThat(millis).as("canceled after %d ms", millis).isLessThan(5_000);
            assertThat(conn.fetchVal("SELECT 1")).isEqualTo(1);
        }
    }

    @Test
    void cancelFromAnotherThreadStopsAQueryOverTls() throws Exception {
        try (PgConnection conn = PgConnection.connect(tls(SslMode.REQUIRE).build())) {
            CompletableFuture<Throwable> running = CompletableFuture.supplyAsync(
                    () -> catchThrowable(() -> conn.execute("SELECT pg_sleep(30)")));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            try (PgConnection admin = TestDb.admin()) {
                while (admin.fetchVal(Long.class, "SELECT count(*) FROM pg_stat_activity WHERE pid = $1"
                        + " AND query LIKE 'SELECT pg_sleep%'", conn.serverPid()) == 0) {
                    assertThat(System.nanoTime()).isLessThan(deadline);
                    Thread.sleep(10);
                }
            }
            conn.cancel();
            assertThat(running.get(10, TimeUnit.SECONDS)).isInstanceOf(QueryCanceledException.class);
            assertThat(conn.fetchVal("SELECT 2")).isEqualTo(2);
        }
    }
}
