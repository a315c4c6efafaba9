package io.pgloom.jdbc;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;

/**
 * The by-name half of {@link CallableStatement}: PostgreSQL's protocol has positional parameters
 * only, so each method throws {@link java.sql.SQLFeatureNotSupportedException} naming itself.
 * Generated from the interface's methods whose first parameter is a name.
 */
abstract class PositionalCallableStatement extends PgloomPreparedStatement implements CallableStatement {

    PositionalCallableStatement(PgloomConnection connection, String postgresSql) throws SQLException {
        super(connection, postgresSql, null);
    }

    @Override
    public void registerOutParameter(String a0, int a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.registerOutParameter(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void registerOutParameter(String a0, int a1, int a2) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.registerOutParameter(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void registerOutParameter(String a0, int a1, String a2) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.registerOutParameter(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setURL(String a0, URL a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setURL(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setNull(String a0, int a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setNull(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setBoolean(String a0, boolean a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setBoolean(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setByte(String a0, byte a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setByte(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setShort(String a0, short a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setShort(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setInt(String a0, int a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setInt(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setLong(String a0, long a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setLong(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setFloat(String a0, float a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setFloat(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setDouble(String a0, double a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setDouble(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setBigDecimal(String a0, BigDecimal a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setBigDecimal(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setString(String a0, String a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setString(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setBytes(String a0, byte[] a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setBytes(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setDate(String a0, Date a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setDate(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setTime(String a0, Time a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setTime(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setTimestamp(String a0, Timestamp a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setTimestamp(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setAsciiStream(String a0, InputStream a1, int a2) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setAsciiStream(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setBinaryStream(String a0, InputStream a1, int a2) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setBinaryStream(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setObject(String a0, Object a1, int a2, int a3) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setObject(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setObject(String a0, Object a1, int a2) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setObject(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setObject(String a0, Object a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setObject(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setCharacterStream(String a0, Reader a1, int a2) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setCharacterStream(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setDate(String a0, Date a1, Calendar a2) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setDate(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setTime(String a0, Time a1, Calendar a2) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setTime(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setTimestamp(String a0, Timestamp a1, Calendar a2) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setTimestamp(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setNull(String a0, int a1, String a2) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setNull(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public String getString(String a0) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.getString(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public boolean getBoolean(String a0) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.getBoolean(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public byte getByte(String a0) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.getByte(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public short getShort(String a0) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.getShort(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public int getInt(String a0) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.getInt(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public long getLong(String a0) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.getLong(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public float getFloat(String a0) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.getFloat(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public double getDouble(String a0) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.getDouble(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public byte[] getBytes(String a0) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.getBytes(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public Date getDate(String a0) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.getDate(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public Time getTime(String a0) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.getTime(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public Timestamp getTimestamp(String a0) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.getTimestamp(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public Object getObject(String a0) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.getObject(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public BigDecimal getBigDecimal(String a0) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.getBigDecimal(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public Object getObject(String a0, Map<String, Class<?>> a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.getObject(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public Ref getRef(String a0) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.getRef(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public Blob getBlob(String a0) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.getBlob(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public Clob getClob(String a0) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.getClob(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public Array getArray(String a0) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.getArray(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public Date getDate(String a0, Calendar a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.getDate(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public Time getTime(String a0, Calendar a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.getTime(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public Timestamp getTimestamp(String a0, Calendar a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.getTimestamp(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public URL getURL(String a0) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.getURL(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public RowId getRowId(String a0) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.getRowId(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setRowId(String a0, RowId a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setRowId(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setNString(String a0, String a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setNString(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setNCharacterStream(String a0, Reader a1, long a2) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setNCharacterStream(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setNClob(String a0, NClob a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setNClob(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setClob(String a0, Reader a1, long a2) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setClob(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setBlob(String a0, InputStream a1, long a2) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setBlob(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setNClob(String a0, Reader a1, long a2) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setNClob(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public NClob getNClob(String a0) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.getNClob(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setSQLXML(String a0, SQLXML a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setSQLXML(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public SQLXML getSQLXML(String a0) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.getSQLXML(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public String getNString(String a0) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.getNString(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public Reader getNCharacterStream(String a0) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.getNCharacterStream(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public Reader getCharacterStream(String a0) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.getCharacterStream(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setBlob(String a0, Blob a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setBlob(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setClob(String a0, Clob a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setClob(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setAsciiStream(String a0, InputStream a1, long a2) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setAsciiStream(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setBinaryStream(String a0, InputStream a1, long a2) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setBinaryStream(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setCharacterStream(String a0, Reader a1, long a2) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setCharacterStream(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setAsciiStream(String a0, InputStream a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setAsciiStream(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setBinaryStream(String a0, InputStream a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setBinaryStream(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setCharacterStream(String a0, Reader a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setCharacterStream(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setNCharacterStream(String a0, Reader a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setNCharacterStream(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setClob(String a0, Reader a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setClob(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setBlob(String a0, InputStream a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setBlob(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public void setNClob(String a0, Reader a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.setNClob(String, ...): parameters by name are not supported; use their index");
    }

    @Override
    public <T> T getObject(String a0, Class<T> a1) throws SQLException {
        throw Jdbc.unsupported("CallableStatement.getObject(String, ...): parameters by name are not supported; use their index");
    }

}
