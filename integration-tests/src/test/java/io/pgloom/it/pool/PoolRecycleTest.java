package io.pgloom.it.pool;

import io.pgloom.PgConnection;
import io.pgloom.it.TestDb;
import io.pgloom.pool.PgPool;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Connections are replaced after maxLifetime, closed after idleTimeout down to minSize, and retired after maxQueries. */
class PoolRecycleTest {

    private static int pidOfNextBorrow(PgPool pool) {
        try (PgConnection conn = pool.acquire()) {
            return conn.serverPid();
        }
    }

    @Test
    void maxLifetimeReplacesAConnection() throws Exception {
        try (PgPool pool = PgPool.create(Pools.options(Pools.appName("lifetime")).maxSize(1)
                .maxLifetime(Duration.ofMillis(300)).maxLifetimeJitter(Duration.ofMillis(50)).build())) {
            int first = pidOfNextBorrow(pool);
            assertThat(pidOfNextBorrow(pool)).isEqualTo(first);
            // Time passing is the subject here (a connection growing older than maxLifetime), so a
            // sleep, not a poll: older than maxLifetime now, whatever the jitter took off.
            Thread.sleep(400);
            assertThat(pidOfNextBorrow(pool)).isNotEqualTo(first);
            assertThat(pool.stats().connectionsClosed()).isEqualTo(1);
        }
    }

    @Test
    void expiredIdleConnectionsAreClosedInTheBackgroundAndMinSizeRefilled() {
        String app = Pools.appName("lifetime-idle");
        try (PgPool pool = PgPool.create(Pools.options(app).minSize(2).maxSize(2)
                .maxLifetime(Duration.ofMillis(400)).build());
             PgConnection admin = TestDb.admin()) {
            Pools.awaitTrue(() -> pool.stats().idle() == 2, Duration.ofSeconds(10), "min size to fill");
            Set<Integer> first = pids(admin, app);
            assertThat(first).hasSize(2);
            // Nobody borrows: the housekeeper alone retires and replaces them.
            Pools.awaitTrue(() -> {
                Set<Integer> now = pids(admin, app);
                return now.size() == 2 && now.stream().noneMatch(first::contains);
            }, Duration.ofSeconds(10), "both connections to be replaced");
            assertThat(pool.stats().connectionsClosed()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void idleTimeoutShrinksThePoolDownToMinSize() throws Exception {
        String app = Pools.appName("idle");
        try (PgPool pool = PgPool.create(Pools.options(app).minSize(1).maxSize(3)
                .idleTimeout(Duration.ofMillis(200)).build());
             PgConnection admin = TestDb.admin()) {
            PgConnection a = pool.acquire();
            PgConnection b = pool.acquire();
            PgConnection c = pool.acquire();
            a.close();
            b.close();
            c.close();
            assertThat(pool.stats().size()).isEqualTo(3);
            Pools.awaitTrue(() -> pool.stats().size() == 1, Duration.ofSeconds(10), "the pool to shrink to minSize");
            Pools.awaitTrue(() -> Pools.backends(admin, app) == 1, Duration.ofSeconds(10), "the backends to go");
            // Something NOT happening is the subject (the pool shrinking below minSize), so a sleep:
            // two more idle timeouts pass, several housekeeping rounds, and minSize stays.
            Thread.sleep(400);
            assertThat(pool.stats().size()).isEqualTo(1);
            assertThat(pool.fetchVal("SELECT 1")).isEqualTo(1);
        }
    }

    @Test
    void maxQueriesRetiresAConnectionAfterThatManyBorrows() {
        try (PgPool pool = PgPool.create(Pools.options(Pools.appName("maxq")).maxSize(1).maxQueries(3).build())) {
            int first = pidOfNextBorrow(pool);
            assertThat(pidOfNextBorrow(pool)).isEqualTo(first);
            assertThat(pool.fetchVal("SELECT 1")).isEqualTo(1); // the pool's own methods count as borrows too
            int second = pidOfNextBorrow(pool);
            assertThat(second).isNotEqualTo(first);
            assertThat(pidOfNextBorrow(pool)).isEqualTo(second);
            assertThat(pool.stats().connectionsClosed()).isEqualTo(1);
        }
    }

    private static Set<Integer> pids(PgConnection admin, String app) {
        return new HashSet<>(admin.fetch("SELECT pid FROM pg_stat_activity WHERE application_name = $1", app)
                .stream().map(r -> r.get(0, Integer.class)).toList());
    }
}
