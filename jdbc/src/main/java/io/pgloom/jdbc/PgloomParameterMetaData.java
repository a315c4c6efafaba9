package io.pgloom.jdbc;

import java.sql.ParameterMetaData;
import java.sql.SQLException;
import java.util.List;

/**
 * The parameters of a prepared statement as the server inferred them when it was described
 * (pgloom's {@code PreparedQuery.parameterTypes()}): their types by name and as
 * {@link java.sql.Types}. Every parameter is IN; nullability is unknown. Immutable.
 */
final class PgloomParameterMetaData implements ParameterMetaData {

    private final List<String> typeNames;

    PgloomParameterMetaData(List<String> typeNames) {
        this.typeNames = List.copyOf(typeNames);
    }

    private String type(int param) throws SQLException {
        if (param < 1 || param > typeNames.size()) {
            throw new SQLException("parameter index " + param + " is out of range (1.." + typeNames.size() + ")", "07009");
        }
        return typeNames.get(param - 1);
    }

    @Override
    public int getParameterCount() {
        return typeNames.size();
    }

    @Override
    public int isNullable(int param) throws SQLException {
        type(param);
        return parameterNullableUnknown;
    }

    @Override
    public boolean isSigned(int param) throws SQLException {
        return JdbcTypes.isSigned(type(param));
    }

    @Override
    public int getPrecision(int param) throws SQLException {
        return JdbcTypes.precision(type(param), -1);
    }

    @Override
    public int getScale(int param) throws SQLException {
        return JdbcTypes.scale(type(param), -1);
    }

    @Override
    public int getParameterType(int param) throws SQLException {
        return JdbcTypes.sqlType(type(param));
    }

    @Override
    public String getParameterTypeName(int param) throws SQLException {
        return type(param);
    }

    @Override
    public String getParameterClassName(int param) throws SQLException {
        return JdbcTypes.className(type(param));
    }

    @Override
    public int getParameterMode(int param) throws SQLException {
        type(param);
        return parameterModeIn;
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
