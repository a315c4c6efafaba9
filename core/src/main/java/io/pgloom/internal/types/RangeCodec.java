package io.pgloom.internal.types;

import io.pgloom.PgRange;
import io.pgloom.internal.io.WriteBuffer;

/**
 * Range types, built-in and user-defined, as {@link PgRange} with bounds decoded by the
 * subtype's codec.
 *
 * <p>Binary form: a flags byte, then each finite bound as an Int32 length and its bytes.
 * Text form: {@code empty} or {@code [lower,upper)}, a bound left out when unbounded and
 * double-quoted when it holds special characters.
 */
final class RangeCodec implements Codec {

    private static final int EMPTY = 0x01;
    private static final int LOWER_INCLUSIVE = 0x02;
    private static final int UPPER_INCLUSIVE = 0x04;
    private static final int LOWER_INFINITE = 0x08;
    private static final int UPPER_INFINITE = 0x10;

    private final String name;
    private final Codec subtype;

    RangeCodec(String name, Codec subtype) {
        this.name = name;
        this.subtype = subtype;
    }

    public boolean binary() {
        return subtype.binary();
    }

    public Object decodeBinary(byte[] buf, int offset, int length) {
        int end = offset + length;
        Bytes.require(offset, 1, end, name);
        int flags = buf[offset];
        if ((flags & EMPTY) != 0) {
            return PgRange.empty();
        }
        int at = offset + 1;
        Object lower = null;
        Object upper = null;
        if ((flags & LOWER_INFINITE) == 0) {
            Bytes.require(at, 4, end, name);
            int len = Bytes.int32(buf, at);
            Bytes.require(at + 4, len, end, name);
            lower = subtype.decodeBinary(buf, at + 4, len);
            at += 4 + len;
        }
        if ((flags & UPPER_INFINITE) == 0) {
            Bytes.require(at, 4, end, name);
            int len = Bytes.int32(buf, at);
            Bytes.require(at + 4, len, end, name);
            upper = subtype.decodeBinary(buf, at + 4, len);
            at += 4 + len;
        }
        if (at != end) {
            throw ValueException.malformed(name + ": bytes after the bounds");
        }
        return PgRange.of(lower, (flags & LOWER_INCLUSIVE) != 0, upper, (flags & UPPER_INCLUSIVE) != 0);
    }

    public void encodeBinary(Object value, WriteBuffer out) {
        PgRange<?> r = range(value);
        if (r.isEmpty()) {
            out.writeByte(EMPTY);
            return;
        }
        out.writeByte((r.lowerInclusive() ? LOWER_INCLUSIVE : 0) | (r.upperInclusive() ? UPPER_INCLUSIVE : 0)
                | (r.lower() == null ? LOWER_INFINITE : 0) | (r.upper() == null ? UPPER_INFINITE : 0));
        writeBound(r.lower(), "lower", out);
        writeBound(r.upper(), "upper", out);
    }

    private void writeBound(Object bound, String which, WriteBuffer out) {
        if (bound == null) {
            return;
        }
        int lengthAt = out.startValue();
        try {
            subtype.encodeBinary(bound, out);
        } catch (ValueException e) {
            throw boundError(which, bound, e);
        }
        out.endValue(lengthAt);
    }

    public Object decodeText(String text) {
        if (text.equals("empty")) {
            return PgRange.empty();
        }
        try {
            boolean lowerInclusive = text.charAt(0) == '[';
            boolean upperInclusive = text.charAt(text.length() - 1) == ']';
            int[] at = {1};
            Object lower = bound(text, at);
            if (text.charAt(at[0]++) != ',') {
                throw new IllegalArgumentException("expected ','");
            }
            Object upper = bound(text, at);
            if (at[0] != text.length() - 1) {
                throw new IllegalArgumentException("text after the upper bound");
            }
            return PgRange.of(lower, lowerInclusive, upper, upperInclusive);
        } catch (ValueException e) {
            throw e;
        } catch (RuntimeException e) {
            throw ValueException.malformed(name + " '" + text + "'");
        }
    }

    /** One bound: nothing (unbounded), a quoted string, or characters up to ',' or the closing bracket. */
    private Object bound(String text, int[] at) {
        int i = at[0];
        char c = text.charAt(i);
        if (c == ',' || c == ')' || c == ']') {
            return null;
        }
        StringBuilder b = new StringBuilder();
        boolean quoted = false;
        while (true) {
            c = text.charAt(i);
            if (!quoted && (c == ',' || ((c == ')' || c == ']') && i == text.length() - 1))) {
                break;
            }
            i++;
            if (c == '\\') {
                b.append(text.charAt(i++));
            } else if (c == '"') {
                if (quoted && i < text.length() && text.charAt(i) == '"') {
                    b.append('"'); // a doubled quote inside quotes
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else {
                b.append(c);
            }
        }
        at[0] = i;
        return subtype.decodeText(b.toString());
    }

    public String encodeText(Object value) {
        PgRange<?> r = range(value);
        if (r.isEmpty()) {
            return "empty";
        }
        StringBuilder b = new StringBuilder();
        b.append(r.lowerInclusive() ? '[' : '(');
        appendBound(b, r.lower(), "lower");
        b.append(',');
        appendBound(b, r.upper(), "upper");
        return b.append(r.upperInclusive() ? ']' : ')').toString();
    }

    private void appendBound(StringBuilder b, Object bound, String which) {
        if (bound == null) {
            return;
        }
        String text;
        try {
            text = subtype.encodeText(bound);
        } catch (ValueException e) {
            throw boundError(which, bound, e);
        }
        boolean quote = text.isEmpty();
        for (int i = 0; i < text.length() && !quote; i++) {
            char c = text.charAt(i);
            quote = c == ',' || c == '(' || c == ')' || c == '[' || c == ']' || c == '"' || c == '\\' || Character.isWhitespace(c);
        }
        if (!quote) {
            b.append(text);
            return;
        }
        b.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        b.append('"');
    }

    public String accepts() {
        return "PgRange of " + subtype.accepts();
    }

    private static PgRange<?> range(Object value) {
        if (value instanceof PgRange<?> r) {
            return r;
        }
        throw ValueException.unsupported();
    }

    private ValueException boundError(String which, Object bound, ValueException e) {
        String reason = e.getMessage() != null ? e.getMessage()
                : "a " + bound.getClass().getName() + " cannot be a bound; the subtype accepts " + subtype.accepts();
        return new ValueException(which + " bound: " + reason);
    }
}
