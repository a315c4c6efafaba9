package io.pgloom.jdbc;

import io.pgloom.PgConnection;
import io.pgloom.Queries;
import io.pgloom.Row;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.List;

/**
 * A JDBC prepared statement: its {@code ?} placeholders become {@code $1..$n} once (see
 * {@link JdbcSql}) and each run goes through pgloom's statement cache, so the server parses it
 * once per connection. Values are bound as the core encodes them (see {@link JdbcValues}).
 *
 * <p>A batch of a plain {@code INSERT ... VALUES (...)} runs as one pipelined
 * {@code executeMany} (one round trip; each entry inserted exactly its rows, so the counts are
 * exact). Any other batch (updates, deletes: what Hibernate and jOOQ batch) runs as one atomic
 * pipeline, one round trip with each count the server's, unless it asks for generated keys or
 * runs under a query or network timeout, which go entry by entry. Either way a batch that fails
 * outside a transaction keeps none of its entries, as one implicit transaction (pgjdbc's batches
 * behave the same); its {@link java.sql.BatchUpdateException} then has no counts. In a
 * transaction the entries before a pipelined batch's failure count as {@code SUCCESS_NO_INFO}.
 */
class PgloomPreparedStatement extends PgloomStatement implements PreparedStatement {

    final JdbcSql parsed;
    /** Non-null when generated keys were asked for; empty means every column. */
    private final String[] keyColumns;
    Object[] params;
    private boolean[] set;
    private final List<Object[]> batch = new ArrayList<>();
    private List<io.pgloom.Column> describedColumns;
    private List<String> describedParameters;

    PgloomPreparedStatement(PgloomConnection connection, String sql, String[] keyColumns) throws SQLException {
        super(connection);
        if (sql == null) {
            throw new SQLException("the SQL is null", "42601");
        }
        this.parsed = JdbcSql.cached(sql);
        this.keyColumns = keyColumns;
        this.params = new Object[parsed.parameterCount()];
        this.set = new boolean[params.length];
    }

    /** The 0-based slot of JDBC parameter {@code index}; a callable statement's return value has none. */
    int slot(int index) throws SQLException {
        if (index < 1 || index > params.length) {
            throw new SQLException("parameter index " + index + " is out of range (1.." + params.length + ")", "07009");
        }
        return index - 1;
    }

    void bind(int index, Object value) throws SQLException {
        checkOpen();
        int i = slot(index);
        params[i] = JdbcValues.parameter(value);
        set[i] = true;
    }

    /** The arguments of one run, checked for completeness as JDBC asks. */
    Object[] arguments() throws SQLException {
        for (int i = 0; i < set.length; i++) {
            if (!set[i] && !isOutOnly(i)) {
                throw new SQLException("no value was set for parameter " + (i + 1) + " of " + set.length, "07001");
            }
        }
        return params.clone();
    }

    /** True for a callable statement's slot that only returns a value (sent as NULL). */
    boolean isOutOnly(int slot) {
        return false;
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        run(parsed, arguments(), Mode.QUERY, null);
        return getResultSet();
    }

    @Override
    public int executeUpdate() throws SQLException {
        return (int) executeLargeUpdate();
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        run(parsed, arguments(), Mode.UPDATE, keyColumns);
        return getLargeUpdateCount();
    }

    @Override
    public boolean execute() throws SQLException {
        return run(parsed, arguments(), Mode.ANY, keyColumns);
    }

    private SQLException notOnPrepared() {
        return new SQLException("a PreparedStatement runs its own SQL: call execute()/executeQuery()/executeUpdate() without SQL", "HY000");
    }

    @Override public ResultSet executeQuery(String sql) throws SQLException { throw notOnPrepared(); }
    @Override public int executeUpdate(String sql) throws SQLException { throw notOnPrepared(); }
    @Override public boolean execute(String sql) throws SQLException { throw notOnPrepared(); }
    @Override public void addBatch(String sql) throws SQLException { throw notOnPrepared(); }

    @Override
    public void addBatch() throws SQLException {
        batch.add(arguments());
    }

