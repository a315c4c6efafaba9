package io.pgloom.it.replicas;

import io.pgloom.ConnectOptions;
import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.pool.PgPool;
import io.pgloom.pool.PoolOptions;
import io.pgloom.testing.PgServer;
import io.pgloom.testing.ReplicaSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pools over a primary and its standbys when servers go away: a read-write pool follows a
 * promotion, a read-only pool keeps serving from the standbys that are left.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FailoverTest {

    private static final int WRITERS = 8;

    @Test
    void aReadWritePoolServesWritesAgainSoonAfterPromotionAndLosesNoAcknowledgedWrite() throws Exception {
        try (ReplicaSet set = ReplicaSet.builder().standbys(1).synchronous(true).build().start()) {
            PgServer oldPrimary = set.primary();
            PgServer standby = set.standbys().get(0);
            try (PgConnection conn = PgConnection.connect(oldPrimary.uri())) {
                conn.execute("CREATE TABLE acked(id bigint PRIMARY KEY, writer int)");
            }
            ConnectOptions options = ConnectOptions.fromUri(set.uri("pgloom", "pgloom",
                    "target_session_attrs=read-write", "connect_timeout=2"));
            PgPool pool = PgPool.create(PoolOptions.builder().connectOptions(options).minSize(0).maxSize(WRITERS)
                    .acquireTimeout(Duration.ofSeconds(5)).build());
            Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicLong nextId = new AtomicLong();
            AtomicLong lastSuccessNanos = new AtomicLong();
            AtomicLong firstSuccessAfterKill = new AtomicLong();
            AtomicBoolean killed = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger failures = new AtomicInteger();
            List<Thread> writers = new ArrayList<>();
            try {
                for (int w = 0; w < WRITERS; w++) {
                    int writer = w;
                    writers.add(Thread.ofVirtual().start(() -> {
                        while (!stop.get()) {
                            long id = nextId.incrementAndGet();
                            try {
                                pool.execute("INSERT INTO acked VALUES ($1, $2)", id, writer);
                                acknowledged.add(id);
                                long now = System.nanoTime();
                                lastSuccessNanos.set(now);
                                if (killed.get()) {
                                    firstSuccessAfterKill.compareAndSet(0, now);
                                }
                            } catch (PgException e) {
                                // no primary for a moment: the write was not acknowledged, try another
                                failures.incrementAndGet();
                                sleep(20);
                            }
                        }
                    }));
                }
                sleep(1_000);
                int beforeKill = acknowledged.size();
                set.kill(oldPrimary);
                killed.set(true);
                sleep(300);
                long promotedNanos = System.nanoTime();
                set.promote(standby);
                long promoteReturnedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - promotedNanos);
                while (firstSuccessAfterKill.get() == 0 && System.nanoTime() - promotedNanos < TimeUnit.SECONDS.toNanos(30)) {
                    sleep(5);
                }
                sleep(1_000);
                stop.set(true);
                for (Thread t : writers) {
                    t.join(30_000);
                }
                long resumedAfterMillis = firstSuccessAfterKill.get() == 0 ? -1
                        : TimeUnit.NANOSECONDS.toMillis(firstSuccessAfterKill.get() - promotedNanos);
                System.out.printf("failover: %d writes acknowledged before the kill, %d in all, %d refused;"
                                + " writes resumed %d ms after pg_promote was called (it returned after %d ms)%n",
                        beforeKill, acknowledged.size(), failures.get(), resumedAfterMillis, promoteReturnedMillis);
                assertThat(beforeKill).as("writes before the kill").isGreaterThan(0);
                assertThat(firstSuccessAfterKill.get()).as("a write succeeded after the failover").isNotZero();
                assertThat(resumedAfterMillis).as("ms from promotion to the first write served").isLessThanOrEqualTo(2_000);

                Set<Long> stored = new HashSet<>();
                try (PgConnection conn = PgConnection.connect(standby.uri())) {
                    assertThat(conn.fetchVal("SELECT pg_is_in_recovery()")).isEqualTo(false);
                    conn.fetch("SELECT id FROM acked").forEach(r -> stored.add(r.get(0, Long.class)));
                }
                Set<Long> lost = new HashSet<>(acknowledged);
                lost.removeAll(stored);
                assertThat(lost).as("acknowledged writes missing after the failover").isEmpty();
                assertThat(pool.stats().inUse()).isZero();
                assertThat(pool.stats().availablePermits()).as("no leaked permit").isEqualTo(WRITERS);
            } finally {
                stop.set(true);
                pool.close();
            }
        }
    }

    @Test
    void aReadWritePoolDropsConnectionsToAServerThatBecameReadOnly() {
        try (PgServer first = PgServer.builder().build().start();
             PgServer second = PgServer.builder().build().start()) {
            String uri = ReplicaSet.uri(List.of(first, second), "pgloom", "pgloom", "target_session_attrs=read-write");
            for (PgServer s : List.of(first, second)) {
                try (PgConnection conn = PgConnection.connect(s.uri())) {
                    conn.execute("CREATE TABLE writes(server int)");
                }
            }
            PgPool pool = PgPool.create(PoolOptions.builder().connectOptions(ConnectOptions.fromUri(uri))
                    .minSize(0).maxSize(4).acquireTimeout(Duration.ofSeconds(5)).build());
            try {
                for (int i = 0; i < 8; i++) {
                    pool.execute("INSERT INTO writes VALUES (inet_server_port())");
                }
                try (PgConnection conn = PgConnection.connect(first.uri())) {
                    conn.execute("ALTER SYSTEM SET default_transaction_read_only = on");
                    conn.fetchVal("SELECT pg_reload_conf()");
                }
                // The reload is asynchronous: once a new session sees the setting, the postmaster has
                // re-read it and signalled every backend, and a pooled backend then runs at most one
                // more transaction under the old setting (it re-reads the file between commands).
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (true) {
                    try (PgConnection conn = PgConnection.connect(first.uri())) {
                        if ("on".equals(conn.fetchVal(String.class, "SHOW default_transaction_read_only"))) {
                            break;
                        }
                    }
                    assertThat(System.nanoTime()).as("the reload took effect within 10 s").isLessThan(deadline);
                }
                // Each pooled connection may fail once (the server says so with the error); the
                // pool then drops it, and new connections go to the server that still writes.
                int refused = 0;
                int written = 0;
                for (int i = 0; i < 40 && written < 8; i++) {
                    try {
                        pool.execute("INSERT INTO writes VALUES (inet_server_port())");
                        written++;
                    } catch (PgException e) {
                        assertThat(e.sqlState()).isEqualTo("25006");
                        refused++;
                    }
                }
                assertThat(written).isEqualTo(8);
                assertThat(refused).as("one refusal at most per pooled connection").isLessThanOrEqualTo(4);
                // Each of the (at most 4) pooled backends of the first server may have let one write
                // through under the old setting; from now on none may.
                for (int i = 0; i < 8; i++) {
                    assertThat(pool.fetchVal(Integer.class, "INSERT INTO writes VALUES (inet_server_port()) RETURNING server"))
                            .as("write %d after the switch", i).isEqualTo(second.port());
                }
                try (PgConnection conn = PgConnection.connect(second.uri())) {
                    assertThat(conn.fetchVal(Long.class, "SELECT count(*) FROM writes")).isBetween(8L + 4, 16L);
                }
                assertThat(pool.stats().availablePermits()).isEqualTo(4);
            } finally {
                pool.close();
            }
        }
    }

    @Test
    void aReadOnlyPoolOverStandbysKeepsServingWhenOneGoesAway() throws Exception {
        try (ReplicaSet set = ReplicaSet.builder().standbys(2).build().start()) {
            PgServer gone = set.standbys().get(0);
            PgServer left = set.standbys().get(1);
            ConnectOptions options = ConnectOptions.fromUri(ReplicaSet.uri(set.standbys(), "pgloom", "pgloom",
                    "target_session_attrs=standby", "load_balance_hosts=random", "connect_timeout=2"));
            PgPool pool = PgPool.create(PoolOptions.builder().connectOptions(options).minSize(0).maxSize(4)
                    .acquireTimeout(Duration.ofSeconds(5)).build());
            try {
                Set<Integer> ports = new HashSet<>();
                List<PgConnection> held = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    held.add(pool.acquire());
                }
                for (PgConnection c : held) {
                    ports.add(c.fetchVal(Integer.class, "SELECT inet_server_port()"));
                    c.close();
                }
                set.kill(gone);
                int served = 0;
                int failed = 0;
                for (int i = 0; i < 100; i++) {
                    try {
                        assertThat(pool.fetchVal(Integer.class, "SELECT inet_server_port()")).isEqualTo(left.port());
                        served++;
                    } catch (PgException e) {
                        failed++;
                    }
                }
                System.out.printf("read-only pool: first connections on %s; after one standby died: %d served,"
                        + " %d failed%n", ports, served, failed);
                // a query on a connection to the dead standby fails once; the pool drops it
                assertThat(failed).isLessThanOrEqualTo(4);
                assertThat(served).isGreaterThanOrEqualTo(96);
                assertThat(pool.stats().availablePermits()).isEqualTo(4);
            } finally {
                pool.close();
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
