package io.pgloom.it.pool;

import io.pgloom.ConnectionException;
import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.PgNotice;
import io.pgloom.SessionChange;
import io.pgloom.Transaction;
import io.pgloom.codec.TypeCodec;
import io.pgloom.it.TestDb;
import io.pgloom.pool.PgPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The next borrower sees a clean session after every kind of state a borrower can leave
 * behind, every time: a pool of one hands the same connection to borrower after borrower, each
 * leftover is left several times over, and after each the next borrow inspects the whole session
 * (not only the kind just left). The reset is free for clean borrows, so the test also checks it
 * never discards the connection to get there.
 */
class PoolSessionResetTest {

    private static final int ROUNDS = 5;
    private static final List<PgNotice> HEARD = new CopyOnWriteArrayList<>();

    private static PgPool pool;
    private static PgConnection admin;
    private static Clean clean;

    /** What a clean session looks like, read from a fresh connection. */
    private record Clean(String user, String workMem, String searchPath, Duration commandTimeout) {
    }

    @BeforeAll
    static void start() {
        admin = TestDb.admin();
        admin.execute("CREATE TABLE IF NOT EXISTS pool_reset_t(id int)");
        pool = PgPool.create(Pools.options(Pools.appName("session-reset")).maxSize(1).build());
        try (PgConnection conn = pool.acquire()) {
            clean = new Clean(conn.fetchVal(String.class, "SELECT current_user"),
                    conn.fetchVal(String.class, "SHOW work_mem"), conn.fetchVal(String.class, "SHOW search_path"),
                    conn.commandTimeout());
        }
    }

    @AfterAll
    static void stop() {
        pool.close();
        admin.execute("DROP TABLE IF EXISTS pool_reset_t");
        admin.close();
    }

    /** Each kind of leftover, as one borrower would leave it. */
    private static Map<String, Consumer<PgConnection>> leftovers() {
        Map<String, Consumer<PgConnection>> m = new LinkedHashMap<>();
        m.put("open transaction", c -> {
            c.transaction();
            c.execute("INSERT INTO pool_reset_t VALUES (1)");
        });
        m.put("failed transaction", c -> {
            c.transaction();
            assertThatThrownBy(() -> c.execute("SELECT 1/0")).isInstanceOf(PgException.class);
        });
        m.put("transaction begun with SQL", c -> c.execute("BEGIN"));
        m.put("SET", c -> c.execute("SET work_mem = '7MB'"));
        m.put("SET with parameters (extended protocol)", c -> c.fetch("SELECT set_config('work_mem', $1, false)", "9MB"));
        m.put("SET ROLE", c -> c.execute("SET ROLE trust_user"));
        m.put("SET SESSION AUTHORIZATION", c -> c.execute("SET SESSION AUTHORIZATION trust_user"));
        m.put("search_path", c -> c.execute("SET search_path = pg_catalog"));
        m.put("LISTEN", c -> c.execute("LISTEN pool_reset_channel"));
        m.put("LISTEN through addListener", c -> c.addListener("pool_reset_channel2", n -> { }));
        m.put("temp table", c -> c.execute("CREATE TEMP TABLE pool_reset_tmp(x int)"));
        m.put("temp table from SELECT INTO", c -> c.execute("SELECT 1 AS x INTO TEMP pool_reset_tmp2"));
        m.put("SQL PREPARE", c -> c.execute("PREPARE pool_reset_stmt AS SELECT 1"));
        m.put("WITH HOLD cursor", c -> c.execute("DECLARE pool_reset_cur CURSOR WITH HOLD FOR SELECT 1"));
        m.put("advisory lock", c -> c.fetchVal("SELECT pg_advisory_lock($1)", 4242L));
        m.put("command timeout", c -> c.setCommandTimeout(Duration.ofMillis(1234)));
        m.put("log listener", c -> c.addLogListener(HEARD::add));
        m.put("type codec", c -> c.setTypeCodec("int4", "pg_catalog",
                TypeCodec.text(String.class, s -> s, s -> "codec:" + s)));
        return m;
    }

