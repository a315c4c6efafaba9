package io.pgloom.jdbc;

import io.pgloom.Column;
import io.pgloom.ConnectionException;
import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.PreparedQuery;
import io.pgloom.Queries;
import io.pgloom.Row;
import io.pgloom.RowCursor;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JDBC statement over pgloom's query methods. A query's rows are read when it runs (or, with
 * a fetch size, as the result set is read); a data change reports the command tag's row count.
 * {@code execute(sql)} decides from the statement's first keyword whether it returns rows
 * ({@code SELECT}, {@code WITH ... SELECT}, {@code VALUES}, {@code SHOW}, a change with
 * {@code RETURNING}, ...). A plain {@code Statement} sends its SQL as it is: {@code ?} is a
 * placeholder only in a {@code PreparedStatement}.
 *
 * <p>Used by one thread at a time; {@link #cancel()} may come from another.
 */
class PgloomStatement implements Statement {

    /** What the caller asked for: rows, a count, or whatever the statement gives. */
    enum Mode { QUERY, UPDATE, ANY }

    /** Parse errors of parameters whose type the server could not settle (ambiguous operator, unknown type, no such function). */
    private static final java.util.Set<String> UNRESOLVED_PARAMETER_TYPES = java.util.Set.of("42725", "42P18", "42883");

    private static final Pattern REFUSED_PARAMETER = Pattern.compile("(?:^|: )\\$(\\d+): cannot send ");

    final PgloomConnection connection;
    private boolean closed;
    private int maxRows;
    private int fetchSize;
    private int queryTimeoutSeconds;
    private boolean closeOnCompletion;
    private boolean poolable;
    private boolean escapeProcessing = true;
    private PgloomResultSet current;
    /** True while {@link #run} waits for a read on the pool's shared connections; read by {@link #cancel()} from other threads. */
    private volatile boolean runningShared;
    private long updateCount = -1;
    private PgloomResultSet generatedKeys;
    private SQLWarning warnings;
    private final List<String> sqlBatch = new ArrayList<>();
    /** Per placeholder, the type it is cast to after the core refused a value for it; null entries for none. */
    String[] casts;

    PgloomStatement(PgloomConnection connection) {
        this.connection = connection;
    }

    void checkOpen() throws SQLException {
        if (closed) {
            throw new SQLException("the statement is closed", "HY010");
        }
        connection.checkOpen();
    }

    /** A body run against pgloom with the SQL text to use, which may throw pgloom's unchecked exceptions. */
    interface SqlCall<T> {
        T call(String sql);
    }

    /**
     * Runs {@code body} with the statement's SQL; when the core refuses a parameter value before
     * sending anything, retries it with the value's other form, then with the placeholder cast to
     * the value's type (see {@link JdbcValues}). {@code argRows} are changed in place.
     */
    <T> T withRetries(JdbcSql parsed, List<Object[]> argRows, SqlCall<T> body) throws SQLException {
        int n = parsed.parameterCount();
        boolean[] triedAlternative = new boolean[n];
        Object[][] originals = new Object[n][];
        boolean typedAll = false;
        forgetCastsOfOtherTypes(argRows);
        while (true) {
            String sql = casts == null ? parsed.sql() : parsed.withCasts(casts);
            try {
                return body.call(sql);
            } catch (PgException e) {
                if (!typedAll && e.sqlState() != null && UNRESOLVED_PARAMETER_TYPES.contains(e.sqlState()) && !connection.inTransaction()
                        && castEveryTypedParameter(parsed, argRows)) {
                    // what pgjdbc avoids by sending each parameter's type: typed now, tried once more
                    // (only outside a transaction, which a failed Parse would have aborted)
                    typedAll = true;
                    continue;
                }
                int p = refusedParameter(e);
                if (p < 0 || p >= n || p >= parsed.placeholderEnds().length) {
                    throw Jdbc.error(e);
                }
                if (!triedAlternative[p]) {
                    triedAlternative[p] = true;
                    originals[p] = new Object[argRows.size()];
                    boolean changed = false;
                    for (int r = 0; r < argRows.size(); r++) {
                        Object v = argRows.get(r)[p];
                        originals[p][r] = v;
                        Object alt = v == null ? null : JdbcValues.alternative(v);
                        if (alt != null) {
                            argRows.get(r)[p] = alt;
                            changed = true;
                        }
                    }
                    if (changed) {
                        continue;
                    }
                }
                if (casts == null || casts[p] == null) {
                    String type = null;
                    for (int r = 0; r < argRows.size() && type == null; r++) {
                        Object v = originals[p] != null ? originals[p][r] : argRows.get(r)[p];
                        type = v == null ? null : JdbcValues.castType(v);
                    }
                    if (type != null) {
                        for (int r = 0; originals[p] != null && r < argRows.size(); r++) {
                            argRows.get(r)[p] = originals[p][r];
                        }
                        if (casts == null) {
                            casts = new String[n];
                        }
                        casts[p] = type;
                        continue;
                    }
                }
                throw Jdbc.error(e);
            } catch (RuntimeException e) {
                throw Jdbc.error(e);
            }
        }
    }

    /**
     * Drops a remembered cast when this run's value for it is of another type (a parameter set
     * with setString once and setInt now goes back to the server's inference); a null keeps it.
     */
    private void forgetCastsOfOtherTypes(List<Object[]> argRows) {
        if (casts == null || argRows.isEmpty()) {
            return;
        }
        Object[] first = argRows.get(0);
        for (int p = 0; p < casts.length && p < first.length; p++) {
            if (casts[p] != null && first[p] != null && !casts[p].equals(JdbcValues.castType(first[p]))) {
                casts[p] = null;
            }
        }
    }

    /** Casts each placeholder without a cast to its first row's value type; false when none could be cast. */
    private boolean castEveryTypedParameter(JdbcSql parsed, List<Object[]> argRows) {
        int n = Math.min(parsed.parameterCount(), parsed.placeholderEnds().length);
        boolean any = false;
        for (int p = 0; p < n && !argRows.isEmpty(); p++) {
            Object v = argRows.get(0)[p];
            String type = v == null ? null : JdbcValues.castType(v);
            if (type != null && (casts == null || casts[p] == null)) {
                if (casts == null) {
                    casts = new String[parsed.parameterCount()];
                }
                casts[p] = type;
                any = true;
            }
        }
        return any;
    }

    /** The 0-based parameter the core refused client-side (nothing was sent), or -1. */
    private static int refusedParameter(PgException e) {
        if (e.sqlState() != null || e instanceof ConnectionException || e.getMessage() == null) {
            return -1;
        }
        Matcher m = REFUSED_PARAMETER.matcher(e.getMessage());
        return m.find() ? Integer.parseInt(m.group(1)) - 1 : -1;
    }

    /**
     * Runs one statement: rows become the current result set, a count the update count.
     * {@code keyColumns} (non-null: generated keys asked for; empty: every column) adds a
     * {@code RETURNING} clause to a data change whose rows become {@link #getGeneratedKeys()}.
     */
    boolean run(JdbcSql parsed, Object[] args, Mode mode, String[] keyColumns) throws SQLException {
        checkOpen();
        clearResults();
        connection.beginIfNeeded();
        Queries q = fetchSize > 0
                ? connection.queries(queryTimeoutSeconds)     // a streamed query reads through a cursor of the session's
                : connection.queries(queryTimeoutSeconds, parsed, args.length == 0);
        runningShared = !connection.holdsSession();
        try {
            if (keyColumns != null && parsed.isDataChange() && mode != Mode.QUERY) {
                String returning = parsed.returning() ? "" : returningClause(keyColumns);
                List<Row> rows = withRetries(parsed, listOf(args), sql -> q.fetch(sql + returning, args));
                generatedKeys = PgloomResultSet.of(this, rows, () -> List.of());
                updateCount = rows.size();
                return false;
            }
            boolean rowsWanted = switch (mode) {
                case QUERY -> true;
                case UPDATE -> false;
                case ANY -> parsed.returnsRows();
            };
            if (rowsWanted) {
                current = query(parsed, args, q);
                return true;
            }
            String tag = args.length == 0
                    ? withRetries(parsed, List.of(), sql -> q.execute(sql))
                    : withRetries(parsed, listOf(args), sql -> q.execute(sql, args));
            updateCount = Jdbc.rowCount(tag);
            return false;
        } finally {
            runningShared = false;
            takeWarnings();
        }
    }

    private static List<Object[]> listOf(Object[] args) {
        List<Object[]> l = new ArrayList<>(1);
        l.add(args);
        return l;
    }

    /**
     * Runs a query: all rows now, or with a fetch size, through a pgloom cursor that reads
     * {@code fetchSize} rows per round trip as the result set is read (the connection serves
     * nothing else until the result set is closed or read to its end).
     */
    private PgloomResultSet query(JdbcSql parsed, Object[] args, Queries q) throws SQLException {
        if (fetchSize > 0) {
            return stream(parsed, args);
        }
        String[] used = new String[1];
        List<Row> rows = withRetries(parsed, listOf(args), sql -> {
            used[0] = sql;
            return q.fetch(sql, args);
        });
        if (maxRows > 0 && rows.size() > maxRows) {
            rows = rows.subList(0, maxRows);
        }
        return PgloomResultSet.of(this, rows, () -> describe(used[0]));
    }

    private PgloomResultSet stream(JdbcSql parsed, Object[] args) throws SQLException {
        PgConnection pg = connection.pg();
        Duration before = pg.commandTimeout();
        Duration timeout = queryTimeoutSeconds > 0 ? Duration.ofSeconds(queryTimeoutSeconds) : null;
        if (timeout != null) {
            pg.setCommandTimeout(timeout);      // for each batch the cursor asks for
        }
        RowCursor cursor;
        try {
            cursor = withRetries(parsed, listOf(args), sql -> pg.cursor(fetchSize, sql, args));
        } catch (SQLException | RuntimeException e) {
            if (timeout != null) {
                pg.setCommandTimeout(before);
            }
            throw e;
        }
        AutoCloseable end = () -> {
            try {
                cursor.close();
            } finally {
                if (timeout != null && !pg.isClosed()) {
                    pg.setCommandTimeout(before);
                }
            }
        };
        return new PgloomResultSet(this, cursor.iterator(), cursor::columns, end, maxRows);
    }

    /**
     * The columns of a statement whose result had no row to take them from: the server
     * describes it (Parse and Describe of a named statement, then Close), without running it.
     */
    List<Column> describe(String sql) throws SQLException {
        return connection.describe(sql);
    }

    static String returningClause(String[] keyColumns) {
        if (keyColumns.length == 0) {
            return " RETURNING *";
        }
        StringBuilder b = new StringBuilder(" RETURNING ");
        for (int i = 0; i < keyColumns.length; i++) {
            String c = keyColumns[i];
            b.append(i > 0 ? ", " : "").append(c.matches("[A-Za-z_][A-Za-z0-9_$]*") || c.startsWith("\"")
                    ? c : PgloomConnection.quoteIdentifier(c));
        }
        return b.toString();
    }

    void takeWarnings() {
        SQLWarning w = connection.takeWarnings();
        if (w == null) {
            return;
        }
        if (warnings == null) {
            warnings = w;
        } else {
            warnings.setNextWarning(w);
        }
    }

    private void clearResults() throws SQLException {
        if (current != null) {
            PgloomResultSet rs = current;
            current = null;
            rs.close();
        }
        updateCount = -1;
        generatedKeys = null;
    }

    /** Called by a result set of this statement when it closes. */
    void resultClosed(PgloomResultSet rs) throws SQLException {
        if (closeOnCompletion && rs == current && !closed) {
            close();
        }
    }

    private JdbcSql parsePlain(String sql) throws SQLException {
        if (sql == null) {
            throw new SQLException("the SQL is null", "42601");
        }
        return JdbcSql.parse(sql, false, escapeProcessing);
    }

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        run(parsePlain(sql), new Object[0], Mode.QUERY, null);
        return current;
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        return (int) executeLargeUpdate(sql);
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        run(parsePlain(sql), new Object[0], Mode.UPDATE, null);
        return updateCount;
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        return run(parsePlain(sql), new Object[0], Mode.ANY, null);
    }

    @Override
    public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
        return run(parsePlain(sql), new Object[0], Mode.ANY, autoGeneratedKeys == RETURN_GENERATED_KEYS ? new String[0] : null);
    }

    @Override
    public boolean execute(String sql, int[] columnIndexes) throws SQLException {
        throw Jdbc.unsupported("generated keys by column index: name the columns");
    }

    @Override
    public boolean execute(String sql, String[] columnNames) throws SQLException {
        return run(parsePlain(sql), new Object[0], Mode.ANY, columnNames == null ? new String[0] : columnNames.clone());
    }

    @Override
    public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        return (int) executeLargeUpdate(sql, autoGeneratedKeys);
    }

    @Override
    public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        run(parsePlain(sql), new Object[0], Mode.UPDATE, autoGeneratedKeys == RETURN_GENERATED_KEYS ? new String[0] : null);
        return updateCount;
    }

    @Override
    public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
        throw Jdbc.unsupported("generated keys by column index: name the columns");
    }

    @Override
    public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
        throw Jdbc.unsupported("generated keys by column index: name the columns");
    }

    @Override
    public int executeUpdate(String sql, String[] columnNames) throws SQLException {
        return (int) executeLargeUpdate(sql, columnNames);
    }

    @Override
    public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
        run(parsePlain(sql), new Object[0], Mode.UPDATE, columnNames == null ? new String[0] : columnNames.clone());
        return updateCount;
    }

    @Override
    public void addBatch(String sql) throws SQLException {
        checkOpen();
        sqlBatch.add(sql);
    }

    @Override
    public void clearBatch() throws SQLException {
        checkOpen();
        sqlBatch.clear();
    }

    @Override
    public int[] executeBatch() throws SQLException {
        long[] counts = executeLargeBatch();
        int[] out = new int[counts.length];
        for (int i = 0; i < counts.length; i++) {
            out[i] = (int) counts[i];
        }
        return out;
    }

    /**
     * Runs the batch's statements in order. Several, each a single statement, with no query or
     * network timeout of the statement's own, go as one atomic pipeline: one write, one round
     * trip, each count the server's, and outside a transaction a failure keeps none of them, as
     * for a prepared statement's batch (and pgjdbc's). Otherwise they run one by one, and the
     * first failure ends the batch with the counts so far.
     */
    @Override
    public long[] executeLargeBatch() throws SQLException {
        checkOpen();
        List<String> batch = List.copyOf(sqlBatch);
        sqlBatch.clear();
        clearResults();
        List<JdbcSql> parsed = new ArrayList<>(batch.size());
        boolean single = true;
        for (String sql : batch) {
            JdbcSql p = parsePlain(sql);
            parsed.add(p);
            single &= p.statements() <= 1;
        }
        long[] counts = new long[batch.size()];
        if (batch.size() > 1 && single && connection.usesOwnTimeout(queryTimeoutSeconds)) {
            return pipelinedBatch(parsed, counts);
        }
        for (int i = 0; i < counts.length; i++) {
            try {
                run(parsed.get(i), new Object[0], Mode.UPDATE, null);
                counts[i] = updateCount;
            } catch (SQLException e) {
                throw batchFailure(e, java.util.Arrays.copyOf(counts, i));
            }
        }
        clearResults();
        return counts;
    }

    private long[] pipelinedBatch(List<JdbcSql> parsed, long[] counts) throws SQLException {
        connection.beginIfNeeded();
        List<io.pgloom.Pipeline.Result<String>> results = new ArrayList<>(parsed.size());
        int failedAt = -1;
        try {
            try (io.pgloom.Pipeline pipeline = connection.pg().atomicPipeline()) {
                for (JdbcSql p : parsed) {
                    results.add(pipeline.execute(p.sql()));
                }
            }
            PgException[] errors = takeCounts(results, counts);
            if (errors != null) {
                failedAt = culprit(errors);
                throw errors[failedAt];
            }
            return counts;
        } catch (PgException e) {
            throw batchFailure(Jdbc.error(e), ranBefore(failedAt), failedAt);
        } finally {
            takeWarnings();
        }
    }

    /**
     * The counts a failed atomic pipeline reports for the entries before {@code failedAt}: none
     * outside a transaction (nothing was kept); in one, {@code SUCCESS_NO_INFO} for each (they
     * ran, in a transaction that is failed now, and the caller decides about it).
     */
    long[] ranBefore(int failedAt) {
        long[] ran = new long[connection.inTransaction() && failedAt > 0 ? failedAt : 0];
        java.util.Arrays.fill(ran, SUCCESS_NO_INFO);
        return ran;
    }

    /**
     * Takes each entry's count from an atomic pipeline's results into {@code counts}; returns
     * the entries' errors (null for those that ran), or null when every entry ran.
     */
    static PgException[] takeCounts(List<io.pgloom.Pipeline.Result<String>> results, long[] counts) {
        PgException[] errors = null;
        for (int i = 0; i < results.size(); i++) {
            try {
                counts[i] = Jdbc.rowCount(results.get(i).get());
            } catch (PgException e) {
                if (errors == null) {
                    errors = new PgException[results.size()];
                }
                errors[i] = e;
            }
        }
        return errors;
    }

    /**
     * The entry whose error failed an atomic pipeline: the others' errors have it as their
     * cause; when every entry holds the same error (a value refused before anything was sent),
     * the first. -1 when none failed.
     */
    static int culprit(PgException[] errors) {
        int first = -1;
        for (int i = 0; i < errors.length; i++) {
            if (errors[i] == null) {
                continue;
            }
            if (first < 0) {
                first = i;
            }
            boolean consequence = false;
            for (PgException other : errors) {
                if (other != null && other != errors[i] && errors[i].getCause() == other) {
                    consequence = true;
                    break;
                }
            }
            if (!consequence) {
                return i;
            }
        }
        return first;
    }

    /** A batch that ran entry by entry failed at the entry after the last counted one. */
    static BatchUpdateException batchFailure(SQLException e, long[] counts) {
        return batchFailure(e, counts, counts.length);
    }

    /** A batch failed at {@code failedEntry} (0-based; -1 when not known), with these counts kept. */
    static BatchUpdateException batchFailure(SQLException e, long[] counts, int failedEntry) {
        String which = failedEntry >= 0 ? "batch entry " + failedEntry + " failed: " : "the batch failed: ";
        return new BatchUpdateException(which + e.getMessage(), e.getSQLState(), e.getErrorCode(), counts, e);
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        checkOpen();
        return current;
    }

    @Override
    public int getUpdateCount() throws SQLException {
        return (int) getLargeUpdateCount();
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        checkOpen();
        return current != null ? -1 : updateCount;
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        return getMoreResults(CLOSE_CURRENT_RESULT);
    }

    /** Each statement has one result; after it there are none. */
    @Override
    public boolean getMoreResults(int current) throws SQLException {
        checkOpen();
        if (current != KEEP_CURRENT_RESULT) {
            clearResults();
        } else {
            this.current = null;
            updateCount = -1;
        }
        return false;
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        checkOpen();
        return generatedKeys != null ? generatedKeys : PgloomResultSet.of(this, List.of(), List::of);
    }

    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        PgloomResultSet rs = current;
        current = null;
        closed = true;
        if (rs != null) {
            rs.close();
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public int getMaxFieldSize() throws SQLException {
        checkOpen();
        return 0;
    }

    @Override
    public void setMaxFieldSize(int max) throws SQLException {
        checkOpen();
        if (max != 0) {
            throw Jdbc.unsupported("setMaxFieldSize: values are never truncated");
        }
    }

    @Override
    public int getMaxRows() throws SQLException {
        checkOpen();
        return maxRows;
    }

    @Override
    public void setMaxRows(int max) throws SQLException {
        setLargeMaxRows(max);
    }

    @Override
    public long getLargeMaxRows() throws SQLException {
        return getMaxRows();
    }

    @Override
    public void setLargeMaxRows(long max) throws SQLException {
        checkOpen();
        if (max < 0 || max > Integer.MAX_VALUE) {
            throw new SQLException("max rows " + max + " is out of range", "HY024");
        }
        maxRows = (int) max;
    }

    /** Off, a plain statement's {@code {d ...}}, {@code {fn ...}} are sent as written; a prepared statement parsed its SQL already. */
    @Override
    public void setEscapeProcessing(boolean enable) throws SQLException {
        checkOpen();
        escapeProcessing = enable;
    }

    @Override
    public int getQueryTimeout() throws SQLException {
        checkOpen();
        return queryTimeoutSeconds;
    }

    /** A statement still running after this many seconds is cancelled on the server and fails with SQLTimeoutException. */
    @Override
    public void setQueryTimeout(int seconds) throws SQLException {
        checkOpen();
        if (seconds < 0) {
            throw new SQLException("negative query timeout " + seconds, "HY024");
        }
        queryTimeoutSeconds = seconds;
    }

    /**
     * Cancels the running statement on the server (a side connection's CancelRequest); safe from
     * any thread. A read running over the pool's shared connections (see {@link PgloomDataSource#of})
     * cannot be told apart from other callers' there: cancelling it throws
     * {@link java.sql.SQLFeatureNotSupportedException}; a query timeout does stop it.
     */
    @Override
    public void cancel() throws SQLException {
        if (closed) {
            return;
        }
        if (runningShared) {
            throw Jdbc.unsupported("cancel() of an auto-commit read running on the pool's shared connections:"
                    + " set a query timeout, or turn auto-commit off so that it runs on a connection of its own");
        }
        if (connection.holdsSession()) {
            connection.pg().cancel();
        }
        // else nothing of this connection runs on the server: there is nothing to cancel
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
    public void setCursorName(String name) throws SQLException {
        throw Jdbc.unsupported("named cursors (positioned UPDATE ... WHERE CURRENT OF)");
    }

    @Override
    public void setFetchDirection(int direction) throws SQLException {
        checkOpen();
        if (direction != ResultSet.FETCH_FORWARD) {
            throw Jdbc.unsupported("fetch direction " + direction + ": results are forward-only");
        }
    }

    @Override
    public int getFetchDirection() {
        return ResultSet.FETCH_FORWARD;
    }

    @Override
    public void setFetchSize(int rows) throws SQLException {
        checkOpen();
        if (rows < 0) {
            throw new SQLException("negative fetch size " + rows, "HY024");
        }
        fetchSize = rows;
    }

    @Override
    public int getFetchSize() throws SQLException {
        checkOpen();
        return fetchSize;
    }

    @Override
    public int getResultSetConcurrency() {
        return ResultSet.CONCUR_READ_ONLY;
    }

    @Override
    public int getResultSetType() {
        return ResultSet.TYPE_FORWARD_ONLY;
    }

    @Override
    public Connection getConnection() throws SQLException {
        checkOpen();
        return connection;
    }

    @Override
    public int getResultSetHoldability() {
        return ResultSet.CLOSE_CURSORS_AT_COMMIT;
    }

    @Override
    public void setPoolable(boolean poolable) throws SQLException {
        checkOpen();
        this.poolable = poolable;
    }

    /** A hint only: pgloom's core caches every statement's server-side plan anyway. */
    @Override
    public boolean isPoolable() throws SQLException {
        checkOpen();
        return poolable;
    }

    @Override
    public void closeOnCompletion() throws SQLException {
        checkOpen();
        closeOnCompletion = true;
    }

    @Override
    public boolean isCloseOnCompletion() throws SQLException {
        checkOpen();
        return closeOnCompletion;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("this statement does not wrap a " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    int fetchSizeHint() {
        return fetchSize;
    }

    int maxRowsLimit() {
        return maxRows;
    }

    int queryTimeout() {
        return queryTimeoutSeconds;
    }

    PgloomResultSet currentResult() {
        return current;
    }

    long currentUpdateCount() {
        return updateCount;
    }

    void setGeneratedKeys(PgloomResultSet keys, long count) {
        this.generatedKeys = keys;
        this.updateCount = count;
    }

    void clearForBatch() throws SQLException {
        checkOpen();
        clearResults();
    }
}