    @Override
    public void clearBatch() throws SQLException {
        checkOpen();
        batch.clear();
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

    @Override
    public long[] executeLargeBatch() throws SQLException {
        clearForBatch();
        List<Object[]> rows = new ArrayList<>(batch);
        batch.clear();
        if (rows.isEmpty()) {
            return new long[0];
        }
        connection.beginIfNeeded();
        long[] counts = new long[rows.size()];
        if (keyColumns == null && parsed.insertedRows() > 0 && rows.size() > 1) {
            Queries q = connection.queries(queryTimeout());
            try {
                withRetries(parsed, rows, sql -> {
                    q.executeMany(sql, rows);
                    return null;
                });
            } catch (SQLException e) {
                throw batchFailure(e, new long[0], -1);     // outside a transaction none of it was kept
            } finally {
                takeWarnings();
            }
            Arrays.fill(counts, parsed.insertedRows());
            return counts;
        }
        if (keyColumns == null && rows.size() > 1 && connection.usesOwnTimeout(queryTimeout())) {
            return pipelinedBatch(rows, counts);
        }
        List<Row> keys = new ArrayList<>();
        Queries q = connection.queries(queryTimeout());
        for (int i = 0; i < counts.length; i++) {
            Object[] args = rows.get(i);
            try {
                if (keyColumns != null && parsed.isDataChange()) {
                    String returning = parsed.returning() ? "" : returningClause(keyColumns);
                    List<Row> r = withRetries(parsed, List.<Object[]>of(args),
                            sql -> q.fetch(sql + returning, args));
                    keys.addAll(r);
                    counts[i] = r.size();
                } else {
                    String tag = withRetries(parsed, List.<Object[]>of(args),
                            sql -> q.execute(sql, args));
                    counts[i] = Jdbc.rowCount(tag);
                }
            } catch (SQLException e) {
                throw batchFailure(e, Arrays.copyOf(counts, i));
            } finally {
                takeWarnings();
            }
        }
        if (keyColumns != null) {
            setGeneratedKeys(PgloomResultSet.of(this, keys, List::of), -1);
        }
        return counts;
    }

    /**
     * Every entry in one atomic pipeline: one write, one Sync, each entry's count from its
     * command tag. A failure is thrown as the failing entry's own error, so that the usual
     * retries (a value the inferred type refused) apply to the whole batch; outside a transaction
     * nothing was kept, inside one the counts before the failure are reported.
     */
    private long[] pipelinedBatch(List<Object[]> rows, long[] counts) throws SQLException {
        int[] failedAt = {-1};
        PgConnection session = connection.pg();
        try {
            withRetries(parsed, rows, sql -> {
                List<io.pgloom.Pipeline.Result<String>> results = new ArrayList<>(rows.size());
                try (io.pgloom.Pipeline pipeline = session.atomicPipeline()) {
                    for (Object[] args : rows) {
                        results.add(pipeline.execute(sql, args));
                    }
                }
                io.pgloom.PgException[] errors = takeCounts(results, counts);
                if (errors != null) {
                    failedAt[0] = culprit(errors);
                    throw errors[failedAt[0]];
                }
                return null;
            });
        } catch (SQLException e) {
            throw batchFailure(e, ranBefore(failedAt[0]), failedAt[0]);
        } finally {
            takeWarnings();
        }
        return counts;
    }

    @Override
    public void clearParameters() throws SQLException {
        checkOpen();
        Arrays.fill(params, null);
        Arrays.fill(set, false);
    }

    /**
     * The columns the statement will return, described by the server without running it (one
     * round trip, then cached); null for a statement that returns no rows.
     */
    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        checkOpen();
        describeStatement();
        return describedColumns.isEmpty() ? null : new PgloomResultSetMetaData(describedColumns);
    }

    /** The parameters' types as the server infers them, described once and cached. */
    @Override
    public ParameterMetaData getParameterMetaData() throws SQLException {
        checkOpen();
        describeStatement();
        return new PgloomParameterMetaData(describedParameters);
    }

