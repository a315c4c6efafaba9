package io.pgloom.jdbc;

import io.pgloom.Column;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.List;

/**
 * The columns of a result as the server described them (RowDescription): names, type names and
 * OIDs mapped to {@link java.sql.Types}, precision and scale from the type modifier. What the
 * description does not carry (nullability, the table's name, auto-increment) is reported as
 * unknown or empty rather than looked up, so reading it costs no round trip. Immutable.
 */
final class PgloomResultSetMetaData implements ResultSetMetaData {

    private final List<Column> columns;

    PgloomResultSetMetaData(List<Column> columns) {
        this.columns = columns;
    }

    private Column column(int index) throws SQLException {
        if (index < 1 || index > columns.size()) {
            throw new SQLException("column index " + index + " is out of range (1.." + columns.size() + ")", "22023");
        }
        return columns.get(index - 1);
    }

    @Override
    public int getColumnCount() {
        return columns.size();
    }

    @Override
    public boolean isAutoIncrement(int column) throws SQLException {
        column(column);
        return false;
    }

    @Override
    public boolean isCaseSensitive(int column) throws SQLException {
        int type = JdbcTypes.sqlType(column(column).typeName());
        return type == java.sql.Types.VARCHAR || type == java.sql.Types.CHAR || type == java.sql.Types.OTHER;
    }

    @Override
    public boolean isSearchable(int column) throws SQLException {
        column(column);
        return true;
    }

    @Override
    public boolean isCurrency(int column) throws SQLException {
        return column(column).typeName().equals("money");
    }

    @Override
    public int isNullable(int column) throws SQLException {
        column(column);
        return columnNullableUnknown;
    }

    @Override
    public boolean isSigned(int column) throws SQLException {
        return JdbcTypes.isSigned(column(column).typeName());
    }

    @Override
    public int getColumnDisplaySize(int column) throws SQLException {
        Column c = column(column);
        int p = JdbcTypes.precision(c.typeName(), c.typeModifier());
        return p > 0 ? p + (JdbcTypes.isSigned(c.typeName()) ? 2 : 0) : Integer.MAX_VALUE;
    }

    @Override
    public String getColumnLabel(int column) throws SQLException {
        return column(column).name();
    }

    @Override
    public String getColumnName(int column) throws SQLException {
        return column(column).name();
    }

    @Override
    public String getSchemaName(int column) throws SQLException {
        column(column);
        return "";
    }

    @Override
    public int getPrecision(int column) throws SQLException {
        Column c = column(column);
        return JdbcTypes.precision(c.typeName(), c.typeModifier());
    }

    @Override
    public int getScale(int column) throws SQLException {
        Column c = column(column);
        return JdbcTypes.scale(c.typeName(), c.typeModifier());
    }

    @Override
    public String getTableName(int column) throws SQLException {
        column(column);
        return "";
    }

    @Override
    public String getCatalogName(int column) throws SQLException {
        column(column);
        return "";
    }

    @Override
    public int getColumnType(int column) throws SQLException {
        return JdbcTypes.sqlType(column(column).typeName());
    }

    @Override
    public String getColumnTypeName(int column) throws SQLException {
        return column(column).typeName();
    }

    @Override
    public boolean isReadOnly(int column) throws SQLException {
        column(column);
        return false;
    }

    @Override
    public boolean isWritable(int column) throws SQLException {
        column(column);
        return true;
    }

    @Override
    public boolean isDefinitelyWritable(int column) throws SQLException {
        column(column);
        return false;
    }

    @Override
    public String getColumnClassName(int column) throws SQLException {
        return JdbcTypes.className(column(column).typeName());
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("this metadata does not wrap a " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
