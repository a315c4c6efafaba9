package io.pgloom.jdbc;

import io.pgloom.ConnectOptions;
import io.pgloom.PgConnection;
import io.pgloom.pool.PgPool;
import io.pgloom.pool.PoolOptions;
import io.pgloom.testing.PgServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A pool's JDBC connections with shared reads (the default of {@link PgloomDataSource#of}): auto-commit
 * reads borrow no session, and the first statement that needs one ties the connection to a
 * session it keeps until closed, so that what it left in the session is there for the next.
 * {@code inUse} of the pool's stats shows whether a JDBC connection holds a session.
 */
class SharedReadsTest {

    private static PgConnection admin;

    @BeforeAll
    static void createTables() {
        admin = PgConnection.connect(ConnectOptions.fromUri(PgServer.shared().uri()));
        admin.execute("DROP TABLE IF EXISTS sr_item");
        admin.execute("CREATE TABLE sr_item (id serial PRIMARY KEY, name text NOT NULL)");
        admin.execute("DROP SEQUENCE IF EXISTS sr_seq");
        admin.execute("CREATE SEQUENCE sr_seq");
    }

    @AfterAll
    static void dropTables() {
        admin.execute("DROP TABLE IF EXISTS sr_item");
        admin.execute("DROP SEQUENCE IF EXISTS sr_seq");
        admin.close();
    }

    private static PgPool pool(int maxSize, Duration acquireTimeout) {
        return PgPool.create(PoolOptions.builder().connectOptions(ConnectOptions.fromUri(PgServer.shared().uri()))
                .minSize(0).maxSize(maxSize).acquireTimeout(acquireTimeout).build());
    }

