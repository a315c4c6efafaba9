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
 *
 * <p>A row of a {@code fetch} may also carry its values decoded ahead ({@link #decodedAhead}),
 * while the fetch waited for the server's next rows: work that would otherwise follow the
 * reply, when the server sits idle. Only values no caller can change are kept (strings, boxed
 * numbers, {@code BigDecimal}, {@code UUID}, {@code java.time}), so handing the same instance
 * to every {@code get} is safe; anything else is decoded on each {@code get} as before. Every
 * field is final, so a row handed to another thread needs no more care than before.
 */
final class ClientRow implements Row {

    private final RowShape shape;
    private final byte[] data;
    private final int[] lengthAt;
    /** Values decoded ahead, per column: the value, null for SQL NULL, or {@link #NOT_AHEAD}; or null for none. */
    private final Object[] ahead;

    /** In {@link #ahead}: not decoded ahead (not immutable, or it failed: {@code get} will say why). */
    private static final Object NOT_AHEAD = new Object();
    /**
     * True for the classes of values that cannot change, which a row may hand out more than
     * once. Identity tests, the commonest first: a {@code Set.of(...).contains} here took 4% of
     * the client's samples in W3 (1,000 rows of seven columns per query).
     */
    private static boolean immutable(Class<?> c) {
        return c == String.class || c == Integer.class || c == Long.class || c == java.math.BigDecimal.class
                || c == java.time.OffsetDateTime.class || c == Boolean.class || c == java.util.UUID.class
                || c == Double.class || c == Short.class || c == Float.class || c == java.time.LocalDateTime.class
                || c == java.time.LocalDate.class || c == java.time.LocalTime.class || c == java.time.OffsetTime.class
                || c == java.time.Instant.class || c == java.math.BigInteger.class;
    }

    private ClientRow(RowShape shape, byte[] data, int[] lengthAt, Object[] ahead) {
        this.shape = shape;
        this.data = data;
        this.lengthAt = lengthAt;
        this.ahead = ahead;
    }

    /**
     * This row with its values decoded now: the same bytes, plus each value in its default
     * Java type where that value is immutable. A value that fails to decode is left for
     * {@code get}, which reports it as it always did.
     */
    ClientRow decodedAhead() {
        if (ahead != null) {
            return this;
        }
        Object[] values = new Object[lengthAt.length];
        for (int i = 0; i < values.length; i++) {
            int at = lengthAt[i];
            int len = intAt(data, at);
            if (len < 0) {
                continue; // SQL NULL
            }
            Object v;
            try {
                v = shape.types.decode(shape.typeOids[i], shape.formats[i], data, at + 4, len);
            } catch (RuntimeException e) {
                v = null;
            }
            values[i] = v != null && immutable(v.getClass()) ? v : NOT_AHEAD;
        }
        return new ClientRow(shape, data, lengthAt, values);
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
        return new ClientRow(shape, data, lengthAt, null);
    }

    /** The bytes of its values as the server sent them, length words included. */
    int byteSize() {
        return data.length;
    }

    @Override
    public int size() {
        return lengthAt.length;
    }

    @Override
    public Object get(int index) {
        int at = position(index);
        if (ahead != null && ahead[index] != NOT_AHEAD) {
            return ahead[index];
        }
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
        if (ahead != null) {
            Object v = ahead[index];
            // A String asked of a text-format value is the server's text, untouched (see
            // TypeRegistry.decode), which a codec's value need not be.
            if (v != NOT_AHEAD && (v == null || v.getClass() == type && (type != String.class || shape.formats[index] != 0))) {
                return type.cast(v);
            }
        }
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
