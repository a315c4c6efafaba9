package io.pgloom.it.pool;

import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.it.TestDb;
import io.pgloom.pool.PgPool;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** close() refuses new acquires at once, waits for borrowed connections, then closes them; terminate() does it now. */
class PoolCloseTest {

    @Test
    void closeWaitsForBorrowedConnectionsToComeBack() throws Exception {
        String app = Pools.appName("close-wait");
        try (PgConnection admin = TestDb.admin()) {
            PgPool pool = PgPool.create(Pools.options(app).minSize(1).maxSize(2).closeTimeout(Duration.ofSeconds(30)).build());
            PgConnection borrowed = pool.acquire();
            Thread closer = Thread.ofVirtual().start(pool::close);
            Pools.awaitTrue(pool::isClosed, Duration.ofSeconds(10), "close to begin");

            assertThatThrownBy(pool::acquire).isInstanceOf(PgException.class).hasMessageContaining("pool is closed");
            assertThatThrownBy(() -> pool.fetchVal("SELECT 1")).hasMessageContaining("pool is closed");
            // The borrower finishes its work undisturbed while close() waits for it.
            assertThat(borrowed.fetchVal("SELECT 42")).isEqualTo(42);
            assertThat(closer.isAlive()).isTrue();
            borrowed.close();
            closer.join(Duration.ofSeconds(20));
            assertThat(closer.isAlive()).isFalse();

            Pools.awaitTrue(() -> Pools.backends(admin, app) == 0, Duration.ofSeconds(10), "every backend to go");
            assertThat(pool.stats().size()).isZero();
            assertThat(pool.stats().inUse()).isZero();
            assertThat(pool.stats().connectionsClosed()).isEqualTo(pool.stats().connectionsCreated());
        }
    }

    @Test
    void closeTerminatesWhatIsStillBorrowedAfterTheTimeout() {
        String app = Pools.appName("close-timeout");
        try (PgConnection admin = TestDb.admin()) {
            PgPool pool = PgPool.create(Pools.options(app).maxSize(2).build());
            PgConnection kept = pool.acquire();
            assertThat(kept.fetchVal("SELECT 1")).isEqualTo(1);
            pool.close(Duration.ofMillis(200));
            assertThatThrownBy(() -> kept.fetchVal("SELECT 1")).isInstanceOf(PgException.class);
            Pools.awaitTrue(() -> Pools.backends(admin, app) == 0, Duration.ofSeconds(10), "the backend to go");
            kept.close(); // late, but it still counts the permit back
            assertThat(pool.stats().inUse()).isZero();
            assertThat(pool.stats().availablePermits()).isEqualTo(2);
            assertThat(pool.stats().size()).isZero();
        }
    }

    @Test
    void closeWakesThreadsWaitingToAcquire() throws Exception {
        PgPool pool = PgPool.create(Pools.options(Pools.appName("close-waiters")).maxSize(1).build());
        PgConnection held = pool.acquire();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                pool.acquire(Duration.ofMinutes(5)).close();
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        Pools.awaitTrue(() -> pool.stats().waiting() == 1, Duration.ofSeconds(10), "the waiter to queue");
        pool.close(Duration.ZERO);
        waiter.join(Duration.ofSeconds(20)); // far less than its own five-minute timeout
        assertThat(waiter.isAlive()).isFalse();
        assertThat(failure.get()).isInstanceOf(PgException.class).hasMessageContaining("pool is closed");
        held.close();
        assertThat(pool.stats().availablePermits()).isEqualTo(1);
    }

    @Test
    void terminateClosesEverythingNow() {
        String app = Pools.appName("terminate");
        try (PgConnection admin = TestDb.admin()) {
            PgPool pool = PgPool.create(Pools.options(app).minSize(2).maxSize(3).build());
            Pools.awaitTrue(() -> pool.stats().idle() == 2, Duration.ofSeconds(10), "min size to fill");
            PgConnection borrowed = pool.acquire();
            pool.terminate();
            assertThat(pool.isClosed()).isTrue();
            assertThatThrownBy(() -> borrowed.fetchVal("SELECT 1")).isInstanceOf(PgException.class);
            assertThatThrownBy(pool::acquire).hasMessageContaining("pool is closed");
            Pools.awaitTrue(() -> Pools.backends(admin, app) == 0, Duration.ofSeconds(10), "every backend to go");
            borrowed.close();
            pool.close(); // idempotent after terminate
            assertThat(pool.stats().size()).isZero();
        }
    }
}
