package io.pgloom.it.pool;

import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.PgNotice;
import io.pgloom.Queries;
import io.pgloom.Transaction;
import io.pgloom.it.TestDb;
import io.pgloom.pool.PgPool;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a borrower leaves behind is undone on release, and the borrow ends for good. */
class PoolReleaseTest {

    /** A pool of one, so the next acquire gets the same connection back (or a new one if it was discarded). */
    private static PgPool poolOfOne(String test) {
        return PgPool.create(Pools.options(Pools.appName(test)).maxSize(1).build());
    }

    @Test
    void anOpenTransactionIsRolledBackAndSettingsReset() {
        try (PgPool pool = poolOfOne("open-tx"); PgConnection admin = TestDb.admin()) {
            String defaultTimeout = admin.fetchVal(String.class, "SHOW statement_timeout");
            pool.execute("CREATE TABLE IF NOT EXISTS pool_release_t(id int)");
            pool.execute("TRUNCATE pool_release_t");
            int pid;
            try (PgConnection conn = pool.acquire()) {
                pid = conn.serverPid();
                conn.execute("SET statement_timeout = '123s'");
                conn.execute("SELECT pg_advisory_lock(4242)");
                conn.execute("LISTEN pool_release_channel");
                Transaction tx = conn.transaction();
                conn.execute("INSERT INTO pool_release_t VALUES (1)");
                conn.execute("SET LOCAL work_mem = '7MB'");
                assertThat(tx.isActive()).isTrue();
                // closed without commit, and without closing the transaction
            }
            try (PgConnection conn = pool.acquire()) {
                assertThat(conn.serverPid()).as("the same connection, reset, not a new one").isEqualTo(pid);
                assertThat(conn.isInTransaction()).isFalse();
                assertThat(conn.fetchVal(String.class, "SHOW statement_timeout")).isEqualTo(defaultTimeout);
                assertThat(conn.fetchVal(Long.class, "SELECT count(*) FROM pool_release_t")).isZero();
                assertThat(conn.fetch("SELECT pg_listening_channels()")).isEmpty();
            }
            assertThat(admin.fetchVal(Long.class, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = $1", pid))
                    .as("advisory locks left behind").isZero();
            pool.execute("DROP TABLE pool_release_t");
        }
    }

    @Test
    void aFailedTransactionComesBackClean() {
        try (PgPool pool = poolOfOne("failed-tx")) {
            int pid;
            try (PgConnection conn = pool.acquire()) {
                pid = conn.serverPid();
                conn.execute("SET search_path = nowhere");
                conn.transaction();
                assertThatThrownBy(() -> conn.execute("SELECT 1/0")).isInstanceOf(PgException.class);
                assertThatThrownBy(() -> conn.execute("SELECT 1")).isInstanceOf(PgException.class)
                        .satisfies(e -> assertThat(((PgException) e).sqlState()).isEqualTo("25P02"));
            }
            try (PgConnection conn = pool.acquire()) {
                assertThat(conn.serverPid()).isEqualTo(pid);
                assertThat(conn.isInTransaction()).isFalse();
                assertThat(conn.fetchVal(String.class, "SHOW search_path")).isEqualTo("\"$user\", public");
            }
            assertThat(pool.stats().connectionsClosed()).isZero();
        }
    }

    @Test
    void aReleasedConnectionAndItsTransactionsAreDead() {
        try (PgPool pool = poolOfOne("dead")) {
            PgConnection conn = pool.acquire();
            Transaction tx = conn.transaction();
            Queries timed = conn.withTimeout(Duration.ofSeconds(5));
            conn.close();
            conn.close(); // idempotent
            assertThat(conn.isClosed()).isTrue();
            assertThat(tx.isActive()).isFalse();
            assertThatThrownBy(() -> conn.fetchVal("SELECT 1")).isInstanceOf(PgException.class)
                    .hasMessageContaining("connection was released to the pool");
            assertThatThrownBy(conn::serverPid).hasMessageContaining("released to the pool");
            assertThatThrownBy(conn::cancel).hasMessageContaining("released to the pool");
            assertThatThrownBy(() -> timed.execute("SELECT 1")).hasMessageContaining("released to the pool");
            assertThatThrownBy(tx::commit).hasMessageContaining("released to the pool");
            assertThatThrownBy(tx::rollback).hasMessageContaining("released to the pool");
            tx.close(); // nothing left to roll back: the pool did it

            // The next borrower's transaction is untouched by the stale objects.
            try (PgConnection next = pool.acquire(); Transaction mine = next.transaction()) {
                tx.close();
                assertThat(mine.isActive()).isTrue();
                assertThat(next.isInTransaction()).isTrue();
                mine.commit();
            }
            assertThat(pool.stats().availablePermits()).isEqualTo(1);
        }
    }

    @Test
    void commandTimeoutAndLogListenersAreRestored() {
        try (PgPool pool = poolOfOne("restore")) {
            Duration original;
            List<PgNotice> heard = new CopyOnWriteArrayList<>();
            Consumer<PgNotice> listener = heard::add;
            try (PgConnection conn = pool.acquire()) {
                original = conn.commandTimeout();
                conn.setCommandTimeout(Duration.ofMillis(1234));
                conn.addLogListener(listener);
                conn.execute("DO $$ BEGIN RAISE NOTICE 'mine'; END $$");
                assertThat(heard).hasSize(1);
            }
            try (PgConnection conn = pool.acquire()) {
                assertThat(conn.commandTimeout()).isEqualTo(original);
                conn.execute("DO $$ BEGIN RAISE NOTICE 'not yours'; END $$");
            }
            assertThat(heard).hasSize(1);
        }
    }

    /**
     * pgloom-jdbc adds a log listener on every borrow: a borrow's listeners are its own, shown
     * among its changes while it has them, and end with it, so the next borrower neither hears
     * them nor sees them as a change.
     */
    @Test
    void aLogListenerAddedAndRemovedLeavesTheBorrowClean() {
        try (PgPool pool = poolOfOne("listener-pair")) {
            List<PgNotice> heard = new CopyOnWriteArrayList<>();
            Consumer<PgNotice> kept = heard::add;
            Consumer<PgNotice> removed = heard::add;
            try (PgConnection conn = pool.acquire()) {
                conn.addLogListener(removed);
                assertThat(conn.sessionChanges()).containsExactly(io.pgloom.SessionChange.LOG_LISTENERS);
                conn.removeLogListener(removed);
                assertThat(conn.sessionChanges()).as("added and removed again").isEmpty();

                conn.addLogListener(kept);
                conn.addLogListener(removed);
                conn.removeLogListener(removed);
                assertThat(conn.sessionChanges()).as("one listener stays").containsExactly(io.pgloom.SessionChange.LOG_LISTENERS);
                conn.execute("DO $$ BEGIN RAISE NOTICE 'mine'; END $$");
                assertThat(heard).hasSize(1);
            }
            try (PgConnection conn = pool.acquire()) {
                assertThat(conn.sessionChanges()).isEmpty();
                conn.execute("DO $$ BEGIN RAISE NOTICE 'not yours'; END $$");
            }
            assertThat(heard).as("the listener that stayed ended with its borrow").hasSize(1);
        }
    }

    @Test
    void anInterruptPendingAtReleaseKeepsTheConnection() {
        try (PgPool pool = poolOfOne("interrupted")) {
            int pid;
            try (PgConnection conn = pool.acquire()) {
                pid = conn.serverPid();
                conn.execute("BEGIN");
                Thread.currentThread().interrupt();
            } finally {
                assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
            }
            try (PgConnection conn = pool.acquire()) {
                assertThat(conn.serverPid()).isEqualTo(pid);
                assertThat(conn.isInTransaction()).isFalse();
            }
        }
    }

    @Test
    void aConnectionWhoseResetFailsIsReplaced() {
        try (PgPool pool = PgPool.create(Pools.options(Pools.appName("bad-reset")).maxSize(1)
                .resetQuery("SELECT 1/0").build())) {
            int first;
            try (PgConnection conn = pool.acquire()) {
                first = conn.serverPid();
            }
            try (PgConnection conn = pool.acquire()) {
                assertThat(conn.serverPid()).isNotEqualTo(first);
            }
            assertThat(pool.stats().connectionsClosed()).isEqualTo(2);
            assertThat(pool.stats().availablePermits()).isEqualTo(1);
            assertThat(pool.stats().size()).isZero();
        }
    }

    @Test
    void aConnectionStillBusyInAnotherThreadAtReleaseIsDiscarded() throws Exception {
        try (PgPool pool = poolOfOne("busy")) {
            PgConnection conn = pool.acquire();
            int pid = conn.serverPid();
            Thread sleeper = Thread.ofVirtual().start(() -> {
                try {
                    conn.execute("SELECT pg_sleep(30)");
                } catch (PgException expected) {
                    // the pool closed it under us
                }
            });
            try (PgConnection admin = TestDb.admin()) {
                Pools.awaitTrue(() -> admin.fetchVal(Integer.class,
                        "SELECT count(*)::int FROM pg_stat_activity WHERE pid = $1 AND state = 'active'", pid) == 1,
                        Duration.ofSeconds(10), "the sleep to start");
            }
            conn.close(); // the reset finds it busy: it cannot be reused
            sleeper.join(Duration.ofSeconds(20));
            assertThat(sleeper.isAlive()).isFalse();
            try (PgConnection next = pool.acquire()) {
                assertThat(next.serverPid()).isNotEqualTo(pid);
            }
            assertThat(pool.stats().availablePermits()).isEqualTo(1);
        }
    }
}