    private static int readInt(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as(sql).isTrue();
                return rs.getInt(1);
            }
        }
    }

    @Test
    void autoCommitReadsHoldNoSessionSoMoreConnectionsThanThePoolHasCanRead() throws SQLException {
        try (PgPool pool = pool(1, Duration.ofSeconds(5))) {
            PgloomDataSource ds = PgloomDataSource.of(pool);
            assertThat(ds.isSharedReads()).isTrue();
            try (Connection a = ds.getConnection(); Connection b = ds.getConnection(); Connection c = ds.getConnection()) {
                for (int i = 0; i < 5; i++) {
                    assertThat(readInt(a, "SELECT ?::int + 1", i)).isEqualTo(i + 1);
                    assertThat(readInt(b, "SELECT count(*)::int FROM sr_item WHERE id < ?", -i)).isZero();
                    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 'x' || " + i)) {
                        rs.next();
                        assertThat(rs.getString(1)).isEqualTo("x" + i);
                    }
                }
                // metadata any session answers alike does not tie a connection to one either
                assertThat(a.getMetaData().getDatabaseMajorVersion()).isEqualTo(TestDb.majorVersion());
                assertThat(a.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
                assertThat(a.isValid(2)).isTrue();
                assertThat(pool.stats().inUse()).as("no JDBC connection holds a session").isZero();
            }
        }
    }

    @Test
    void theFirstStatementThatNeedsASessionKeepsOneUntilClose() throws SQLException {
        try (PgPool pool = pool(2, Duration.ofSeconds(5))) {
            PgloomDataSource ds = PgloomDataSource.of(pool);
            try (Connection c = ds.getConnection()) {
                assertThat(readInt(c, "SELECT 1")).isEqualTo(1);
                assertThat(pool.stats().inUse()).isZero();
                try (Statement st = c.createStatement()) {
                    st.execute("SET application_name = 'pinned-by-set'");
                }
                assertThat(pool.stats().inUse()).isEqualTo(1);
                // every later read runs on that session, so it sees the setting
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT current_setting('application_name'), pg_backend_pid()")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("pinned-by-set");
                    assertThat(rs.getInt(2)).isEqualTo(c.unwrap(PgConnection.class).serverPid());
                }
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW application_name")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("pinned-by-set");
                }
            }
            assertThat(pool.stats().inUse()).as("close gives the session back").isZero();
            // and the pool reset it: the next borrower does not see the setting
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW application_name")) {
                    rs.next();
                    assertThat(rs.getString(1)).isNotEqualTo("pinned-by-set");
                }
                c.rollback();
            }
        }
    }

    @Test
    void aDataChangeKeepsItsSessionSoLastvalAndCurrvalAreItsOwn() throws Exception {
        try (PgPool pool = pool(4, Duration.ofSeconds(10))) {
            PgloomDataSource ds = PgloomDataSource.of(pool);
            int threads = 8;
            int rounds = 25;
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Void>> done = new ArrayList<>();
            try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    done.add(executor.submit(() -> {
                        start.await();
                        for (int r = 0; r < rounds; r++) {
                            String name = "t" + thread + "r" + r;
                            try (Connection c = ds.getConnection()) {
                                // a shared read first, then the insert (which takes a session), then
                                // what only that session knows: it must be this insert's id
                                assertThat(readInt(c, "SELECT count(*)::int FROM sr_item WHERE name = ?", name)).isZero();
                                try (PreparedStatement ps = c.prepareStatement("INSERT INTO sr_item (name) VALUES (?)")) {
                                    ps.setString(1, name);
                                    assertThat(ps.executeUpdate()).isEqualTo(1);
                                }
                                int id = readInt(c, "SELECT id FROM sr_item WHERE name = ?", name);
                                assertThat(readInt(c, "SELECT lastval()::int")).as(name).isEqualTo(id);
                                assertThat(readInt(c, "SELECT currval('sr_item_id_seq')::int")).as(name).isEqualTo(id);
                                int next = readInt(c, "SELECT nextval('sr_seq')::int");
                                assertThat(readInt(c, "SELECT currval('sr_seq')::int")).as(name).isEqualTo(next);
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<Void> f : done) {
                    f.get(60, TimeUnit.SECONDS);
                }
            }
            assertThat(pool.stats().inUse()).isZero();
            assertThat(admin.fetchVal(Long.class, "SELECT count(*) FROM sr_item WHERE name LIKE 't%r%'"))
                    .isEqualTo((long) threads * rounds);
        }
    }

    @Test
    void aTransactionATemporaryTableAndACursorEachKeepTheSession() throws SQLException {
        try (PgPool pool = pool(2, Duration.ofSeconds(5))) {
            PgloomDataSource ds = PgloomDataSource.of(pool);
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                assertThat(pool.stats().inUse()).as("nothing sent yet").isZero();
                assertThat(readInt(c, "SELECT 7")).isEqualTo(7);
                assertThat(pool.stats().inUse()).isEqualTo(1);
                int pid = readInt(c, "SELECT pg_backend_pid()");
                c.commit();
                c.setAutoCommit(true);
                assertThat(readInt(c, "SELECT pg_backend_pid()")).as("still the same session after the commit").isEqualTo(pid);
            }
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE TEMP TABLE sr_temp AS SELECT 41 AS v");
                assertThat(readInt(c, "SELECT v + 1 FROM sr_temp")).isEqualTo(42);
            }
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.setFetchSize(2);
                try (ResultSet rs = st.executeQuery("SELECT g FROM generate_series(1, 5) g")) {
                    assertThat(pool.stats().inUse()).as("a streamed query reads through the session's cursor").isEqualTo(1);
                    int sum = 0;
                    while (rs.next()) {
                        sum += rs.getInt(1);
                    }
                    assertThat(sum).isEqualTo(15);
                }
            }
            assertThat(pool.stats().inUse()).isZero();
        }
    }

    @Test
    void aSharedReadTimesOutWithItsQueryTimeoutAndCannotBeCancelledByHand() throws Exception {
        try (PgPool pool = pool(2, Duration.ofSeconds(5))) {
            PgloomDataSource ds = PgloomDataSource.of(pool);
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.setQueryTimeout(1);
                assertThatThrownBy(() -> st.executeQuery("SELECT pg_sleep(30)"))
                        .isInstanceOfSatisfying(SQLTimeoutException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"));
                st.setQueryTimeout(0);
                assertThat(st.execute("SELECT 1")).isTrue();

                try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
                    Future<Boolean> sleeping = executor.submit(() -> st.execute("SELECT pg_sleep(0.5)"));
                    SQLException refused = null;
                    for (int i = 0; i < 200 && refused == null && !sleeping.isDone(); i++) {
                        try {
                            st.cancel();
                        } catch (SQLFeatureNotSupportedException e) {
                            refused = e;
                        }
                        Thread.sleep(5);
                    }
                    assertThat((Throwable) refused).isNotNull();
                    assertThat(refused.getMessage()).contains("shared connections");
                    assertThat(sleeping.get(10, TimeUnit.SECONDS)).as("the read ran to its end").isTrue();
                }
                st.cancel();    // nothing runs now: nothing to cancel, no error
                assertThat(pool.stats().inUse()).isZero();
            }
        }
    }

    @Test
    void withSharedReadsOffEachConnectionBorrowsUpFront() throws SQLException {
        try (PgPool pool = pool(2, Duration.ofSeconds(5))) {
            PgloomDataSource ds = PgloomDataSource.of(pool);
            ds.setSharedReads(false);
            try (Connection c = ds.getConnection()) {
                assertThat(pool.stats().inUse()).isEqualTo(1);
                assertThat(readInt(c, "SELECT 1")).isEqualTo(1);
            }
            assertThat(pool.stats().inUse()).isZero();
        }
    }

    @Test
    void aClosedConnectionOrPoolRefusesStatements() throws SQLException {
        PgPool pool = pool(1, Duration.ofSeconds(5));
        PgloomDataSource ds = PgloomDataSource.of(pool);
        Connection c = ds.getConnection();
        assertThat(readInt(c, "SELECT 1")).isEqualTo(1);
        c.close();
        assertThat(c.isClosed()).isTrue();
        assertThatThrownBy(() -> c.prepareStatement("SELECT 1")).isInstanceOf(SQLException.class)
                .hasMessageContaining("closed");
        Connection open = ds.getConnection();
        pool.close();
        assertThatThrownBy(() -> readInt(open, "SELECT 1")).isInstanceOf(SQLException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(ds::getConnection).isInstanceOf(SQLException.class).hasMessageContaining("closed");
    }
}
