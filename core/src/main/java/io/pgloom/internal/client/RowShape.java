package io.pgloom.internal.client;

import io.pgloom.Column;
import io.pgloom.PgException;
import io.pgloom.internal.types.TypeRegistry;
import io.pgloom.internal.wire.RowDescription;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What every row of one result shares: column names and types, the format each column arrives
 * in, and the registry that decodes them. Built once per prepared statement, so a row costs only
 * its own bytes.
 */
final class RowShape {

    final List<Column> columns;
    final int[] typeOids;
    final short[] formats;
    final TypeRegistry types;
    private final Map<String, Integer> indexByName;

    RowShape(RowDescription.Field[] fields, short[] formats, TypeRegistry types) {
        Column[] cols = new Column[fields.length];
        this.typeOids = new int[fields.length];
        Map<String, Integer> byName = new HashMap<>();
        for (int i = 0; i < fields.length; i++) {
            RowDescription.Field f = fields[i];
            cols[i] = new Column(f.name(), f.typeOid(), types.typeName(f.typeOid()), f.tableOid(),
                    f.columnNumber(), f.typeModifier());
            typeOids[i] = f.typeOid();
            byName.putIfAbsent(f.name(), i);
        }
        this.columns = List.of(cols);
        this.formats = formats;
        this.types = types;
        this.indexByName = byName;
    }

    int size() {
        return typeOids.length;
    }

    int indexOf(String name) {
        Integer i = indexByName.get(name);
        if (i == null) {
            throw new PgException("no column named \"" + name + "\"; the columns are "
                    + Arrays.toString(columns.stream().map(Column::name).toArray()));
        }
        return i;
    }
}
