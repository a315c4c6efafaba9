package io.pgloom.jdbc;

import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Calls of functions and procedures, as far as Hibernate and Flyway use them:
 * <ul>
 * <li>{@code {? = call f(?, ?)}} runs {@code SELECT f($1, $2)}; parameter 1 is the result,
 *     registered with {@code registerOutParameter(1, type)} and read with {@code getXxx(1)};</li>
 * <li>{@code {call f(?)}} runs {@code SELECT * FROM f($1)}: its rows are the result set, and
 *     registered OUT parameters take the first row's columns in order;</li>
 * <li>{@code CALL proc(?, ?)} (a procedure, PostgreSQL 11+) runs as written: an INOUT/OUT
 *     parameter left unset is sent as NULL, and the registered ones take the row the server
 *     returns, in order.</li>
 * </ul>
 * Parameters by name are not supported (PostgreSQL's protocol has positions only).
 */
final class PgloomCallableStatement extends PositionalCallableStatement {

    private static final Pattern CALL_ESCAPE = Pattern.compile("(?is)^\\{\\s*(\\?\\s*=\\s*)?call\\s+(.*?)\\s*}$");

    private final boolean returnsValue;
    /** Registered OUT parameters by JDBC index, with their SQL types. */
    private final TreeMap<Integer, Integer> outs = new TreeMap<>();
    private PgloomResultSet outRow;

    PgloomCallableStatement(PgloomConnection connection, String sql) throws SQLException {
        super(connection, translate(sql));
        Matcher m = CALL_ESCAPE.matcher(sql.strip());
        this.returnsValue = m.matches() && m.group(1) != null;
    }

    /** The call escape as PostgreSQL SQL; any other text as it is. */
    static String translate(String sql) throws SQLException {
        if (sql == null) {
            throw new SQLException("the SQL is null", "42601");
        }
        Matcher m = CALL_ESCAPE.matcher(sql.strip());
        if (!m.matches()) {
            return sql;
        }
        String call = m.group(2);
        if (call.indexOf('(') < 0) {
            call += "()";
        }
        return m.group(1) != null ? "SELECT " + call : "SELECT * FROM " + call;
    }

    @Override
    int slot(int index) throws SQLException {
        if (returnsValue) {
            if (index == 1) {
                throw new SQLException("parameter 1 of {? = call ...} is the function's result: register it with"
                        + " registerOutParameter(1, type) and read it after execute()", "07009");
            }
            return super.slot(index - 1);
        }
        return super.slot(index);
    }

    @Override
    boolean isOutOnly(int slot) {
        return outs.containsKey(returnsValue ? slot + 2 : slot + 1);
    }

    @Override
    public void registerOutParameter(int index, int sqlType) throws SQLException {
        checkOpen();
        if (!(returnsValue && index == 1)) {
            slot(index);
        }
        outs.put(index, sqlType);
    }

    @Override
    public void registerOutParameter(int index, int sqlType, int scale) throws SQLException {
        registerOutParameter(index, sqlType);
    }

    @Override
    public void registerOutParameter(int index, int sqlType, String typeName) throws SQLException {
        registerOutParameter(index, sqlType);
    }

    @Override
    public void registerOutParameter(int index, SQLType sqlType) throws SQLException {
        registerOutParameter(index, sqlType.getVendorTypeNumber() == null ? java.sql.Types.OTHER : sqlType.getVendorTypeNumber());
    }

    @Override
    public void registerOutParameter(int index, SQLType sqlType, int scale) throws SQLException {
        registerOutParameter(index, sqlType);
    }

    @Override
    public void registerOutParameter(int index, SQLType sqlType, String typeName) throws SQLException {
        registerOutParameter(index, sqlType);
    }

    /** With OUT parameters registered, runs the call and keeps its first row for the getters. */
    @Override
    public boolean execute() throws SQLException {
        if (outs.isEmpty()) {
            return super.execute();
        }
        ResultSet rs = super.executeQuery();
        outRow = (PgloomResultSet) rs;
        if (!outRow.next()) {
            throw new SQLException("the call returned no row to read its OUT parameters from", "02000");
        }
        return false;
    }

    @Override
    public int executeUpdate() throws SQLException {
        if (outs.isEmpty()) {
            return super.executeUpdate();
        }
        execute();
        return 0;
    }

    /** The 1-based column of the call's row that holds OUT parameter {@code index}. */
    private int out(int index) throws SQLException {
        if (outRow == null) {
            throw new SQLException("no OUT values: register them and call execute() first", "HY010");
        }
        if (!outs.containsKey(index)) {
            throw new SQLException("parameter " + index + " was not registered as an OUT parameter", "07009");
        }
        return outs.headMap(index).size() + 1;
    }

    @Override public boolean wasNull() throws SQLException { return outRow != null && outRow.wasNull(); }
    @Override public String getString(int i) throws SQLException { return outRow.getString(out(i)); }
    @Override public boolean getBoolean(int i) throws SQLException { return outRow.getBoolean(out(i)); }
    @Override public byte getByte(int i) throws SQLException { return outRow.getByte(out(i)); }
    @Override public short getShort(int i) throws SQLException { return outRow.getShort(out(i)); }
    @Override public int getInt(int i) throws SQLException { return outRow.getInt(out(i)); }
    @Override public long getLong(int i) throws SQLException { return outRow.getLong(out(i)); }
    @Override public float getFloat(int i) throws SQLException { return outRow.getFloat(out(i)); }
    @Override public double getDouble(int i) throws SQLException { return outRow.getDouble(out(i)); }
    @Override @Deprecated public BigDecimal getBigDecimal(int i, int scale) throws SQLException { return outRow.getBigDecimal(out(i), scale); }
    @Override public BigDecimal getBigDecimal(int i) throws SQLException { return outRow.getBigDecimal(out(i)); }
    @Override public byte[] getBytes(int i) throws SQLException { return outRow.getBytes(out(i)); }
    @Override public Date getDate(int i) throws SQLException { return outRow.getDate(out(i)); }
    @Override public Time getTime(int i) throws SQLException { return outRow.getTime(out(i)); }
    @Override public Timestamp getTimestamp(int i) throws SQLException { return outRow.getTimestamp(out(i)); }
    @Override public Date getDate(int i, Calendar c) throws SQLException { return outRow.getDate(out(i), c); }
    @Override public Time getTime(int i, Calendar c) throws SQLException { return outRow.getTime(out(i), c); }
    @Override public Timestamp getTimestamp(int i, Calendar c) throws SQLException { return outRow.getTimestamp(out(i), c); }
    @Override public Object getObject(int i) throws SQLException { return outRow.getObject(out(i)); }
    @Override public Object getObject(int i, Map<String, Class<?>> map) throws SQLException { return outRow.getObject(out(i), map); }
    @Override public <T> T getObject(int i, Class<T> type) throws SQLException { return outRow.getObject(out(i), type); }
    @Override public Array getArray(int i) throws SQLException { return outRow.getArray(out(i)); }
    @Override public URL getURL(int i) throws SQLException { return outRow.getURL(out(i)); }
    @Override public String getNString(int i) throws SQLException { return outRow.getNString(out(i)); }
    @Override public Reader getNCharacterStream(int i) throws SQLException { return outRow.getNCharacterStream(out(i)); }
    @Override public Reader getCharacterStream(int i) throws SQLException { return outRow.getCharacterStream(out(i)); }
    @Override public Ref getRef(int i) throws SQLException { return outRow.getRef(out(i)); }
    @Override public Blob getBlob(int i) throws SQLException { return outRow.getBlob(out(i)); }
    @Override public Clob getClob(int i) throws SQLException { return outRow.getClob(out(i)); }
    @Override public NClob getNClob(int i) throws SQLException { return outRow.getNClob(out(i)); }
    @Override public SQLXML getSQLXML(int i) throws SQLException { return outRow.getSQLXML(out(i)); }
    @Override public RowId getRowId(int i) throws SQLException { return outRow.getRowId(out(i)); }

}
