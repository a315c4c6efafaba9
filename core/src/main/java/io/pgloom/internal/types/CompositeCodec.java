package io.pgloom.internal.types;

import io.pgloom.Column;
import io.pgloom.Row;
import io.pgloom.internal.io.WriteBuffer;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Composite types as {@link Row}s, and the anonymous {@code record} type.
 *
 * <p>Binary form (record_send): Int32 number of fields, then per field its type OID, an Int32
 * length (-1 for NULL) and its bytes. Text form: {@code (1,"a b",)}, an empty field being NULL.
 *
 * <p>Parameters, for a named composite type: a {@link Row}, a Java record (components matched
 * to fields by name, like {@link RecordMapper}), a {@code Map} by field name, or a {@code List}
 * or {@code Object[]} by position. The server cannot read an anonymous record parameter.
 */
final class CompositeCodec implements Codec {

    private final String name;
    private final TypeRegistry registry;
    /** Null for the anonymous record type, whose fields come with their OIDs in each value. */
    private final List<Column> fields;

    CompositeCodec(String name, List<String> fieldNames, int[] fieldOids, TypeRegistry registry) {
        this.name = name;
        this.registry = registry;
        if (fieldNames == null) {
            this.fields = null;
        } else {
            List<Column> columns = new ArrayList<>(fieldNames.size());
            for (int i = 0; i < fieldNames.size(); i++) {
                columns.add(new Column(fieldNames.get(i), fieldOids[i], registry.typeName(fieldOids[i]), 0, i + 1, -1));
            }
            this.fields = List.copyOf(columns);
        }
    }

    static CompositeCodec anonymous(TypeRegistry registry) {
        return new CompositeCodec("record", null, null, registry);
    }

    public boolean binary() {
        if (fields == null) {
            return true;
        }
        for (Column field : fields) {
            if (!registry.codecOrText(field.typeOid()).binary()) {
                return false;
            }
        }
        return true;
    }

    public Object decodeBinary(byte[] buf, int offset, int length) {
        int end = offset + length;
        Bytes.require(offset, 4, end, name);
        int n = Bytes.int32(buf, offset);
        if (n < 0 || (fields != null && n != fields.size())) {
            throw ValueException.malformed(name + ": " + n + " fields"
                    + (fields != null ? ", the type has " + fields.size() + " (was it altered? forget learned types)" : ""));
        }
        // Each field takes at least its OID and length: a count claiming more fails before allocating.
        Bytes.require(offset + 4, (int) Math.min(8L * n, Integer.MAX_VALUE), end, name);
        Object[] values = new Object[n];
        List<Column> columns = fields;
        List<Column> anonymous = fields == null ? new ArrayList<>(n) : null;
        int at = offset + 4;
        for (int i = 0; i < n; i++) {
            Bytes.require(at, 8, end, name);
            int oid = Bytes.int32(buf, at);
            int len = Bytes.int32(buf, at + 4);
            at += 8;
            if (anonymous != null) {
                anonymous.add(new Column("f" + (i + 1), oid, registry.typeName(oid), 0, i + 1, -1));
            }
            if (len < 0) {
                continue;
            }
            Bytes.require(at, len, end, name);
            Codec codec = registry.codecOrText(oid);
            if (!codec.binary()) {
                throw new ValueException("field " + (i + 1) + " of a " + name + " has type " + registry.typeName(oid)
                        + ", which has no binary codec here; cast the field or the value to text");
            }
            values[i] = codec.decodeBinary(buf, at, len);
            at += len;
        }
        return new CompositeRow(anonymous != null ? List.copyOf(anonymous) : columns, values, registry);
    }

    public void encodeBinary(Object value, WriteBuffer out) {
        Object[] values = fieldValues(value);
        out.writeInt(values.length);
        for (int i = 0; i < values.length; i++) {
            int oid = fields.get(i).typeOid();
            out.writeInt(oid);
            if (values[i] == null) {
                out.writeInt(-1);
                continue;
            }
            int lengthAt = out.startValue();
            Codec codec = registry.codecOrText(oid);
            try {
                codec.encodeBinary(values[i], out);
            } catch (ValueException e) {
                throw fieldError(i, values[i], codec, e);
            }
            out.endValue(lengthAt);
        }
    }

    public Object decodeText(String text) {
        List<String> raw = parseText(text);
        if (fields != null && raw.size() != fields.size()) {
            throw ValueException.malformed(name + " '" + ArrayText.abbreviate(text) + "': " + raw.size() + " fields");
        }
        Object[] values = new Object[raw.size()];
        List<Column> columns = fields;
        if (columns == null) {
            List<Column> anonymous = new ArrayList<>();
            for (int i = 0; i < raw.size(); i++) {
                anonymous.add(new Column("f" + (i + 1), BuiltinTypes.TEXT, "text", 0, i + 1, -1));
            }
            columns = List.copyOf(anonymous);
        }
        for (int i = 0; i < values.length; i++) {
            String field = raw.get(i);
            values[i] = field == null ? null : registry.codecOrText(columns.get(i).typeOid()).decodeText(field);
        }
        return new CompositeRow(columns, values, registry);
    }

