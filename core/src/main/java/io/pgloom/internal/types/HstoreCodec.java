package io.pgloom.internal.types;

import io.pgloom.internal.io.WriteBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hstore extension's type, as a {@code Map<String, String>} (values may be null), found by
 * name when introspection meets it.
 *
 * <p>Binary form: Int32 count, then per pair the key (Int32 length, bytes) and the value
 * (Int32 length or -1 for NULL, bytes). Text form: {@code "a"=>"1", "b"=>NULL}.
 */
final class HstoreCodec implements Codec {

    static final HstoreCodec INSTANCE = new HstoreCodec();

    private HstoreCodec() {
    }

    public boolean binary() {
        return true;
    }

    public Object decodeBinary(byte[] buf, int offset, int length) {
        int end = offset + length;
        Bytes.require(offset, 4, end, "hstore");
        int n = Bytes.int32(buf, offset);
        Map<String, String> map = new LinkedHashMap<>();
        int at = offset + 4;
        for (int i = 0; i < n; i++) {
            Bytes.require(at, 4, end, "hstore");
            int keyLength = Bytes.int32(buf, at);
            Bytes.require(at + 4, keyLength, end, "hstore");
            String key = new String(buf, at + 4, keyLength, StandardCharsets.UTF_8);
            at += 4 + keyLength;
            Bytes.require(at, 4, end, "hstore");
            int valueLength = Bytes.int32(buf, at);
            at += 4;
            String value = null;
            if (valueLength >= 0) {
                Bytes.require(at, valueLength, end, "hstore");
                value = new String(buf, at, valueLength, StandardCharsets.UTF_8);
                at += valueLength;
            }
            map.put(key, value);
        }
        return Collections.unmodifiableMap(map);
    }

    public void encodeBinary(Object value, WriteBuffer out) {
        Map<?, ?> map = map(value);
        out.writeInt(map.size());
        for (Map.Entry<?, ?> e : map.entrySet()) {
            int keyAt = out.startValue();
            out.writeUtf8(string(e.getKey(), "key"));
            out.endValue(keyAt);
            if (e.getValue() == null) {
                out.writeInt(-1);
            } else {
                int valueAt = out.startValue();
                out.writeUtf8(string(e.getValue(), "value"));
                out.endValue(valueAt);
            }
        }
    }

    public Object decodeText(String text) {
        Map<String, String> map = new LinkedHashMap<>();
        int i = 0;
        int n = text.length();
        try {
            while (true) {
                while (i < n && (Character.isWhitespace(text.charAt(i)) || text.charAt(i) == ',')) {
                    i++;
                }
                if (i >= n) {
                    break;
                }
                StringBuilder key = new StringBuilder();
                i = token(text, i, key);
                while (Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
                if (!text.startsWith("=>", i)) {
                    throw new IllegalArgumentException("expected =>");
                }
                i += 2;
                while (Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
                if (text.charAt(i) != '"' && text.regionMatches(true, i, "NULL", 0, 4)) {
                    map.put(key.toString(), null);
                    i += 4;
                } else {
                    StringBuilder value = new StringBuilder();
                    i = token(text, i, value);
                    map.put(key.toString(), value.toString());
                }
            }
        } catch (RuntimeException e) {
            throw ValueException.malformed("hstore '" + ArrayText.abbreviate(text) + "'");
        }
        return Collections.unmodifiableMap(map);
    }

    /** A quoted or bare word starting at i, with backslash escapes; returns where it ends. */
    private static int token(String text, int i, StringBuilder out) {
        if (text.charAt(i) == '"') {
            i++;
            while (text.charAt(i) != '"') {
                if (text.charAt(i) == '\\') {
                    i++;
                }
                out.append(text.charAt(i++));
            }
            return i + 1;
        }
        while (i < text.length() && !Character.isWhitespace(text.charAt(i)) && text.charAt(i) != ','
                && !text.startsWith("=>", i)) {
            if (text.charAt(i) == '\\') {
                i++;
            }
            out.append(text.charAt(i++));
        }
        return i;
    }

    public String encodeText(Object value) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<?, ?> e : map(value).entrySet()) {
            if (!b.isEmpty()) {
                b.append(", ");
            }
            quote(b, string(e.getKey(), "key"));
            b.append("=>");
            if (e.getValue() == null) {
                b.append("NULL");
            } else {
                quote(b, string(e.getValue(), "value"));
            }
        }
        return b.toString();
    }

    public String accepts() {
        return "Map<String, String> (null values allowed, null keys not)";
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        b.append('"');
    }

    private static Map<?, ?> map(Object value) {
        if (value instanceof Map<?, ?> m) {
            return m;
        }
        throw ValueException.unsupported();
    }

    private static String string(Object o, String what) {
        if (o == null) {
            throw new ValueException("an hstore " + what + " cannot be null");
        }
        try {
            return TextCodecs.string(o);
        } catch (ValueException e) {
            throw new ValueException("an hstore " + what + " must be a String, not " + o.getClass().getName());
        }
    }
}
