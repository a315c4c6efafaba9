package io.pgloom.it.pool;

import io.pgloom.PgConnection;
import io.pgloom.pool.PgPool;
import io.pgloom.pool.PoolStats;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A released connection goes straight to the longest-waiting caller: at the moment of release,
 * not when that caller next gets to run. So a pool never shows idle connections while callers
 * wait, whatever the scheduler does with the woken threads.
 */
class PoolHandOffTest {

    @Test
    void releasedConnectionsAreHandedOverAtOnceNotLeftIdle() throws Exception {
        int size = 4;
        try (PgPool pool = PgPool.create(Pools.options(Pools.appName("handoff")).maxSize(size).build())) {
            List<PgConnection> held = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                held.add(pool.acquire());
            }
            CountDownLatch release = new CountDownLatch(1);
            List<Thread> waiters = new ArrayList<>();
            List<Integer> served = new CopyOnWriteArrayList<>();
            for (int i = 0; i < size; i++) {
                int n = i;
                waiters.add(Thread.ofVirtual().start(() -> {
                    try (PgConnection conn = pool.acquire()) {
                        served.add(conn.serverPid());
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
                Pools.awaitTrue(() -> pool.stats().waiting() == n + 1, Duration.ofSeconds(10), "waiter " + n + " to queue");
            }
            for (PgConnection conn : held) {
                conn.close();
            }
            PoolStats right = pool.stats(); // before any waiter need have run
            assertThat(right.idle()).as("idle connections while callers wait").isZero();
            assertThat(right.waiting()).as("callers still waiting after as many releases").isZero();
            assertThat(right.availablePermits()).isZero();
            Pools.awaitTrue(() -> served.size() == size, Duration.ofSeconds(10), "every waiter to be served");
            assertThat(served).doesNotHaveDuplicates();
            release.countDown();
            for (Thread t : waiters) {
                t.join(Duration.ofSeconds(10));
            }
            Pools.awaitAllPermitsFree(pool);
            assertThat(pool.stats().idle()).isEqualTo(size);
        }
    }

    @Test
    void theLongestWaitingCallerIsServedFirst() throws Exception {
        try (PgPool pool = PgPool.create(Pools.options(Pools.appName("handoff-fifo")).maxSize(1).build())) {
            PgConnection held = pool.acquire();
            List<Integer> order = new CopyOnWriteArrayList<>();
            List<Thread> waiters = new ArrayList<>();
            int callers = 8;
            for (int i = 0; i < callers; i++) {
                int n = i;
                waiters.add(Thread.ofVirtual().start(() -> {
                    try (PgConnection conn = pool.acquire()) {
                        order.add(n);
                        conn.fetchVal("SELECT 1");
                    }
                }));
                Pools.awaitTrue(() -> pool.stats().waiting() == n + 1, Duration.ofSeconds(10), "waiter " + n + " to queue");
            }
            // A newcomer must queue behind them, not take the connection as it comes back.
            held.close();
            try (PgConnection late = pool.acquire()) {
                order.add(-1);
            }
            for (Thread t : waiters) {
                t.join(Duration.ofSeconds(10));
            }
            assertThat(order).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, -1);
        }
    }

    @Test
    void aWaiterThatTimesOutLeavesTheLineAndTheNextIsServed() throws Exception {
        try (PgPool pool = PgPool.create(Pools.options(Pools.appName("handoff-timeout")).maxSize(1).build())) {
            PgConnection held = pool.acquire();
            Thread impatient = Thread.ofVirtual().start(() -> {
                try {
                    pool.acquire(Duration.ofMillis(200)).close();
                } catch (io.pgloom.PgTimeoutException expected) {
                    // gave up
                }
            });
            impatient.join(Duration.ofSeconds(10));
            assertThat(pool.stats().waiting()).isZero();
            assertThat(pool.stats().acquireTimeouts()).isEqualTo(1);
            held.close();
            try (PgConnection next = pool.acquire(Duration.ZERO)) {
                assertThat(next.fetchVal(Integer.class, "SELECT 1")).isEqualTo(1);
            }
            Pools.awaitAllPermitsFree(pool);
        }
    }
}
