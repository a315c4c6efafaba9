package io.pgloom.jdbc;

import io.pgloom.Column;
import io.pgloom.Row;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Calendar;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A forward-only, read-only result over pgloom {@link Row}s: either rows already read (the
 * default) or rows read from a cursor as {@link #next()} reaches them (with a fetch size). Every
 * getter converts as JDBC specifies from the core's Java value; {@code getObject} returns
 * {@code java.sql.Timestamp}/{@code Date}/{@code Time} and {@link Array} for dates and arrays, and
 * {@code getObject(i, LocalDateTime.class)} etc. the java.time types.
 *
 * <p>Used by one thread at a time; values read from it stay valid after it closes.
 */
final class PgloomResultSet extends ReadOnlyResultSet {

    /** Where a result's column descriptions come from when there may be no row to take them from. */
    interface Columns {
        List<Column> get() throws SQLException;
    }

    private final PgloomStatement statement;
    private final Iterator<Row> rows;
    private final Columns columnSource;
    private final AutoCloseable onClose;
    private final long maxRows;
    private List<Column> columns;
    private Map<String, Integer> indexByLabel;
    private Row row;
    private long rowNumber;
    private boolean wasNull;
    private boolean closed;
    private boolean afterLast;
    private int fetchSize;

    PgloomResultSet(PgloomStatement statement, Iterator<Row> rows, Columns columns, AutoCloseable onClose, long maxRows) {
        this.statement = statement;
        this.rows = rows;
        this.columnSource = columns;
        this.onClose = onClose;
        this.maxRows = maxRows;
    }

    /** A result of rows already read; {@code columns} describes it when there are none. */
    static PgloomResultSet of(PgloomStatement statement, List<Row> rows, Columns columns) {
        Columns source = rows.isEmpty() ? columns : () -> rows.get(0).columns();
        return new PgloomResultSet(statement, rows.iterator(), source, null, 0);
    }

    List<Column> columns() throws SQLException {
        if (columns == null) {
            columns = columnSource.get();
        }
        return columns;
    }

    private void checkOpen() throws SQLException {
        if (closed) {
            throw new SQLException("the result set is closed", "24000");
        }
    }

    @Override
    public boolean next() throws SQLException {
        checkOpen();
        if (afterLast) {
            return false;
        }
        try {
            if ((maxRows > 0 && rowNumber >= maxRows) || !rows.hasNext()) {
                row = null;
                afterLast = true;
                return false;
            }
            row = rows.next();
        } catch (RuntimeException e) {
            throw Jdbc.error(e);
        }
        if (columns == null) {
            columns = row.columns();
        }
        rowNumber++;
        return true;
    }

    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        row = null;
        try {
            if (onClose != null) {
                onClose.close();
            }
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? Jdbc.error(r) : new SQLException(e.toString(), null, e);
        } finally {
            if (statement != null) {
                statement.resultClosed(this);
            }
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** The current row's value at a 1-based column, recording wasNull. */
    private Object value(int columnIndex) throws SQLException {
        checkOpen();
        if (row == null) {
            throw new SQLException(rowNumber == 0 ? "no current row: call next() first" : "no current row: the result is exhausted", "24000");
        }
        if (columnIndex < 1 || columnIndex > row.size()) {
            throw new SQLException("column index " + columnIndex + " is out of range (1.." + row.size() + ")", "22023");
        }
        try {
            Object v = row.get(columnIndex - 1);
            wasNull = v == null;
            return v;
        } catch (RuntimeException e) {
            throw Jdbc.error(e);
        }
    }

    private String typeName(int columnIndex) {
        return row.columns().get(columnIndex - 1).typeName();
    }

    @Override
    public boolean wasNull() throws SQLException {
        checkOpen();
        return wasNull;
    }

    @Override
    public String getString(int columnIndex) throws SQLException {
        Object v = value(columnIndex);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        try {
            return row.get(columnIndex - 1, String.class);   // the PostgreSQL text form
        } catch (RuntimeException e) {
            throw Jdbc.error(e);
        }
    }

    @Override
    public boolean getBoolean(int columnIndex) throws SQLException {
        Object v = value(columnIndex);
        return v != null && JdbcValues.toBoolean(v);
    }

    @Override
    public byte getByte(int columnIndex) throws SQLException {
        Object v = value(columnIndex);
        return v == null ? 0 : (byte) JdbcValues.toLong(v, Byte.MIN_VALUE, Byte.MAX_VALUE, "byte");
    }

    @Override
    public short getShort(int columnIndex) throws SQLException {
        Object v = value(columnIndex);
        return v == null ? 0 : (short) JdbcValues.toLong(v, Short.MIN_VALUE, Short.MAX_VALUE, "short");
    }

    @Override
    public int getInt(int columnIndex) throws SQLException {
        Object v = value(columnIndex);
        return v == null ? 0 : (int) JdbcValues.toLong(v, Integer.MIN_VALUE, Integer.MAX_VALUE, "int");
    }

    @Override
    public long getLong(int columnIndex) throws SQLException {
        Object v = value(columnIndex);
        return v == null ? 0 : JdbcValues.toLong(v, Long.MIN_VALUE, Long.MAX_VALUE, "long");
    }

    @Override
    public float getFloat(int columnIndex) throws SQLException {
        Object v = value(columnIndex);
        return v == null ? 0 : (float) JdbcValues.toDouble(v);
    }

    @Override
    public double getDouble(int columnIndex) throws SQLException {
        Object v = value(columnIndex);
        return v == null ? 0 : JdbcValues.toDouble(v);
    }

    @Override
    @Deprecated
    public BigDecimal getBigDecimal(int columnIndex, int scale) throws SQLException {
        BigDecimal d = getBigDecimal(columnIndex);
        return d == null ? null : d.setScale(scale, RoundingMode.HALF_UP);
    }

    @Override
    public BigDecimal getBigDecimal(int columnIndex) throws SQLException {
        Object v = value(columnIndex);
        return v == null ? null : JdbcValues.toBigDecimal(v);
    }

    @Override
    public byte[] getBytes(int columnIndex) throws SQLException {
        Object v = value(columnIndex);
        return switch (v) {
            case null -> null;
            case byte[] b -> b;
            case String s -> s.getBytes(StandardCharsets.UTF_8);
            default -> throw JdbcValues.bad(v, "bytes");
        };
    }

    @Override
    public Date getDate(int columnIndex) throws SQLException {
        Object v = value(columnIndex);
        return v == null ? null : Date.valueOf(JdbcValues.toLocalDate(v, ZoneId.systemDefault()));
    }

    @Override
    public Time getTime(int columnIndex) throws SQLException {
        Object v = value(columnIndex);
        return v == null ? null : Time.valueOf(JdbcValues.toLocalTime(v, ZoneId.systemDefault()));
    }

    @Override
    public Timestamp getTimestamp(int columnIndex) throws SQLException {
        Object v = value(columnIndex);
        if (v == null) {
            return null;
        }
        return v instanceof OffsetDateTime t ? Timestamp.from(t.toInstant())
                : Timestamp.valueOf(JdbcValues.toLocalDateTime(v, ZoneId.systemDefault()));
    }

    @Override
    public Date getDate(int columnIndex, Calendar cal) throws SQLException {
        if (cal == null) {
            return getDate(columnIndex);
        }
        Object v = value(columnIndex);
        if (v == null) {
            return null;
        }
        ZoneId zone = cal.getTimeZone().toZoneId();
        return new Date(JdbcValues.toLocalDate(v, zone).atStartOfDay(zone).toInstant().toEpochMilli());
    }

    @Override
    public Time getTime(int columnIndex, Calendar cal) throws SQLException {
        if (cal == null) {
            return getTime(columnIndex);
        }
        Object v = value(columnIndex);
        if (v == null) {
            return null;
        }
        ZoneId zone = cal.getTimeZone().toZoneId();
        LocalTime t = JdbcValues.toLocalTime(v, zone);
        return new Time(t.atDate(LocalDate.EPOCH).atZone(zone).toInstant().toEpochMilli());
    }

    @Override
    public Timestamp getTimestamp(int columnIndex, Calendar cal) throws SQLException {
        if (cal == null) {
            return getTimestamp(columnIndex);
        }
        Object v = value(columnIndex);
        return v == null ? null : Timestamp.from(JdbcValues.toInstant(v, cal.getTimeZone().toZoneId()));
    }

    @Override
    public InputStream getAsciiStream(int columnIndex) throws SQLException {
        String s = getString(columnIndex);
        return s == null ? null : new ByteArrayInputStream(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    @Deprecated
    public InputStream getUnicodeStream(int columnIndex) throws SQLException {
        throw Jdbc.unsupported("getUnicodeStream (deprecated since JDBC 2): use getCharacterStream");
    }

    @Override
    public InputStream getBinaryStream(int columnIndex) throws SQLException {
        byte[] b = getBytes(columnIndex);
        return b == null ? null : new ByteArrayInputStream(b);
    }

    @Override
    public Reader getCharacterStream(int columnIndex) throws SQLException {
        String s = getString(columnIndex);
        return s == null ? null : new StringReader(s);
    }

    @Override
    public Object getObject(int columnIndex) throws SQLException {
        Object v = value(columnIndex);
        return v == null ? null : JdbcValues.jdbcObject(v, typeName(columnIndex));
    }

    @Override
    public <T> T getObject(int columnIndex, Class<T> type) throws SQLException {
        if (type == null) {
            throw new SQLException("getObject: type is null", "HY009");
        }
        Object v = value(columnIndex);
        if (v == null) {
            return null;
        }
        Object out = convert(columnIndex, v, type);
        return type.cast(out);
    }

    private Object convert(int columnIndex, Object v, Class<?> type) throws SQLException {
        // The default zone only where a conversion needs it: ZoneId.systemDefault() clones the
        // JVM's TimeZone on every call (3.6% of what W9's JdbcTemplate loop allocated).
        if (type == String.class) {
            return getString(columnIndex);
        } else if (type == Integer.class) {
            return getInt(columnIndex);
        } else if (type == Long.class) {
            return getLong(columnIndex);
        } else if (type == Short.class) {
            return getShort(columnIndex);
        } else if (type == Byte.class) {
            return getByte(columnIndex);
        } else if (type == Double.class) {
            return getDouble(columnIndex);
        } else if (type == Float.class) {
            return getFloat(columnIndex);
        } else if (type == Boolean.class) {
            return getBoolean(columnIndex);
        } else if (type == BigDecimal.class) {
            return getBigDecimal(columnIndex);
        } else if (type == BigInteger.class) {
            return getBigDecimal(columnIndex).toBigInteger();
        } else if (type == byte[].class) {
            return getBytes(columnIndex);
        } else if (type == Timestamp.class) {
            return getTimestamp(columnIndex);
        } else if (type == Date.class) {
            return getDate(columnIndex);
        } else if (type == Time.class) {
            return getTime(columnIndex);
        } else if (type == LocalDate.class) {
            return JdbcValues.toLocalDate(v, ZoneId.systemDefault());
        } else if (type == LocalDateTime.class) {
            return JdbcValues.toLocalDateTime(v, ZoneId.systemDefault());
        } else if (type == LocalTime.class) {
            return JdbcValues.toLocalTime(v, ZoneId.systemDefault());
        } else if (type == OffsetDateTime.class) {
            return v instanceof OffsetDateTime t ? t : JdbcValues.toInstant(v, ZoneId.systemDefault()).atOffset(ZoneOffset.UTC);
        } else if (type == Instant.class) {
            return JdbcValues.toInstant(v, ZoneId.systemDefault());
        } else if (type == ZonedDateTime.class) {
            ZoneId zone = ZoneId.systemDefault();
            return JdbcValues.toInstant(v, zone).atZone(zone);
        } else if (type == OffsetTime.class) {
            if (v instanceof OffsetTime t) {
                return t;
            }
            ZoneId zone = ZoneId.systemDefault();
            return JdbcValues.toLocalTime(v, zone).atOffset(zone.getRules().getOffset(Instant.now()));
        } else if (type == UUID.class) {
            return v instanceof String s ? UUID.fromString(s) : v;
        } else if (type == Array.class) {
            return getArray(columnIndex);
        } else if (type.isInstance(v)) {
            return v;
        }
        try {
            return row.get(columnIndex - 1, type);
        } catch (RuntimeException e) {
            throw new SQLDataException("getObject(" + columnIndex + ", " + type.getName() + "): " + e.getMessage(), "22018", e);
        }
    }

    @Override
    public Object getObject(int columnIndex, Map<String, Class<?>> map) throws SQLException {
        if (map != null && !map.isEmpty()) {
            throw Jdbc.unsupported("getObject with a type map");
        }
        return getObject(columnIndex);
    }

    @Override
    public Array getArray(int columnIndex) throws SQLException {
        Object v = value(columnIndex);
        return switch (v) {
            case null -> null;
            case List<?> l -> PgloomArray.fromList(typeName(columnIndex), l);
            default -> throw JdbcValues.bad(v, "array");
        };
    }

    @Override
    public URL getURL(int columnIndex) throws SQLException {
        String s = getString(columnIndex);
        try {
            return s == null ? null : java.net.URI.create(s).toURL();
        } catch (RuntimeException | java.net.MalformedURLException e) {
            throw new SQLDataException("not a URL: " + s, "22018", e);
        }
    }

    @Override
    public String getNString(int columnIndex) throws SQLException {
        return getString(columnIndex);
    }

    @Override
    public Reader getNCharacterStream(int columnIndex) throws SQLException {
        return getCharacterStream(columnIndex);
    }

    @Override
    public Ref getRef(int columnIndex) throws SQLException {
        throw Jdbc.unsupported("Ref: PostgreSQL has no REF type");
    }

    @Override
    public Blob getBlob(int columnIndex) throws SQLException {
        throw Jdbc.unsupported("Blob: read bytea with getBytes or getBinaryStream");
    }

    @Override
    public Clob getClob(int columnIndex) throws SQLException {
        throw Jdbc.unsupported("Clob: read text with getString or getCharacterStream");
    }

    @Override
    public NClob getNClob(int columnIndex) throws SQLException {
        throw Jdbc.unsupported("NClob: read text with getString");
    }

    @Override
    public SQLXML getSQLXML(int columnIndex) throws SQLException {
        throw Jdbc.unsupported("SQLXML: read xml with getString");
    }

    @Override
    public RowId getRowId(int columnIndex) throws SQLException {
        throw Jdbc.unsupported("RowId: select ctid as a String if you need it");
    }

    // ---- by label ----

    @Override
    public int findColumn(String columnLabel) throws SQLException {
        checkOpen();
        if (indexByLabel == null) {
            List<Column> cols = columns();
            Map<String, Integer> m = new HashMap<>();
            for (int i = cols.size() - 1; i >= 0; i--) {     // the first of repeated names wins
                m.put(cols.get(i).name(), i + 1);
            }
            for (int i = cols.size() - 1; i >= 0; i--) {
                m.putIfAbsent(cols.get(i).name().toLowerCase(Locale.ROOT), i + 1);
            }
            indexByLabel = m;
        }
        Integer i = indexByLabel.get(columnLabel);
        if (i == null) {
            i = indexByLabel.get(columnLabel.toLowerCase(Locale.ROOT));
        }
        if (i == null) {
            throw new SQLException("the result has no column \"" + columnLabel + "\"", "42703");
        }
        return i;
    }

    @Override public String getString(String l) throws SQLException { return getString(findColumn(l)); }
    @Override public boolean getBoolean(String l) throws SQLException { return getBoolean(findColumn(l)); }
    @Override public byte getByte(String l) throws SQLException { return getByte(findColumn(l)); }
    @Override public short getShort(String l) throws SQLException { return getShort(findColumn(l)); }
    @Override public int getInt(String l) throws SQLException { return getInt(findColumn(l)); }
    @Override public long getLong(String l) throws SQLException { return getLong(findColumn(l)); }
    @Override public float getFloat(String l) throws SQLException { return getFloat(findColumn(l)); }
    @Override public double getDouble(String l) throws SQLException { return getDouble(findColumn(l)); }
    @Override @Deprecated public BigDecimal getBigDecimal(String l, int scale) throws SQLException { return getBigDecimal(findColumn(l), scale); }
    @Override public BigDecimal getBigDecimal(String l) throws SQLException { return getBigDecimal(findColumn(l)); }
    @Override public byte[] getBytes(String l) throws SQLException { return getBytes(findColumn(l)); }
    @Override public Date getDate(String l) throws SQLException { return getDate(findColumn(l)); }
    @Override public Time getTime(String l) throws SQLException { return getTime(findColumn(l)); }
    @Override public Timestamp getTimestamp(String l) throws SQLException { return getTimestamp(findColumn(l)); }
    @Override public Date getDate(String l, Calendar c) throws SQLException { return getDate(findColumn(l), c); }
    @Override public Time getTime(String l, Calendar c) throws SQLException { return getTime(findColumn(l), c); }
    @Override public Timestamp getTimestamp(String l, Calendar c) throws SQLException { return getTimestamp(findColumn(l), c); }
    @Override public InputStream getAsciiStream(String l) throws SQLException { return getAsciiStream(findColumn(l)); }
    @Override @Deprecated public InputStream getUnicodeStream(String l) throws SQLException { return getUnicodeStream(findColumn(l)); }
    @Override public InputStream getBinaryStream(String l) throws SQLException { return getBinaryStream(findColumn(l)); }
    @Override public Reader getCharacterStream(String l) throws SQLException { return getCharacterStream(findColumn(l)); }
    @Override public Object getObject(String l) throws SQLException { return getObject(findColumn(l)); }
    @Override public <T> T getObject(String l, Class<T> type) throws SQLException { return getObject(findColumn(l), type); }
    @Override public Object getObject(String l, Map<String, Class<?>> map) throws SQLException { return getObject(findColumn(l), map); }
    @Override public Array getArray(String l) throws SQLException { return getArray(findColumn(l)); }
    @Override public URL getURL(String l) throws SQLException { return getURL(findColumn(l)); }
    @Override public String getNString(String l) throws SQLException { return getNString(findColumn(l)); }
    @Override public Reader getNCharacterStream(String l) throws SQLException { return getNCharacterStream(findColumn(l)); }
    @Override public Ref getRef(String l) throws SQLException { return getRef(findColumn(l)); }
    @Override public Blob getBlob(String l) throws SQLException { return getBlob(findColumn(l)); }
    @Override public Clob getClob(String l) throws SQLException { return getClob(findColumn(l)); }
    @Override public NClob getNClob(String l) throws SQLException { return getNClob(findColumn(l)); }
    @Override public SQLXML getSQLXML(String l) throws SQLException { return getSQLXML(findColumn(l)); }
    @Override public RowId getRowId(String l) throws SQLException { return getRowId(findColumn(l)); }

    // ---- cursor position and properties ----

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        checkOpen();
        return new PgloomResultSetMetaData(columns());
    }

    @Override
    public boolean isBeforeFirst() throws SQLException {
        checkOpen();
        return rowNumber == 0 && !afterLast && rows.hasNext();
    }

    @Override
    public boolean isAfterLast() throws SQLException {
        checkOpen();
        return afterLast && rowNumber > 0;
    }

    @Override
    public boolean isFirst() throws SQLException {
        checkOpen();
        return rowNumber == 1 && row != null;
    }

    @Override
    public boolean isLast() throws SQLException {
        checkOpen();
        return row != null && (!rows.hasNext() || (maxRows > 0 && rowNumber >= maxRows));
    }

    @Override
    public int getRow() throws SQLException {
        checkOpen();
        return row == null ? 0 : (int) rowNumber;
    }

    private SQLException forwardOnly(String method) {
        return new SQLException(method + ": the result set is TYPE_FORWARD_ONLY; only next() moves it", "24000");
    }

    @Override public void beforeFirst() throws SQLException { throw forwardOnly("beforeFirst"); }
    @Override public void afterLast() throws SQLException { throw forwardOnly("afterLast"); }
    @Override public boolean first() throws SQLException { throw forwardOnly("first"); }
    @Override public boolean last() throws SQLException { throw forwardOnly("last"); }
    @Override public boolean absolute(int r) throws SQLException { throw forwardOnly("absolute"); }
    @Override public boolean relative(int r) throws SQLException { throw forwardOnly("relative"); }
    @Override public boolean previous() throws SQLException { throw forwardOnly("previous"); }

    @Override
    public void setFetchDirection(int direction) throws SQLException {
        checkOpen();
        if (direction != ResultSet.FETCH_FORWARD) {
            throw forwardOnly("setFetchDirection(" + direction + ")");
        }
    }

    @Override
    public int getFetchDirection() {
        return ResultSet.FETCH_FORWARD;
    }

    /** A hint; the batch size of a streaming result is the statement's fetch size when it ran. */
    @Override
    public void setFetchSize(int rows) throws SQLException {
        checkOpen();
        if (rows < 0) {
            throw new SQLException("negative fetch size " + rows, "HY024");
        }
        fetchSize = rows;
    }

    @Override
    public int getFetchSize() {
        return fetchSize;
    }

    @Override
    public int getType() {
        return ResultSet.TYPE_FORWARD_ONLY;
    }

    @Override
    public int getConcurrency() {
        return ResultSet.CONCUR_READ_ONLY;
    }

    @Override
    public int getHoldability() {
        return ResultSet.CLOSE_CURSORS_AT_COMMIT;
    }

    @Override
    public String getCursorName() throws SQLException {
        throw Jdbc.unsupported("named cursors (positioned UPDATE ... WHERE CURRENT OF)");
    }

    @Override
    public Statement getStatement() {
        return statement;
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public void clearWarnings() throws SQLException {
        checkOpen();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("this result set does not wrap a " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
