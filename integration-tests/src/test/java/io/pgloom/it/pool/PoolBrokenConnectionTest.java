package io.pgloom.it.pool;

import io.pgloom.ConnectionException;
import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.it.TestDb;
import io.pgloom.pool.PgPool;
import io.pgloom.testing.PgServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Backends that die under the pool, one at a time or all at once: the pool drops them and serves on. */
class PoolBrokenConnectionTest {

    @Test
    void aBackendKilledWhileIdleIsNeverHandedOut() {
        String app = Pools.appName("kill-idle");
        // Checked before every hand-out, so the dead connection is caught however briefly it idled.
        try (PgPool pool = PgPool.create(Pools.options(app).maxSize(2).livenessCheckAfter(Duration.ZERO).build());
             PgConnection admin = TestDb.admin()) {
            int pid;
            try (PgConnection conn = pool.acquire()) {
                pid = conn.serverPid();
            }
            Pools.kill(admin, pid);
            try (PgConnection conn = pool.acquire()) {
                assertThat(conn.serverPid()).isNotEqualTo(pid);
                assertThat(conn.fetchVal("SELECT 1")).isEqualTo(1);
            }
            assertThat(pool.stats().connectionsClosed()).isEqualTo(1);
            assertThat(pool.stats().availablePermits()).isEqualTo(2);
        }
    }

    @Test
    void aBackendKilledWhileIdleLongerThanTheThresholdIsCaughtByTheLivenessCheck() throws Exception {
        String app = Pools.appName("kill-idle-threshold");
        try (PgPool pool = PgPool.create(Pools.options(app).maxSize(1).livenessCheckAfter(Duration.ofMillis(50)).build());
             PgConnection admin = TestDb.admin()) {
            int pid;
            try (PgConnection conn = pool.acquire()) {
                pid = conn.serverPid();
            }
            Pools.kill(admin, pid); // polls until the backend is gone
            // Time passing is the subject (the connection idling past livenessCheckAfter, so the
            // next acquire checks it), so a sleep, not a poll.
            Thread.sleep(100);
            assertThat(pool.fetchVal(Integer.class, "SELECT 7")).isEqualTo(7);
            assertThat(pool.stats().connectionsClosed()).isEqualTo(1);
        }
    }

    @Test
    void aBackendKilledWhileBorrowedIsDiscardedOnRelease() {
        String app = Pools.appName("kill-borrowed");
        try (PgPool pool = PgPool.create(Pools.options(app).maxSize(2).build());
             PgConnection admin = TestDb.admin()) {
            int pid;
            try (PgConnection conn = pool.acquire()) {
                pid = conn.serverPid();
                Pools.kill(admin, pid);
                assertThatThrownBy(() -> conn.fetchVal("SELECT 1")).isInstanceOf(ConnectionException.class);
                assertThat(conn.isClosed()).isTrue();
            }
            assertThat(pool.stats().size()).isZero();
            assertThat(pool.stats().connectionsClosed()).isEqualTo(1);
            assertThat(pool.stats().availablePermits()).isEqualTo(2);
            try (PgConnection conn = pool.acquire()) {
                assertThat(conn.serverPid()).isNotEqualTo(pid);
                assertThat(conn.fetchVal("SELECT 1")).isEqualTo(1);
            }
            assertThat(Pools.backends(admin, app)).isEqualTo(1);
        }
    }

    @Test
    void theMinimumIsRefilledAfterConnectionsDie() {
        String app = Pools.appName("refill");
        try (PgPool pool = PgPool.create(Pools.options(app).minSize(3).maxSize(4).livenessCheckAfter(Duration.ZERO).build());
             PgConnection admin = TestDb.admin()) {
            Pools.awaitTrue(() -> pool.stats().idle() == 3, Duration.ofSeconds(10), "min size to fill");
            Set<Integer> before = new HashSet<>(admin.fetch("SELECT pid FROM pg_stat_activity WHERE application_name = $1", app)
                    .stream().map(r -> r.get(0, Integer.class)).toList());
            assertThat(before).hasSize(3);
            before.forEach(pid -> Pools.kill(admin, pid));
            for (int i = 0; i < 6; i++) {
                assertThat(pool.fetchVal("SELECT 1")).isEqualTo(1);
            }
            Pools.awaitTrue(() -> pool.stats().size() >= 3 && Pools.backends(admin, app) >= 3,
                    Duration.ofSeconds(10), "min size to refill");
            Pools.awaitAllPermitsFree(pool);
        }
    }

    @Test
    void afterAServerRestartThePoolServesAgain() {
        try (PgServer own = PgServer.builder().build().start()) {
            String app = Pools.appName("restart");
            try (PgPool pool = PgPool.create(Pools.options(io.pgloom.ConnectOptions.fromUri(own.uri()), app)
                    .minSize(2).maxSize(4).livenessCheckAfter(Duration.ZERO).build())) {
                Pools.awaitTrue(() -> pool.stats().idle() == 2, Duration.ofSeconds(10), "min size to fill");
                assertThat(pool.fetchVal("SELECT 1")).isEqualTo(1);

                own.stop();
                assertThatThrownBy(() -> pool.fetchVal("SELECT 1")).isInstanceOf(PgException.class);
                Pools.awaitAllPermitsFree(pool); // also while the housekeeper keeps failing to refill

                own.start();
                long back = System.nanoTime();
                Pools.awaitTrue(() -> {
                    try {
                        return Integer.valueOf(1).equals(pool.fetchVal("SELECT 1"));
                    } catch (PgException stillDown) {
                        return false;
                    }
                }, Duration.ofSeconds(15), "the pool to serve after the restart");
                assertThat(Duration.ofNanos(System.nanoTime() - back)).isLessThan(Duration.ofSeconds(15));
                for (int i = 0; i < 20; i++) {
                    assertThat(pool.fetchVal(Integer.class, "SELECT $1::int", i)).isEqualTo(i);
                }
                Pools.awaitTrue(() -> pool.stats().size() >= 2, Duration.ofSeconds(10), "min size to refill");
                Pools.awaitAllPermitsFree(pool);
            }
        }
    }
}
