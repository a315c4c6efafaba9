package io.pgloom.it.pool;

import io.pgloom.ConnectOptions;
import io.pgloom.ConnectionException;
import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.PgTimeoutException;
import io.pgloom.it.TestDb;
import io.pgloom.pool.PgPool;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Waiting for a connection: timeouts that explain themselves, first come first served, failures that give the turn back. */
class PoolAcquireTest {

    @Test
    void acquireTimeoutSaysHowManyAreInUseAndWaiting() throws Exception {
        try (PgPool pool = PgPool.create(Pools.options(Pools.appName("timeout")).maxSize(2).build())) {
            PgConnection a = pool.acquire();
            PgConnection b = pool.acquire();
            // A second thread queues for a connection, so the timeout can count it.
            CountDownLatch served = new CountDownLatch(1);
            Thread waiter = Thread.ofVirtual().start(() -> {
                try (PgConnection c = pool.acquire(Duration.ofSeconds(30))) {
                    c.fetchVal("SELECT 1");
                    served.countDown();
                }
            });
            Pools.awaitTrue(() -> pool.stats().waiting() == 1, Duration.ofSeconds(10), "the waiter to queue");

            assertThatThrownBy(() -> pool.acquire(Duration.ofMillis(100)))
                    .isInstanceOf(PgTimeoutException.class)
                    .hasMessageContaining("within 100 ms")
                    .hasMessageContaining("2 of 2 in use")
                    .hasMessageContaining("1 more waiting");
            assertThat(pool.stats().acquireTimeouts()).isEqualTo(1);

            a.close();
            assertThat(served.await(10, TimeUnit.SECONDS)).isTrue();
            waiter.join();
            b.close();
            assertThat(pool.stats().availablePermits()).isEqualTo(2);
            assertThat(pool.stats().inUse()).isZero();
        }
    }

    /**
     * Waiters park without a timer each; one watch wakes them at their deadlines. A short
     * timeout queued behind a long one must end at its own deadline, not the earlier waiter's,
     * and the long one must still be served afterwards.
     */
    @Test
    void eachWaiterTimesOutAtItsOwnDeadline() throws Exception {
        try (PgPool pool = PgPool.create(Pools.options(Pools.appName("deadlines")).maxSize(1).build())) {
            PgConnection held = pool.acquire();
            CountDownLatch served = new CountDownLatch(1);
            Thread patient = Thread.ofVirtual().start(() -> {
                try (PgConnection c = pool.acquire(Duration.ofSeconds(120))) {
                    c.fetchVal("SELECT 1");
                    served.countDown();
                }
            });
            Pools.awaitTrue(() -> pool.stats().waiting() == 1, Duration.ofSeconds(10), "the patient waiter to queue");
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                assertThatThrownBy(() -> pool.acquire(Duration.ofMillis(200))).isInstanceOf(PgTimeoutException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - start))
                        .as("ended at its own deadline, not the 120 s one queued before it")
                        .isLessThan(Duration.ofSeconds(60));
            }
            assertThat(pool.stats().waiting()).as("the patient one still waits").isEqualTo(1);
            held.close();
            assertThat(served.await(10, TimeUnit.SECONDS)).isTrue();
            patient.join();
            assertThat(pool.stats().acquireTimeouts()).isEqualTo(3);
        }
    }

    @Test
    void zeroTimeoutFailsAtOnceWhenNoneIsFree() {
        try (PgPool pool = PgPool.create(Pools.options(Pools.appName("zero")).maxSize(1).build())) {
            try (PgConnection held = pool.acquire(Duration.ZERO)) {
                assertThat(held.fetchVal("SELECT 1")).isEqualTo(1);
                assertThatThrownBy(() -> pool.acquire(Duration.ZERO)).isInstanceOf(PgTimeoutException.class)
                        .hasMessageContaining("1 of 1 in use");
            }
            assertThat(pool.stats().availablePermits()).isEqualTo(1);
        }
    }

    @Test
    void waitersAreServedInTheOrderTheyCame() throws Exception {
        try (PgPool pool = PgPool.create(Pools.options(Pools.appName("fifo")).maxSize(1).build())) {
            PgConnection held = pool.acquire();
            List<Integer> order = Collections.synchronizedList(new ArrayList<>());
            List<Thread> waiters = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                waiters.add(Thread.ofVirtual().start(() -> {
                    try (PgConnection c = pool.acquire()) {
                        order.add(n);
                        c.fetchVal("SELECT 1");
                    }
                }));
                // Queue them one at a time so their arrival order is known.
                Pools.awaitTrue(() -> pool.stats().waiting() == n + 1, Duration.ofSeconds(10), "waiter " + n);
            }
            held.close();
            for (Thread t : waiters) {
                t.join();
            }
            assertThat(order).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
            assertThat(pool.stats().availablePermits()).isEqualTo(1);
        }
    }

    @Test
    void anInterruptedAcquireFailsAndKeepsTheInterrupt() {
        try (PgPool pool = PgPool.create(Pools.options(Pools.appName("interrupt")).maxSize(1).build())) {
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(pool::acquire).isInstanceOf(PgException.class).hasMessageContaining("interrupted");
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
            assertThat(pool.stats().availablePermits()).isEqualTo(1);
            assertThat(pool.fetchVal("SELECT 1")).isEqualTo(1);
        }
    }

    @Test
    void aFailedConnectGivesTheTurnBack() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort(); // free once closed: connecting there is refused
        }
        ConnectOptions nowhere = TestDb.options().toBuilder().host("127.0.0.1").port(closedPort)
                .connectTimeout(Duration.ofSeconds(5)).build();
        try (PgPool pool = PgPool.create(Pools.options(nowhere, Pools.appName("nowhere")).maxSize(2).build())) {
            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(() -> pool.fetchVal("SELECT 1")).isInstanceOf(ConnectionException.class);
            }
            assertThat(pool.stats().availablePermits()).isEqualTo(2);
            assertThat(pool.stats().size()).isZero();
            assertThat(pool.stats().connectionsCreated()).isZero();
        }
    }

    @Test
    void usesTheMostRecentlyReturnedConnectionFirst() {
        try (PgPool pool = PgPool.create(Pools.options(Pools.appName("lifo")).maxSize(3).build())) {
            PgConnection a = pool.acquire();
            PgConnection b = pool.acquire();
            PgConnection c = pool.acquire();
            int pidB = b.serverPid();
            a.close();
            c.close();
            b.close(); // returned last: on top of the stack
            try (PgConnection next = pool.acquire()) {
                assertThat(next.serverPid()).isEqualTo(pidB);
            }
        }
    }
}
