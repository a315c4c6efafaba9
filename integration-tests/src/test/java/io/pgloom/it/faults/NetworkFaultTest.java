package io.pgloom.it.faults;

import io.pgloom.ConnectOptions;
import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.SslMode;
import io.pgloom.it.TestDb;
import io.pgloom.testing.FaultProxy;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The fault battery's network part: a blackholed network, a silent listener, a TLS handshake
 * and a SCRAM exchange that stall, and failover past a silent first host. Every bound is the
 * issue's figure plus a margin for a loaded 2-core machine; each measured figure is printed.
 */
@Tag("long")
class NetworkFaultTest {

    /** How much later than its bound a deadline may fire on a loaded 2-core machine. */
    static final long MARGIN_MS = 1_500;

    static ConnectOptions.Builder through(int port) {
        return TestDb.options().toBuilder().endpoints(List.of(new ConnectOptions.Endpoint("127.0.0.1", port)));
    }

    static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /**
     * Blackholed mid-query: the command timeout's cancel cannot get through either (the proxy
     * swallows the side connection too), so after its grace the connection is closed; the call
     * returns within timeout + cancel grace (5 s), and cancel() itself never blocks the caller.
     */
    @Test
    void aBlackholedQueryEndsWithinTheCommandTimeoutAndCancelGrace() {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", TestDb.server().port());
             PgConnection conn = PgConnection.connect(through(proxy.port())
                     .connectTimeout(Duration.ofSeconds(1)).commandTimeout(Duration.ofMillis(300)).build())) {
            assertThat(conn.fetchVal("SELECT 1")).isEqualTo(1);
            proxy.blackhole();
            long cancelStart = System.nanoTime();
            conn.cancel(); // idle: nothing to do, and never a wait on the network
            assertThat(millisSince(cancelStart)).isLessThan(MARGIN_MS);
            long start = System.nanoTime();
            Throwable t = catchThrowable(() -> conn.fetchVal("SELECT 2"));
            long millis = millisSince(start);
            System.out.println("blackhole: the call ended after " + millis + " ms (bound 300 + 5000 ms)");
            assertThat(t).isInstanceOf(PgException.class);
            assertThat(millis).isLessThan(300 + 5_000 + MARGIN_MS);
            assertThat(conn.isClosed()).isTrue();
        }
    }

    @Test
    void cancelFromAnotherThreadUnderBlackholeReturnsAtOnce() throws Exception {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", TestDb.server().port());
             PgConnection conn = PgConnection.connect(through(proxy.port())
                     .connectTimeout(Duration.ofMillis(500)).build())) {
            Thread caller = Thread.ofVirtual().start(() -> catchThrowable(() -> conn.execute("SELECT pg_sleep(60)")));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (conn.isClosed() || !caller.isAlive()) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(5);
            }
            Thread.sleep(100); // the query is on the server
            proxy.blackhole();
            long start = System.nanoTime();
            conn.cancel();
            long millis = millisSince(start);
            System.out.println("cancel() under blackhole returned after " + millis + " ms");
            assertThat(millis).isLessThan(500 + MARGIN_MS);
            conn.close(); // closes the stalled channel: the caller's read fails at once
            caller.join(Duration.ofSeconds(5));
            assertThat(caller.isAlive()).as("the caller is not left blocked").isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(StallingListener.StallAt.class)
    void aStallDuringTheStartHitsTheConnectTimeout(StallingListener.StallAt at) throws Exception {
        try (StallingListener listener = new StallingListener(at)) {
            ConnectOptions options = ConnectOptions.builder().host("127.0.0.1").port(listener.port()).user("scram_user")
                    .password("pw").database("d").connectTimeout(Duration.ofMillis(500))
                    .sslMode(at == StallingListener.StallAt.TLS_HANDSHAKE ? SslMode.REQUIRE : SslMode.DISABLE).build();
            long start = System.nanoTime();
            Throwable t = catchThrowable(() -> PgConnection.connect(options));
            long millis = millisSince(start);
            System.out.println("connect stalled at " + at + ": failed after " + millis + " ms (bound 500 ms)");
            assertThat(t).isInstanceOf(PgException.class).hasMessageContaining("500 ms");
            assertThat(millis).isBetween(450L, 500 + MARGIN_MS);
        }
    }

    @Test
    void failoverPastASilentFirstHostWithinTheConnectTimeout() throws Exception {
        try (StallingListener silent = new StallingListener(StallingListener.StallAt.BEFORE_ACCEPT)) {
            ConnectOptions options = TestDb.options().toBuilder()
                    .endpoints(List.of(new ConnectOptions.Endpoint("127.0.0.1", silent.port()),
                            new ConnectOptions.Endpoint("127.0.0.1", TestDb.server().port())))
                    .connectTimeout(Duration.ofSeconds(1)).build();
            long start = System.nanoTime();
            try (PgConnection conn = PgConnection.connect(options)) {
                long millis = millisSince(start);
                System.out.println("failover past a silent host: connected after " + millis + " ms (bound 1000 + 200 ms)");
                assertThat(conn.fetchVal("SELECT 1")).isEqualTo(1);
                assertThat(millis).isLessThan(1_000 + 200 + MARGIN_MS);
            }
        }
    }
}
