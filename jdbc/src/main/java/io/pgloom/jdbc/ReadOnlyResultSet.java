package io.pgloom.jdbc;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;

/**
 * The updating half of {@link ResultSet}, which pgloom's read-only result sets refuse: each method
 * throws {@link java.sql.SQLFeatureNotSupportedException} naming itself. Generated from the
 * interface's methods (update*, insertRow, deleteRow, ...), kept apart so that the reading half
 * in {@link PgloomResultSet} stays readable.
 */
abstract class ReadOnlyResultSet implements ResultSet {

    @Override
    public boolean rowUpdated() {
        return false;
    }

    @Override
    public boolean rowInserted() {
        return false;
    }

    @Override
    public boolean rowDeleted() {
        return false;
    }

    @Override
    public void updateNull(int a0) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateNull: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateBoolean(int a0, boolean a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateBoolean: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateByte(int a0, byte a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateByte: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateShort(int a0, short a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateShort: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateInt(int a0, int a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateInt: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateLong(int a0, long a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateLong: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateFloat(int a0, float a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateFloat: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateDouble(int a0, double a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateDouble: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateBigDecimal(int a0, BigDecimal a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateBigDecimal: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateString(int a0, String a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateString: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateBytes(int a0, byte[] a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateBytes: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateDate(int a0, Date a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateDate: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateTime(int a0, Time a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateTime: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateTimestamp(int a0, Timestamp a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateTimestamp: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateAsciiStream(int a0, InputStream a1, int a2) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateAsciiStream: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateBinaryStream(int a0, InputStream a1, int a2) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateBinaryStream: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateCharacterStream(int a0, Reader a1, int a2) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateCharacterStream: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateObject(int a0, Object a1, int a2) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateObject: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateObject(int a0, Object a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateObject: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateNull(String a0) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateNull: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateBoolean(String a0, boolean a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateBoolean: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateByte(String a0, byte a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateByte: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateShort(String a0, short a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateShort: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateInt(String a0, int a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateInt: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateLong(String a0, long a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateLong: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateFloat(String a0, float a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateFloat: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateDouble(String a0, double a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateDouble: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateBigDecimal(String a0, BigDecimal a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateBigDecimal: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateString(String a0, String a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateString: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateBytes(String a0, byte[] a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateBytes: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateDate(String a0, Date a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateDate: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateTime(String a0, Time a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateTime: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateTimestamp(String a0, Timestamp a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateTimestamp: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateAsciiStream(String a0, InputStream a1, int a2) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateAsciiStream: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateBinaryStream(String a0, InputStream a1, int a2) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateBinaryStream: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateCharacterStream(String a0, Reader a1, int a2) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateCharacterStream: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateObject(String a0, Object a1, int a2) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateObject: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateObject(String a0, Object a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateObject: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void insertRow() throws SQLException {
        throw Jdbc.unsupported("ResultSet.insertRow: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateRow() throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateRow: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void deleteRow() throws SQLException {
        throw Jdbc.unsupported("ResultSet.deleteRow: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void refreshRow() throws SQLException {
        throw Jdbc.unsupported("ResultSet.refreshRow: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void cancelRowUpdates() throws SQLException {
        throw Jdbc.unsupported("ResultSet.cancelRowUpdates: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void moveToInsertRow() throws SQLException {
        throw Jdbc.unsupported("ResultSet.moveToInsertRow: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void moveToCurrentRow() throws SQLException {
        throw Jdbc.unsupported("ResultSet.moveToCurrentRow: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateRef(int a0, Ref a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateRef: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateRef(String a0, Ref a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateRef: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateBlob(int a0, Blob a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateBlob: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateBlob(String a0, Blob a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateBlob: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateClob(int a0, Clob a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateClob: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateClob(String a0, Clob a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateClob: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateArray(int a0, Array a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateArray: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateArray(String a0, Array a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateArray: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateRowId(int a0, RowId a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateRowId: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateRowId(String a0, RowId a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateRowId: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateNString(int a0, String a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateNString: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateNString(String a0, String a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateNString: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateNClob(int a0, NClob a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateNClob: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateNClob(String a0, NClob a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateNClob: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateSQLXML(int a0, SQLXML a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateSQLXML: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateSQLXML(String a0, SQLXML a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateSQLXML: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateNCharacterStream(int a0, Reader a1, long a2) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateNCharacterStream: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateNCharacterStream(String a0, Reader a1, long a2) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateNCharacterStream: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateAsciiStream(int a0, InputStream a1, long a2) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateAsciiStream: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateBinaryStream(int a0, InputStream a1, long a2) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateBinaryStream: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateCharacterStream(int a0, Reader a1, long a2) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateCharacterStream: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateAsciiStream(String a0, InputStream a1, long a2) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateAsciiStream: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateBinaryStream(String a0, InputStream a1, long a2) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateBinaryStream: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateCharacterStream(String a0, Reader a1, long a2) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateCharacterStream: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateBlob(int a0, InputStream a1, long a2) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateBlob: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateBlob(String a0, InputStream a1, long a2) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateBlob: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateClob(int a0, Reader a1, long a2) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateClob: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateClob(String a0, Reader a1, long a2) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateClob: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateNClob(int a0, Reader a1, long a2) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateNClob: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateNClob(String a0, Reader a1, long a2) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateNClob: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateNCharacterStream(int a0, Reader a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateNCharacterStream: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateNCharacterStream(String a0, Reader a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateNCharacterStream: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateAsciiStream(int a0, InputStream a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateAsciiStream: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateBinaryStream(int a0, InputStream a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateBinaryStream: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateCharacterStream(int a0, Reader a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateCharacterStream: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateAsciiStream(String a0, InputStream a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateAsciiStream: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateBinaryStream(String a0, InputStream a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateBinaryStream: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateCharacterStream(String a0, Reader a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateCharacterStream: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateBlob(int a0, InputStream a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateBlob: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateBlob(String a0, InputStream a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateBlob: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateClob(int a0, Reader a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateClob: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateClob(String a0, Reader a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateClob: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateNClob(int a0, Reader a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateNClob: result sets are read-only (CONCUR_READ_ONLY)");
    }

    @Override
    public void updateNClob(String a0, Reader a1) throws SQLException {
        throw Jdbc.unsupported("ResultSet.updateNClob: result sets are read-only (CONCUR_READ_ONLY)");
    }

}
