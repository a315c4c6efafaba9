package io.pgloom.jdbc;

import io.pgloom.ConnectionException;
import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.PgNotice;
import io.pgloom.Column;
import io.pgloom.PreparedQuery;
import io.pgloom.Queries;
import io.pgloom.SharedConnection;
import io.pgloom.TransactionOptions;
import io.pgloom.pool.PgPool;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * A JDBC connection over a pgloom {@link PgConnection}, its <em>session</em>: one of its own, or
 * one borrowed from a pool. A pool's connection with shared reads (see
 * {@link PgloomDataSource#of}) borrows its session only when something first needs one; until
 * then its auto-commit reads run through the pool's query methods, on whichever of the pool's
 * connections the pool picks. It never gives a session back before {@link #close()}, so
 * whatever a statement leaves in the session stays there for the next.
 *
 * <p>Transactions are the server's own: with auto-commit off, the first statement sends
 * {@code BEGIN} (in the same write, so it costs no round trip of its own), and {@link #commit()} / {@link #rollback()} end it. Isolation is the
 * session's transaction characteristic; read-only applies to the transactions that begin after
 * it is set ({@code BEGIN READ ONLY}), as in pgjdbc's default, and costs no round trip.
 * {@code unwrap(PgConnection.class)} gives the pgloom connection underneath.
 *
 * <p>Like the JDBC connections of other drivers, it is used by one thread at a time; a second
 * thread calling it while a statement runs gets an error ("connection busy") rather than a
 * corrupted stream. {@link #abort} and a statement's {@code cancel()} may come from any thread.
 */
final class PgloomConnection implements Connection {

    /** What a transaction begins with after {@code setReadOnly(true)}. */
    private static final TransactionOptions READ_ONLY = TransactionOptions.builder().readOnly(true).build();

    /**
     * The session this connection runs on: set from the start for a connection of its own, and
     * for a pool's connection once something first needs one (see the class comment). Volatile
     * for {@link #abort} and a statement's {@code cancel()}, which may come from other threads.
     */
    private volatile PgConnection conn;
    /** The pool that lent this connection, whose query methods run its shared reads; null for a connection of its own. */
    private final PgPool pool;
    private final String url;
    private final String user;
    private boolean autoCommit = true;
    private boolean readOnly;
    /** Null until read from the server or set. */
    private Integer isolation;
    private int networkTimeoutMillis;
    private int savepoints;
    private SQLWarning warnings;
    private volatile boolean closed;
    private PgloomDatabaseMetaData metaData;

    /** A connection of its own (or a pool's connection borrowed up front) that is its session from the start. */
    PgloomConnection(PgConnection conn, String url, String user) {
        this.conn = conn;
        this.pool = null;
        this.url = url;
        this.user = user;
        conn.addLogListener(this::addWarning);
    }

    /** A connection lent by {@code pool} that borrows a session only when it first needs one. */
    PgloomConnection(PgPool pool, String url) {
        this.conn = null;
        this.pool = pool;
        this.url = url;
        this.user = null;
    }

    /**
     * This connection's session, borrowed from the pool now if it holds none yet; from then on
     * every statement runs on it, until {@link #close()} gives it back.
     */
    PgConnection pg() throws SQLException {
        PgConnection held = conn;
        if (held != null) {
            return held;
        }
        checkOpen();
        held = run(pool::acquire);
        held.addLogListener(this::addWarning);
        conn = held;
        if (closed) {
            // abort() from another thread while this one borrowed: it may not have seen the
            // session, so give it back here (closing twice is harmless)
            held.close();
            checkOpen();
        }
        return held;
    }

    /** True while this connection holds a session of its own (always, unless lent by a pool with shared reads). */
    boolean holdsSession() {
        return conn != null;
    }

    /** The session when this connection holds one, else the pool, for reads that any of its sessions answers alike. */
    private Queries sessionOrPool() {
        PgConnection held = conn;
        return held != null ? held : pool;
    }

    String url() {
        return url;
    }

    String user() throws SQLException {
        return user != null ? user : run(() -> sessionOrPool().fetchVal(String.class, "SELECT current_user"));
    }

    /** The session's query methods with this timeout, or the network timeout, or the connection's own. */
    Queries queries(int timeoutSeconds) throws SQLException {
        PgConnection session = pg();
        Duration timeout = timeout(timeoutSeconds);
        return timeout == null ? session : session.withTimeout(timeout);
    }

    /**
     * The query methods for {@code parsed}: the pool's, when this connection holds no session yet,
     * auto-commit is on and the statement is a {@linkplain JdbcSql#sharedRead() read that needs no
     * session}; otherwise the session's, borrowed now if need be.
     *
     * @param withoutArguments true when it runs without parameters (see {@link SharedConnection#changesSession})
     */
    Queries queries(int timeoutSeconds, JdbcSql parsed, boolean withoutArguments) throws SQLException {
        if (conn == null && pool != null && autoCommit && parsed.sharedRead()
                && SharedConnection.changesSession(parsed.sql(), withoutArguments) == null) {
            checkOpen();
            Duration timeout = timeout(timeoutSeconds);
            return timeout == null ? pool : pool.withTimeout(timeout);
        }
        return queries(timeoutSeconds);
    }

    /** The statement's query timeout, else the network timeout, else null (the connection's own command timeout). */
    private Duration timeout(int timeoutSeconds) {
        if (timeoutSeconds > 0) {
            return Duration.ofSeconds(timeoutSeconds);
        }
        if (networkTimeoutMillis > 0) {
            return Duration.ofMillis(networkTimeoutMillis);
        }
        return null;
    }

    /** True when a call with this query timeout runs under the connection's own command timeout. */
    boolean usesOwnTimeout(int timeoutSeconds) {
        return timeoutSeconds <= 0 && networkTimeoutMillis <= 0;
    }

    /** True while a transaction is open on this connection's session. */
    boolean inTransaction() {
        PgConnection held = conn;
        return held != null && held.isInTransaction();
    }

    /**
     * With auto-commit off, opens the transaction the next statement runs in. Its BEGIN costs no
     * round trip of its own: pgloom sends it ahead of that statement, in the same write (as
     * pgjdbc does), so a transaction of one statement costs two round trips with its COMMIT,
     * not three. COMMIT and ROLLBACK stay plain SQL, which the transaction object follows.
     */
    void beginIfNeeded() throws SQLException {
        checkOpen();
        if (!autoCommit && !inTransaction()) {
            PgConnection session = pg();
            run(() -> readOnly ? session.transaction(READ_ONLY) : session.transaction());
        }
    }

    /** A body that needs a session for a moment. */
    interface SessionCall<T> {
        T call(PgConnection session);
    }

    /**
     * Runs {@code body} on this connection's session, or, while it holds none, on one borrowed
     * from the pool just for this: for what any session answers alike (the server's version, a
     * statement's description), which need not tie this connection to one.
     */
    <T> T withSession(SessionCall<T> body) throws SQLException {
        PgConnection held = conn;
        if (held != null) {
            return run(() -> body.call(held));
        }
        checkOpen();
        return run(() -> {
            try (PgConnection borrowed = pool.acquire()) {
                return body.call(borrowed);
            }
        });
    }

    /** The columns {@code sql} would return, described by the server without running it. */
    List<Column> describe(String sql) throws SQLException {
        return withSession(session -> {
            try (PreparedQuery q = session.prepare(sql)) {
                return q.columns();
            }
        });
    }

    void checkOpen() throws SQLException {
        PgConnection held = conn;
        if (closed || (held != null && held.isClosed())) {
            throw new SQLNonTransientConnectionException("the connection is closed", Jdbc.CONNECTION_DOES_NOT_EXIST);
        }
    }

    /** A body that calls pgloom and may throw its unchecked exceptions. */
    interface PgCall<T> {
        T call();
    }

    /** Runs {@code body}, turning pgloom's exceptions into SQLExceptions. */
    static <T> T run(PgCall<T> body) throws SQLException {
        try {
            return body.call();
        } catch (RuntimeException e) {
            throw Jdbc.error(e);
        }
    }

    private void addWarning(PgNotice notice) {
        SQLWarning w = new SQLWarning(notice.message(), notice.sqlState());
        if (warnings == null) {
            warnings = w;
        } else {
            warnings.setNextWarning(w);
        }
    }

    /** Hands the warnings collected so far to a statement, which reports them from then on. */
    SQLWarning takeWarnings() {
        SQLWarning w = warnings;
        warnings = null;
        return w;
    }

    @Override
    public Statement createStatement() throws SQLException {
        checkOpen();
        return new PgloomStatement(this);
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        checkOpen();
        return new PgloomPreparedStatement(this, sql, null);
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        checkOpen();
        return new PgloomCallableStatement(this, sql);
    }

    @Override
    public String nativeSQL(String sql) {
        return JdbcSql.parse(sql).sql();
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        checkOpen();
        if (autoCommit && !this.autoCommit && inTransaction()) {
            commit();   // JDBC: switching auto-commit on commits the open transaction
        }
        this.autoCommit = autoCommit;
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        checkOpen();
        return autoCommit;
    }

    @Override
    public void commit() throws SQLException {
        checkOpen();
        if (autoCommit) {
            throw new SQLException("commit() with auto-commit on: there is no transaction to commit", "25000");
        }
        if (!inTransaction()) {
            return;
        }
        String tag = run(() -> conn.execute("COMMIT"));
        if ("ROLLBACK".equals(tag)) {
            throw new SQLTransactionRollbackException(
                    "the transaction was rolled back, not committed: a statement in it had failed", "40000");
        }
    }

    @Override
    public void rollback() throws SQLException {
        checkOpen();
        if (autoCommit) {
            throw new SQLException("rollback() with auto-commit on: there is no transaction to roll back", "25000");
        }
        if (inTransaction()) {
            run(() -> conn.execute("ROLLBACK"));
        }
    }

    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        // The notice collector goes with the connection: a pool's borrow drops its listeners
        // when it ends, and a connection of its own closes.
        PgConnection held = conn;
        if (held != null) {
            held.close();   // a pool's connection goes back, rolled back and reset by the pool
        }
    }

    @Override
    public boolean isClosed() {
        PgConnection held = conn;
        return closed || (held != null && held.isClosed());
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        checkOpen();
        if (metaData == null) {
            metaData = new PgloomDatabaseMetaData(this);
        }
        return metaData;
    }

    /**
     * Makes the transactions that begin from now on read-only ({@code BEGIN READ ONLY}, sent
     * with their first statement), or read-write again. Costs no round trip: Spring's
     * {@code @Transactional(readOnly = true)} sets it before each transaction and clears it
     * after, and a session-level {@code SET} there cost two. As with pgjdbc's default, a
     * statement run with auto-commit on is not restricted.
     */
    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        checkOpen();
        if (readOnly == this.readOnly) {
            return;
        }
        if (inTransaction()) {
            throw new SQLException("cannot change read-only in the middle of a transaction", "25001");
        }
        this.readOnly = readOnly;
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        checkOpen();
        return readOnly;
    }

    /** Catalogs are databases in PostgreSQL; a connection stays in its own, so this is ignored, as JDBC allows. */
    @Override
    public void setCatalog(String catalog) throws SQLException {
        checkOpen();
    }

    @Override
    public String getCatalog() throws SQLException {
        checkOpen();
        return ((PgloomDatabaseMetaData) getMetaData()).database();
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        checkOpen();
        String name = switch (level) {
            case TRANSACTION_READ_UNCOMMITTED -> "READ UNCOMMITTED";
            case TRANSACTION_READ_COMMITTED -> "READ COMMITTED";
            case TRANSACTION_REPEATABLE_READ -> "REPEATABLE READ";
            case TRANSACTION_SERIALIZABLE -> "SERIALIZABLE";
            default -> throw Jdbc.unsupported("transaction isolation level " + level);
        };
        if (isolation != null && isolation == level) {
            return;
        }
        if (inTransaction()) {
            throw new SQLException("cannot change the isolation level in the middle of a transaction", "25001");
        }
        PgConnection session = pg();
        run(() -> session.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL " + name));
        isolation = level;
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        checkOpen();
        if (isolation == null) {
            String level = run(() -> sessionOrPool().fetchVal(String.class, "SHOW default_transaction_isolation"));
            isolation = switch (level) {
                case "read uncommitted" -> TRANSACTION_READ_UNCOMMITTED;
                case "repeatable read" -> TRANSACTION_REPEATABLE_READ;
                case "serializable" -> TRANSACTION_SERIALIZABLE;
                default -> TRANSACTION_READ_COMMITTED;
            };
        }
        return isolation;
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        checkOpen();
        return warnings;
    }

    @Override
    public void clearWarnings() throws SQLException {
        checkOpen();
        warnings = null;
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
        checkResultSetType(resultSetType, resultSetConcurrency);
        return createStatement();
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
        checkResultSetType(resultSetType, resultSetConcurrency);
        return prepareStatement(sql);
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
        checkResultSetType(resultSetType, resultSetConcurrency);
        return prepareCall(sql);
    }

    static void checkResultSetType(int type, int concurrency) throws SQLException {
        if (type != ResultSet.TYPE_FORWARD_ONLY) {
            throw Jdbc.unsupported("scrollable result sets (type " + type + "): results are TYPE_FORWARD_ONLY");
        }
        if (concurrency != ResultSet.CONCUR_READ_ONLY) {
            throw Jdbc.unsupported("updatable result sets: results are CONCUR_READ_ONLY");
        }
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        checkOpen();
        return new HashMap<>();
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
        if (map != null && !map.isEmpty()) {
            throw Jdbc.unsupported("type maps (SQLData): use PgConnection.setTypeCodec through unwrap(PgConnection.class)");
        }
    }

    @Override
    public void setHoldability(int holdability) throws SQLException {
        checkOpen();
        if (holdability != ResultSet.HOLD_CURSORS_OVER_COMMIT && holdability != ResultSet.CLOSE_CURSORS_AT_COMMIT) {
            throw new SQLException("unknown holdability " + holdability, "HY024");
        }
    }

    /** Results are read into memory (or, with a fetch size, through a cursor of their own). */
    @Override
    public int getHoldability() throws SQLException {
        checkOpen();
        return ResultSet.CLOSE_CURSORS_AT_COMMIT;
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        return savepoint(null);
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        if (name == null) {
            throw new SQLException("a savepoint's name is null", "3B001");
        }
        return savepoint(name);
    }

    private Savepoint savepoint(String name) throws SQLException {
        checkOpen();
        if (autoCommit) {
            throw new SQLException("a savepoint needs a transaction: turn auto-commit off first", "3B001");
        }
        beginIfNeeded();
        PgloomSavepoint sp = new PgloomSavepoint(++savepoints, name);
        PgConnection session = pg();
        run(() -> session.execute("SAVEPOINT " + sp.identifier()));
        return sp;
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        checkOpen();
        String id = PgloomSavepoint.identifier(savepoint);
        PgConnection session = pg();
        run(() -> session.execute("ROLLBACK TO SAVEPOINT " + id));
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        checkOpen();
        String id = PgloomSavepoint.identifier(savepoint);
        PgConnection session = pg();
        run(() -> session.execute("RELEASE SAVEPOINT " + id));
    }

    @Override
    public Statement createStatement(int type, int concurrency, int holdability) throws SQLException {
        setHoldability(holdability);
        return createStatement(type, concurrency);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability) throws SQLException {
        setHoldability(holdability);
        return prepareStatement(sql, type, concurrency);
    }

    @Override
    public CallableStatement prepareCall(String sql, int type, int concurrency, int holdability) throws SQLException {
        setHoldability(holdability);
        return prepareCall(sql, type, concurrency);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        checkOpen();
        return new PgloomPreparedStatement(this, sql,
                autoGeneratedKeys == Statement.RETURN_GENERATED_KEYS ? new String[0] : null);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        throw Jdbc.unsupported("generated keys by column index: name the columns (prepareStatement(sql, String[]))");
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        checkOpen();
        return new PgloomPreparedStatement(this, sql, columnNames == null ? new String[0] : columnNames.clone());
    }

    @Override
    public Clob createClob() throws SQLException {
        throw Jdbc.unsupported("Clob: PostgreSQL's text holds any string; use setString/getString");
    }

    @Override
    public Blob createBlob() throws SQLException {
        throw Jdbc.unsupported("Blob: PostgreSQL's bytea holds the bytes; use setBytes/getBytes");
    }

    @Override
    public NClob createNClob() throws SQLException {
        throw Jdbc.unsupported("NClob: use setString/getString");
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        throw Jdbc.unsupported("SQLXML: send and read xml as a String");
    }

    @Override
    public boolean isValid(int timeout) throws SQLException {
        if (timeout < 0) {
            throw new SQLException("isValid: negative timeout " + timeout, "HY000");
        }
        if (isClosed()) {
            return false;
        }
        try {
            // Without a session of its own, the pool's answering is what makes this connection valid.
            PgConnection held = conn;
            Duration limit = Duration.ofSeconds(timeout);
            Queries q = timeout == 0 ? sessionOrPool() : held != null ? held.withTimeout(limit) : pool.withTimeout(limit);
            q.execute("SELECT 1");
            return true;
        } catch (ConnectionException e) {
            return false;
        } catch (PgException e) {
            // the server answered (a failed transaction refuses the query, but the connection works)
            return e.sqlState() != null && !e.sqlState().equals("57014");
        }
    }

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        if (!"ApplicationName".equals(name)) {
            throw new SQLClientInfoException("client info \"" + name + "\" is unknown; pgloom knows ApplicationName",
                    Map.of(name, java.sql.ClientInfoStatus.REASON_UNKNOWN_PROPERTY));
        }
        try {
            checkOpen();
            PgConnection session = pg();
            run(() -> session.execute("SELECT set_config('application_name', $1, false)", value == null ? "" : value));
        } catch (SQLException e) {
            throw new SQLClientInfoException(e.getMessage(), e.getSQLState(), Map.of(name, java.sql.ClientInfoStatus.REASON_UNKNOWN), e);
        }
    }

    @Override
    public void setClientInfo(Properties properties) throws SQLClientInfoException {
        for (String name : properties.stringPropertyNames()) {
            setClientInfo(name, properties.getProperty(name));
        }
    }

    @Override
    public String getClientInfo(String name) throws SQLException {
        checkOpen();
        if ("ApplicationName".equals(name)) {
            return run(() -> sessionOrPool().fetchVal(String.class, "SHOW application_name"));
        }
        return null;
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        Properties p = new Properties();
        p.setProperty("ApplicationName", getClientInfo("ApplicationName"));
        return p;
    }

    @Override
    public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
        checkOpen();
        return new PgloomArray(typeName, elements);
    }

    @Override
    public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
        throw Jdbc.unsupported("Struct: composite values are read as pgloom Rows (unwrap(PgConnection.class))");
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        checkOpen();
        PgConnection session = pg();
        run(() -> session.execute("SELECT set_config('search_path', $1, false)", quoteIdentifier(schema)));
    }

    @Override
    public String getSchema() throws SQLException {
        checkOpen();
        return run(() -> sessionOrPool().fetchVal(String.class, "SELECT current_schema()"));
    }

    static String quoteIdentifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** Closes the connection at once, from any thread; a running statement ends with a connection error. */
    @Override
    public void abort(Executor executor) throws SQLException {
        if (executor == null) {
            throw new SQLException("abort: executor is null", "HY009");
        }
        closed = true;
        PgConnection held = conn;
        if (held != null) {
            held.close();
        }
    }

    /**
     * A statement that waits longer than this for the server is cancelled (pgloom cancels rather
     * than closes, so the connection stays usable); a statement's own query timeout wins.
     */
    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        checkOpen();
        if (milliseconds < 0) {
            throw new SQLException("setNetworkTimeout: negative timeout " + milliseconds, "HY000");
        }
        networkTimeoutMillis = milliseconds;
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        checkOpen();
        return networkTimeoutMillis;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        if (iface.isAssignableFrom(PgConnection.class)) {
            checkOpen();
            return iface.cast(pg());    // pgloom's own API needs a session: this connection holds one from now on
        }
        throw new SQLException("this connection does not wrap a " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this) || iface.isAssignableFrom(PgConnection.class);
    }
}
