package io.pgloom.codec;

import java.util.Objects;
import java.util.function.Function;

/**
 * A user's codec for one PostgreSQL type: how its values become Java objects and back, in the
 * type's text or binary wire format, as asyncpg's {@code set_type_codec} does.
 *
 * <pre>{@code
 * ObjectMapper json = new ObjectMapper();
 * conn.setTypeCodec("jsonb", "pg_catalog", TypeCodec.text(Object.class,
 *         value -> json.writeValueAsString(value),            // parameter to the type's text input
 *         text -> json.readValue(text, Object.class)));        // the type's text output to a value
 * Map<?, ?> doc = (Map<?, ?>) conn.fetchVal("SELECT '{\"a\": 1}'::jsonb");
 *
 * conn.setTypeCodec("int8", "pg_catalog", TypeCodec.binary(MyId.class,
 *         id -> ByteBuffer.allocate(8).putLong(id.value()).array(),
 *         bytes -> new MyId(ByteBuffer.wrap(bytes).getLong())));
 * }</pre>
 *
 * <p>A codec replaces pgloom's for the type on one connection, also inside arrays, composites
 * and ranges of the type; {@code resetTypeCodec} restores the default. The decoder gets exactly
 * its own value (a fresh {@code byte[]} or String), never NULL (NULL is always Java null). An
 * exception from either function becomes a {@code PgException} naming the parameter or the
 * type; an encoder's error is raised before anything is sent.
 *
 * <p>Instances are immutable; the functions must be thread-safe, since rows may be decoded on
 * any thread.
 *
 * @param <T> the Java type values decode to
 */
public sealed interface TypeCodec<T> permits TypeCodec.Text, TypeCodec.Binary {

    /** The Java type of decoded values; parameters of other types are refused before sending. */
    Class<T> javaType();

    /** The wire format the codec reads and writes. */
    Format format();

    /**
     * A codec working on the type's text form, as {@code psql} shows it.
     *
     * @param javaType the Java type values decode to and parameters must have ({@code Object.class} for any)
     * @param encoder a parameter to the type's text input
     * @param decoder the type's text output to a value
     */
    static <T> TypeCodec<T> text(Class<T> javaType, Function<? super T, String> encoder, Function<String, ? extends T> decoder) {
        return new Text<>(javaType, encoder, decoder);
    }

    /**
     * A codec working on the type's binary form (its send/receive functions' bytes).
     *
     * @param javaType the Java type values decode to and parameters must have ({@code Object.class} for any)
     * @param encoder a parameter to the type's binary input
     * @param decoder the type's binary output to a value
     */
    static <T> TypeCodec<T> binary(Class<T> javaType, Function<? super T, byte[]> encoder, Function<byte[], ? extends T> decoder) {
        return new Binary<>(javaType, encoder, decoder);
    }

    /** A codec on the text format; made by {@link TypeCodec#text}. */
    record Text<T>(Class<T> javaType, Function<? super T, String> encoder, Function<String, ? extends T> decoder)
            implements TypeCodec<T> {
        public Text {
            Objects.requireNonNull(javaType, "javaType");
            Objects.requireNonNull(encoder, "encoder");
            Objects.requireNonNull(decoder, "decoder");
        }

        @Override
        public Format format() {
            return Format.TEXT;
        }
    }

    /** A codec on the binary format; made by {@link TypeCodec#binary}. */
    record Binary<T>(Class<T> javaType, Function<? super T, byte[]> encoder, Function<byte[], ? extends T> decoder)
            implements TypeCodec<T> {
        public Binary {
            Objects.requireNonNull(javaType, "javaType");
            Objects.requireNonNull(encoder, "encoder");
            Objects.requireNonNull(decoder, "decoder");
        }

        @Override
        public Format format() {
            return Format.BINARY;
        }
    }
}
