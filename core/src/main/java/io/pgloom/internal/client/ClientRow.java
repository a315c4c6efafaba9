package io.pgloom.internal.client;

import io.pgloom.Column;
import io.pgloom.PgException;
import io.pgloom.Row;
import io.pgloom.internal.types.RecordMapper;
import io.pgloom.internal.wire.DataRow;

import java.util.Arrays;
import java.util.List;

/**
 * A row copied out of a DataRow once: its values' bytes in one array, and where each value's
 * Int32 length sits. Values are decoded on each {@code get}, from these bytes, by the shape's
 * registry; nothing else is allocated per row.
 */
final class ClientRow implements Row {

    private final RowShape shape;
    private final byte[] data;
    private final int[] lengthAt;

    private ClientRow(RowShape shape, byte[] data, int[] lengthAt) {
        this.shape = shape;
        this.data = data;
        this.lengthAt = lengthAt;
    }

    /** Copies a row out of the read buffer. */
    static ClientRow copyOf(RowShape shape, DataRow row) {
        int n = row.columnCount();
        if (n != shape.size()) {
            throw new io.pgloom.internal.io.ReadBuffer.ProtocolViolation("DataRow has " + n
                    + " columns but the RowDescription has " + shape.size());
        }
        byte[] data = Arrays.copyOfRange(row.bytes(), row.offset(), row.offset() + row.length());
        int[] lengthAt = new int[n];
        int p = 0;
        for (int i = 0; i < n; i++) {
            if (p + 4 > data.length) {
                throw new io.pgloom.internal.io.ReadBuffer.ProtocolViolation("DataRow is shorter than its columns");
            }
            lengthAt[i] = p;
            int len = intAt(data, p);
            p += 4 + Math.max(len, 0);
            if (len < -1 || p > data.length) {
                throw new io.pgloom.internal.io.ReadBuffer.ProtocolViolation("DataRow column " + i
                        + " has impossible length " + len);
            }
        }
        return new ClientRow(shape, data, lengthAt);
    }

    @Override
    public int size() {
        return lengthAt.length;
    }

    @Override
    public Object get(int index) {
        int at = position(index);
        int len = intAt(data, at);
        if (len < 0) {
            return null;
        }
        try {
            return shape.types.decode(shape.typeOids[index], shape.formats[index], data, at + 4, len);
        } catch (PgException e) {
            throw columnError(index, e);
        }
    }

    @Override
    public Object get(String name) {
        return get(shape.indexOf(name));
    }

    @Override
    public <T> T get(int index, Class<T> type) {
        int at = position(index);
        int len = intAt(data, at);
        if (len < 0) {
            return null;
        }
        try {
            return shape.types.decode(shape.typeOids[index], shape.formats[index], data, at + 4, len, type);
        } catch (PgException e) {
            throw columnError(index, e);
        }
    }

    @Override
    public <T> T get(String name, Class<T> type) {
        return get(shape.indexOf(name), type);
    }

    @Override
    public boolean isNull(int index) {
        return intAt(data, position(index)) < 0;
    }

    @Override
    public List<Column> columns() {
        return shape.columns;
    }

    @Override
    public int indexOf(String name) {
        return shape.indexOf(name);
    }

    @Override
    public <R> R as(Class<R> recordType) {
        return RecordMapper.map(this, recordType);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Row{");
        for (int i = 0; i < size(); i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(shape.columns.get(i).name()).append('=');
            try {
                b.append(get(i));
            } catch (RuntimeException e) {
                b.append("<undecodable: ").append(e.getMessage()).append('>');
            }
        }
        return b.append('}').toString();
    }

    private int position(int index) {
        if (index < 0 || index >= lengthAt.length) {
            throw new PgException("column index " + index + " is out of range: the row has " + lengthAt.length
                    + " columns (0-based)");
        }
        return lengthAt[index];
    }

    private PgException columnError(int index, PgException e) {
        Column c = shape.columns.get(index);
        String where = "column " + index + " (\"" + c.name() + "\", type " + c.typeName() + ")";
        if (e.getMessage() != null && e.getMessage().contains(where)) {
            return e;
        }
        return new PgException(where + ": " + e.getMessage(), e);
    }

    private static int intAt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }
}