    private void describeStatement() throws SQLException {
        if (describedParameters != null) {
            return;
        }
        String sql = casts == null ? parsed.sql() : parsed.withCasts(casts);
        connection.withSession(session -> {
            try (io.pgloom.PreparedQuery q = session.prepare(sql)) {
                describedColumns = q.columns();
                describedParameters = q.parameterTypes();
            }
            return null;
        });
    }

    // ---- setters ----

    @Override public void setNull(int i, int sqlType) throws SQLException { bind(i, null); }
    @Override public void setNull(int i, int sqlType, String typeName) throws SQLException { bind(i, null); }
    @Override public void setBoolean(int i, boolean x) throws SQLException { bind(i, x); }
    @Override public void setByte(int i, byte x) throws SQLException { bind(i, (short) x); }
    @Override public void setShort(int i, short x) throws SQLException { bind(i, x); }
    @Override public void setInt(int i, int x) throws SQLException { bind(i, x); }
    @Override public void setLong(int i, long x) throws SQLException { bind(i, x); }
    @Override public void setFloat(int i, float x) throws SQLException { bind(i, x); }
    @Override public void setDouble(int i, double x) throws SQLException { bind(i, x); }
    @Override public void setBigDecimal(int i, BigDecimal x) throws SQLException { bind(i, x); }
    @Override public void setString(int i, String x) throws SQLException { bind(i, x); }
    @Override public void setNString(int i, String x) throws SQLException { bind(i, x); }
    @Override public void setBytes(int i, byte[] x) throws SQLException { bind(i, x); }
    @Override public void setDate(int i, Date x) throws SQLException { bind(i, x); }
    @Override public void setTime(int i, Time x) throws SQLException { bind(i, x); }
    @Override public void setTimestamp(int i, Timestamp x) throws SQLException { bind(i, x); }

    /** The date as it is in {@code cal}'s zone. */
    @Override
    public void setDate(int i, Date x, Calendar cal) throws SQLException {
        bind(i, x == null || cal == null ? x : x.toInstant().atZone(cal.getTimeZone().toZoneId()).toLocalDate());
    }

    @Override
    public void setTime(int i, Time x, Calendar cal) throws SQLException {
        bind(i, x == null || cal == null ? x
                : java.time.Instant.ofEpochMilli(x.getTime()).atZone(cal.getTimeZone().toZoneId()).toLocalTime());
    }

    /** The wall-clock time in {@code cal}'s zone, which is also the instant if the column has a time zone. */
    @Override
    public void setTimestamp(int i, Timestamp x, Calendar cal) throws SQLException {
        if (x == null || cal == null) {
            bind(i, x);
            return;
        }
        ZoneId zone = cal.getTimeZone().toZoneId();
        bind(i, x.toInstant().atZone(zone).toLocalDateTime());
    }

    @Override
    public void setAsciiStream(int i, InputStream x, int length) throws SQLException { setAsciiStream(i, x, (long) length); }
    @Override
    public void setAsciiStream(int i, InputStream x, long length) throws SQLException {
        bind(i, x == null ? null : new String(JdbcValues.readAll(x, length), java.nio.charset.StandardCharsets.US_ASCII));
    }
    @Override
    public void setAsciiStream(int i, InputStream x) throws SQLException { setAsciiStream(i, x, -1L); }

    @Override
    @Deprecated
    public void setUnicodeStream(int i, InputStream x, int length) throws SQLException {
        throw Jdbc.unsupported("setUnicodeStream (deprecated since JDBC 2): use setCharacterStream");
    }

    @Override
    public void setBinaryStream(int i, InputStream x, int length) throws SQLException { setBinaryStream(i, x, (long) length); }
    @Override
    public void setBinaryStream(int i, InputStream x, long length) throws SQLException {
        bind(i, x == null ? null : JdbcValues.readAll(x, length));
    }
    @Override
    public void setBinaryStream(int i, InputStream x) throws SQLException { setBinaryStream(i, x, -1L); }

