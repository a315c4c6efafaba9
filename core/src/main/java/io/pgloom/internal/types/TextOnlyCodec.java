package io.pgloom.internal.types;

import io.pgloom.internal.io.WriteBuffer;

/**
 * The fallback for types pgloom has no codec for (tsvector, regclass, an extension's type):
 * they travel in text and decode to their text, a {@code String}; parameters are Strings sent
 * as the type's text input.
 */
final class TextOnlyCodec implements Codec {

    static final TextOnlyCodec INSTANCE = new TextOnlyCodec();

    private TextOnlyCodec() {
    }

    public boolean binary() {
        return false;
    }

    public Object decodeBinary(byte[] buf, int offset, int length) {
        throw new ValueException("no binary format known");
    }

    public void encodeBinary(Object value, WriteBuffer out) {
        throw new ValueException("no binary format known");
    }

    public Object decodeText(String text) {
        return text;
    }

    public String encodeText(Object value) {
        return TextCodecs.string(value);
    }

    public String accepts() {
        return "String (sent as the type's text input)";
    }
}
