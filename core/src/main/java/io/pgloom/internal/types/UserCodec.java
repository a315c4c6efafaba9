package io.pgloom.internal.types;

import io.pgloom.codec.TypeCodec;
import io.pgloom.internal.io.WriteBuffer;

import java.util.Arrays;

/**
 * Adapts a user's {@link TypeCodec} to the registry. Its functions see a copy of exactly their
 * value; what they throw is reported by the registry with the parameter or type named.
 *
 * <p>A text codec cannot read a value that came in binary, and a binary codec one that came
 * in text; the registry asks for the codec's own format, so that happens only when the text
 * protocol (a query without parameters) delivers it: then the value stays a String.
 */
final class UserCodec implements Codec {

    private final String typeName;
    private final TypeCodec<?> codec;

    UserCodec(String typeName, TypeCodec<?> codec) {
        this.typeName = typeName;
        this.codec = codec;
    }

    public boolean binary() {
        return codec instanceof TypeCodec.Binary<?>;
    }

    public Object decodeBinary(byte[] buf, int offset, int length) {
        if (codec instanceof TypeCodec.Binary<?> b) {
            return b.decoder().apply(Arrays.copyOfRange(buf, offset, offset + length));
        }
        throw new ValueException("the codec set for " + typeName + " reads text, and this value came in binary");
    }

    public void encodeBinary(Object value, WriteBuffer out) {
        if (!(codec instanceof TypeCodec.Binary<?> b)) {
            throw new ValueException("the codec set for " + typeName + " writes text");
        }
        byte[] bytes = encodeWith(b.encoder(), value);
        if (bytes == null) {
            throw new ValueException("the codec's encoder returned null");
        }
        out.writeBytes(bytes);
    }

    public Object decodeText(String text) {
        if (codec instanceof TypeCodec.Text<?> t) {
            return t.decoder().apply(text);
        }
        return text;
    }

    public String encodeText(Object value) {
        if (codec instanceof TypeCodec.Text<?> t) {
            String s = encodeWith(t.encoder(), value);
            if (s == null) {
                throw new ValueException("the codec's encoder returned null");
            }
            return TextCodecs.string(s);
        }
        return String.valueOf(value); // a binary codec has no text form; the value's own is the best there is
    }

    public String accepts() {
        return codec.javaType().getName() + " (the codec set with setTypeCodec)";
    }

    @SuppressWarnings("unchecked")
    private <R> R encodeWith(java.util.function.Function<?, R> encoder, Object value) {
        if (!codec.javaType().isInstance(value)) {
            throw ValueException.unsupported();
        }
        return ((java.util.function.Function<Object, R>) encoder).apply(value);
    }

}
