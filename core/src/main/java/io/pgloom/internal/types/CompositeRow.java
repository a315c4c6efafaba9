package io.pgloom.internal.types;

import io.pgloom.Column;
import io.pgloom.PgException;
import io.pgloom.Row;

import java.util.Arrays;
import java.util.List;

/**
 * A composite value (a row type, or an anonymous {@code ROW(...)}) as a {@link Row}: its fields
 * are decoded when the composite is, and {@code get(i, Class)} converts with the registry's
 * rules, so {@code get(i, SomeRecord.class)} maps a nested composite too.
 *
 * <p>Immutable and thread-safe. Two composites are equal when their field names and values are.
 */
final class CompositeRow implements Row {

    private final List<Column> columns;
    private final Object[] values;
    private final TypeRegistry registry;

    CompositeRow(List<Column> columns, Object[] values, TypeRegistry registry) {
        this.columns = columns;
        this.values = values;
        this.registry = registry;
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public Object get(int index) {
        return values[check(index)];
    }

    @Override
    public Object get(String name) {
        return values[indexOf(name)];
    }

    @Override
    public <T> T get(int index, Class<T> type) {
        return registry.convert(values[check(index)], columns.get(index).typeOid(), type);
    }

    @Override
    public <T> T get(String name, Class<T> type) {
        return get(indexOf(name), type);
    }

    @Override
    public boolean isNull(int index) {
        return values[check(index)] == null;
    }

    @Override
    public List<Column> columns() {
        return columns;
    }

    @Override
    public int indexOf(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new PgException("the composite has no field named \"" + name + "\"; its fields are "
                + columns.stream().map(Column::name).toList());
    }

    /** Maps this composite to a record by field names (see {@link RecordMapper}). */
    public <R> R as(Class<R> recordType) {
        return RecordMapper.map(this, recordType);
    }

    private int check(int index) {
        if (index < 0 || index >= values.length) {
            throw new PgException("field index " + index + " is out of range: the composite has " + values.length + " fields");
        }
        return index;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CompositeRow r && Arrays.deepEquals(values, r.values)
                && columns.stream().map(Column::name).toList().equals(r.columns.stream().map(Column::name).toList());
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < values.length; i++) {
            b.append(i == 0 ? "" : ", ").append(columns.get(i).name()).append('=');
            b.append(values[i] instanceof byte[] bytes ? Arrays.toString(bytes) : values[i]);
        }
        return b.append(')').toString();
    }
}
