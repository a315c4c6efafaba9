package io.pgloom.internal.types;

import io.pgloom.PgMultirange;
import io.pgloom.PgRange;
import io.pgloom.internal.io.WriteBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Multirange types (PostgreSQL 14+) as {@link PgMultirange}: in binary an Int32 count and each
 * range with an Int32 length; in text {@code {[1,3),[5,7)}}.
 */
final class MultirangeCodec implements Codec {

    private final String name;
    private final RangeCodec range;

    MultirangeCodec(String name, RangeCodec range) {
        this.name = name;
        this.range = range;
    }

    public boolean binary() {
        return range.binary();
    }

    public Object decodeBinary(byte[] buf, int offset, int length) {
        int end = offset + length;
        Bytes.require(offset, 4, end, name);
        int n = Bytes.int32(buf, offset);
        if (n < 0) {
            throw ValueException.malformed(name + ": " + n + " ranges");
        }
        List<PgRange<Object>> ranges = new ArrayList<>(Math.min(n, 1024));
        int at = offset + 4;
        for (int i = 0; i < n; i++) {
            Bytes.require(at, 4, end, name);
            int len = Bytes.int32(buf, at);
            Bytes.require(at + 4, len, end, name);
            @SuppressWarnings("unchecked")
            PgRange<Object> r = (PgRange<Object>) range.decodeBinary(buf, at + 4, len);
            ranges.add(r);
            at += 4 + len;
        }
        return new PgMultirange<>(ranges);
    }

    public void encodeBinary(Object value, WriteBuffer out) {
        List<?> ranges = ranges(value);
        out.writeInt(ranges.size());
        for (int i = 0; i < ranges.size(); i++) {
            int lengthAt = out.startValue();
            try {
                range.encodeBinary(ranges.get(i), out);
            } catch (ValueException e) {
                throw new ValueException("range " + i + ": " + (e.getMessage() != null ? e.getMessage() : "not a PgRange"));
            }
            out.endValue(lengthAt);
        }
    }

    public Object decodeText(String text) {
        String t = text.trim();
        if (!t.startsWith("{") || !t.endsWith("}")) {
            throw ValueException.malformed(name + " '" + text + "'");
        }
        List<PgRange<Object>> ranges = new ArrayList<>();
        int i = 1;
        while (i < t.length() - 1) {
            char c = t.charAt(i);
            if (c == ',' || Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int start = i;
            if (t.startsWith("empty", i)) {
                i += 5;
            } else {
                boolean quoted = false;
                for (i = i + 1; i < t.length() - 1; i++) {
                    char d = t.charAt(i);
                    if (d == '\\') {
                        i++;
                    } else if (d == '"') {
                        quoted = !quoted;
                    } else if (!quoted && (d == ')' || d == ']')) {
                        i++;
                        break;
                    }
                }
            }
            @SuppressWarnings("unchecked")
            PgRange<Object> r = (PgRange<Object>) range.decodeText(t.substring(start, i));
            ranges.add(r);
        }
        return new PgMultirange<>(ranges);
    }

    public String encodeText(Object value) {
        StringBuilder b = new StringBuilder("{");
        List<?> ranges = ranges(value);
        for (int i = 0; i < ranges.size(); i++) {
            b.append(i == 0 ? "" : ",").append(range.encodeText(ranges.get(i)));
        }
        return b.append('}').toString();
    }

    public String accepts() {
        return "PgMultirange, or a List of PgRange";
    }

    private static List<?> ranges(Object value) {
        if (value instanceof PgMultirange<?> m) {
            return m.ranges();
        }
        if (value instanceof List<?> l) {
            return l;
        }
        throw ValueException.unsupported();
    }
}
