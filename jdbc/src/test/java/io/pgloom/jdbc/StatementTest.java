package io.pgloom.jdbc;

import io.pgloom.ConnectOptions;
import io.pgloom.PgConnection;
import io.pgloom.pool.PgPool;
import io.pgloom.pool.PoolOptions;
import io.pgloom.testing.PgServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.BatchUpdateException;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Types;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Connections, statements, batches, keys, transactions and errors through the driver, on a real server. */
class StatementTest {

    private static Connection conn;

    @BeforeAll
    static void open() throws SQLException {
        conn = TestDb.connect();
        try (Statement st = conn.createStatement()) {
            st.execute("DROP TABLE IF EXISTS st_item");
            st.execute("CREATE TABLE st_item (id serial PRIMARY KEY, name text NOT NULL UNIQUE, qty int NOT NULL DEFAULT 0)");
        }
    }

    @AfterAll
    static void close() throws SQLException {
        conn.close();
    }

    private static void clear() throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("TRUNCATE st_item RESTART IDENTITY");
        }
    }

    @Test
    void theDriverIsFoundByItsUrlAndPropertiesOverrideTheUrl() throws SQLException {
        assertThat(DriverManager.getDriver(TestDb.url())).isInstanceOf(PgloomDriver.class);
        assertThat(new PgloomDriver().acceptsURL("jdbc:postgresql://localhost/x")).isFalse();
        PgServer server = PgServer.shared();
        String noUser = "jdbc:pgloom://" + server.host() + ":" + server.port() + "/pgloom?sslmode=disable";
        Properties p = new Properties();
        p.setProperty("user", "pgloom");
        p.setProperty("password", "pgloom");
        try (Connection c = DriverManager.getConnection(noUser, p); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_user")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("pgloom");
        }
        p.setProperty("password", "wrong");
        assertThatThrownBy(() -> DriverManager.getConnection(noUser, p))
                .isInstanceOf(java.sql.SQLInvalidAuthorizationSpecException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).startsWith("28"));
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:pgloom:localhost/x"))
                .isInstanceOf(SQLException.class).hasMessageContaining("jdbc:pgloom://");
    }

    /**
     * The server's notices become the statement's SQLWarnings, with their SQLSTATE, on a
     * connection of the driver's own and on a pool's borrow; a borrow's warnings stay with it,
     * so the next borrower of the same connection hears nothing of them.
     */
    @Test
    void noticesBecomeWarningsOfTheStatementThatRaisedThem() throws SQLException {
        String raise = "DO $$ BEGIN RAISE WARNING 'heads up' USING ERRCODE = '01P42'; RAISE NOTICE 'and this'; END $$";
        try (Statement st = conn.createStatement()) {
            st.execute(raise);
            assertWarnings(st.getWarnings());
            st.clearWarnings();
            assertThat((Throwable) st.getWarnings()).isNull();
        }
        try (PgPool pool = PgPool.create(PoolOptions.builder()
                .connectOptions(ConnectOptions.fromUri(PgServer.shared().uri())).minSize(0).maxSize(1).build())) {
            PgloomDataSource ds = PgloomDataSource.of(pool);
            int pid;
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(raise)) {
                ps.execute();
                assertWarnings(ps.getWarnings());
                pid = c.unwrap(PgConnection.class).serverPid();
            }
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                assertThat(c.unwrap(PgConnection.class).serverPid()).isEqualTo(pid);
                st.execute("SELECT 1");
                assertThat((Throwable) st.getWarnings()).as("nothing carried over from the last borrow").isNull();
                assertThat((Throwable) c.getWarnings()).isNull();
                st.execute(raise);
                assertWarnings(st.getWarnings());
            }
        }
    }

    private static void assertWarnings(java.sql.SQLWarning first) {
        assertThat((Throwable) first).isNotNull();
        assertThat(first.getMessage()).isEqualTo("heads up");
        assertThat(first.getSQLState()).isEqualTo("01P42");
        java.sql.SQLWarning second = first.getNextWarning();
        assertThat((Throwable) second).isNotNull();
        assertThat(second.getMessage()).isEqualTo("and this");
        assertThat(second.getSQLState()).isEqualTo("00000");
        assertThat((Throwable) second.getNextWarning()).isNull();
    }

    @Test
    void aPoolsDataSourceLendsAndTakesBackConnections() throws SQLException {
        try (PgPool pool = PgPool.create(PoolOptions.builder()
                .connectOptions(ConnectOptions.fromUri(PgServer.shared().uri())).minSize(0).maxSize(2).build())) {
            PgloomDataSource ds = PgloomDataSource.of(pool);
            int pid;
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE TEMP TABLE lent (a int)");
                }
                pid = c.unwrap(PgConnection.class).serverPid();
                // closed with the transaction open: the pool rolls it back
            }
            try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT pg_backend_pid(), to_regclass('pg_temp.lent') IS NULL")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(pid);            // the same connection, given back
                assertThat(rs.getBoolean(2)).isTrue();              // and its transaction was rolled back
            }
            assertThat(pool.stats().toString()).isNotEmpty();
            assertThat(ds.unwrap(PgPool.class)).isSameAs(pool);
        }
    }

    @Test
    void executeReportsResultSetsAndUpdateCounts() throws SQLException {
        clear();
        try (Statement st = conn.createStatement()) {
            assertThat(st.execute("INSERT INTO st_item (name) VALUES ('a'), ('b')")).isFalse();
            assertThat(st.getUpdateCount()).isEqualTo(2);
            assertThat(st.getResultSet()).isNull();
            assertThat(st.getMoreResults()).isFalse();
            assertThat(st.getUpdateCount()).isEqualTo(-1);

            assertThat(st.execute("SELECT name FROM st_item ORDER BY id")).isTrue();
            assertThat(st.getUpdateCount()).isEqualTo(-1);
            try (ResultSet rs = st.getResultSet()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("NAME")).isEqualTo("a");
                assertThat(rs.next()).isTrue();
                assertThat(rs.next()).isFalse();
            }
            assertThat(st.executeUpdate("UPDATE st_item SET qty = qty + 1")).isEqualTo(2);
            assertThat(st.executeUpdate("CREATE TEMP TABLE IF NOT EXISTS st_tmp (a int)")).isZero();
            st.setMaxRows(1);
            try (ResultSet rs = st.executeQuery("SELECT * FROM generate_series(1, 5)")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void anEmptyResultStillDescribesItsColumns() throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT id, name AS label, qty::numeric(10,2) FROM st_item WHERE id < ?")) {
            ps.setInt(1, -1);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isFalse();
                var md = rs.getMetaData();
                assertThat(md.getColumnCount()).isEqualTo(3);
                assertThat(md.getColumnLabel(2)).isEqualTo("label");
                assertThat(md.getColumnType(1)).isEqualTo(Types.INTEGER);
                assertThat(md.getColumnType(3)).isEqualTo(Types.NUMERIC);
                assertThat(md.getPrecision(3)).isEqualTo(10);
                assertThat(md.getScale(3)).isEqualTo(2);
            }
        }
    }

    @Test
    void aFetchSizeStreamsTheRowsAsTheyAreRead() throws SQLException {
        String sql = "SELECT i, 1 / (i - ?) FROM generate_series(1, 100000) AS i";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setInt(1, 60_000);
            // read at once, the division by zero at row 60,000 fails the query itself
            assertThatThrownBy(ps::executeQuery).isInstanceOfSatisfying(java.sql.SQLDataException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("22012"));
            ps.setFetchSize(500);
            int read = 0;
            try (ResultSet rs = ps.executeQuery()) {
                // streamed: the rows before it arrive first, and the error comes from next()
                assertThatThrownBy(() -> {
                    while (rs.next()) {
                        assertThat(rs.getInt(1)).isEqualTo(rs.getRow());
                    }
                }).isInstanceOfSatisfying(java.sql.SQLDataException.class, e -> assertThat(e.getSQLState()).isEqualTo("22012"));
                read = rs.getRow();
            }
            assertThat(read).isBetween(59_000, 59_999);
            ps.setInt(1, -1);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.getMetaData().getColumnCount()).isEqualTo(2);
                int n = 0;
                while (rs.next()) {
                    n++;
                }
                assertThat(n).isEqualTo(100_000);
            }
        }
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();      // the connection is free again
        }
    }

    @Test
    void preparedStatementsDescribeParametersAndColumnsBeforeRunning() throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT id, name FROM st_item WHERE qty > ? AND name = ?")) {
            var params = ps.getParameterMetaData();
            assertThat(params.getParameterCount()).isEqualTo(2);
            assertThat(params.getParameterType(1)).isEqualTo(Types.INTEGER);
            assertThat(params.getParameterTypeName(2)).isEqualTo("text");
            var columns = ps.getMetaData();
            assertThat(columns.getColumnCount()).isEqualTo(2);
            assertThat(columns.getColumnName(2)).isEqualTo("name");
        }
        try (PreparedStatement ps = conn.prepareStatement("UPDATE st_item SET qty = ?")) {
            assertThat(ps.getMetaData()).isNull();
        }
        try (PreparedStatement ps = conn.prepareStatement("UPDATE st_item SET qty = qty WHERE false RETURNING id, qty");
             ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isFalse();
            assertThat(rs.getMetaData().getColumnLabel(2)).isEqualTo("qty");
        }
    }

    @Test
    void placeholdersInLiteralsCommentsAndDollarQuotesAreLeftAlone() throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT '?' AS a, $$?$$ AS b, ? AS c /* ? */ -- ?\n, ?::int + 1 AS d")) {
            ps.setString(1, "x");
            ps.setString(2, "41");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getString("a")).isEqualTo("?");
                assertThat(rs.getString("b")).isEqualTo("?");
                assertThat(rs.getString("c")).isEqualTo("x");
                assertThat(rs.getInt("d")).isEqualTo(42);
            }
        }
    }

    @Test
    void batchesReportCountsAndTheirFailure() throws SQLException {
        clear();
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO st_item (name, qty) VALUES (?, ?)")) {
            for (int i = 0; i < 5; i++) {
                ps.setString(1, "n" + i);
                ps.setInt(2, i);
                ps.addBatch();
            }
            assertThat(ps.executeBatch()).containsExactly(1, 1, 1, 1, 1);
        }
        try (PreparedStatement ps = conn.prepareStatement("UPDATE st_item SET qty = qty + 10 WHERE qty >= ?")) {
            ps.setInt(1, 3);
            ps.addBatch();
            ps.setInt(1, 100);
            ps.addBatch();
            ps.setInt(1, 0);
            ps.addBatch();
            assertThat(ps.executeBatch()).containsExactly(2, 0, 5);
        }
        try (PreparedStatement ps = conn.prepareStatement("UPDATE st_item SET name = ? WHERE qty = ?")) {
            ps.setString(1, "fresh");
            ps.setInt(2, 10);
            ps.addBatch();
            ps.setString(1, "fresh");     // a second row named "fresh": unique violation
            ps.setInt(2, 11);
            ps.addBatch();
            // outside a transaction a batch is one implicit transaction: the first update is undone too
            assertThatThrownBy(ps::executeBatch).isInstanceOfSatisfying(BatchUpdateException.class, e -> {
                assertThat(e.getUpdateCounts()).isEmpty();
                assertThat(e.getSQLState()).isEqualTo("23505");
                assertThat(e.getMessage()).contains("duplicate key");
            });
        }
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM st_item WHERE name = 'fresh'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isZero();
        }
        conn.setAutoCommit(false);
        try (PreparedStatement ps = conn.prepareStatement("UPDATE st_item SET name = ? WHERE qty = ?")) {
            ps.setString(1, "fresh");
            ps.setInt(2, 10);
            ps.addBatch();
            ps.setString(1, "fresh");
            ps.setInt(2, 11);
            ps.addBatch();
            ps.setString(1, "later");
            ps.setInt(2, 12);
            ps.addBatch();
            // in a transaction the entries before the failure ran (in a transaction now failed)
            assertThatThrownBy(ps::executeBatch).isInstanceOfSatisfying(BatchUpdateException.class, e -> {
                assertThat(e.getUpdateCounts()).containsExactly(Statement.SUCCESS_NO_INFO);
                assertThat(e.getSQLState()).isEqualTo("23505");
                assertThat(e.getMessage()).startsWith("batch entry 1 failed");
            });
        } finally {
            conn.rollback();
            conn.setAutoCommit(true);
        }
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO st_item (name) VALUES (?)")) {
            ps.setString(1, "dup");
            ps.addBatch();
            ps.setString(1, "dup");
            ps.addBatch();
            assertThatThrownBy(ps::executeBatch).isInstanceOfSatisfying(BatchUpdateException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("23505"));
        }
        try (Statement st = conn.createStatement()) {
            st.addBatch("UPDATE st_item SET qty = 0");
            st.addBatch("DELETE FROM st_item WHERE name = 'n0'");
            assertThat(st.executeBatch()).containsExactly(5, 1);
        }
    }

    @Test
    void anUpdateBatchIsOneRoundTripWithEachEntrysCount() throws SQLException {
        clear();
        try (Statement st = conn.createStatement()) {
            st.executeUpdate("INSERT INTO st_item (name, qty) SELECT 'r' || i, i % 4 FROM generate_series(1, 40) i");
        }
        PgConnection pg = conn.unwrap(PgConnection.class);
        try (PreparedStatement ps = conn.prepareStatement("UPDATE st_item SET qty = qty + 100 WHERE qty = ?")) {
            ps.setInt(1, 99);
            ps.executeUpdate(); // prepares the statement: the batch below is its second use
            long before = pg.roundTrips();
            for (int q : new int[] {0, 1, 2, 3, 7}) {
                ps.setInt(1, q);
                ps.addBatch();
            }
            assertThat(ps.executeBatch()).containsExactly(10, 10, 10, 10, 0);
            assertThat(pg.roundTrips() - before).isEqualTo(1);
        }
        try (PreparedStatement ps = conn.prepareStatement("DELETE FROM st_item WHERE name = ?")) {
            ps.setString(1, "r1");
            ps.addBatch();
            ps.setString(1, "nobody");
            ps.addBatch();
            ps.setString(1, "r2");
            ps.addBatch();
            assertThat(ps.executeBatch()).containsExactly(1, 0, 1);
        }
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*), min(qty) FROM st_item")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(38);
            assertThat(rs.getInt(2)).isEqualTo(100);
        }
    }

    /**
     * A batch of SQL texts goes as one atomic pipeline: one round trip (and one before it that
     * prepares the texts the connection has not seen), each entry's count, and outside a
     * transaction a failure keeps none of it; inside one, the entries before the failure ran. An
     * entry of two statements makes the batch go entry by entry.
     */
    @Test
    void aStatementBatchIsOneRoundTripAndAllOrNothing() throws SQLException {
        clear();
        PgConnection pg = conn.unwrap(PgConnection.class);
        try (Statement st = conn.createStatement()) {
            st.executeUpdate("INSERT INTO st_item (name, qty) SELECT 'b' || i, i FROM generate_series(1, 6) i");
            long before = pg.roundTrips();
            st.addBatch("UPDATE st_item SET qty = qty + 10 WHERE qty <= 3");
            st.addBatch("DELETE FROM st_item WHERE name = 'b6'");
            st.addBatch("INSERT INTO st_item (name, qty) VALUES ('b7', 7), ('b8', 8)");
            st.addBatch("UPDATE st_item SET qty = 0 WHERE name = 'nobody'");
            assertThat(st.executeBatch()).containsExactly(3, 1, 2, 0);
            assertThat(pg.roundTrips() - before).as("four new texts: prepared together, then run").isEqualTo(2);
            before = pg.roundTrips();
            st.addBatch("UPDATE st_item SET qty = qty + 10 WHERE qty <= 3");
            st.addBatch("UPDATE st_item SET qty = 0 WHERE name = 'nobody'");
            assertThat(st.executeBatch()).containsExactly(0, 0);
            assertThat(pg.roundTrips() - before).as("texts prepared before").isEqualTo(1);

            st.addBatch("UPDATE st_item SET qty = -1 WHERE name = 'b1'");
            st.addBatch("INSERT INTO st_item (id, name) SELECT id, 'dup' FROM st_item WHERE name = 'b2'");
            st.addBatch("UPDATE st_item SET qty = -2 WHERE name = 'b3'");
            assertThatThrownBy(st::executeBatch).isInstanceOfSatisfying(BatchUpdateException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("23505");
                assertThat(e.getMessage()).contains("batch entry 1");
                assertThat(e.getLargeUpdateCounts()).as("outside a transaction nothing was kept").isEmpty();
            });
            try (ResultSet rs = st.executeQuery("SELECT qty FROM st_item WHERE name = 'b1'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("the entry before the failure was rolled back").isEqualTo(11);
            }

            conn.setAutoCommit(false);
            try {
                st.addBatch("UPDATE st_item SET qty = -1 WHERE name = 'b1'");
                st.addBatch("UPDATE st_item SET qty = 1 / 0 WHERE name = 'b2'");
                assertThatThrownBy(st::executeBatch).isInstanceOfSatisfying(BatchUpdateException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("22012");
                    assertThat(e.getLargeUpdateCounts()).as("in a transaction the entry before ran")
                            .containsExactly(Statement.SUCCESS_NO_INFO);
                });
                conn.rollback();
            } finally {
                conn.setAutoCommit(true);
            }

            before = pg.roundTrips();
            st.addBatch("UPDATE st_item SET qty = 100 WHERE name = 'b4'; UPDATE st_item SET qty = 101 WHERE name = 'b5'");
            st.addBatch("DELETE FROM st_item WHERE name = 'b7'");
            assertThat(st.executeBatch()).containsExactly(1, 1);
            assertThat(pg.roundTrips() - before).as("entry by entry").isEqualTo(2);
            try (ResultSet rs = st.executeQuery("SELECT sum(qty) FROM st_item WHERE name IN ('b4', 'b5')")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("both statements of the first entry ran").isEqualTo(201);
            }
        }
    }

    @Test
    void generatedKeysByFlagAndByName() throws SQLException {
        clear();
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO st_item (name) VALUES (?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, "k1");
            assertThat(ps.executeUpdate()).isEqualTo(1);
            try (ResultSet keys = ps.getGeneratedKeys()) {
                assertThat(keys.next()).isTrue();
                assertThat(keys.getLong("id")).isEqualTo(1);
                assertThat(keys.getString("name")).isEqualTo("k1");
            }
        }
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO st_item (name) VALUES (?)", new String[] {"id"})) {
            ps.setString(1, "k2");
            ps.addBatch();
            ps.setString(1, "k3");
            ps.addBatch();
            assertThat(ps.executeBatch()).containsExactly(1, 1);
            try (ResultSet keys = ps.getGeneratedKeys()) {
                assertThat(keys.next()).isTrue();
                assertThat(keys.getInt(1)).isEqualTo(2);
                assertThat(keys.next()).isTrue();
                assertThat(keys.getInt(1)).isEqualTo(3);
                assertThat(keys.getMetaData().getColumnCount()).isEqualTo(1);
            }
        }
    }

    /**
     * With auto-commit off (Spring's transaction manager, Hibernate), BEGIN goes out with the
     * transaction's first statement: one statement and its commit are two round trips, as with
     * pgjdbc, and a transaction that ran nothing costs none.
     */
    @Test
    void aTransactionsBeginRidesWithItsFirstStatement() throws SQLException {
        clear();
        PgConnection pg = conn.unwrap(PgConnection.class);
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO st_item (name) VALUES (?)")) {
            ps.setString(1, "prepared");
            ps.executeUpdate(); // prepares the statement, so that the counts below are the transaction's own
            conn.setAutoCommit(false);
            long before = pg.roundTrips();
            ps.setString(1, "in a transaction");
            assertThat(ps.executeUpdate()).isEqualTo(1);
            assertThat(pg.roundTrips() - before).as("BEGIN and the insert").isEqualTo(1);
            conn.commit();
            assertThat(pg.roundTrips() - before).as("with the COMMIT").isEqualTo(2);

            before = pg.roundTrips();
            conn.commit();
            conn.rollback();
            assertThat(pg.roundTrips() - before).as("a transaction that ran nothing").isZero();

            ps.setString(1, "rolled back");
            ps.executeUpdate();
            conn.rollback();
            Savepoint sp = conn.setSavepoint(); // a savepoint first: BEGIN rides with it
            ps.setString(1, "undone");
            ps.executeUpdate();
            conn.rollback(sp);
            ps.setString(1, "kept");
            ps.executeUpdate();
            conn.commit();
        } finally {
            conn.setAutoCommit(true);
        }
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT string_agg(name, ',' ORDER BY id) FROM st_item")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("prepared,in a transaction,kept");
        }
    }

    @Test
    void transactionsSavepointsIsolationAndReadOnly() throws SQLException {
        clear();
        conn.setAutoCommit(false);
        try (Statement st = conn.createStatement()) {
            st.executeUpdate("INSERT INTO st_item (name) VALUES ('kept')");
            Savepoint sp = conn.setSavepoint();
            st.executeUpdate("INSERT INTO st_item (name) VALUES ('undone')");
            conn.rollback(sp);
            conn.commit();
            st.executeUpdate("INSERT INTO st_item (name) VALUES ('rolled back')");
            conn.rollback();
            try (ResultSet rs = st.executeQuery("SELECT string_agg(name, ',') FROM st_item")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("kept");
            }
            conn.commit();

            // a failed statement fails the transaction; commit reports that it rolled back
            assertThatThrownBy(() -> st.executeUpdate("INSERT INTO st_item (name) VALUES ('kept')"))
                    .isInstanceOf(SQLIntegrityConstraintViolationException.class);
            assertThatThrownBy(conn::commit).isInstanceOf(java.sql.SQLTransactionRollbackException.class);
        } finally {
            conn.setAutoCommit(true);
        }
        conn.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
        PgConnection pg = conn.unwrap(PgConnection.class);
        long before = pg.roundTrips();
        conn.setReadOnly(true);
        assertThat(pg.roundTrips()).as("read-only costs no round trip").isEqualTo(before);
        try (Statement st = conn.createStatement()) {
            try (ResultSet rs = st.executeQuery("SHOW transaction_isolation")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("serializable");
                assertThat(conn.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
            }
            // read-only governs the transactions that begin after it is set
            conn.setAutoCommit(false);
            try {
                try (ResultSet rs = st.executeQuery("SELECT current_setting('transaction_read_only'), current_setting('transaction_isolation')")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("on");
                    assertThat(rs.getString(2)).isEqualTo("serializable");
                }
                assertThatThrownBy(() -> st.executeUpdate("INSERT INTO st_item (name) VALUES ('ro')"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25006"));
                conn.rollback();
                st.executeQuery("SELECT 1").close(); // a transaction is open again
                assertThatThrownBy(() -> conn.setReadOnly(false)).as("not in the middle of a transaction")
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25001"));
            } finally {
                conn.rollback();
                conn.setAutoCommit(true);
            }
            // as with pgjdbc's default, a statement with auto-commit on is not restricted
            try (ResultSet rs = st.executeQuery("SHOW transaction_read_only")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("off");
            }
        } finally {
            conn.setReadOnly(false);
            conn.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        }
        conn.setAutoCommit(false);
        try (Statement st = conn.createStatement()) {
            assertThat(st.executeUpdate("INSERT INTO st_item (name) VALUES ('read-write again')")).isEqualTo(1);
            conn.commit();
        } finally {
            conn.setAutoCommit(true);
        }
    }

    @Test
    void errorsCarryTheSqlStateInTheStandardSubclass() throws SQLException {
        try (Statement st = conn.createStatement()) {
            assertThatThrownBy(() -> st.executeQuery("SELEC 1"))
                    .isInstanceOfSatisfying(SQLSyntaxErrorException.class, e -> assertThat(e.getSQLState()).isEqualTo("42601"));
            assertThatThrownBy(() -> st.executeQuery("SELECT 1/0"))
                    .isInstanceOfSatisfying(java.sql.SQLDataException.class, e -> assertThat(e.getSQLState()).isEqualTo("22012"));
            assertThatThrownBy(() -> st.executeUpdate("INSERT INTO st_item (name) VALUES (NULL)"))
                    .isInstanceOfSatisfying(SQLIntegrityConstraintViolationException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("23502");
                        assertThat(e.getCause()).isInstanceOf(io.pgloom.NotNullViolationException.class);
                    });
            st.setQueryTimeout(1);
            assertThatThrownBy(() -> st.executeQuery("SELECT pg_sleep(30)"))
                    .isInstanceOfSatisfying(SQLTimeoutException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"));
            st.setQueryTimeout(0);
            try (ResultSet rs = st.executeQuery("SELECT 1")) {      // the connection is still usable
                assertThat(rs.next()).isTrue();
            }
        }
        try (Connection victim = TestDb.connect(); Statement st = conn.createStatement()) {
            int pid = victim.unwrap(PgConnection.class).serverPid();
            st.execute("SELECT pg_terminate_backend(" + pid + ")");
            assertThatThrownBy(() -> victim.createStatement().executeQuery("SELECT 1"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).startsWith("08"));
            assertThat(victim.isValid(1)).isFalse();
        }
        assertThat(conn.isValid(1)).isTrue();
    }

    @Test
    void callableStatementsForFunctionsAndProcedures() throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE OR REPLACE FUNCTION st_add(a int, b int) RETURNS int LANGUAGE sql AS 'SELECT a + b'");
            st.execute("CREATE OR REPLACE FUNCTION st_pair(a int, OUT x int, OUT y text) LANGUAGE sql"
                    + " AS $$ SELECT a * 2, 'v' || a $$");
            st.execute("CREATE OR REPLACE PROCEDURE st_double(INOUT v int) LANGUAGE plpgsql AS $$ BEGIN v := v * 2; END $$");
        }
        try (CallableStatement cs = conn.prepareCall("{? = call st_add(?, ?)}")) {
            cs.registerOutParameter(1, Types.INTEGER);
            cs.setInt(2, 40);
            cs.setInt(3, 2);
            cs.execute();
            assertThat(cs.getInt(1)).isEqualTo(42);
            assertThat(cs.wasNull()).isFalse();
        }
        try (CallableStatement cs = conn.prepareCall("{call st_pair(?)}")) {
            cs.setInt(1, 21);
            try (ResultSet rs = cs.executeQuery()) {
                rs.next();
                assertThat(rs.getInt("x")).isEqualTo(42);
                assertThat(rs.getString("y")).isEqualTo("v21");
            }
        }
        try (CallableStatement cs = conn.prepareCall("CALL st_double(?)")) {
            cs.setInt(1, 21);
            cs.registerOutParameter(1, Types.INTEGER);
            cs.execute();
            assertThat(cs.getInt(1)).isEqualTo(42);
            assertThatThrownBy(() -> cs.getInt("v")).isInstanceOf(SQLFeatureNotSupportedException.class);
        }
    }

    @Test
    void whatIsNotSupportedSaysSo() throws SQLException {
        assertThatThrownBy(() -> conn.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_READ_ONLY))
                .isInstanceOf(SQLFeatureNotSupportedException.class).hasMessageContaining("scrollable");
        assertThatThrownBy(conn::createBlob).isInstanceOf(SQLFeatureNotSupportedException.class).hasMessageContaining("bytea");
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
            rs.next();
            assertThatThrownBy(() -> rs.updateInt(1, 2)).isInstanceOf(SQLFeatureNotSupportedException.class);
            assertThatThrownBy(rs::previous).isInstanceOf(SQLException.class).hasMessageContaining("FORWARD_ONLY");
        }
        assertThat(conn.nativeSQL("SELECT ? WHERE '?' = ?")).isEqualTo("SELECT $1 WHERE '?' = $2");
    }
}
