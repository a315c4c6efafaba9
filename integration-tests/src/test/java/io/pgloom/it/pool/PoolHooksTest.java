package io.pgloom.it.pool;

import io.pgloom.PgConnection;
import io.pgloom.pool.PgPool;
import io.pgloom.pool.PoolListener;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** init runs once per new connection, setup on every acquire; when either fails, nothing leaks. */
class PoolHooksTest {

    @Test
    void initRunsOncePerConnectionAndSetupOnEveryAcquire() {
        Set<Integer> initialized = ConcurrentHashMap.newKeySet();
        AtomicInteger inits = new AtomicInteger();
        List<Integer> setupPids = new CopyOnWriteArrayList<>();
        try (PgPool pool = PgPool.create(Pools.options(Pools.appName("hooks")).maxSize(2)
                .init(conn -> {
                    inits.incrementAndGet();
                    initialized.add(conn.serverPid());
                })
                .setup(conn -> {
                    setupPids.add(conn.serverPid());
                    conn.execute("SET application_name = 'set-up'");
                })
                .build())) {
            for (int i = 0; i < 5; i++) {
                try (PgConnection conn = pool.acquire()) {
                    assertThat(conn.fetchVal(String.class, "SHOW application_name")).isEqualTo("set-up");
                }
            }
            assertThat(pool.fetchVal(String.class, "SHOW application_name")).isEqualTo("set-up");
            PgConnection a = pool.acquire();
            PgConnection b = pool.acquire();
            a.close();
            b.close();

            assertThat(inits.get()).isEqualTo(2).isEqualTo((int) pool.stats().connectionsCreated());
            assertThat(setupPids).hasSize(8);
            assertThat(initialized).containsAll(setupPids).hasSize(2);
        }
    }

    @Test
    void aFailingSetupFailsTheAcquireAndGivesTheConnectionBack() {
        AtomicInteger calls = new AtomicInteger();
        try (PgPool pool = PgPool.create(Pools.options(Pools.appName("bad-setup")).maxSize(1)
                .setup(conn -> {
                    if (calls.incrementAndGet() == 1) {
                        conn.execute("BEGIN");
                        throw new IllegalStateException("setup failed");
                    }
                })
                .build())) {
            assertThatThrownBy(pool::acquire).isInstanceOf(IllegalStateException.class);
            assertThat(pool.stats().availablePermits()).isEqualTo(1);
            try (PgConnection conn = pool.acquire(Duration.ofSeconds(5))) {
                assertThat(conn.isInTransaction()).isFalse();
            }
            assertThat(pool.stats().connectionsCreated()).isEqualTo(1);
        }
    }

    @Test
    void aFailingInitClosesTheNewConnectionAndGivesThePermitBack() {
        AtomicInteger calls = new AtomicInteger();
        List<String> closedWhy = new CopyOnWriteArrayList<>();
        try (PgPool pool = PgPool.create(Pools.options(Pools.appName("bad-init")).maxSize(1)
                .init(conn -> {
                    if (calls.incrementAndGet() == 1) {
                        throw new IllegalStateException("init failed");
                    }
                })
                .listener(new PoolListener() {
                    @Override
                    public void connectionClosed(int serverPid, String reason) {
                        closedWhy.add(reason);
                    }
                })
                .build())) {
            assertThatThrownBy(pool::acquire).isInstanceOf(IllegalStateException.class).hasMessage("init failed");
            assertThat(pool.stats().availablePermits()).isEqualTo(1);
            assertThat(pool.stats().size()).isZero();
            assertThat(closedWhy).singleElement().asString().contains("init hook failed");
            assertThat(pool.fetchVal("SELECT 1")).isEqualTo(1);
            assertThat(calls.get()).isEqualTo(2);
        }
    }
}
