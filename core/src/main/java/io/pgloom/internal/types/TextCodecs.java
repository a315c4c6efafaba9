package io.pgloom.internal.types;

import io.pgloom.internal.io.WriteBuffer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The string-like types (text, varchar, bpchar, name, citext, unknown, json, jsonb, xml), the
 * one-byte {@code "char"}, bytea and uuid. Strings travel as UTF-8: the connection sets
 * client_encoding to UTF8.
 */
final class TextCodecs {

    private TextCodecs() {
    }

    /** text and every type whose binary form is its UTF-8 text. */
    static final Codec TEXT = new StringCodec("text");
    static final Codec JSON = new StringCodec("json");
    static final Codec XML = new StringCodec("xml");

    /** jsonb's binary form is a version byte (1) and the JSON text. */
    static final Codec JSONB = new StringCodec("jsonb") {
        public Object decodeBinary(byte[] buf, int offset, int length) {
            if (length < 1 || buf[offset] != 1) {
                throw ValueException.malformed("jsonb: unknown format version");
            }
            return new String(buf, offset + 1, length - 1, StandardCharsets.UTF_8);
        }

        public void encodeBinary(Object value, WriteBuffer out) {
            String s = string(value);
            out.writeByte(1);
            out.writeUtf8(s);
        }
    };

    /** The internal one-byte {@code "char"} type, as a String of one character (or empty for \0). */
    static final Codec CHAR = new Codec() {
        public boolean binary() {
            return true;
        }

        public Object decodeBinary(byte[] buf, int offset, int length) {
            if (length == 0) {
                return "";
            }
            Bytes.requireLength(length, 1, "\"char\"");
            return String.valueOf((char) (buf[offset] & 0xFF));
        }

        public void encodeBinary(Object value, WriteBuffer out) {
            int c = charByte(value);
            if (c != 0) {
                out.writeByte(c);
            }
        }

        public Object decodeText(String text) {
            if (text.length() == 4 && text.charAt(0) == '\\') {
                return String.valueOf((char) Integer.parseInt(text.substring(1), 8));
            }
            return text;
        }

        public String encodeText(Object value) {
            int c = charByte(value);
            return c == 0 ? "" : c >= 0x80 ? "\\" + Integer.toOctalString(c) : String.valueOf((char) c);
        }

        public String accepts() {
            return "a String or Character of one character up to U+00FF";
        }

        private int charByte(Object value) {
            String s = value instanceof Character c ? c.toString() : value instanceof CharSequence cs ? cs.toString() : null;
            if (s == null) {
                throw ValueException.unsupported();
            }
            if (s.length() > 1 || (s.length() == 1 && s.charAt(0) > 0xFF)) {
                throw new ValueException("\"char\" holds one single-byte character");
            }
            return s.isEmpty() ? 0 : s.charAt(0);
        }
    };

    static final Codec BYTEA = new Codec() {
        public boolean binary() {
            return true;
        }

        public Object decodeBinary(byte[] buf, int offset, int length) {
            byte[] copy = new byte[length];
            System.arraycopy(buf, offset, copy, 0, length);
            return copy;
        }

        public void encodeBinary(Object value, WriteBuffer out) {
            if (value instanceof byte[] b) {
                out.writeBytes(b);
            } else if (value instanceof ByteBuffer bb) {
                ByteBuffer view = bb.duplicate();
                byte[] b = new byte[view.remaining()];
                view.get(b);
                out.writeBytes(b);
            } else {
                throw ValueException.unsupported();
            }
        }

        public Object decodeText(String text) {
            if (text.startsWith("\\x")) {
                return HexFormat.of().parseHex(text, 2, text.length());
            }
            // The older "escape" output: printable bytes as is, others as \ooo, backslash as \\.
            byte[] raw = text.getBytes(StandardCharsets.ISO_8859_1);
            byte[] out = new byte[raw.length];
            int n = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == '\\' && i + 1 < raw.length && raw[i + 1] == '\\') {
                    out[n++] = '\\';
                    i++;
                } else if (raw[i] == '\\' && i + 3 < raw.length) {
                    out[n++] = (byte) Integer.parseInt(text.substring(i + 1, i + 4), 8);
                    i += 3;
                } else {
                    out[n++] = raw[i];
                }
            }
            return java.util.Arrays.copyOf(out, n);
        }

        public String encodeText(Object value) {
            byte[] b;
            if (value instanceof byte[] bytes) {
                b = bytes;
            } else if (value instanceof ByteBuffer bb) {
                ByteBuffer view = bb.duplicate();
                b = new byte[view.remaining()];
                view.get(b);
            } else {
                throw ValueException.unsupported();
            }
            return "\\x" + HexFormat.of().formatHex(b);
        }

        public String accepts() {
            return "byte[] or ByteBuffer";
        }
    };

    static final Codec UUID_CODEC = new Codec() {
        public boolean binary() {
            return true;
        }

        public Object decodeBinary(byte[] buf, int offset, int length) {
            Bytes.requireLength(length, 16, "uuid");
            return new UUID(Bytes.int64(buf, offset), Bytes.int64(buf, offset + 8));
        }

        public void encodeBinary(Object value, WriteBuffer out) {
            UUID u = uuid(value);
            out.writeLong(u.getMostSignificantBits());
            out.writeLong(u.getLeastSignificantBits());
        }

        public Object decodeText(String text) {
            try {
                return UUID.fromString(text);
            } catch (IllegalArgumentException e) {
                throw ValueException.malformed("uuid '" + text + "'");
            }
        }

        public String encodeText(Object value) {
            return uuid(value).toString();
        }

        public String accepts() {
            return "UUID";
        }

        private UUID uuid(Object value) {
            if (value instanceof UUID u) {
                return u;
            }
            throw ValueException.unsupported();
        }
    };

    /** A String, Character or other CharSequence, refused when it holds a NUL. */
    static String string(Object value) {
        String s;
        if (value instanceof String str) {
            s = str;
        } else if (value instanceof CharSequence || value instanceof Character) {
            s = value.toString();
        } else {
            throw ValueException.unsupported();
        }
        if (s.indexOf('\0') >= 0) {
            throw new ValueException("contains a NUL character (U+0000) at index " + s.indexOf('\0')
                    + ", which PostgreSQL text cannot hold");
        }
        return s;
    }

    /** A type whose binary form is its UTF-8 text. */
    static class StringCodec implements Codec {
        private final String name;

        StringCodec(String name) {
            this.name = name;
        }

        public boolean binary() {
            return true;
        }

        public Object decodeBinary(byte[] buf, int offset, int length) {
            return new String(buf, offset, length, StandardCharsets.UTF_8);
        }

        public void encodeBinary(Object value, WriteBuffer out) {
            out.writeUtf8(string(value));
        }

        public Object decodeText(String text) {
            return text;
        }

        public String encodeText(Object value) {
            return string(value);
        }

        public String accepts() {
            return "String (" + name + " parameters are not converted from other types)";
        }
    }
}