    @Test
    void theNextBorrowerSeesACleanSessionAfterEveryKindOfLeftover() {
        long closedBefore = pool.stats().connectionsClosed();
        int checked = 0;
        for (int round = 0; round < ROUNDS; round++) {
            for (Map.Entry<String, Consumer<PgConnection>> leftover : leftovers().entrySet()) {
                try (PgConnection conn = pool.acquire()) {
                    leftover.getValue().accept(conn);
                    assertThat(conn.sessionChanges()).as("what %s changed", leftover.getKey()).isNotEmpty();
                }
                assertClean(leftover.getKey());
                checked++;
            }
        }
        assertThat(checked).isEqualTo(ROUNDS * leftovers().size());
        assertThat(pool.stats().connectionsClosed()).as("reset, not replaced").isEqualTo(closedBefore);
    }

    @Test
    void everythingAtOnceIsResetToo() {
        try (PgConnection conn = pool.acquire()) {
            for (Consumer<PgConnection> leftover : leftovers().values()) {
                if (!conn.isInTransaction()) { // one transaction at a time; the failed one last
                    leftover.accept(conn);
                }
            }
        }
        assertClean("everything at once");
    }

    @Test
    void aCleanBorrowReportsNoChanges() {
        try (PgConnection conn = pool.acquire()) {
            conn.fetch("SELECT * FROM pool_reset_t WHERE id = $1", 1);
            conn.execute("INSERT INTO pool_reset_t VALUES (2)");
            try (Transaction tx = conn.transaction()) {
                conn.execute("DELETE FROM pool_reset_t WHERE id = $1", 2);
                tx.commit();
            }
            assertThat(conn.sessionChanges()).isEmpty();
        }
    }

    /** Inspects the whole session of the next borrow. */
    private static void assertClean(String after) {
        try (PgConnection conn = pool.acquire()) {
            String as = "after " + after + ": ";
            assertThat(conn.isInTransaction()).as(as + "in a transaction").isFalse();
            assertThat(conn.fetchVal(String.class, "SELECT current_user")).as(as + "current_user").isEqualTo(clean.user);
            assertThat(conn.fetchVal(String.class, "SELECT session_user")).as(as + "session_user").isEqualTo(clean.user);
            assertThat(conn.fetchVal(String.class, "SHOW work_mem")).as(as + "work_mem").isEqualTo(clean.workMem);
            assertThat(conn.fetchVal(String.class, "SHOW search_path")).as(as + "search_path").isEqualTo(clean.searchPath);
            assertThat(conn.fetch("SELECT pg_listening_channels()")).as(as + "LISTENs").isEmpty();
            assertThat(conn.fetchVal(Long.class, "SELECT count(*) FROM pg_class WHERE relpersistence = 't'"
                    + " AND relnamespace = pg_my_temp_schema()")).as(as + "temp tables").isZero();
            assertThat(conn.fetchVal(Long.class, "SELECT count(*) FROM pg_prepared_statements WHERE from_sql"))
                    .as(as + "SQL prepared statements").isZero();
            assertThat(conn.fetchVal(Long.class, "SELECT count(*) FROM pg_cursors WHERE name <> ''")).as(as + "cursors").isZero();
            assertThat(conn.fetchVal(Long.class, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                    + " AND pid = pg_backend_pid()")).as(as + "advisory locks").isZero();
            assertThat(conn.fetchVal(Long.class, "SELECT count(*) FROM pool_reset_t WHERE id = 1"))
                    .as(as + "rows of a transaction left open").isZero();
            assertThat(conn.commandTimeout()).as(as + "command timeout").isEqualTo(clean.commandTimeout);
            assertThat(conn.fetchVal("SELECT 41 + 1")).as(as + "int4 codec").isEqualTo(42);
            int heardBefore = HEARD.size();
            conn.execute("DO $$ BEGIN RAISE NOTICE 'for this borrower only'; END $$");
            assertThat(HEARD).as(as + "an earlier borrower's log listener heard this one").hasSize(heardBefore);
            conn.execute("DEALLOCATE ALL"); // statements are kept warm; this makes the next check see only leftovers
        }
    }