    @Override
    public void setCharacterStream(int i, Reader r, int length) throws SQLException { setCharacterStream(i, r, (long) length); }
    @Override
    public void setCharacterStream(int i, Reader r, long length) throws SQLException {
        bind(i, r == null ? null : JdbcValues.readAll(r, length));
    }
    @Override
    public void setCharacterStream(int i, Reader r) throws SQLException { setCharacterStream(i, r, -1L); }
    @Override
    public void setNCharacterStream(int i, Reader r, long length) throws SQLException { setCharacterStream(i, r, length); }
    @Override
    public void setNCharacterStream(int i, Reader r) throws SQLException { setCharacterStream(i, r, -1L); }

    @Override
    public void setObject(int i, Object x, int targetSqlType) throws SQLException {
        bind(i, JdbcValues.convert(x, targetSqlType));
    }

    @Override
    public void setObject(int i, Object x) throws SQLException {
        if (x instanceof Array a) {
            bind(i, JdbcValues.arrayParameter(a));
        } else if (x instanceof Blob || x instanceof Clob || x instanceof Ref || x instanceof SQLXML || x instanceof RowId) {
            throw Jdbc.unsupported("setObject with a " + x.getClass().getName());
        } else {
            bind(i, x);
        }
    }

    @Override
    public void setObject(int i, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
        Object v = JdbcValues.convert(x, targetSqlType);
        if (v instanceof BigDecimal d && (targetSqlType == Types.NUMERIC || targetSqlType == Types.DECIMAL)) {
            v = d.setScale(scaleOrLength, java.math.RoundingMode.HALF_UP);
        }
        bind(i, v);
    }

    @Override
    public void setObject(int i, Object x, SQLType targetSqlType, int scaleOrLength) throws SQLException {
        setObject(i, x, vendorType(targetSqlType), scaleOrLength);
    }

    @Override
    public void setObject(int i, Object x, SQLType targetSqlType) throws SQLException {
        setObject(i, x, vendorType(targetSqlType));
    }

    private static int vendorType(SQLType t) throws SQLException {
        if (t == null || t.getVendorTypeNumber() == null) {
            throw Jdbc.unsupported("setObject with SQLType " + t);
        }
        return t.getVendorTypeNumber();
    }

    @Override
    public void setArray(int i, Array x) throws SQLException {
        bind(i, x == null ? null : JdbcValues.arrayParameter(x));
    }

    @Override
    public void setURL(int i, URL x) throws SQLException {
        bind(i, x == null ? null : x.toString());
    }

    @Override
    public void setBlob(int i, Blob x) throws SQLException {
        bind(i, x == null ? null : x.getBytes(1, (int) x.length()));
    }

    @Override
    public void setBlob(int i, InputStream in, long length) throws SQLException { setBinaryStream(i, in, length); }
    @Override
    public void setBlob(int i, InputStream in) throws SQLException { setBinaryStream(i, in, -1L); }

    @Override
    public void setClob(int i, Clob x) throws SQLException {
        bind(i, x == null ? null : x.getSubString(1, (int) x.length()));
    }

    @Override
    public void setClob(int i, Reader r, long length) throws SQLException { setCharacterStream(i, r, length); }
    @Override
    public void setClob(int i, Reader r) throws SQLException { setCharacterStream(i, r, -1L); }
    @Override
    public void setNClob(int i, NClob x) throws SQLException { setClob(i, x); }
    @Override
    public void setNClob(int i, Reader r, long length) throws SQLException { setCharacterStream(i, r, length); }
    @Override
    public void setNClob(int i, Reader r) throws SQLException { setCharacterStream(i, r, -1L); }

    @Override
    public void setRef(int i, Ref x) throws SQLException {
        throw Jdbc.unsupported("setRef: PostgreSQL has no REF type");
    }

    @Override
    public void setRowId(int i, RowId x) throws SQLException {
        throw Jdbc.unsupported("setRowId: PostgreSQL has no ROWID type");
    }

    @Override
    public void setSQLXML(int i, SQLXML x) throws SQLException {
        bind(i, x == null ? null : x.getString());
    }
}
