package io.pgloom.it.pool;

import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.pool.PgPool;
import io.pgloom.pool.PoolOptions;
import io.pgloom.it.TestDb;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** PgPool.ping: a health check that does not queue behind borrowers. */
class PoolPingTest {

    @Test
    void pingUsesAnIdleConnectionAndLeavesThePoolAsItWas() {
        String app = Pools.appName("ping-idle");
        try (PgPool pool = PgPool.create(Pools.options(app).maxSize(2).build())) {
            assertThat(pool.ping(Duration.ofSeconds(5))).isPositive();
            assertThat(pool.stats().availablePermits()).isEqualTo(2);
            assertThat(pool.stats().acquireTimeouts()).isZero();
        }
    }

    @Test
    void pingAnswersWhileEveryConnectionIsBorrowedAndOthersWait() throws Exception {
        String app = Pools.appName("ping-busy");
        try (PgPool pool = PgPool.create(Pools.options(app).maxSize(2).build())) {
            List<PgConnection> held = new ArrayList<>();
            held.add(pool.acquire());
            held.add(pool.acquire());
            Thread waiter = Thread.ofVirtual().start(() -> {
                try (PgConnection c = pool.acquire(Duration.ofSeconds(20))) {
                    c.fetchVal("SELECT 1");
                }
            });
            while (pool.stats().waiting() == 0) {
                Thread.sleep(5);
            }
            assertThat(pool.ping(Duration.ofSeconds(5))).isPositive();
            assertThat(pool.stats().acquireTimeouts()).isZero();
            held.forEach(PgConnection::close);
            waiter.join(Duration.ofSeconds(20));
            assertThat(waiter.isAlive()).isFalse();
        }
    }

    @Test
    void pingFailsWhenTheDatabaseIsUnreachable() throws Exception {
        int unusedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            unusedPort = socket.getLocalPort();
        }
        PoolOptions options = PoolOptions.builder()
                .connectOptions(TestDb.options().toBuilder().port(unusedPort).build()).maxSize(1).build();
        try (PgPool pool = PgPool.create(options)) {
            assertThatThrownBy(() -> pool.ping(Duration.ofSeconds(2))).isInstanceOf(PgException.class)
                    .satisfies(e -> assertThat(((PgException) e).isTransient()).isTrue());
        }
    }
}