    /**
     * A reset that fails closes the connection, and the statement that carried it is refused by
     * the server (the reset's block failed), so it did not run: a ConnectionException that says
     * so, and the pool's own query methods run it again on another connection.
     */
    @Test
    void aFailedResetDiscardsTheConnectionAndTheStatementBehindItDoesNotRun() {
        appUser();
        admin.execute("CREATE TABLE IF NOT EXISTS pool_reset_runs(id int)");
        admin.execute("TRUNCATE pool_reset_runs");
        admin.execute("GRANT INSERT, SELECT ON pool_reset_runs TO pool_app");
        // Make the reset fail for a non-superuser: it calls pg_advisory_unlock_all().
        admin.execute("REVOKE EXECUTE ON FUNCTION pg_catalog.pg_advisory_unlock_all() FROM PUBLIC");
        // pipelining(1): the pool's execute on a connection of its own, as acquire() gives
        try (PgPool app = PgPool.create(Pools.options(TestDb.options().toBuilder().user("pool_app")
                .password("pool_app_pw").build(), Pools.appName("reset-fails")).maxSize(1).pipelining(1).build())) {
            try (PgConnection conn = app.acquire()) {
                conn.execute("SET work_mem = '7MB'");
            }
            try (PgConnection conn = app.acquire()) {
                assertThatThrownBy(() -> conn.execute("INSERT INTO pool_reset_runs VALUES (1)"))
                        .isInstanceOf(ConnectionException.class)
                        .satisfies(e -> assertThat(((ConnectionException) e).requestSent()).isFalse())
                        .hasMessageContaining("the request was not run");
                assertThat(conn.isClosed()).isTrue();
            }
            assertThat(admin.fetchVal(Long.class, "SELECT count(*) FROM pool_reset_runs")).as("rows inserted").isZero();
            assertThat(app.stats().connectionsClosed()).isEqualTo(1);

            try (PgConnection conn = app.acquire()) {
                conn.execute("SET work_mem = '7MB'");
            }
            assertThat(app.execute("INSERT INTO pool_reset_runs VALUES (2)"))
                    .as("run once, on a fresh connection").isEqualTo("INSERT 0 1");
            assertThat(admin.fetchVal(Long.class, "SELECT count(*) FROM pool_reset_runs")).isEqualTo(1);
            assertThat(app.stats().connectionsClosed()).isEqualTo(2);
        } finally {
            admin.execute("GRANT EXECUTE ON FUNCTION pg_catalog.pg_advisory_unlock_all() TO PUBLIC");
            admin.execute("DROP TABLE pool_reset_runs");
        }
    }

    /** A login role without superuser rights, for what a superuser could not show. */
    private static void appUser() {
        admin.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pool_app')"
                + " THEN CREATE ROLE pool_app LOGIN NOINHERIT PASSWORD 'pool_app_pw'; END IF; END $$");
    }

    private static PgPool appPool(String test) {
        return PgPool.create(Pools.options(TestDb.options().toBuilder().user("pool_app").password("pool_app_pw").build(),
                Pools.appName(test)).maxSize(1).build());
    }

    /**
     * The privilege leak this guards against: an app that logs in as one role and switches per
     * request (row-level security, tenants) must not hand the next request the previous role.
     */
    @Test
    void setRoleDoesNotLeakPrivilegesToTheNextBorrower() {
        admin.execute("DROP TABLE IF EXISTS pool_tenant_secret");
        admin.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pool_tenant_a')"
                + " THEN CREATE ROLE pool_tenant_a NOLOGIN; END IF; END $$");
        appUser(); // NOINHERIT: like an app that has a tenant's rights only while it is SET ROLE to it
        admin.execute("GRANT pool_tenant_a TO pool_app");
        admin.execute("CREATE TABLE pool_tenant_secret(v text)");
        admin.execute("INSERT INTO pool_tenant_secret VALUES ('tenant a only')");
        admin.execute("GRANT SELECT ON pool_tenant_secret TO pool_tenant_a");
        try (PgPool app = appPool("tenant")) {
            for (int i = 0; i < ROUNDS; i++) {
                try (PgConnection conn = app.acquire()) {
                    conn.execute("SET ROLE pool_tenant_a");
                    assertThat(conn.fetchVal(String.class, "SELECT v FROM pool_tenant_secret")).isEqualTo("tenant a only");
                }
                assertThatThrownBy(() -> app.fetchVal(String.class, "SELECT v FROM pool_tenant_secret"))
                        .as("the next borrower must not read as pool_tenant_a")
                        .isInstanceOf(PgException.class)
                        .satisfies(e -> assertThat(((PgException) e).sqlState()).isEqualTo("42501"));
                assertThat(app.fetchVal(String.class, "SELECT current_user")).isEqualTo("pool_app");
            }
        } finally {
            admin.execute("DROP TABLE pool_tenant_secret");
        }
    }
}
