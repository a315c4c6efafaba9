package io.pgloom.jdbc;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * A {@link java.sql.Array}: the elements of a PostgreSQL array, read from a result
 * ({@code getArray}) or made by {@code createArrayOf} to send. Nested arrays (several
 * dimensions) are {@code Object[]} of {@code Object[]}. Immutable; its elements stay valid after
 * {@link #free()}.
 */
final class PgloomArray implements Array {

    private final String elementTypeName;
    private final Object[] elements;

    PgloomArray(String elementTypeName, Object[] elements) {
        this.elementTypeName = elementTypeName;
        this.elements = elements == null ? new Object[0] : elements.clone();
    }

    /**
     * An array read from a result: pgloom decodes arrays to (nested) Lists. As JDBC asks, the
     * Java array has the element type ({@code String[]} for text[], {@code Integer[]} for int4[],
     * {@code java.sql.Date[]} for date[]); several dimensions give {@code Object[]} of those.
     */
    static PgloomArray fromList(String arrayTypeName, List<?> list) {
        String element = arrayTypeName.startsWith("_") ? arrayTypeName.substring(1) : arrayTypeName;
        Class<?> type = elementClass(element);
        return new PgloomArray(element, toArray(list, type, element));
    }

    private static Class<?> elementClass(String elementTypeName) {
        try {
            return Class.forName(JdbcTypes.className(elementTypeName));
        } catch (ClassNotFoundException | LinkageError e) {
            return Object.class;
        }
    }

    private static Object[] toArray(List<?> list, Class<?> type, String elementTypeName) {
        Object[] values = new Object[list.size()];
        boolean typed = true;
        for (int i = 0; i < values.length; i++) {
            Object e = list.get(i);
            values[i] = e instanceof List<?> l ? toArray(l, type, elementTypeName)
                    : e == null ? null : JdbcValues.jdbcObject(e, elementTypeName);
            typed &= values[i] == null || type.isInstance(values[i]);
        }
        if (!typed || type == Object.class) {
            return values;
        }
        Object[] out = (Object[]) java.lang.reflect.Array.newInstance(type, values.length);
        System.arraycopy(values, 0, out, 0, values.length);
        return out;
    }

    /** The value to send as a parameter: pgloom encodes Lists (nested for dimensions) as arrays. */
    List<Object> toParameter() {
        return toList(elements);
    }

    private static List<Object> toList(Object[] array) {
        java.util.ArrayList<Object> out = new java.util.ArrayList<>(array.length);
        for (Object e : array) {
            out.add(e instanceof Object[] nested ? toList(nested) : JdbcValues.parameter(e));
        }
        return out;
    }

    @Override
    public String getBaseTypeName() {
        return elementTypeName;
    }

    @Override
    public int getBaseType() {
        return JdbcTypes.sqlType(elementTypeName);
    }

    @Override
    public Object getArray() {
        return elements.clone();
    }

    @Override
    public Object getArray(Map<String, Class<?>> map) throws SQLException {
        if (map != null && !map.isEmpty()) {
            throw Jdbc.unsupported("Array.getArray with a type map");
        }
        return getArray();
    }

    @Override
    public Object getArray(long index, int count) throws SQLException {
        if (index < 1 || count < 0 || index - 1 + count > elements.length) {
            throw new SQLException("Array.getArray(" + index + ", " + count + ") is outside the "
                    + elements.length + " elements", "2202E");
        }
        Object[] out = new Object[count];
        System.arraycopy(elements, (int) index - 1, out, 0, count);
        return out;
    }

    @Override
    public Object getArray(long index, int count, Map<String, Class<?>> map) throws SQLException {
        if (map != null && !map.isEmpty()) {
            throw Jdbc.unsupported("Array.getArray with a type map");
        }
        return getArray(index, count);
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        throw Jdbc.unsupported("Array.getResultSet: read the elements with getArray()");
    }

    @Override
    public ResultSet getResultSet(Map<String, Class<?>> map) throws SQLException {
        throw Jdbc.unsupported("Array.getResultSet: read the elements with getArray()");
    }

    @Override
    public ResultSet getResultSet(long index, int count) throws SQLException {
        throw Jdbc.unsupported("Array.getResultSet: read the elements with getArray()");
    }

    @Override
    public ResultSet getResultSet(long index, int count, Map<String, Class<?>> map) throws SQLException {
        throw Jdbc.unsupported("Array.getResultSet: read the elements with getArray()");
    }

    @Override
    public void free() {
    }

    @Override
    public String toString() {
        return java.util.Arrays.deepToString(elements);
    }
}