    public String encodeText(Object value) {
        Object[] values = value instanceof Row row && fields == null ? rowValues(row) : fieldValues(value);
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            if (values[i] == null) {
                continue;
            }
            int oid = fields != null ? fields.get(i).typeOid() : ((Row) value).columns().get(i).typeOid();
            Codec codec = registry.codecOrText(oid);
            String text;
            try {
                text = codec.encodeText(values[i]);
            } catch (ValueException e) {
                throw fieldError(i, values[i], codec, e);
            }
            appendQuoted(b, text);
        }
        return b.append(')').toString();
    }

    public String accepts() {
        return fields == null ? "nothing: the server cannot read an anonymous record parameter; cast it to a row type"
                : "a Row, a record or Map with fields " + fields.stream().map(Column::name).toList() + ", or a List of them in order";
    }

    /** The fields' raw texts, null for NULL: quotes group, backslash and a doubled quote escape. */
    static List<String> parseText(String text) {
        if (!text.startsWith("(") || !text.endsWith(")")) {
            throw ValueException.malformed("composite '" + ArrayText.abbreviate(text) + "'");
        }
        List<String> out = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        boolean quoted = false;
        boolean sawQuote = false;
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    b.append(text.charAt(++i));
                } else if (c == '"' && text.charAt(i + 1) == '"') {
                    b.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    b.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                sawQuote = true;
            } else if (c == '\\') {
                b.append(text.charAt(++i));
                sawQuote = true;
            } else if (c == ',' || (c == ')' && i == text.length() - 1)) {
                out.add(b.isEmpty() && !sawQuote ? null : b.toString());
                b.setLength(0);
                sawQuote = false;
            } else {
                b.append(c);
            }
        }
        return out;
    }

    private static void appendQuoted(StringBuilder b, String text) {
        boolean quote = text.isEmpty();
        for (int i = 0; i < text.length() && !quote; i++) {
            char c = text.charAt(i);
            quote = c == ',' || c == '(' || c == ')' || c == '"' || c == '\\' || Character.isWhitespace(c);
        }
        if (!quote) {
            b.append(text);
            return;
        }
        b.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                b.append(c);
            }
            b.append(c);
        }
        b.append('"');
    }

    private Object[] rowValues(Row row) {
        Object[] values = new Object[row.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = row.get(i);
        }
        return values;
    }

    /** The value's fields in the type's order, from a Row, record, Map, List or array. */
    private Object[] fieldValues(Object value) {
        if (fields == null) {
            throw ValueException.unsupported();
        }
        int n = fields.size();
        Object[] values = new Object[n];
        if (value instanceof List<?> || value instanceof Object[]) {
            List<?> list = value instanceof List<?> l ? l : List.of((Object[]) value);
            if (list.size() != n) {
                throw new ValueException(name + " has " + n + " fields; this has " + list.size() + " values");
            }
            return list.toArray();
        }
        for (int i = 0; i < n; i++) {
            String field = fields.get(i).name();
            if (value instanceof Row row) {
                values[i] = row.get(row.indexOf(field));
            } else if (value instanceof Map<?, ?> map) {
                if (!map.containsKey(field)) {
                    throw new ValueException("the Map has no key \"" + field + "\"");
                }
                values[i] = map.get(field);
            } else if (value instanceof Record record) {
                values[i] = component(record, field);
            } else {
                throw ValueException.unsupported();
            }
        }
        return values;
    }

    private static Object component(Record record, String field) {
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            String snake = c.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
            if (c.getName().equalsIgnoreCase(field) || snake.equalsIgnoreCase(field)) {
                try {
                    c.getAccessor().trySetAccessible();
                    return c.getAccessor().invoke(record);
                } catch (ReflectiveOperationException e) {
                    throw new ValueException("cannot read " + record.getClass().getSimpleName() + "." + c.getName() + ": " + e);
                }
            }
        }
        throw new ValueException(record.getClass().getSimpleName() + " has no component for field \"" + field + "\"");
    }

    private ValueException fieldError(int i, Object value, Codec codec, ValueException e) {
        String reason = e.getMessage() != null ? e.getMessage()
                : "a " + value.getClass().getName() + " cannot be sent as " + fields.get(i).typeName() + ", which accepts " + codec.accepts();
        return new ValueException("field " + fields.get(i).name() + ": " + reason);
    }
}
