package io.pgloom.it.replicas;

import io.pgloom.ConnectOptions;
import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.Row;
import io.pgloom.Transaction;
import io.pgloom.internal.client.ClientConnection;
import io.pgloom.it.TestDb;
import io.pgloom.pool.PgPool;
import io.pgloom.pool.PoolOptions;
import io.pgloom.testing.PgBouncer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * pgloom through a real PgBouncer in transaction mode with {@code transaction_pooler=true}: four
 * server connections shared by many clients, every statement possibly on another server session.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PgBouncerTest {

    private static final int SERVER_CONNECTIONS = 4;
    private static PgBouncer bouncer;

    @BeforeAll
    static void startBouncer() {
        bouncer = PgBouncer.builder(TestDb.server()).poolMode("transaction").poolSize(SERVER_CONNECTIONS).start();
        try (PgConnection admin = TestDb.connect()) {
            admin.execute("DROP TABLE IF EXISTS bounced, bounced_load");
            admin.execute("CREATE TABLE bounced(id int PRIMARY KEY, name text, born date)");
            admin.execute("CREATE TABLE bounced_load(caller int, n int)");
            admin.execute("GRANT ALL ON bounced, bounced_load TO scram_user");
        }
    }

    @AfterAll
    static void stopBouncer() {
        if (bouncer != null) {
            bouncer.close();
        }
    }

    private static ConnectOptions options() {
        return ConnectOptions.fromUri(bouncer.uri("scram_user", "scram_pw") + "&transaction_pooler=true");
    }

    @Test
    void everyQueryMethodTransactionsExecuteManyAndCopyWorkWhileOthersShareTheServerConnections() throws Exception {
        // Other clients keep the four server connections busy, so that consecutive requests of
        // the connection under test land on different server sessions.
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> noise = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            noise.add(Thread.ofVirtual().start(() -> {
                try (PgConnection other = PgConnection.connect(options())) {
                    while (!stop.get()) {
                        other.fetchVal("SELECT $1::int + 1", 1);
                    }
                }
            }));
        }
        try (PgConnection conn = PgConnection.connect(options())) {
            assertThat(((ClientConnection) conn).protocolVersion()).as("3.0 for poolers").isEqualTo("3.0");
            conn.execute("DELETE FROM bounced");
            assertThat(conn.execute("INSERT INTO bounced VALUES ($1, $2, $3)", 1, "Bob", LocalDate.of(1990, 5, 1)))
                    .isEqualTo("INSERT 0 1");
            conn.executeMany("INSERT INTO bounced VALUES ($1, $2, $3)",
                    List.of(new Object[]{2, "Ann", null}, new Object[]{3, "Eve", null}, new Object[]{4, "Zed", null}));
            for (int round = 0; round < 50; round++) {
                assertThat(conn.fetchVal(Long.class, "SELECT count(*) FROM bounced WHERE id > $1", 0)).isEqualTo(4L);
                Row bob = conn.fetchRow("SELECT * FROM bounced WHERE name = $1", "Bob");
                assertThat(bob.get("born")).isEqualTo(LocalDate.of(1990, 5, 1));
                assertThat(conn.fetch("SELECT id FROM bounced WHERE id >= $1 ORDER BY id", 3))
                        .extracting(r -> r.get(0, Integer.class)).containsExactly(3, 4);
                assertThat(conn.fetchVal("SELECT 2 ^ $1", 10)).isEqualTo(1024.0);
            }
            try (Transaction tx = conn.transaction()) {
                conn.execute("UPDATE bounced SET name = $1 WHERE id = $2", "Robert", 1);
                assertThat(conn.fetchVal("SELECT name FROM bounced WHERE id = $1", 1)).isEqualTo("Robert");
                tx.commit();
            }
            try (Transaction tx = conn.transaction()) {
                conn.execute("DELETE FROM bounced WHERE id = $1", 1);
                try (Transaction nested = conn.transaction()) {
                    conn.execute("DELETE FROM bounced WHERE id = $1", 2);
                }
            } // rolled back
            assertThat(conn.fetchVal(Long.class, "SELECT count(*) FROM bounced")).isEqualTo(4L);

            assertThat(conn.copyRecordsToTable("bounced", List.<Object[]>of(new Object[]{5, "Kim", LocalDate.of(2000, 1, 2)}),
                    "id", "name", "born")).isEqualTo(1L);
            assertThat(conn.copyToTable("bounced", new ByteArrayInputStream("6,Lou,\n7,Max,\n".getBytes(StandardCharsets.UTF_8)),
                    "FORMAT csv")).isEqualTo(2L);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(conn.copyFromQuery("SELECT id FROM bounced WHERE id >= 5 ORDER BY id", out)).isEqualTo(3L);
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("5\n6\n7\n");
            out.reset();
            assertThat(conn.copyFromTable("bounced", out, "FORMAT csv")).isEqualTo(7L);

            int seen = 0;
            try (io.pgloom.RowCursor cursor = conn.cursor(2, "SELECT g FROM generate_series(1, $1) g", 5)) {
                for (Row r : cursor) {
                    assertThat(r.get(0, Integer.class)).isEqualTo(++seen);
                }
            }
            assertThat(seen).isEqualTo(5);
            assertThatThrownBy(() -> conn.prepare("SELECT $1::int"))
                    .isInstanceOf(PgException.class).hasMessageContaining("transaction_pooler=true");

            assertThatThrownBy(() -> conn.execute("SELECT * FROM no_such_table WHERE id = $1", 1))
                    .isInstanceOf(PgException.class).hasMessageContaining("no_such_table");
            assertThat(conn.fetchVal(Long.class, "SELECT count(*) FROM bounced")).as("still usable").isEqualTo(7L);
        } finally {
            stop.set(true);
            for (Thread t : noise) {
                t.join(10_000);
            }
        }
    }

    @Test
    void withoutTheOptionNamedStatementsMeetTheWrongServerSession() throws Exception {
        // Why the option exists: a statement prepared on one server session is unknown on another.
        List<PgConnection> conns = new ArrayList<>();
        ConnectOptions plain = ConnectOptions.fromUri(bouncer.uri("scram_user", "scram_pw"));
        int errors = 0;
        try {
            for (int i = 0; i < 8; i++) {
                conns.add(PgConnection.connect(plain));
            }
            for (int round = 0; round < 10; round++) {
                for (PgConnection c : conns) {
                    try {
                        c.fetchVal("SELECT $1::int + " + round, 1);
                    } catch (PgException e) {
                        errors++;
                    }
                }
            }
        } finally {
            conns.forEach(PgConnection::close);
        }
        assertThat(errors).isGreaterThan(0);
    }

    @Test
    void listenIsRefusedWithAClearError() {
        try (PgConnection conn = PgConnection.connect(options())) {
            assertThatThrownBy(() -> conn.addListener("orders", n -> { }))
                    .isInstanceOf(PgException.class).hasMessageContaining("LISTEN")
                    .hasMessageContaining("transaction_pooler=true");
            assertThatThrownBy(() -> conn.execute("  listen orders"))
                    .isInstanceOf(PgException.class).hasMessageContaining("transaction_pooler=true");
            assertThat(conn.execute("SELECT 'listen'")).as("LISTEN inside other SQL is fine").isEqualTo("SELECT 1");
            assertThat(conn.fetchVal("SELECT 1")).isEqualTo(1);
        }
    }

    /**
     * 200 virtual threads over 4 server connections for {@code pgloom.bouncer.seconds} (30 by
     * default): half with a connection each, half through a pgloom pool; queries, transactions,
     * executeMany and COPY; not one error. Tagged long: it runs on the default server version only.
     */
    @Test
    @Tag("long")
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void twoHundredVirtualThreadsShareFourServerConnectionsWithoutAnError() throws Exception {
        long seconds = Long.getLong("pgloom.bouncer.seconds", 30);
        int callers = 200;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong operations = new AtomicLong();
        AtomicInteger maxServerConnections = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        PgPool pool = PgPool.create(PoolOptions.builder().connectOptions(options()).minSize(0).maxSize(50)
                .acquireTimeout(Duration.ofSeconds(30)).build());
        List<Thread> threads = new ArrayList<>();
        try {
            for (int i = 0; i < callers; i++) {
                int caller = i;
                threads.add(Thread.ofVirtual().start(() -> {
                    try (PgConnection own = caller % 2 == 0 ? PgConnection.connect(options()) : null) {
                        int n = 0;
                        while (!stop.get()) {
                            n++;
                            if (own != null) {
                                work(own, caller, n);
                            } else {
                                int round = n;
                                pool.inTransaction(c -> {
                                    work(c, caller, round);
                                    return null;
                                });
                                assertThat(pool.fetchVal(Integer.class, "SELECT $1::int", caller)).isEqualTo(caller);
                            }
                            operations.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }));
            }
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            try (PgConnection admin = TestDb.connect()) {
                while (System.nanoTime() < end && errors.isEmpty()) {
                    maxServerConnections.accumulateAndGet(admin.fetchVal(Integer.class,
                            "SELECT count(*)::int FROM pg_stat_activity WHERE usename = 'scram_user'"), Math::max);
                    Thread.sleep(200);
                }
            }
        } finally {
            stop.set(true);
            for (Thread t : threads) {
                t.join(30_000);
            }
            pool.close();
        }
        System.out.printf("PgBouncer (transaction mode, %d server connections): %d callers, %d operations in %d s,"
                        + " %d errors, at most %d server connections seen%n", SERVER_CONNECTIONS, callers,
                operations.get(), seconds, errors.size(), maxServerConnections.get());
        assertThat(errors).as("errors").isEmpty();
        assertThat(operations.get()).isGreaterThan(callers);
        assertThat(maxServerConnections.get()).isBetween(1, SERVER_CONNECTIONS);
    }

    /** One caller's mix: a query, a transaction, a batch, sometimes a COPY. */
    private static void work(PgConnection c, int caller, int n) {
        assertThat(c.fetchVal(Integer.class, "SELECT $1::int + $2::int", caller, n)).isEqualTo(caller + n);
        switch (n % 4) {
            case 0 -> {
                try (Transaction tx = c.transaction()) {
                    c.execute("INSERT INTO bounced_load VALUES ($1, $2)", caller, n);
                    assertThat(c.fetchVal(Long.class, "SELECT count(*) FROM bounced_load WHERE caller = $1 AND n = $2",
                            caller, n)).isEqualTo(1L);
                    tx.rollback();
                }
            }
            case 1 -> c.executeMany("INSERT INTO bounced_load VALUES ($1, $2)",
                    List.of(new Object[]{caller, -n}, new Object[]{caller, -n - 1}));
            case 2 -> {
                if (ThreadLocalRandom.current().nextInt(8) == 0) {
                    c.copyRecordsToTable("bounced_load", List.<Object[]>of(new Object[]{caller, n}), "caller", "n");
                }
            }
            default -> assertThat(c.fetch("SELECT g FROM generate_series(1, $1) g", 3)).hasSize(3);
        }
    }
}
